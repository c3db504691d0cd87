"""The shipped schemas bundled: each one file that any tool resolves offline.

The shipped schemas refer to each other by `urn:hembesok:schema:NAME:1` (`$id`), which the
engine's registry (hembesok.io.schemas) resolves and no other tool can: check-jsonschema
stops at `Unresolvable: urn:…` and an editor's YAML language server at "Problems loading
reference". The bundled form embeds every schema a schema refers to under `$defs` and turns
every `$ref` into a JSON pointer into the one file, so check-jsonschema, the YAML language
server and any other validator read it as it is (docs/decisions/0025-schemas-in-any-tool.md).
`hembesok schema NAME --bundle` prints it; the repository commits it as
`schemas/bundled/NAME.schema.json`, and `hembesok new-plugin` writes the program's beside
a new program file (docs/decisions/0021-portable-schema-reference.md).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

from hembesok.io import schemas

#: Where the repository keeps the bundled schemas, relative to its root; each is
#: `<name>.schema.json`, exactly `bundled_text(name)`.
BUNDLED_FOLDER = "schemas/bundled"


def bundled_schema(name: str) -> dict[str, Any]:
    """A shipped schema with the schemas it refers to by `$id` embedded under `$defs`, and
    every reference a JSON pointer into the one document.

    The embedded schemas keep no `$id` and no `$schema`, and their own `#/…` references
    are moved under their place, so a tool that resolves only JSON pointers (not embedded
    `$id`s) reads it as well as a validator does. The root keeps its `$id`: documents and
    the engine go on naming the schema by it.
    """
    root = copy.deepcopy(schemas.schema(name))
    by_id = {schemas.schema_id(n): n for n in schemas.NAMES}
    places: dict[str, str] = {}  # embedded $id -> its key under $defs
    pending = [root]
    while pending:
        part = pending.pop()
        for ref in references(part):
            target = ref.partition("#")[0]
            if not target or target in places or target not in by_id:
                continue
            key = f"hembesok_{by_id[target].replace('-', '_')}"
            if key in root.setdefault("$defs", {}):
                raise ValueError(f"the schema {name} already has $defs/{key}")
            embedded = copy.deepcopy(schemas.schema(by_id[target]))
            embedded.pop("$id", None)
            embedded.pop("$schema", None)
            _rebase(embedded, f"#/$defs/{key}")
            root["$defs"][key] = embedded
            places[target] = key
            pending.append(embedded)
    _point_inside(root, places)
    return root


def bundled_text(name: str) -> str:
    """The bundled schema as a file holds it: what `hembesok schema NAME --bundle` prints,
    `schemas/bundled/NAME.schema.json` holds and `new-plugin` writes."""
    return json.dumps(bundled_schema(name), ensure_ascii=False, indent=2) + "\n"


def references(node: Any) -> list[str]:
    """Every `$ref` of a schema, at any depth."""
    return [n["$ref"] for n in _nodes(node) if isinstance(n.get("$ref"), str)]


def _nodes(node: Any) -> Iterator[dict[str, Any]]:
    """Every object of a schema, at any depth."""
    stack = [node]
    while stack:
        here = stack.pop()
        if isinstance(here, dict):
            yield here
            stack.extend(here.values())
        elif isinstance(here, list):
            stack.extend(here)


def _rebase(node: Any, base: str) -> None:
    """Move the document-local references of a schema under `base` (where it is embedded)."""
    for part in _nodes(node):
        ref = part.get("$ref")
        if isinstance(ref, str) and ref.startswith("#"):
            part["$ref"] = base + ref[1:]


def _point_inside(node: Any, places: dict[str, str]) -> None:
    """Turn references to an embedded schema's `$id` into pointers to where it now is."""
    for part in _nodes(node):
        ref = part.get("$ref")
        if isinstance(ref, str):
            target, _, pointer = ref.partition("#")
            if target in places:
                part["$ref"] = f"#/$defs/{places[target]}{pointer}"

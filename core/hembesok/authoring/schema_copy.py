"""A program's own copy of the program schema, for editors, and the check that it is current.

`hembesok new-plugin` writes `program.schema.json` beside `program.yaml` and points the
editor lines at it by its bare name, so the reference keeps working when the plugin folder
is moved, copied or cloned on another machine (docs/decisions/0021-portable-schema-reference.md).
The copy is *self-contained*: the case and response schemas that the program schema refers
to by `urn:` (for `examples[].case`) are embedded under `$defs`, and every `$ref` is a
JSON pointer into the file itself, so an editor resolves everything offline from the one
file: it is the bundled form (hembesok.io.schema_bundles). `hembesok schema program
--bundle` prints it; `hembesok validate` warns when a program's copy differs from what the
installed hembesok would write.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from hembesok.io import schemas
from hembesok.io.documents import Document, Position
from hembesok.io.problems import Problem, json_path
from hembesok.io.schema_bundles import bundled_schema, bundled_text
from hembesok.version import __version__

#: The copy's file name, beside program.yaml; the editor lines name it relative to the file.
SCHEMA_COPY = "program.schema.json"

#: The editor lines of a program file: the YAML language server's (VS Code, and editors
#: using that server) and JetBrains' (IntelliJ, PyCharm).
EDITOR_LINES = ("# yaml-language-server: $schema={ref}", "# $schema: {ref}")

_EDITOR_LINE = re.compile(r"^#\s*(?:yaml-language-server:\s*\$schema=|\$schema:\s*)(\S+)")


def editor_lines(reference: str) -> str:
    """The comment lines that point editors at the schema, one per editor family."""
    return "\n".join(line.format(ref=reference) for line in EDITOR_LINES)


def self_contained_schema(name: str) -> dict[str, Any]:
    """The bundled form of a shipped schema (hembesok.io.schema_bundles): the copy's content."""
    return bundled_schema(name)


def self_contained_text(name: str) -> str:
    """The copy as `new-plugin` writes it: the bundled schema's text."""
    return bundled_text(name)


# --- the check -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reference:
    """A schema reference in a program file, where it stands, and the file it names."""

    position: Position
    path: str  # JSON path of a `$schema` key, or "$" for an editor line
    file: Path


def schema_reference_problems(doc: Document) -> list[Problem]:
    """A warning when the schema file a program's editor lines (or its `$schema` key) name
    is neither the installed program schema nor its self-contained copy: the editor would
    complete and check against rules this hembesok does not have. Once per file named,
    at the first line naming it. A reference to a URL, or to no file, is left alone: a
    region's own address or another machine's layout is not a mistake here."""
    out: list[Problem] = []
    seen: set[Path] = set()
    for reference in _references(doc):
        if reference.file in seen or not reference.file.is_file():
            continue
        seen.add(reference.file)
        if _is_current(reference.file):
            continue
        shown = _shown(doc, reference.file)
        if reference.file == _base(doc) / SCHEMA_COPY:
            advice = (
                f"the schema copy this line names ({shown}) differs from the program schema "
                f"of the installed hembesok {__version__}, so an editor completes and checks "
                "this file against other rules: refresh it with "
                f"`hembesok schema program --bundle > {shown}`"
            )
        else:
            own = _shown(doc, _base(doc) / SCHEMA_COPY)
            advice = (
                f"the schema this line names ({shown}) is not the program schema of the "
                f"installed hembesok {__version__}, so an editor completes and checks this "
                "file against other rules: write a copy beside this file with "
                f"`hembesok schema program --bundle > {own}` and name it "
                f"{SCHEMA_COPY} on this line"
            )
        out.append(
            Problem(
                doc.path,
                reference.position.line,
                reference.position.column,
                reference.path,
                advice,
                "warning",
            )
        )
    return out


def _shown(doc: Document, file: Path) -> str:
    """A file as the author would type it: relative to where the program file was named
    from, or absolute when it lies on another drive."""
    try:
        relative = os.path.relpath(file, _base(doc))
    except ValueError:
        return file.as_posix()
    return Path(os.path.normpath(os.path.join(os.path.dirname(doc.path), relative))).as_posix()


def _base(doc: Document) -> Path:
    """The program file's folder: where its editor lines' relative names start."""
    return Path(doc.path).resolve().parent


def _references(doc: Document) -> Iterator[_Reference]:
    """The editor lines of the file (read again: comments are not in the data), then a
    `$schema` key; only for a program read from a file, whose folder relative names start
    from."""
    source = Path(doc.path)
    if not source.is_file():
        return
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return
    for number, line in enumerate(text.splitlines(), start=1):
        found = _EDITOR_LINE.match(line.strip())
        named = _local_file(found.group(1), source) if found else None
        if found and named is not None:
            column = line.index("$schema") + 1
            yield _Reference(Position(number, column), "$", named)
    key = doc.data.get("$schema") if isinstance(doc.data, dict) else None
    named = _local_file(key, source) if isinstance(key, str) else None
    if named is not None:
        yield _Reference(doc.locate(("$schema",), key=True), json_path(("$schema",)), named)


def _local_file(reference: str, source: Path) -> Path | None:
    """The file a reference names, relative to the program file's folder; None for a URL."""
    parts = urlsplit(reference)
    if parts.scheme == "file":
        return Path(unquote(parts.path)).resolve()
    if parts.scheme and len(parts.scheme) > 1:  # http:, urn: …; one letter is a drive
        return None
    return (source.resolve().parent / unquote(parts.path or reference)).resolve()


def _is_current(path: Path) -> bool:
    """The installed program schema itself, or the copy the installed hembesok writes."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError, ValueError):
        return False
    return bool(found == schemas.schema("program") or found == self_contained_schema("program"))

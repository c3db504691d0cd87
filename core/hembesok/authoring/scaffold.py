"""`hembesok new-plugin NAME`: a complete, installable plugin package whose tests pass at once.

The files are rendered from the templates in hembesok/authoring/templates (package data), with
plain `{{placeholder}}` substitution: nothing in a template is executed. Values that
end up inside YAML or Python are written as JSON strings, which both read as
ordinary double-quoted strings, so a municipality name cannot break either file.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from hembesok.authoring.schema_copy import SCHEMA_COPY, editor_lines, self_contained_text
from hembesok.version import __version__

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

#: Template file -> path in the new package ({name} is the plugin name).
TEMPLATES: Mapping[str, str] = {
    "pyproject.toml.tmpl": "pyproject.toml",
    "README.md.tmpl": "README.md",
    "gitignore.tmpl": ".gitignore",
    "module_init.py.tmpl": "hembesok_{name}/__init__.py",
    "program.yaml.tmpl": "hembesok_{name}/program.yaml",
    "test_plugin.py.tmpl": "tests/test_{name}.py",
}

_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")


class ScaffoldError(ValueError):
    """A name or place a plugin cannot be created with; the message says what would do."""


@dataclass(frozen=True)
class Scaffold:
    root: Path
    files: tuple[Path, ...]


def suggest_name(text: str) -> str:
    """A valid plugin name close to `text`: 'Eksjö kommun' -> 'eksjo_kommun'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "_", plain.lower()).strip("_")
    if not slug:
        return "my_program"
    return slug if slug[0].isalpha() else f"p_{slug}"


def check_name(name: str) -> str:
    if not NAME_PATTERN.match(name):
        raise ScaffoldError(
            f"the plugin name {name!r} must be lower-case letters, digits and underscores, "
            "starting with a letter: it becomes the program id, the module hembesok_NAME and "
            f"the distribution hembesok-NAME. Try '{suggest_name(name)}'."
        )
    return name


def check_municipalities(names: Sequence[str]) -> list[str]:
    cleaned = [" ".join(n.split()) for n in names]
    for original, name in zip(names, cleaned, strict=True):
        if not name:
            raise ScaffoldError(f"--municipality {original!r}: a municipality needs a name")
        if any(c in name for c in '"\\') or not name.isprintable():
            raise ScaffoldError(
                f"--municipality {original!r}: write the name without quotes, backslashes "
                "or control characters"
            )
    return cleaned


def render(
    name: str, municipalities: Sequence[str] = (), schema_ref: str | None = None
) -> dict[str, str]:
    """The new package's files by relative path, without touching the disk.

    Without `schema_ref` the editor lines name a copy of the program schema written beside
    program.yaml, by its bare name, so they keep working wherever the folder goes
    (docs/decisions/0021-portable-schema-reference.md); with it, they name that path or URL
    and no copy is written.
    """
    check_name(name)
    towns = check_municipalities(municipalities) or [name.replace("_", " ").capitalize()]
    places = ", ".join(towns)
    major, minor, *_ = __version__.split(".")
    sites = "\n".join(
        f"    - id: {suggest_name(town)}\n"
        f"      name: {_quoted(town)}\n"
        "      # [U] add the municipality code and other spellings a journal may send:\n"
        '      # aliases: ["NNNN"]\n'
        "      # [U] start: YYYY-MM-DD, the first birth date the municipality offers it"
        for town in towns
    )
    values = {
        "name": name,
        "name_dashed": name.replace("_", "-"),
        "title_sv": _quoted(f"{places} – hembesök i samverkan"),
        "title_en": f"{places} – joint home visits",
        "owner": _quoted(", ".join(towns)),
        "sites": sites,
        "municipality": _quoted(towns[0]),
        "first_example_name": _quoted(f"first child in {towns[0]}, newborn visit due"),
        "editor_lines": editor_lines(schema_ref or SCHEMA_COPY),
        "core_requirement": f"hembesok>={major}.{minor}",
    }
    values["title_en_yaml"] = _quoted(values["title_en"])
    out: dict[str, str] = {}
    for template, target in TEMPLATES.items():
        text = (resources.files("hembesok.authoring.templates") / template).read_text("utf-8")
        out[target.format(name=name)] = _fill(text, values, template)
        if template == "program.yaml.tmpl" and schema_ref is None:
            out[f"hembesok_{name}/{SCHEMA_COPY}"] = self_contained_text("program")
    return out


def create_plugin(
    name: str,
    directory: str | Path = ".",
    municipalities: Sequence[str] = (),
    schema_ref: str | None = None,
) -> Scaffold:
    """Write hembesok-NAME/ under `directory`; refuse to overwrite anything."""
    check_name(name)
    root = Path(directory) / f"hembesok-{name}"
    if root.exists():
        raise ScaffoldError(
            f"{root} already exists; choose another --dir or remove it first (nothing was written)"
        )
    files = render(name, municipalities, schema_ref)
    written = []
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return Scaffold(root, tuple(written))


def _quoted(text: str) -> str:
    """A double-quoted string that YAML and Python both read back as `text`."""
    return json.dumps(text, ensure_ascii=False)


def _fill(text: str, values: Mapping[str, str], template: str) -> str:
    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:  # a template bug, caught by the tests of every template
            raise KeyError(f"{template}: unknown placeholder {key}")
        return values[key]

    return _PLACEHOLDER.sub(value, text)

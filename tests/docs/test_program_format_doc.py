"""docs/program-format.md names every field of the program schema, and only those."""

import re
from pathlib import Path

import yaml

from hembesok.authoring.lint import lint_program
from hembesok.io import schemas as schema_store
from hembesok.io.documents import load_text
from hembesok.io.loading import program_problems
from hembesok.plugins.manager import make_plugin_manager

ROOT = Path(__file__).parents[2]
DOC = (ROOT / "docs" / "program-format.md").read_text(encoding="utf-8")

#: $defs documented once as a type (their fields as `duration.months`), not at every use.
TYPES = ("text", "duration", "date", "identifier", "fact_name", "scalar")


def schema_paths(schema):
    """Every property path: `schedule[].window.before`, a map's values as `vaccines.*.title`,
    recursion cut at a repeated $def."""
    defs = schema["$defs"]
    out = []

    def resolve(node):
        ref = node.get("$ref", "")
        if ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            return name, defs[name]
        return None, node

    def walk(node, prefix, seen):
        name, node = resolve(node)
        if name in TYPES or (name and name in seen) or "$ref" in node:
            return  # a type, a recursive condition, or another schema (the case)
        seen = seen | {name} if name else seen
        if node.get("type") == "array" and "items" in node:
            walk(node["items"], prefix + "[]", seen)
            return
        for key, sub in node.get("properties", {}).items():
            path = f"{prefix}.{key}" if prefix else key
            out.append(path)
            walk(sub, path, seen)
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) and prefix:  # a map: its values' fields as `map.*.field`
            walk(extra, prefix + ".*", seen)

    walk(schema, "", frozenset())
    out += [f"{t}.{key}" for t in TYPES for key in defs.get(t, {}).get("properties", {})]
    return out


def documented_fields():
    return re.findall(r"^\| `([^`]+)` \|", DOC, flags=re.MULTILINE)


def test_the_path_walk_finds_nested_and_recursive_fields():
    paths = schema_paths(schema_store.schema("program"))
    for path in ("schedule[].window.before", "eligibility.age.on", "examples[].expect.visits"):
        assert path in paths
    assert not any(p.startswith("eligibility.all.") for p in paths)  # recursion cut


def test_every_schema_field_is_documented_and_every_documented_field_exists():
    paths = schema_paths(schema_store.schema("program"))
    documented = documented_fields()
    missing = [p for p in paths if p not in documented]
    assert not missing, (
        f"fields of program.schema.json missing in docs/program-format.md: {missing}"
    )
    stale = [p for p in documented if p not in paths]
    assert not stale, f"fields in docs/program-format.md that the schema does not have: {stale}"
    assert len(documented) == len(set(documented)), "a field is documented twice"


def test_every_enum_value_in_the_schema_is_named_in_the_doc():
    values = set()

    def walk(node):
        if isinstance(node, dict):
            values.update(v for v in node.get("enum", ()) if isinstance(v, str))
            for child in node.values():
                walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(schema_store.schema("program"))
    assert {v for v in values if f"`{v}`" not in DOC} == set()


def test_the_whole_example_file_is_valid_and_its_examples_pass():
    block = DOC.split("## A whole file", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    doc = load_text(block, "program-format.md")
    found = program_problems(doc)
    assert found == []
    assert lint_program(doc, found, make_plugin_manager(modules=[], env={})) == []


def test_every_yaml_snippet_parses():
    for block in re.findall(r"```yaml\n(.*?)```", DOC, flags=re.DOTALL):
        yaml.safe_load(block)

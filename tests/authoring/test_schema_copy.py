"""The program's own schema copy: self-contained, portable with its folder, checked for age."""

import json
import shutil
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.exceptions import NoSuchResource

from hembesok.authoring.lint import lint_program
from hembesok.authoring.scaffold import create_plugin
from hembesok.authoring.schema_copy import (
    SCHEMA_COPY,
    schema_reference_problems,
    self_contained_schema,
    self_contained_text,
)
from hembesok.io import schemas
from hembesok.io.documents import load_file
from hembesok.io.loading import program_problems
from hembesok.plugins.manager import make_plugin_manager
from hembesok.version import __version__

ROOT = Path(__file__).parents[2]
VAGGERYD = ROOT / "plugins" / "vaggeryd" / "hembesok_vaggeryd" / "program.yaml"
PROGRAM_ID = "urn:hembesok:schema:program:1"


def resolve(schema, ref):
    """A `$ref` resolved as an editor that knows JSON pointers only does."""
    assert ref.startswith("#"), ref
    node = schema
    for part in ref.removeprefix("#").strip("/").split("/") if ref != "#" else ():
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def refs(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def offline_validator(schema):
    """jsonschema with a registry that retrieves nothing: what the file alone gives."""

    def nothing(uri):
        raise NoSuchResource(ref=uri)

    return Draft202012Validator(schema, registry=Registry(retrieve=nothing))


def test_the_copy_keeps_the_program_schemas_id_and_every_reference_stays_inside_it():
    copy = self_contained_schema("program")
    assert copy["$id"] == PROGRAM_ID
    assert copy["$schema"] == schemas.schema("program")["$schema"]
    found = list(refs(copy))
    assert found and all(ref.startswith("#/") for ref in found)
    for ref in found:
        assert isinstance(resolve(copy, ref), dict), ref
    embedded = {k: v for k, v in copy["$defs"].items() if k.startswith("hembesok_")}
    assert sorted(embedded) == ["hembesok_case", "hembesok_response"]
    assert not any("$id" in part for part in embedded.values())
    assert schemas.schema("program")["$id"] == PROGRAM_ID  # the shipped one is untouched


def test_the_copy_alone_validates_as_the_shipped_schemas_do():
    data = yaml.safe_load(VAGGERYD.read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(data))
    broken["examples"][0]["case"]["child"]["birth_date"] = 20260310
    broken["examples"][0]["case"]["first_child"]["either_parent"] = "yes"
    broken["schedule"][0]["setting"] = "garden"
    offline = offline_validator(self_contained_schema("program"))
    shipped = schemas.validator("program")

    def errors(validator, document):
        return sorted(
            (tuple(map(str, e.absolute_path)), e.validator) for e in validator.iter_errors(document)
        )

    assert errors(offline, data) == errors(shipped, data) == []
    assert errors(offline, broken) == errors(shipped, broken)
    assert ("examples", "0", "case", "child", "birth_date") in [
        p for p, _ in errors(offline, broken)
    ]


def test_the_case_schema_is_made_self_contained_too():
    copy = self_contained_schema("case")
    assert copy["$id"] == "urn:hembesok:schema:case:1"
    assert all(ref.startswith("#/") for ref in refs(copy))
    assert "hembesok_response" in copy["$defs"]


def test_a_scaffolded_plugin_moved_or_copied_still_names_its_schema(tmp_path):
    made = create_plugin("eksjo", tmp_path / "first", ["Eksjö"])
    moved = tmp_path / "elsewhere" / "deeper" / "hembesok-eksjo"
    moved.parent.mkdir(parents=True)
    shutil.move(made.root, moved)
    copied = tmp_path / "another-machine" / "hembesok-eksjo"
    shutil.copytree(moved, copied)
    for root in (moved, copied):
        program = root / "hembesok_eksjo" / "program.yaml"
        first, second = program.read_text(encoding="utf-8").splitlines()[:2]
        references = [
            first.removeprefix("# yaml-language-server: $schema="),
            second.removeprefix("# $schema: "),
        ]
        assert references == [SCHEMA_COPY, SCHEMA_COPY]
        schema = json.loads((program.parent / references[0]).read_text(encoding="utf-8"))
        assert schema["$id"] == PROGRAM_ID
        assert schema == self_contained_schema("program")
        doc = load_file(program)
        found = program_problems(doc)
        assert found == []
        assert lint_program(doc, found, make_plugin_manager(modules=[], env={})) == []


def stale(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    schema["$defs"]["visit"]["properties"].pop("same_as")  # as an older hembesok wrote it
    path.write_text(json.dumps(schema, indent=2), encoding="utf-8")


def test_a_stale_copy_is_one_warning_at_the_first_line_naming_it(tmp_path, monkeypatch):
    made = create_plugin("eksjo", tmp_path, ["Eksjö"])
    stale(made.root / "hembesok_eksjo" / SCHEMA_COPY)
    monkeypatch.chdir(tmp_path)
    doc = load_file("hembesok-eksjo/hembesok_eksjo/program.yaml")
    found = schema_reference_problems(doc)
    copy = "hembesok-eksjo/hembesok_eksjo/program.schema.json"
    assert [(p.line, p.column, p.path, p.severity, p.message) for p in found] == [
        (
            1,
            25,
            "$",
            "warning",
            f"the schema copy this line names ({copy}) differs from the program schema of the "
            f"installed hembesok {__version__}, so an editor completes and checks this file "
            f"against other rules: refresh it with `hembesok schema program --bundle "
            f"> {copy}`",
        )
    ]
    assert found == [
        p
        for p in lint_program(doc, program_problems(doc), make_plugin_manager(modules=[], env={}))
        if "schema" in p.message
    ]
    (made.root / "hembesok_eksjo" / SCHEMA_COPY).write_text(self_contained_text("program"))
    assert schema_reference_problems(load_file(made.root / "hembesok_eksjo" / "program.yaml")) == []


def test_a_schema_key_naming_another_file_is_told_to_name_a_copy_instead(tmp_path):
    old = tmp_path / "old-venv" / "program.schema.json"
    old.parent.mkdir()
    old.write_text(json.dumps({"$id": PROGRAM_ID, "type": "object"}))
    program = tmp_path / "plugin" / "program.yaml"
    program.parent.mkdir()
    text = VAGGERYD.read_text(encoding="utf-8").split("\n", 1)[1]  # without its editor line
    program.write_text(f'"$schema": ../old-venv/program.schema.json\n{text}', encoding="utf-8")
    (found,) = schema_reference_problems(load_file(program))
    assert (found.line, found.column, found.path) == (1, 1, "$['$schema']")
    assert found.message.startswith(
        f"the schema this line names ({tmp_path.as_posix()}/old-venv/program.schema.json) is "
        f"not the program schema of the installed hembesok {__version__}"
    )
    assert found.message.endswith(
        f"`hembesok schema program --bundle > {program.parent.as_posix()}/"
        "program.schema.json` and name it program.schema.json on this line"
    )


@pytest.mark.parametrize(
    "reference",
    [
        "https://example.org/program.schema.json",
        "urn:hembesok:schema:program:1",
        "no/such/file.json",
        "../../../schemas/program.schema.json",  # the installed schema itself, in a clone
    ],
)
def test_a_url_no_file_or_the_installed_schema_is_left_alone(tmp_path, reference):
    folder = tmp_path / "plugins" / "x" / "hembesok_x"
    folder.mkdir(parents=True)
    (tmp_path / "schemas").mkdir()
    shutil.copy(ROOT / "schemas" / "program.schema.json", tmp_path / "schemas" / SCHEMA_COPY)
    text = VAGGERYD.read_text(encoding="utf-8").split("\n", 1)[1]
    (folder / "program.yaml").write_text(
        f"# yaml-language-server: $schema={reference}\n{text}", encoding="utf-8"
    )
    assert schema_reference_problems(load_file(folder / "program.yaml")) == []

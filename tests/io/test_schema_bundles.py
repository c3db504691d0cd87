"""The bundled schemas: one file each that any tool resolves, committed as generated."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.exceptions import NoSuchResource

from hembesok.io import schemas
from hembesok.io.schema_bundles import BUNDLED_FOLDER, bundled_schema, bundled_text, references

ROOT = Path(__file__).parents[2]
BUNDLED = ROOT / BUNDLED_FOLDER
REGENERATE = (
    f"for n in {' '.join(schemas.NAMES)}; do "
    f"hembesok schema $n --bundle > {BUNDLED_FOLDER}/$n.schema.json; done"
)


def pointed(schema, ref):
    """What a `#/…` reference points at, resolved as a tool that knows JSON pointers only."""
    node = schema
    for part in ref.removeprefix("#").strip("/").split("/") if ref != "#" else ():
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def offline(schema):
    """jsonschema with a registry that retrieves nothing: what the one file alone gives."""

    def nothing(uri):
        raise NoSuchResource(ref=uri)

    return Draft202012Validator(
        schema,
        registry=Registry(retrieve=nothing),
        format_checker=Draft202012Validator.FORMAT_CHECKER,  # as the engine checks formats
    )


def test_the_folder_holds_one_bundle_per_shipped_schema():
    assert sorted(p.name for p in BUNDLED.glob("*.json")) == sorted(
        f"{name}.schema.json" for name in schemas.NAMES
    )


@pytest.mark.parametrize("name", schemas.NAMES)
def test_the_committed_bundle_is_what_the_code_makes(name):
    committed = (BUNDLED / f"{name}.schema.json").read_text(encoding="utf-8")
    assert committed == bundled_text(name), f"regenerate the bundles: {REGENERATE}"


@pytest.mark.parametrize("name", schemas.NAMES)
def test_every_reference_of_a_committed_bundle_points_inside_it(name):
    bundle = json.loads((BUNDLED / f"{name}.schema.json").read_text(encoding="utf-8"))
    found = references(bundle)
    assert all(ref.startswith("#") for ref in found), [r for r in found if r[:1] != "#"]
    for ref in found:
        assert isinstance(pointed(bundle, ref), dict), ref
    Draft202012Validator.check_schema(bundle)


@pytest.mark.parametrize("name", schemas.NAMES)
def test_a_bundle_keeps_its_id_and_embeds_the_others_without_theirs(name):
    bundle = bundled_schema(name)
    assert bundle["$id"] == schemas.schema_id(name)
    ids = [part["$id"] for part in _objects(bundle) if "$id" in part]
    assert ids == [bundle["$id"]]


def test_which_schemas_are_embedded_follows_the_references():
    embedded = {
        name: sorted(k for k in bundled_schema(name).get("$defs", {}) if k.startswith("hembesok_"))
        for name in schemas.NAMES
    }
    assert embedded["program"] == ["hembesok_case", "hembesok_response"]
    assert embedded["case"] == ["hembesok_response"]
    assert embedded["plan"] == ["hembesok_screening"]
    assert embedded["instrument"] == embedded["response"] == []


def test_the_engine_keeps_the_canonical_ids():
    """io.schemas still serves the shipped schemas, which refer to each other by `urn:`."""
    assert schemas.schema("program") != bundled_schema("program")
    assert "urn:hembesok:schema:case:1" in references(schemas.schema("program"))
    assert "urn:hembesok:schema:response:1" in references(schemas.schema("case"))


def test_a_bundle_alone_finds_the_mistakes_the_engine_finds():
    case = json.loads((ROOT / "examples" / "barnsakert-case.json").read_text(encoding="utf-8"))
    assert case["responses"], "the example has a response, embedded from the response schema"
    broken = json.loads(json.dumps(case))
    broken["child"]["birth_date"] = "yesterday"
    broken["responses"][0]["answers"] = "all fine"
    broken["responses"][0]["date"] = 20251022

    def errors(validator, document):
        return sorted(
            (tuple(map(str, e.absolute_path)), e.validator) for e in validator.iter_errors(document)
        )

    alone = offline(bundled_schema("case"))
    engine = schemas.validator("case")
    assert errors(alone, case) == errors(engine, case) == []
    assert errors(alone, broken) == errors(engine, broken)
    assert sorted({path for path, _ in errors(alone, broken)}) == [
        ("child", "birth_date"),
        ("responses", "0", "answers"),
        ("responses", "0", "date"),
    ]


def _objects(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)

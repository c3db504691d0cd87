"""The OpenAPI document: valid OpenAPI 3.1, generated from the shipped schemas and the routes."""

import json
from pathlib import Path

import jsonschema
import pytest
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from hembesok.io import schemas as schema_store
from hembesok.service.openapi import openapi_document
from hembesok.service.routes import ROUTES, Endpoint

ROOT = Path(__file__).parents[2]
DOC = openapi_document(ROUTES)


def test_the_document_is_valid_openapi_3_1():
    validate(DOC)
    assert DOC["openapi"] == "3.1.0"


def test_a_broken_document_is_caught_by_the_same_check():
    broken = json.loads(json.dumps(DOC))
    broken["paths"]["/v1/plan"]["post"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ] = {"$ref": "#/components/schemas/no_such_schema"}
    with pytest.raises(Exception, match="no_such_schema"):
        validate(broken)


def test_plan_takes_a_case_and_answers_a_plan_or_a_problem():
    op = DOC["paths"]["/v1/plan"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/case"
    }
    assert op["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/plan"
    }
    for status in ("400", "413", "415", "422", "500"):
        assert op["responses"][status]["content"]["application/problem+json"]["schema"] == {
            "$ref": "#/components/schemas/problem"
        }
    assert [p["name"] for p in op["parameters"]] == ["as_of", "program", "format", "X-Request-ID"]


def test_component_schemas_are_the_shipped_schemas_with_references_into_the_document():
    for name in schema_store.NAMES:
        component = DOC["components"]["schemas"][name]
        shipped = schema_store.schema(name)
        assert component["title"] == shipped["title"]
        assert "$id" not in component
        assert set(component["properties"]) == set(shipped["properties"])
    assert all(ref.startswith("#/components/schemas/") for ref in refs_in(DOC))


def refs_in(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield node["$ref"]
        for value in node.values():
            yield from refs_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from refs_in(item)


def validator_for(component):
    """A validator that resolves references the way an OpenAPI tool does: inside the document."""
    registry = Registry().with_resource(
        "urn:test:openapi", Resource.from_contents(DOC, DRAFT202012)
    )
    return jsonschema.Draft202012Validator(
        {"$ref": f"urn:test:openapi#/components/schemas/{component}"}, registry=registry
    )


def test_the_embedded_case_schema_accepts_and_rejects_what_the_shipped_one_does():
    case_validator = validator_for("case")
    for path in sorted((ROOT / "examples").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        shipped_ok = schema_store.validator("case").is_valid(data)
        assert case_validator.is_valid(data) == shipped_ok, path.name
    assert not case_validator.is_valid(
        {"child": {"birth_date": "2026-03-10"}, "visits_done": [{"program": "X"}]}
    )


def test_the_embedded_plan_schema_accepts_a_real_plan():
    from hembesok import plan_case

    case = (ROOT / "examples" / "goteborg-first-child-opaltorget.json").read_text("utf-8")
    plan = plan_case(case, "2026-05-04")
    assert list(validator_for("plan").iter_errors(plan)) == []


def test_a_new_endpoint_is_documented_without_other_changes():
    extra = Endpoint(
        "POST",
        "/v1/screen",
        "screenResponse",
        "Score a response",
        lambda call: {},
        request_schema="response",
        response_schema="screening",
        errors=(422,),
    )
    doc = openapi_document((*ROUTES, extra))
    validate(doc)
    op = doc["paths"]["/v1/screen"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/response"
    }

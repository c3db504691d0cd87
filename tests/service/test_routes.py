"""The service's endpoints as plain handlers, without any web framework."""

import datetime as dt
import json
from pathlib import Path

import hembesok_vaggeryd
import pytest

from hembesok.engine.engine import Engine
from hembesok.io import schemas
from hembesok.io.documents import parse_json
from hembesok.io.problems import InvalidDocument
from hembesok.service.routes import DECIDE, PLAN, ROUTES, Call, HttpProblem

CASE = (Path(__file__).parents[2] / "examples" / "vaggeryd-first-child.json").read_text("utf-8")


@pytest.fixture(scope="module")
def engine():
    return Engine.from_modules([hembesok_vaggeryd])


def call(engine, query=None, body=CASE):
    return Call(engine, query or {}, parse_json(body, "request body"), dt.date(2026, 5, 4))


def planned(made):
    """A plan answer as JSON data: the handler writes it in its format, here JSON."""
    answer = PLAN.handler(made)
    assert answer.media_type == "application/json"
    return json.loads(answer.body)


def test_routes_are_health_programs_plan_screen_and_cds_hooks_with_unique_ids():
    assert [(r.method, r.path) for r in ROUTES] == [
        ("GET", "/health"),
        ("GET", "/v1/programs"),
        ("POST", "/v1/plan"),
        ("POST", "/v1/decide"),
        ("POST", "/v1/screen"),
        ("GET", "/cds-services"),
        ("POST", "/cds-services/hembesok-patient-view"),
    ]
    assert len({r.operation_id for r in ROUTES}) == len(ROUTES)


def test_plan_defaults_to_the_servers_date_and_every_program(engine):
    plan = planned(call(engine))
    assert plan["as_of"] == "2026-05-04"
    assert [p["program"]["id"] for p in plan["programs"]] == ["vaggeryd"]


def test_plan_reads_as_of_and_program_from_the_query(engine):
    plan = planned(call(engine, {"as_of": ["2026-05-26"], "program": ["vaggeryd"]}))
    visits = {v["id"]: v["status"] for v in plan["programs"][0]["visits"]}
    assert plan["as_of"] == "2026-05-26" and visits["two_months"] == "missed"  # window ended 24 May


def test_bad_query_parameters_are_400_problems(engine):
    with pytest.raises(HttpProblem) as bad_date:
        PLAN.handler(call(engine, {"as_of": ["May"]}))
    assert (bad_date.value.status, bad_date.value.title) == (400, "Invalid as_of")
    with pytest.raises(HttpProblem) as unknown:
        PLAN.handler(call(engine, {"program": ["nope"]}))
    assert unknown.value.status == 400 and "installed: vaggeryd" in unknown.value.detail


def test_an_invalid_case_raises_invalid_document_with_located_problems(engine):
    body = json.dumps({"child": {"birth_date": "2026-03-10"}, "municipality": ""})
    with pytest.raises(InvalidDocument) as caught:
        PLAN.handler(call(engine, body=body))
    assert [p.path for p in caught.value.problems] == ["$.municipality"]


def test_http_problem_as_json():
    doc = HttpProblem(400, "Invalid as_of", "use YYYY-MM-DD").to_json()
    assert doc == {
        "type": "urn:hembesok:problem:invalid-request",
        "title": "Invalid as_of",
        "status": 400,
        "detail": "use YYYY-MM-DD",
    }


def test_plan_in_compact_form_follows_its_schema(engine):
    plan = planned(call(engine, {"format": ["compact"]}))
    assert plan["$schema"] == "urn:hembesok:schema:compact-plan:1"
    assert list(schemas.validator("compact-plan").iter_errors(plan)) == []
    assert [p["id"] for p in plan["programs"]] == ["vaggeryd"]
    with pytest.raises(HttpProblem) as unknown:
        PLAN.handler(call(engine, {"format": ["fhir-ish"]}))
    assert unknown.value.status == 400 and "json, compact" in unknown.value.detail


def test_decide_answers_the_decisions_only(engine):
    answer = DECIDE.handler(call(engine))
    assert answer["as_of"] == "2026-05-04"
    assert list(answer["decisions"]) == ["vaggeryd"]
    full = planned(call(engine))["programs"][0]["decision"]
    assert answer["decisions"]["vaggeryd"] == full
    with pytest.raises(HttpProblem):
        DECIDE.handler(call(engine, {"as_of": ["20260504"]}))  # YYYY-MM-DD only

"""The embedding API: plan_case, check_case, read_case, list_programs, json_schema."""

import datetime as dt
import json
from pathlib import Path

import hembesok_vaggeryd
import jsonschema
import pytest

import hembesok
from hembesok.io import schemas as schema_store

ROOT = Path(__file__).parents[1]
AS_OF = dt.date(2026, 5, 4)
CASE = {
    "case_ref": "r-1",
    "child": {"birth_date": "2026-03-10", "identifier": {"system": "pnr", "value": "SECRET-ID"}},
    "municipality": "Vaggeryd",
    "first_child": {"either_parent": True},
}


@pytest.fixture(scope="module")
def engine():
    return hembesok.Engine.from_modules([hembesok_vaggeryd])


def test_plan_case_takes_a_mapping_text_or_bytes_and_gives_the_same_plan(engine):
    from_mapping = hembesok.plan_case(CASE, AS_OF, engine=engine)
    text = json.dumps(CASE)
    assert hembesok.plan_case(text, "2026-05-04", engine=engine) == from_mapping
    assert hembesok.plan_case(text.encode(), AS_OF, engine=engine) == from_mapping
    assert from_mapping["case_ref"] == "r-1"
    assert from_mapping["programs"][0]["decision"]["status"] == "eligible"
    jsonschema.validate(from_mapping, schema_store.schema("plan"), registry=schema_store.registry())


def test_plan_case_equals_the_engine_evaluating_the_same_case(engine):
    direct = engine.evaluate(hembesok.Case.from_dict(CASE), AS_OF).to_json()
    assert hembesok.plan_case(CASE, AS_OF, engine=engine) == direct


def test_plan_case_without_an_engine_uses_the_installed_plugins():
    plan = hembesok.plan_case(CASE, AS_OF, programs=["vaggeryd"])
    assert [p["program"]["id"] for p in plan["programs"]] == ["vaggeryd"]


def test_an_invalid_case_raises_with_located_problems_and_no_values(engine):
    text = '{"child": {"birth_date": "2026-99-10",\n "identifier": {"system": "pnr", "value": 19121212}},\n "municipality": "Hemliga staden", "pets": 2}'
    with pytest.raises(hembesok.InvalidDocument) as caught:
        hembesok.plan_case(text, AS_OF, engine=engine, source="journal")
    found = caught.value.problems
    assert [(p.file, p.line, p.path) for p in found] == [
        ("journal", 1, "$.child.birth_date"),
        ("journal", 2, "$.child.identifier.value"),
        ("journal", 3, "$.pets"),
    ]
    shown = str(caught.value)
    for value in ("2026-99-10", "19121212", "Hemliga"):
        assert value not in shown


def test_json_syntax_errors_and_bad_utf8_are_problems_too(engine):
    with pytest.raises(hembesok.InvalidDocument) as caught:
        hembesok.plan_case('{"child": ', AS_OF, engine=engine)
    assert caught.value.problems[0].message.startswith("JSON syntax error")
    with pytest.raises(hembesok.InvalidDocument) as caught:
        hembesok.plan_case(b'{"child": "\xff"}', AS_OF, engine=engine)
    assert caught.value.problems[0].message == "is not UTF-8 text"


def test_dates_are_checked_against_as_of(engine):
    late = {**CASE, "child": {"birth_date": "2026-06-01"}}
    assert hembesok.check_case(late) == []
    [problem] = hembesok.check_case(late, as_of=AS_OF)
    assert problem.path == "$.child.birth_date" and "after the as-of date" in problem.message
    with pytest.raises(hembesok.InvalidDocument):
        hembesok.read_case(late, "2026-05-04")


def test_read_case_gives_a_case_without_the_identity_number():
    case = hembesok.read_case(CASE)
    assert case.birth_date == dt.date(2026, 3, 10)
    assert "SECRET-ID" not in repr(case.facts)


def test_unknown_program_names_the_installed_ones(engine):
    with pytest.raises(hembesok.UnknownProgram, match="unknown program nope; installed: vaggeryd"):
        hembesok.plan_case(CASE, AS_OF, programs=["nope"], engine=engine)


def test_as_of_must_be_a_date(engine):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        hembesok.plan_case(CASE, "4 May", engine=engine)
    at_noon = dt.datetime(2026, 5, 4, 12, 0)
    assert hembesok.plan_case(CASE, at_noon, engine=engine)["as_of"] == "2026-05-04"


def test_list_programs_matches_the_programs_command(engine):
    [row] = hembesok.list_programs(engine)
    program = engine.programs["vaggeryd"]
    assert row == {
        "id": "vaggeryd",
        "version": program.version,
        "title": dict(program.title),
        "distribution": program.distribution,
        "visits": ["newborn", "two_months", "eight_months"],
        "sha256": program.sha256,
    }


def test_json_schema_is_a_copy():
    schema = hembesok.json_schema("plan")
    schema["$id"] = "changed"
    assert hembesok.json_schema("plan")["$id"] == "urn:hembesok:schema:plan:1"


def test_the_pipeline_takes_every_kind_of_input_and_validates_once(engine, monkeypatch):
    from hembesok.api import Pipeline
    from hembesok.io import validation
    from hembesok.io.documents import parse_json

    seen = []
    real = validation.case_problems
    monkeypatch.setattr(
        validation, "case_problems", lambda *a, **k: seen.append(1) or real(*a, **k)
    )
    pipeline = Pipeline(engine)
    text = json.dumps(CASE)
    inputs = [CASE, text, text.encode(), parse_json(text, "case.json")]
    plans = [pipeline.plan(case, AS_OF).to_json() for case in inputs]
    assert all(p == plans[0] for p in plans) and len(seen) == len(inputs)


def test_decide_case_gives_the_decisions_a_plan_gives_without_visits(engine):
    decisions = hembesok.api.decide_case(CASE, AS_OF, engine=engine)
    plan = hembesok.plan_case(CASE, AS_OF, engine=engine)
    assert decisions == {p["program"]["id"]: p["decision"] for p in plan["programs"]}
    assert "visits" not in json.dumps(decisions)


def test_plan_case_in_compact_form(engine):
    small = hembesok.plan_case(CASE, AS_OF, engine=engine, compact=True)
    assert small["$schema"] == "urn:hembesok:schema:compact-plan:1" and small["case_ref"] == "r-1"
    assert list(schema_store.validator("compact-plan").iter_errors(small)) == []


def test_as_of_is_strictly_yyyy_mm_dd(engine):
    for text in ("20260504", "2026-W19-1"):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            hembesok.plan_case(CASE, text, engine=engine)

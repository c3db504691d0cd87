"""The engine: pure evaluation, decisions, statuses and provenance."""

import datetime as dt
import re
from pathlib import Path

import hembesok_vaggeryd
import jsonschema
import pytest

from hembesok import Case, Engine
from hembesok.io import schemas as schema_store
from hembesok.language.program import canonical_hash

CORE = Path(__file__).parents[2] / "core" / "hembesok"
D = dt.date


@pytest.fixture(scope="module")
def engine():
    return Engine.from_modules([hembesok_vaggeryd])


CASE = {
    "child": {"birth_date": "2026-03-10"},
    "municipality": "Vaggeryd",
    "first_child": {"either_parent": True},
}


def statuses(engine, case, as_of):
    plan = engine.evaluate(Case.from_dict(case), as_of).program("vaggeryd")
    return {v.visit.id: v.status for v in plan.visits}


def test_same_inputs_same_plan(engine):
    a = engine.evaluate(Case.from_dict(CASE), D(2026, 5, 4)).to_json()
    b = engine.evaluate(Case.from_dict(CASE), D(2026, 5, 4)).to_json()
    assert a == b


#: The shells around the library: they may default `as_of` to today; nothing else may.
SHELLS = ("cli/", "service/server.py")


def test_no_clock_is_read_outside_the_command_line_and_the_service():
    for path in CORE.rglob("*.py"):
        if path.relative_to(CORE).as_posix().startswith(SHELLS):
            continue
        text = path.read_text()
        assert not re.search(r"\b(today|now|utcnow|time\.time)\(", text), path


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (D(2026, 3, 16), "upcoming"),  # window opens 17 March
        (D(2026, 3, 17), "due"),  # first day of the window
        (D(2026, 3, 24), "due"),  # target date
        (D(2026, 3, 25), "due"),  # never late while the window is open
        (D(2026, 3, 31), "due"),  # last day of the window
        (D(2026, 4, 1), "missed"),
    ],
)
def test_newborn_status_through_its_window(engine, as_of, expected):
    assert statuses(engine, CASE, as_of)["newborn"] == expected


def test_done_wins_over_any_date(engine):
    case = {
        **CASE,
        "visits_done": [{"program": "vaggeryd", "visit": "newborn", "date": "2026-04-15"}],
    }
    assert statuses(engine, case, D(2026, 5, 1))["newborn"] == "done"


def test_visit_of_another_program_does_not_count(engine):
    case = {
        **CASE,
        "visits_done": [{"program": "rikshandboken", "visit": "newborn", "date": "2026-03-20"}],
    }
    assert statuses(engine, case, D(2026, 5, 1))["newborn"] == "missed"


def test_not_eligible_has_no_visits_and_undetermined_has_provisional_ones(engine):
    no = engine.evaluate(
        Case.from_dict({**CASE, "first_child": {"either_parent": False}}), D(2026, 5, 4)
    )
    assert no.program("vaggeryd").visits == ()
    maybe = engine.evaluate(Case.from_dict({**CASE, "first_child": {}}), D(2026, 5, 4)).program(
        "vaggeryd"
    )
    assert maybe.decision.status == "undetermined"
    assert maybe.decision.missing_facts == ("first_child.either_parent",)
    assert len(maybe.visits) == 3


def test_identity_number_never_becomes_a_fact(engine):
    case = {
        **CASE,
        "child": {
            "birth_date": "2026-03-10",
            "identifier": {"system": "x", "value": "202603102384"},
        },
    }
    parsed = Case.from_dict(case)
    assert all("identifier" not in name for name in parsed.facts)
    assert "202603102384" not in repr(engine.evaluate(parsed, D(2026, 5, 4)).to_json())


def test_site_start_and_program_validity_limit_by_birth_date():
    from hembesok.language.program import Program

    definition = dict(hembesok_vaggeryd_definition())
    definition["sites"] = {
        "match": "municipality",
        "list": [{"id": "v", "name": "Vaggeryd", "start": "2026-03-10"}],
    }
    definition["valid_to"] = "2026-12-31"
    program = Program.compile(definition)
    engine = Engine.from_modules([])
    engine.add(program)
    on_start = engine.evaluate(Case.from_dict(CASE), D(2026, 5, 4)).program("vaggeryd")
    assert on_start.decision.status == "eligible"
    day_before = {**CASE, "child": {"birth_date": "2026-03-09"}}
    before = engine.evaluate(Case.from_dict(day_before), D(2026, 5, 4)).program("vaggeryd")
    assert before.decision.status == "not_eligible"
    assert any(
        "2026-03-10" in r.text["en"] and r.truth.value == "false" for r in before.decision.reasons
    )
    late = {**CASE, "child": {"birth_date": "2027-01-01"}}
    after = engine.evaluate(Case.from_dict(late), D(2027, 2, 1)).program("vaggeryd")
    assert after.decision.status == "not_eligible"


def hembesok_vaggeryd_definition():
    return Engine.from_modules([hembesok_vaggeryd]).programs["vaggeryd"].definition


def test_provenance_and_plan_schema(engine):
    plan = engine.evaluate(Case.from_dict({**CASE, "case_ref": "ref-1"}), D(2026, 5, 4)).to_json()
    jsonschema.validate(
        plan,
        schema_store.schema("plan"),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    program = plan["programs"][0]["program"]
    assert program["sha256"] == canonical_hash(engine.programs["vaggeryd"].definition)
    assert program["version"] == "1.0.0"
    assert plan["engine"]["version"] == __import__("hembesok").__version__
    assert plan["case_ref"] == "ref-1"


def test_every_vaggeryd_example_plan_validates_against_the_plan_schema(engine):
    validator = schema_store.validator("plan")
    for example in engine.programs["vaggeryd"].definition["examples"]:
        plan = engine.evaluate(Case.from_dict(example["case"]), D.fromisoformat(example["as_of"]))
        assert list(validator.iter_errors(plan.to_json())) == [], example["name"]


def test_canonical_hash_ignores_key_order():
    assert canonical_hash({"a": 1, "b": [1, 2]}) == canonical_hash({"b": [1, 2], "a": 1})
    assert canonical_hash({"a": 1}) != canonical_hash({"a": 2})

"""A program's examples checked field by field: what was expected, what came out, and where."""

import copy
from pathlib import Path

import hembesok_vaggeryd
import pytest

from hembesok.authoring.examples import (
    NOT_PLANNED,
    FieldDiff,
    check_example,
    check_examples,
    compare,
)
from hembesok.authoring.testing import engine_with
from hembesok.engine.engine import Engine
from hembesok.io.loading import load_program, read_document
from hembesok.language.program import Program

VAGGERYD = Path(hembesok_vaggeryd.__file__).parent / "program.yaml"


@pytest.fixture(scope="module")
def engine():
    return engine_with(hembesok_vaggeryd)


def altered(engine, change):
    """An engine holding a copy of the Vaggeryd program whose definition `change` edits."""
    definition = copy.deepcopy(dict(engine.programs["vaggeryd"].definition))
    change(definition)
    program = Program.compile(definition, source=str(VAGGERYD))
    return Engine(engine.loaded, {"vaggeryd": program}), program


def test_every_bundled_example_passes(engine):
    program = engine.programs["vaggeryd"]
    checks = check_examples(engine, program)
    assert len(checks) == len(program.definition["examples"]) >= 2
    assert all(c.passed for c in checks)
    assert [c.name for c in checks] == [e["name"] for e in program.definition["examples"]]


def test_a_wrong_decision_and_visit_status_give_one_diff_each(engine):
    def change(d):
        d["examples"][0]["expect"] = {
            "decision": "not_eligible",
            "missing_facts": ["municipality"],
            "visits": {"newborn": "done", "two_months": "missed"},
        }

    wrong, program = altered(engine, change)
    check = check_example(wrong, program, 0)
    assert not check.passed
    assert check.diffs == (
        FieldDiff("decision", ("expect", "decision"), "not_eligible", "eligible"),
        FieldDiff("missing_facts", ("expect", "missing_facts"), ["municipality"], []),
        FieldDiff("visit two_months", ("expect", "visits", "two_months"), "missed", "due"),
    )
    assert str(check.diffs[1]) == "missing_facts: expected [municipality], got []"


def test_a_visit_that_is_not_planned_is_named_so(engine):
    def change(d):
        d["examples"][2]["expect"]["visits"] = {"newborn": "upcoming"}  # a second child

    wrong, program = altered(engine, change)
    (diff,) = check_example(wrong, program, 2).diffs
    assert (diff.expected, diff.got) == ("upcoming", NOT_PLANNED)


def test_date_problems_are_located_in_the_program_file_when_it_is_given(engine):
    def change(d):
        d["examples"][2]["as_of"] = "2026-03-01"  # before the birth date

    wrong, program = altered(engine, change)
    doc = read_document(VAGGERYD)
    check = check_example(wrong, program, 2, doc)
    assert not check.passed and check.plan is None
    (problem,) = check.problems
    assert problem.path == "$.examples[2].case.child.birth_date"
    assert problem.line == doc.locate(("examples", 2, "case", "child", "birth_date")).line
    assert check_example(wrong, program, 2).problems[0].path == "$.child.birth_date"


def test_compare_is_silent_when_the_plan_matches(engine):
    check = check_example(engine, engine.programs["vaggeryd"], 0)
    expect = engine.programs["vaggeryd"].definition["examples"][0]["expect"]
    assert compare(expect, check.plan) == ()


def test_an_example_may_expect_the_age_basis_of_visits_and_the_status_of_doses():
    program = load_program(Path(__file__).parents[1] / "data" / "preterm-program.yaml")
    engine = Engine.from_modules([])
    engine.add(program)
    definition = copy.deepcopy(dict(program.definition))
    definition["examples"] = [
        {
            "name": "born at 30 weeks",
            "as_of": "2026-09-01",
            "case": {"child": {"birth_date": "2025-01-01", "gestational_age": {"weeks": 30}}},
            "expect": {
                "decision": "eligible",
                "age_basis": {"bvc_6_months": "corrected", "home_newborn": "corrected"},
                "vaccinations": {"mpr_1": "missed", "rota_1": "missed"},
            },
        }
    ]
    with_example = Program.compile(definition)
    engine.programs[with_example.id] = with_example  # in place of the one without examples
    (check,) = check_examples(engine, with_example)
    assert [(d.field, d.path, d.expected, d.got) for d in check.diffs] == [
        (
            "age basis of home_newborn",
            ("expect", "age_basis", "home_newborn"),
            "corrected",
            "chronological",
        ),
        ("dose mpr_1", ("expect", "vaccinations", "mpr_1"), "missed", "due"),
    ]

"""Vaccine doses: planned by chronological age, a status each, checked references, every output."""

import datetime as dt
import json
from pathlib import Path

import pytest

from hembesok.api import Pipeline, check_case
from hembesok.engine.engine import Engine
from hembesok.io import schemas
from hembesok.io.json_text import standard_dumps
from hembesok.io.loading import load_program
from hembesok.model.case import Case
from hembesok.render.compact import compact
from hembesok.render.plan_json import PlanWriter
from hembesok.render.text import plan_text

PROGRAM = Path(__file__).parents[1] / "data" / "preterm-program.yaml"


def compiled_and_interpreted(program: Path) -> list[Engine]:
    """The program in a compiled and in an interpreted engine, which must agree."""
    out = []
    for interpret in (False, True):
        engine = Engine.from_modules([])
        engine.interpret = interpret
        engine.add(load_program(program))
        out.append(engine)
    return out


@pytest.fixture(scope="module")
def engines():
    return compiled_and_interpreted(PROGRAM)


def doses(engines, case, as_of):
    plans = [e.evaluate(Case.from_dict(case), as_of).program("preterm_test") for e in engines]
    assert plans[0].vaccinations == plans[1].vaccinations
    return {d.dose.id: d.status for d in plans[0].vaccinations}, plans[0]


CHILD = {"birth_date": "2025-01-01", "gestational_age": {"weeks": 30}}


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (dt.date(2025, 2, 11), {"rota_1": "upcoming", "mpr_1": "upcoming"}),
        (dt.date(2025, 2, 12), {"rota_1": "due", "mpr_1": "upcoming"}),  # 6 weeks exactly
        (dt.date(2025, 3, 26), {"rota_1": "due", "mpr_1": "upcoming"}),  # last day of the window
        (dt.date(2025, 3, 27), {"rota_1": "missed", "mpr_1": "upcoming"}),
        (dt.date(2026, 9, 1), {"rota_1": "missed", "mpr_1": "due"}),  # 20 months, no MPR
        (dt.date(2027, 1, 2), {"rota_1": "missed", "mpr_1": "missed"}),  # the window has closed
    ],
)
def test_statuses_follow_the_window_by_chronological_age(engines, as_of, expected):
    found, _ = doses(engines, {"child": CHILD}, as_of)
    assert found == expected


def test_done_declined_and_a_declined_program(engines):
    case = {
        "child": CHILD,
        "vaccinations_done": [{"vaccine": "rotavirus", "dose": 1, "date": "2025-02-20"}],
        "vaccinations_declined": ["mpr"],
    }
    found, pp = doses(engines, case, dt.date(2026, 9, 1))
    assert found == {"rota_1": "done", "mpr_1": "declined"}
    assert pp.vaccinations[0].given_on == dt.date(2025, 2, 20)
    found, _ = doses(engines, {"child": CHILD, "declined": ["preterm_test"]}, dt.date(2025, 3, 1))
    assert found == {"rota_1": "declined", "mpr_1": "declined"}


def test_what_a_case_names_must_be_scheduled_and_given_in_time(engines):
    case = {
        "child": {"birth_date": "2025-01-01"},
        "vaccinations_done": [
            {"vaccine": "rotavirus", "dose": 2, "date": "2025-04-01"},
            {"vaccine": "bcg", "dose": 1, "date": "2024-12-01"},
            {"vaccine": "mpr", "dose": 1, "date": "2026-12-01"},
        ],
        "vaccinations_declined": ["polio"],
    }
    found = check_case(case, "2026-09-01", engine=engines[0], source="c.json")
    assert sorted((p.path, p.message.split(";")[0]) for p in found) == [
        ("$.vaccinations_declined[0]", "names no vaccine of an installed program"),
        (
            "$.vaccinations_done[0].dose",
            "vaccine 'rotavirus' has no such dose in the installed programs",
        ),
        ("$.vaccinations_done[1].date", "is before the child's birth date"),
        ("$.vaccinations_done[1].vaccine", "names no vaccine of an installed program"),
        (
            "$.vaccinations_done[2].date",
            "is after the as-of date: a dose cannot be given in the future",
        ),
    ]


def test_every_output_carries_the_doses_and_the_age_basis(engines):
    engine = engines[0]
    plan = engine.evaluate(Case.from_dict({"child": CHILD}), dt.date(2026, 9, 1))
    data = plan.to_json()
    errors = list(schemas.validator("plan").iter_errors(data))
    assert errors == []
    (program,) = data["programs"]
    assert program["vaccinations"][1] == {
        "id": "mpr_1",
        "vaccine": "mpr",
        "dose": 1,
        "title": {"sv": "MPR, dos 1", "en": "MMR, dose 1"},
        "target_date": "2026-07-01",
        "window": {"start": "2026-07-01", "end": "2027-01-01"},
        "status": "due",
        "given_at": "bvc_18_months",
        "days_left": 122,
    }
    assert [v["age_basis"] for v in program["visits"]] == [
        "chronological",
        "corrected",
        "corrected",
        "chronological",
    ]
    assert PlanWriter().plan(plan) == standard_dumps(data)
    small = compact(plan)
    assert list(schemas.validator("compact-plan").iter_errors(small)) == []
    visits = small["programs"][0]["visits"]
    assert [v.get("basis") for v in visits] == [None, "corrected", "corrected", None]
    assert small["programs"][0]["vaccinations"][1]["status"] == "due"


def test_the_text_plan_names_missed_doses_first_and_shows_each_with_its_visit(engines):
    plan = engines[0].evaluate(Case.from_dict({"child": CHILD}), dt.date(2027, 1, 2))
    text = plan_text(plan, "en")
    assert (
        "Note: missed vaccinations (the window has passed with no dose recorded): Rotavirus, dose 1, MMR, dose 1"
        in text
    )
    row = next(line for line in text.splitlines() if line.strip().startswith("MMR, dose 1"))
    assert row.split()[-1] == "missed" and "18 months" in row
    assert "Counted from" in text and "corrected age" in text


def test_the_pipeline_reads_doses_from_json_text(engines):
    case = json.dumps(
        {"child": CHILD, "vaccinations_done": [{"vaccine": "mpr", "dose": 1, "date": "2026-07-10"}]}
    )
    plan = Pipeline(engines[0]).plan(case, dt.date(2026, 9, 1))
    assert {d.dose.id: d.status for d in plan.programs[0].vaccinations}["mpr_1"] == "done"


COURSE = (
    "\n  - {id: rota_2, vaccine: rotavirus, dose: 2, age: {weeks: 12}, "
    "window: {before: {weeks: 2}, after: {weeks: 6}}, course_start: rota_1}"
    "\n  - {id: rota_3, vaccine: rotavirus, dose: 3, age: {weeks: 20}, "
    "window: {before: {weeks: 2}, after: {weeks: 6}}, course_start: rota_2}"
)


@pytest.fixture(scope="module")
def course_engines(tmp_path_factory):
    """The test program with a three-dose course: rota_2 starts from rota_1, rota_3 from rota_2."""
    text = PROGRAM.read_text(encoding="utf-8").replace(
        "given_at: bvc_18_months}", "given_at: bvc_18_months}" + COURSE, 1
    )
    path = tmp_path_factory.mktemp("course") / "course-program.yaml"
    path.write_text(text, encoding="utf-8")
    return compiled_and_interpreted(path)


def rota(engines, case, as_of):
    found, _ = doses(engines, case, dt.date.fromisoformat(as_of))
    return {k: v for k, v in found.items() if k.startswith("rota")}


def test_a_course_whose_start_was_missed_is_not_started_down_the_chain(course_engines):
    # rota_1's window 2025-02-12..03-26; rota_2's 03-12..05-07; rota_3's 05-07..07-02
    child = {"child": {"birth_date": "2025-01-01"}}
    assert rota(course_engines, child, "2025-03-20") == {
        "rota_1": "due",
        "rota_2": "due",  # both windows open: the course can still start
        "rota_3": "upcoming",
    }
    assert rota(course_engines, child, "2025-03-27") == {
        "rota_1": "missed",
        "rota_2": "not_started",
        "rota_3": "not_started",  # its start, rota_2, was not started itself
    }


def test_a_started_course_goes_on_and_given_or_declined_doses_keep_their_status(course_engines):
    first = {"vaccine": "rotavirus", "dose": 1, "date": "2025-03-01"}
    started = {"child": {"birth_date": "2025-01-01"}, "vaccinations_done": [first]}
    assert rota(course_engines, started, "2025-05-10") == {
        "rota_1": "done",
        "rota_2": "missed",  # started, then the second dose missed: missed, not not_started
        "rota_3": "not_started",
    }
    late = {"vaccine": "rotavirus", "dose": 2, "date": "2025-04-01"}
    given = {"child": {"birth_date": "2025-01-01"}, "vaccinations_done": [late]}
    assert rota(course_engines, given, "2025-05-10") == {
        "rota_1": "missed",
        "rota_2": "done",  # recorded as given: done, whatever the course's start
        "rota_3": "due",
    }
    declined = {"child": {"birth_date": "2025-01-01"}, "vaccinations_declined": ["rotavirus"]}
    assert set(rota(course_engines, declined, "2025-05-10").values()) == {"declined"}


def test_a_not_started_dose_is_written_as_such_in_every_output(course_engines):
    case = {"child": {"birth_date": "2025-01-01"}}
    plan = course_engines[0].evaluate(Case.from_dict(case), dt.date(2025, 4, 1))
    pp = plan.program("preterm_test")
    assert [d.status for d in pp.vaccinations if d.dose.id == "rota_2"] == ["not_started"]
    full = json.loads(PlanWriter().plan(plan))
    assert list(schemas.validator("plan").iter_errors(full)) == []
    assert "not_started" in [d["status"] for d in full["programs"][0]["vaccinations"]]
    small = compact(plan)
    assert list(schemas.validator("compact-plan").iter_errors(small)) == []
    text = plan_text(plan, "sv")
    assert "ges inte (serien påbörjades inte i tid)" in text

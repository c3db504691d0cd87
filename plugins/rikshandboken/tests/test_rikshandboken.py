"""Rikshandboken: the national baseline, every child, twelve visits from newborn to 5 years."""

import datetime as dt

import hembesok_rikshandboken
import pytest

from hembesok.authoring.pytest_plugin import ProgramPluginConformance
from hembesok.authoring.testing import engine_with, failing_examples, plan_for, statuses
from hembesok.io.problems import InvalidDocument
from hembesok.model import ages

PROGRAM = "rikshandboken"

# The ids other plugins name in `replaces`: a contract, in age order.
VISIT_IDS = [
    "home_newborn",
    "bvc_4_weeks",
    "bvc_6_8_weeks",
    "bvc_3_5_months",
    "bvc_6_months",
    "home_8_months",
    "bvc_10_months",
    "bvc_12_months",
    "bvc_18_months",
    "bvc_2_5_years",
    "bvc_4_years",
    "bvc_5_years",
]

NEWBORN = {"child": {"birth_date": "2026-04-28"}}


@pytest.fixture(scope="module")
def engine():
    return engine_with(hembesok_rikshandboken)


class TestConformance(ProgramPluginConformance):
    """Entry point, hook names, a valid program file, a unique id, and each example as a test."""

    plugin_module = hembesok_rikshandboken
    program_ids = ("rikshandboken",)


def test_program_examples_pass(engine):
    program = engine.programs[PROGRAM]
    assert len(program.definition["examples"]) >= 10
    assert failing_examples(engine, PROGRAM) == []


def test_visit_ids_and_target_dates(engine):
    plan = plan_for(engine, NEWBORN, "2026-05-04", PROGRAM)
    assert [(v.visit.id, v.target) for v in plan.visits] == [
        ("home_newborn", dt.date(2026, 5, 12)),
        ("bvc_4_weeks", dt.date(2026, 5, 26)),
        ("bvc_6_8_weeks", dt.date(2026, 6, 16)),
        ("bvc_3_5_months", dt.date(2026, 8, 28)),
        ("bvc_6_months", dt.date(2026, 10, 28)),
        ("home_8_months", dt.date(2026, 12, 28)),
        ("bvc_10_months", dt.date(2027, 2, 28)),
        ("bvc_12_months", dt.date(2027, 4, 28)),
        ("bvc_18_months", dt.date(2027, 10, 28)),
        ("bvc_2_5_years", dt.date(2029, 1, 28)),  # 2¾ years, the middle of 2½–3
        ("bvc_4_years", dt.date(2030, 4, 28)),
        ("bvc_5_years", dt.date(2031, 4, 28)),
    ]
    assert [v.visit.id for v in plan.visits] == VISIT_IDS


def test_published_age_ranges_are_the_windows(engine):
    """1–3 weeks, 6–8 weeks, 3–5 months and 2½–3 years, both ends inclusive."""
    plan = plan_for(engine, NEWBORN, "2026-05-04", PROGRAM)
    windows = {v.visit.id: (v.window.start, v.window.end) for v in plan.visits}
    assert windows["home_newborn"] == (dt.date(2026, 5, 5), dt.date(2026, 5, 19))
    assert windows["bvc_6_8_weeks"] == (dt.date(2026, 6, 9), dt.date(2026, 6, 23))
    assert windows["bvc_3_5_months"] == (dt.date(2026, 7, 28), dt.date(2026, 9, 28))
    assert windows["bvc_2_5_years"] == (dt.date(2028, 10, 28), dt.date(2029, 4, 28))


@pytest.mark.parametrize(
    ("visit", "low", "high"),
    [
        ("home_newborn", {"weeks": 1}, {"weeks": 3}),
        ("bvc_6_8_weeks", {"weeks": 6}, {"weeks": 8}),
        ("bvc_3_5_months", {"months": 3}, {"months": 5}),
        ("bvc_2_5_years", {"months": 30}, {"months": 36}),
    ],
)
def test_each_published_range_is_the_window_with_the_target_in_its_middle(engine, visit, low, high):
    """Rikshandboken's ranges: the window runs from the low age to the high one and the
    target lies halfway (2½–3 years: target 2¾ years, not 2½ with the window after it)."""
    birth = dt.date(2026, 4, 28)
    program = engine.programs[PROGRAM]
    v = next(v for v in program.schedule if v.id == visit)
    assert v.before == v.after, visit
    plan = plan_for(engine, NEWBORN, "2026-05-04", PROGRAM)
    planned = next(p for p in plan.visits if p.visit.id == visit)
    assert planned.window.start == ages.add(birth, ages.Duration.from_mapping(low))
    assert planned.window.end == ages.add(birth, ages.Duration.from_mapping(high))
    assert planned.window.start < planned.target < planned.window.end


def test_two_home_visits_and_the_nurse_at_every_visit(engine):
    plan = plan_for(engine, NEWBORN, "2026-05-04", PROGRAM)
    settings = {v.visit.id: v.visit.setting for v in plan.visits}
    assert [i for i, s in settings.items() if s == "home"] == ["home_newborn", "home_8_months"]
    assert {s for i, s in settings.items() if not i.startswith("home_")} == {"bvc"}
    for visit in plan.visits:
        assert visit.visit.staff[0] == "bhv_sjukskoterska", visit.visit.id
    with_physician = [v.visit.id for v in plan.visits if "bhv_lakare" in v.visit.staff]
    assert with_physician == ["bvc_4_weeks", "bvc_6_months", "bvc_12_months", "bvc_2_5_years"]


def test_vaccinations_are_named_at_the_visits_they_coincide_with(engine):
    visits = {v.id: v for v in engine.programs[PROGRAM].schedule}
    for visit in visits.values():
        for topic in visit.topics:
            assert topic["sv"] and topic["en"], visit.id

    def topics(visit_id, lang="en"):
        return " | ".join(t[lang] for t in visits[visit_id].topics)

    vaccination_visits = [i for i in VISIT_IDS if "Vaccination" in topics(i)]
    assert vaccination_visits == [
        "bvc_6_8_weeks",
        "bvc_3_5_months",
        "bvc_12_months",
        "bvc_18_months",
        "bvc_5_years",
    ]
    assert [i for i in VISIT_IDS if "rotavirus" in topics(i)] == ["bvc_6_8_weeks", "bvc_3_5_months"]
    assert [i for i in VISIT_IDS if "pneumococcal" in topics(i)] == [
        "bvc_3_5_months",
        "bvc_12_months",
    ]
    assert [i for i in VISIT_IDS if "MMR" in topics(i)] == ["bvc_18_months"]
    # In Swedish the vaccine is MPR (mässling, påssjuka, röda hund), never MMR.
    assert [i for i in VISIT_IDS if "MPR" in topics(i, "sv")] == ["bvc_18_months"]
    assert not [i for i in VISIT_IDS if "MMR" in topics(i, "sv")]
    assert "3 months" in topics("bvc_3_5_months") and "5 months" in topics("bvc_3_5_months")
    assert "EPDS" in topics("bvc_6_8_weeks")
    assert "Vaccination" in topics("bvc_5_years") and "Vaccination" in topics("bvc_5_years", "sv")


def test_every_child_is_eligible_with_only_the_birth_date(engine):
    program = engine.programs[PROGRAM]
    assert program.sites is None
    assert program.valid_from is None and program.valid_to is None
    for birth in ("2010-01-01", "2026-03-10", "2028-02-29"):
        plan = plan_for(engine, {"child": {"birth_date": birth}}, "2029-03-01", PROGRAM)
        assert plan.decision.status == "eligible", birth
        assert plan.decision.missing_facts == ()
        assert [r.text["en"] for r in plan.decision.reasons] == [
            "Every child is offered the national programme"
        ]
        assert plan.decision.reasons[0].text["sv"] == "Alla barn erbjuds det nationella programmet"


def test_facts_that_other_programs_exclude_on_do_not_matter(engine):
    case = {
        **NEWBORN,
        "municipality": "Jönköping",
        "listed_bvc": "Någon annan BVC",
        "first_child": {"either_parent": False, "birthing_parent": False},
        "needs_support": False,
    }
    plan = plan_for(engine, case, "2026-05-04", PROGRAM)
    assert plan.decision.status == "eligible"
    assert len(plan.visits) == 12


def test_newborn_visit_is_due_from_one_week_until_its_window_closes_at_three(engine):
    assert statuses(plan_for(engine, NEWBORN, "2026-05-04", PROGRAM))["home_newborn"] == "upcoming"
    assert statuses(plan_for(engine, NEWBORN, "2026-05-05", PROGRAM))["home_newborn"] == "due"
    # Past the target (2026-05-12) the visit is still due: never late while the window is open.
    assert statuses(plan_for(engine, NEWBORN, "2026-05-13", PROGRAM))["home_newborn"] == "due"
    assert statuses(plan_for(engine, NEWBORN, "2026-05-19", PROGRAM))["home_newborn"] == "due"
    assert statuses(plan_for(engine, NEWBORN, "2026-05-20", PROGRAM))["home_newborn"] == "missed"


def test_a_due_visit_carries_the_days_left_in_its_window(engine):
    visits = plan_for(engine, NEWBORN, "2026-05-13", PROGRAM).to_json(dt.date(2026, 5, 13))
    by_id = {v["id"]: v for v in visits["visits"]}
    assert (by_id["home_newborn"]["status"], by_id["home_newborn"]["days_left"]) == ("due", 6)
    assert "days_left" not in by_id["bvc_4_weeks"]  # upcoming


def test_born_29_february_turns_12_months_on_28_february(engine):
    case = {"child": {"birth_date": "2028-02-29"}}
    plan = plan_for(engine, case, "2029-02-28", PROGRAM)
    twelve = next(v for v in plan.visits if v.visit.id == "bvc_12_months")
    assert twelve.target == dt.date(2029, 2, 28)
    assert (twelve.window.start, twelve.window.end) == (dt.date(2029, 1, 28), dt.date(2029, 3, 28))
    assert twelve.status == "due"
    later = plan_for(engine, case, "2029-03-01", PROGRAM)
    assert statuses(later)["bvc_12_months"] == "due"  # past the target, the window is open


def test_moving_in_on_the_last_day_of_a_window_still_offers_it(engine):
    base = {"child": {"birth_date": "2026-01-15"}}
    on_the_day = plan_for(engine, {**base, "moved_in_on": "2026-06-15"}, "2026-06-15", PROGRAM)
    day_after = plan_for(engine, {**base, "moved_in_on": "2026-06-16"}, "2026-06-16", PROGRAM)
    assert on_the_day.decision.enrolment_date == dt.date(2026, 6, 15)
    assert statuses(on_the_day)["bvc_3_5_months"] == "due"
    assert statuses(day_after)["bvc_3_5_months"] == "not_offered"
    for plan in (on_the_day, day_after):
        got = statuses(plan)
        assert [got[i] for i in VISIT_IDS[:3]] == ["not_offered"] * 3
        assert got["bvc_6_months"] == "due"
        assert got["home_8_months"] == "upcoming"


def test_declined_baseline_keeps_the_visits_already_made(engine):
    case = {
        "child": {"birth_date": "2026-03-10"},
        "declined": [PROGRAM],
        "visits_done": [{"program": PROGRAM, "visit": "home_newborn", "date": "2026-03-24"}],
    }
    plan = plan_for(engine, case, "2026-05-04", PROGRAM)
    assert plan.decision.status == "eligible"
    assert plan.decision.declined is True
    got = statuses(plan)
    assert got["home_newborn"] == "done"
    assert {got[i] for i in VISIT_IDS[1:]} == {"declined"}


def test_visits_done_under_another_program_do_not_count():
    vaggeryd = pytest.importorskip("hembesok_vaggeryd")
    both = engine_with(hembesok_rikshandboken, vaggeryd)
    case = {
        "child": {"birth_date": "2026-03-10"},
        "visits_done": [{"program": "vaggeryd", "visit": "newborn", "date": "2026-03-24"}],
    }
    assert statuses(plan_for(both, case, "2026-05-04", PROGRAM))["home_newborn"] == "missed"


def test_a_visit_recorded_under_a_program_that_is_not_installed_is_a_located_problem(engine):
    case = {
        "child": {"birth_date": "2026-03-10"},
        "visits_done": [{"program": "vaggeryd", "visit": "newborn", "date": "2026-03-24"}],
    }
    with pytest.raises(InvalidDocument) as raised:
        plan_for(engine, case, "2026-05-04", PROGRAM)
    assert [p.path for p in raised.value.problems] == ["$.visits_done[0].program"]


def test_two_and_a_half_to_three_years_is_due_from_two_and_a_half_until_three(engine):
    case = {"child": {"birth_date": "2023-11-04"}}
    expected = {
        "2026-05-03": "upcoming",
        "2026-05-04": "due",  # turns 2½
        "2026-08-04": "due",  # the target, 2¾
        "2026-08-05": "due",
        "2026-11-04": "due",  # turns 3
        "2026-11-05": "missed",
    }
    got = {day: statuses(plan_for(engine, case, day, PROGRAM))["bvc_2_5_years"] for day in expected}
    assert got == expected

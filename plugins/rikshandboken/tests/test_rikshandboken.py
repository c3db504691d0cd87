"""Rikshandboken: the national baseline, every child, twelve visits from newborn to 5 years,
eleven vaccine doses by the birth date, and corrected age for preterm children."""

import calendar
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


def test_vaccinations_are_doses_of_their_own_and_no_longer_visit_topics(engine):
    program = engine.programs[PROGRAM]
    for visit in program.schedule:
        for topic in visit.topics:
            assert topic["sv"] and topic["en"], visit.id
            assert "accin" not in topic["sv"] + topic["en"], visit.id
    assert "EPDS" in " ".join(t["en"] for v in program.schedule for t in v.topics)


def dose_statuses(engine, case, as_of):
    return {d.dose.id: d.status for d in plan_for(engine, case, as_of, PROGRAM).vaccinations}


def test_the_national_doses_with_the_visit_each_is_given_at(engine):
    """DOMAIN.md [H]: rotavirus 6 w/3 m/5 m; DTaP-IPV-Hib-HepB and pneumococcal 3, 5, 12 m;
    MMR 18 m; a vaccination at 5 years (DTP-polio, [M])."""
    plan = plan_for(engine, NEWBORN, "2026-05-04", PROGRAM)
    got = [
        (d.dose.id, d.dose.vaccine, d.dose.number, d.target, d.dose.given_at)
        for d in plan.vaccinations
    ]
    assert got == [
        ("rotavirus_1", "rotavirus", 1, dt.date(2026, 6, 9), "bvc_6_8_weeks"),
        ("rotavirus_2", "rotavirus", 2, dt.date(2026, 7, 28), "bvc_3_5_months"),
        ("rotavirus_3", "rotavirus", 3, dt.date(2026, 9, 28), "bvc_3_5_months"),
        ("dtp_polio_hib_hepb_1", "dtp_polio_hib_hepb", 1, dt.date(2026, 7, 28), "bvc_3_5_months"),
        ("dtp_polio_hib_hepb_2", "dtp_polio_hib_hepb", 2, dt.date(2026, 9, 28), "bvc_3_5_months"),
        ("dtp_polio_hib_hepb_3", "dtp_polio_hib_hepb", 3, dt.date(2027, 4, 28), "bvc_12_months"),
        ("pneumokock_1", "pneumokock", 1, dt.date(2026, 7, 28), "bvc_3_5_months"),
        ("pneumokock_2", "pneumokock", 2, dt.date(2026, 9, 28), "bvc_3_5_months"),
        ("pneumokock_3", "pneumokock", 3, dt.date(2027, 4, 28), "bvc_12_months"),
        ("mpr_1", "mpr", 1, dt.date(2027, 10, 28), "bvc_18_months"),
        ("dtp_polio_4", "dtp_polio", 4, dt.date(2031, 4, 28), "bvc_5_years"),
    ]
    # The 3- and 5-month doses fall on the first and last day of the 3–5 month visit.
    visits = {v.visit.id: v for v in plan.visits}
    assert visits["bvc_3_5_months"].window == (dt.date(2026, 7, 28), dt.date(2026, 9, 28))
    titles = {d.dose.id: d.dose.title for d in plan.vaccinations}
    assert titles["mpr_1"]["sv"].startswith("MPR") and titles["mpr_1"]["en"].startswith("MMR")
    assert titles["dtp_polio_hib_hepb_1"]["sv"] == "DTP-polio-Hib-hepatit B, dos 1"


@pytest.mark.parametrize("offset", range(0, 366, 7))
def test_rotavirus_windows_keep_the_vaccine_age_limits(engine, offset):
    """Dose 1 from 6 weeks to 12 weeks, dose 2 from 10 weeks, dose 3 before 32 weeks,
    for a child born on any day of the year (months clamp, so check many)."""
    birth = dt.date(2027, 1, 1) + dt.timedelta(days=offset)
    case = {"child": {"birth_date": birth.isoformat()}}
    doses = {d.dose.id: d for d in plan_for(engine, case, birth, PROGRAM).vaccinations}
    weeks = dt.timedelta(weeks=1)
    assert doses["rotavirus_1"].window == (birth + 6 * weeks, birth + 12 * weeks)
    assert doses["rotavirus_2"].window.start >= birth + 10 * weeks
    assert doses["rotavirus_2"].window.end < birth + 28 * weeks
    assert doses["rotavirus_3"].window.end < birth + 32 * weeks


def test_mpr_with_no_dose_recorded_is_due_at_20_months_and_missed_after_2_years(engine):
    """The issue's acceptance check: the window (17 months to 2 years) says which."""
    born = {"child": {"birth_date": "2024-09-04"}}
    at_20_months = plan_for(engine, born, "2026-05-04", PROGRAM)
    mpr = next(d for d in at_20_months.vaccinations if d.dose.id == "mpr_1")
    assert (mpr.target, mpr.window) == (
        dt.date(2026, 3, 4),
        (dt.date(2026, 2, 4), dt.date(2026, 9, 4)),
    )
    assert mpr.status == "due"
    assert mpr.to_json(dt.date(2026, 5, 4))["days_left"] == 123
    assert statuses(at_20_months)["bvc_18_months"] == "missed"  # the visit's window closed
    doses = dose_statuses(engine, born, "2026-09-04")
    assert doses["mpr_1"] == "due"  # the day the child turns 2
    doses = dose_statuses(engine, born, "2026-09-05")
    assert doses["mpr_1"] == "missed"
    given = {**born, "vaccinations_done": [{"vaccine": "mpr", "dose": 1, "date": "2026-03-10"}]}
    doses = dose_statuses(engine, given, "2026-09-05")
    assert doses["mpr_1"] == "done"


def test_declined_vaccine_and_declined_programme(engine):
    case = {
        "child": {"birth_date": "2025-09-04"},
        "vaccinations_done": [{"vaccine": "pneumokock", "dose": 1, "date": "2025-12-05"}],
        "vaccinations_declined": ["pneumokock"],
    }
    doses = dose_statuses(engine, case, "2026-05-04")
    assert [doses[f"pneumokock_{n}"] for n in (1, 2, 3)] == ["done", "declined", "declined"]
    assert doses["dtp_polio_hib_hepb_2"] == "missed"  # other vaccines are not declined
    whole = {"child": {"birth_date": "2025-09-04"}, "declined": [PROGRAM]}
    doses = dose_statuses(engine, whole, "2026-05-04")
    assert set(doses.values()) == {"declined"}


# --- corrected age -----------------------------------------------------------------------

CORRECTED_VISITS = {"bvc_4_weeks", "bvc_6_months", "bvc_10_months"}


def add_months(day, months):
    """Calendar months, clamped to the month's end (docs/dates.md, rule 2), written out
    here so that the expected dates below do not come from the engine."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def test_which_visits_count_from_corrected_age(engine):
    """Developmental checks that carry no dose are corrected; home visits, the visits
    doses are given at, and the visits from 2 years on are not."""
    program = engine.programs[PROGRAM]
    corrected = {v.id for v in program.schedule if v.corrected}
    assert corrected == CORRECTED_VISITS
    assert not {v.id for v in program.schedule if v.setting == "home"} & corrected
    assert not {d.given_at for d in program.vaccinations} & corrected
    assert "bvc_6_8_weeks" not in corrected  # the EPDS of the birthing parent stays put
    limit = program.corrected_age
    assert (limit.below.weeks, limit.below.days) == (37, 0)
    assert limit.until == ages.Duration.from_mapping({"years": 2})


def test_a_child_born_at_30_weeks_has_real_dates(engine):
    """Born 2026-01-05 at 30+0: corrected visits are counted from the birth date plus
    280 - 210 = 70 days (2026-03-16), every other visit and every dose from the birth date."""
    birth = dt.date(2026, 1, 5)
    term = birth + dt.timedelta(days=280 - (30 * 7 + 0))
    assert term == dt.date(2026, 3, 16)
    case = {"child": {"birth_date": "2026-01-05", "gestational_age": {"weeks": 30, "days": 0}}}
    plan = plan_for(engine, case, "2026-04-10", PROGRAM)
    visits = {v.visit.id: v for v in plan.visits}
    week = dt.timedelta(weeks=1)

    expected = {
        # corrected: from 2026-03-16
        "bvc_4_weeks": (term + 4 * week, term + 3 * week, term + 5 * week),
        "bvc_6_months": (add_months(term, 6), add_months(term, 5), add_months(term, 7)),
        "bvc_10_months": (add_months(term, 10), add_months(term, 9), add_months(term, 11)),
        # chronological: from 2026-01-05
        "home_newborn": (birth + 2 * week, birth + week, birth + 3 * week),
        "bvc_6_8_weeks": (birth + 7 * week, birth + 6 * week, birth + 8 * week),
        "bvc_3_5_months": (add_months(birth, 4), add_months(birth, 3), add_months(birth, 5)),
        "home_8_months": (add_months(birth, 8), add_months(birth, 7), add_months(birth, 9)),
        "bvc_12_months": (add_months(birth, 12), add_months(birth, 11), add_months(birth, 13)),
        "bvc_18_months": (add_months(birth, 18), add_months(birth, 17), add_months(birth, 19)),
        "bvc_2_5_years": (add_months(birth, 33), add_months(birth, 30), add_months(birth, 36)),
    }
    got = {
        vid: (visits[vid].target, visits[vid].window.start, visits[vid].window.end)
        for vid in expected
    }
    assert got == expected
    # The same dates, written out.
    assert got["bvc_4_weeks"] == (dt.date(2026, 4, 13), dt.date(2026, 4, 6), dt.date(2026, 4, 20))
    assert got["bvc_6_months"][0] == dt.date(2026, 9, 16)
    assert got["bvc_10_months"][0] == dt.date(2027, 1, 16)
    assert got["home_newborn"][0] == dt.date(2026, 1, 19)
    assert got["bvc_12_months"][0] == dt.date(2027, 1, 5)
    assert {vid: v.basis for vid, v in visits.items()} == {
        vid: "corrected" if vid in CORRECTED_VISITS else "chronological" for vid in VISIT_IDS
    }
    statuses_now = statuses(plan)
    assert statuses_now["bvc_4_weeks"] == "due"  # by the birth date it closed on 2026-02-09
    assert statuses_now["home_newborn"] == "missed"

    doses = {d.dose.id: d for d in plan.vaccinations}
    assert doses["rotavirus_1"].window == (birth + 6 * week, birth + 12 * week)
    assert doses["rotavirus_2"].target == add_months(birth, 3) == dt.date(2026, 4, 5)
    assert doses["dtp_polio_hib_hepb_3"].target == add_months(birth, 12)
    assert doses["mpr_1"].target == add_months(birth, 18) == dt.date(2027, 7, 5)


@pytest.mark.parametrize(
    ("weeks", "days", "basis", "target"),
    [
        (36, 6, "corrected", dt.date(2026, 2, 24)),  # 22 days early: 2026-01-27 + 4 weeks
        (37, 0, "chronological", dt.date(2026, 2, 2)),
        (39, 2, "chronological", dt.date(2026, 2, 2)),
        (42, 0, "chronological", dt.date(2026, 2, 2)),  # never ahead of the birth date
        (None, None, "chronological", dt.date(2026, 2, 2)),  # not sent: nothing missing
    ],
)
def test_the_37_week_limit(engine, weeks, days, basis, target):
    child = {"birth_date": "2026-01-05"}
    if weeks is not None:
        child["gestational_age"] = {"weeks": weeks, "days": days}
    plan = plan_for(engine, {"child": child}, "2026-02-12", PROGRAM)
    four_weeks = next(v for v in plan.visits if v.visit.id == "bvc_4_weeks")
    assert (four_weeks.basis, four_weeks.target) == (basis, target)
    assert plan.decision.status == "eligible" and plan.decision.missing_facts == ()


BIRTHS = [dt.date(2026, 1, 5), dt.date(2026, 1, 31), dt.date(2028, 2, 29), dt.date(2025, 12, 31)]
GESTATIONS = [(22, 0), (24, 3), (28, 6), (30, 0), (33, 4), (36, 6), (37, 0), (40, 0), (44, 6)]


@pytest.mark.parametrize("birth", BIRTHS, ids=str)
def test_no_dose_ever_uses_corrected_age(engine, birth):
    """Every dose of every preterm child has the dates of a child born on the same day
    with no gestational age: vaccinations always count from the birth date."""
    as_of = birth + dt.timedelta(days=400)
    plain = plan_for(engine, {"child": {"birth_date": birth.isoformat()}}, as_of, PROGRAM)
    expected = [(d.dose.id, d.target, d.window, d.status) for d in plain.vaccinations]
    assert len(expected) == 11
    shifted_somewhere = False
    for weeks, days in GESTATIONS:
        child = {"birth_date": birth.isoformat(), "gestational_age": {"weeks": weeks, "days": days}}
        plan = plan_for(engine, {"child": child}, as_of, PROGRAM)
        got = [(d.dose.id, d.target, d.window, d.status) for d in plan.vaccinations]
        assert got == expected, (weeks, days)
        for dose in plan.to_json(as_of)["vaccinations"]:
            assert "age_basis" not in dose and "basis" not in dose
        shifted_somewhere |= any(v.basis == "corrected" for v in plan.visits)
    assert shifted_somewhere  # the visits of the same children did shift


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

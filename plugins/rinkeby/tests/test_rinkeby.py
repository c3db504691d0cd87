"""Rinkeby: first-time parents listed at a participating BVC; six home visits 0–15 months."""

import datetime as dt

import hembesok_rinkeby
import pytest

from hembesok.authoring.pytest_plugin import ProgramPluginConformance
from hembesok.authoring.testing import engine_with, failing_examples, plan_for, statuses
from hembesok.model.texts import ROLES


@pytest.fixture(scope="module")
def engine():
    return engine_with(hembesok_rinkeby)


class TestConformance(ProgramPluginConformance):
    """Entry point, hook names, a valid program file, a unique id, and each example as a test."""

    plugin_module = hembesok_rinkeby
    program_ids = ("rinkeby",)


FIRST = {
    "child": {"birth_date": "2026-03-10"},
    "listed_bvc": "Rinkeby BVC",
    "first_child": {"either_parent": True},
}
JOINT = ("bhv_sjukskoterska", "foraldraradgivare")

# Every participating site by its name, with the (default) day it started.
SITES = {
    "Rinkeby BVC": dt.date(2013, 9, 1),
    "Rågsved BVC": dt.date(2018, 9, 1),
    "Skärholmen BVC": dt.date(2018, 9, 1),
    "Hässelby BVC": dt.date(2018, 9, 1),
    "Fittja BVC": dt.date(2018, 9, 1),
    "Rissne-Hallonbergen BVC": dt.date(2018, 9, 1),
    "Flemingsberg BVC": dt.date(2018, 9, 1),
    "Kista-Husby BVC": dt.date(2018, 9, 1),
}


def with_birth(birth: dt.date, **changes):
    return {**FIRST, "child": {"birth_date": birth.isoformat()}, **changes}


def test_program_examples_pass(engine):
    program = engine.programs["rinkeby"]
    assert len(program.definition["examples"]) >= 10
    assert failing_examples(engine, "rinkeby") == []


def test_six_home_visits_at_the_default_ages_with_their_windows(engine):
    plan = plan_for(engine, FIRST, "2026-03-12", "rinkeby")
    assert plan.decision.status == "eligible"
    assert [(v.visit.id, v.target, v.window.start, v.window.end) for v in plan.visits] == [
        ("newborn", dt.date(2026, 3, 24), dt.date(2026, 3, 17), dt.date(2026, 3, 31)),
        ("two_months", dt.date(2026, 5, 10), dt.date(2026, 4, 26), dt.date(2026, 5, 24)),
        ("four_months", dt.date(2026, 7, 10), dt.date(2026, 6, 26), dt.date(2026, 7, 24)),
        ("eight_months", dt.date(2026, 11, 10), dt.date(2026, 10, 10), dt.date(2026, 12, 10)),
        ("twelve_months", dt.date(2027, 3, 10), dt.date(2027, 2, 10), dt.date(2027, 4, 10)),
        ("fifteen_months", dt.date(2027, 6, 10), dt.date(2027, 5, 10), dt.date(2027, 7, 10)),
    ]
    assert all(v.visit.setting == "home" for v in plan.visits)


def test_newborn_visit_by_the_nurse_alone_then_five_joint_visits(engine):
    # The default follows Burström et al. 2017; README says which line to change for the
    # seed's all-joint reading, and this test then has to change with it.
    plan = plan_for(engine, FIRST, "2026-03-12", "rinkeby")
    staff = {v.visit.id: v.visit.staff for v in plan.visits}
    assert staff.pop("newborn") == ("bhv_sjukskoterska",)
    assert set(staff.values()) == {JOINT}
    assert len(staff) == 5


def test_staff_roles_are_in_the_builtin_catalogue(engine):
    program = engine.programs["rinkeby"]
    assert program.roles == {}
    for visit in program.schedule:
        assert set(visit.staff) <= ROLES.keys(), visit.id


def test_last_window_closes_inside_the_target_group_of_0_to_18_months(engine):
    plan = plan_for(engine, FIRST, "2026-03-12", "rinkeby")
    last = plan.visits[-1]
    assert last.visit.id == "fifteen_months"
    assert last.window.end < dt.date(2027, 9, 10)  # 18 months


def test_replaces_the_national_newborn_and_8_month_home_visits(engine):
    replaces = {(r.program, r.visit, r.by) for r in engine.programs["rinkeby"].replaces}
    assert replaces == {
        ("rikshandboken", "home_newborn", "newborn"),
        ("rikshandboken", "home_8_months", "eight_months"),
    }


@pytest.mark.parametrize(("name", "start"), SITES.items())
def test_each_site_covers_a_first_child_born_on_its_start_day(engine, name, start):
    plan = plan_for(engine, with_birth(start, listed_bvc=name), start, "rinkeby")
    assert plan.decision.status == "eligible"
    assert len(plan.visits) == 6


@pytest.mark.parametrize(("name", "start"), SITES.items())
def test_each_site_does_not_cover_a_child_born_the_day_before(engine, name, start):
    birth = start - dt.timedelta(days=1)
    plan = plan_for(engine, with_birth(birth, listed_bvc=name), start, "rinkeby")
    assert plan.decision.status == "not_eligible"
    assert plan.visits == ()
    site = next(r for r in plan.decision.reasons if r.rule == "$.sites")
    assert start.isoformat() in site.text["en"]
    assert "child.birth_date" in site.facts


@pytest.mark.parametrize(
    "alias",
    [
        "BVC Rinkeby",
        "bvc rinkeby",
        "RINKEBY BVC",
        "Rinkeby barnavårdscentral",
        "rinkeby_bvc",
        "Skarholmen BVC",
    ],
)
def test_site_aliases_match_without_regard_to_case(engine, alias):
    plan = plan_for(engine, {**FIRST, "listed_bvc": alias}, "2026-05-04", "rinkeby")
    assert plan.decision.status == "eligible", alias


def test_second_child_is_not_eligible_and_the_reason_says_so(engine):
    case = {**FIRST, "first_child": {"either_parent": False}}
    plan = plan_for(engine, case, "2026-05-04", "rinkeby")
    assert plan.decision.status == "not_eligible"
    assert plan.visits == ()
    failed = [r for r in plan.decision.reasons if r.truth.value == "false"]
    assert [r.text["en"] for r in failed] == ["First-time parents (the family's first child)"]


def test_first_child_born_in_sweden_does_not_make_a_family_eligible(engine):
    case = {**FIRST, "first_child": {"either_parent": False, "born_in_sweden": True}}
    assert plan_for(engine, case, "2026-05-04", "rinkeby").decision.status == "not_eligible"


def test_bvc_outside_the_programme_is_not_eligible(engine):
    plan = plan_for(engine, {**FIRST, "listed_bvc": "Tensta BVC"}, "2026-05-04", "rinkeby")
    assert plan.decision.status == "not_eligible"
    failed = [r for r in plan.decision.reasons if r.truth.value == "false"]
    assert [r.rule for r in failed] == ["$.sites"]


def test_missing_first_child_fact_is_undetermined_and_named(engine):
    case = {"child": {"birth_date": "2026-03-10"}, "listed_bvc": "Rinkeby BVC"}
    plan = plan_for(engine, case, "2026-05-04", "rinkeby")
    assert plan.decision.status == "undetermined"
    assert plan.decision.missing_facts == ("first_child.either_parent",)


def test_either_parent_is_inferred_from_the_stronger_first_child_facts(engine):
    case = {**FIRST, "first_child": {"birthing_parent": True, "both_parents": True}}
    plan = plan_for(engine, case, "2026-05-04", "rinkeby")
    assert plan.decision.status == "eligible"
    no = {**FIRST, "first_child": {"birthing_parent": False}}
    assert plan_for(engine, no, "2026-05-04", "rinkeby").decision.status == "undetermined"


def test_missing_bvc_is_undetermined_and_named(engine):
    case = {"child": {"birth_date": "2026-03-10"}, "first_child": {"either_parent": True}}
    plan = plan_for(engine, case, "2026-05-04", "rinkeby")
    assert plan.decision.status == "undetermined"
    assert plan.decision.missing_facts == ("listed_bvc",)


def test_family_listed_at_five_months_is_offered_the_visits_from_eight_months(engine):
    case = with_birth(dt.date(2026, 1, 15), moved_in_on="2026-06-15")
    plan = plan_for(engine, case, "2026-06-20", "rinkeby")
    assert statuses(plan) == {
        "newborn": "not_offered",
        "two_months": "not_offered",
        "four_months": "not_offered",
        "eight_months": "upcoming",
        "twelve_months": "upcoming",
        "fifteen_months": "upcoming",
    }


def test_month_end_births_clamp_to_the_last_day_of_the_month(engine):
    plan = plan_for(engine, with_birth(dt.date(2025, 1, 31)), "2025-02-01", "rinkeby")
    targets = {v.visit.id: v.target for v in plan.visits}
    assert targets["eight_months"] == dt.date(2025, 9, 30)
    assert targets["fifteen_months"] == dt.date(2026, 4, 30)

    plan = plan_for(engine, with_birth(dt.date(2024, 2, 29)), "2024-03-01", "rinkeby")
    targets = {v.visit.id: v.target for v in plan.visits}
    assert targets["twelve_months"] == dt.date(2025, 2, 28)


def test_declined_offer_keeps_done_visits_and_declines_the_rest(engine):
    case = {
        **FIRST,
        "declined": ["rinkeby"],
        "visits_done": [{"program": "rinkeby", "visit": "newborn", "date": "2026-03-24"}],
    }
    got = statuses(plan_for(engine, case, "2026-05-04", "rinkeby"))
    assert got.pop("newborn") == "done"
    assert set(got.values()) == {"declined"}


# --- where the sites lie ------------------------------------------------------------------

MUNICIPALITIES = {
    "rinkeby_bvc": "Stockholm",
    "ragsved_bvc": "Stockholm",
    "skarholmen_bvc": "Stockholm",
    "hasselby_bvc": "Stockholm",
    "kista_husby_bvc": "Stockholm",
    "fittja_bvc": "Botkyrka",
    "rissne_hallonbergen_bvc": "Sundbyberg",
    "flemingsberg_bvc": "Huddinge",
}


def test_every_site_names_its_municipality(engine):
    sites = engine.programs["rinkeby"].sites.sites
    assert {s.id: s.municipality for s in sites} == MUNICIPALITIES


@pytest.mark.parametrize("municipality", ["Vaggeryd", "Malmö"])
def test_a_family_elsewhere_without_a_bvc_is_not_eligible(engine, municipality):
    case = {**{k: v for k, v in FIRST.items() if k != "listed_bvc"}, "municipality": municipality}
    plan = plan_for(engine, case, "2026-05-04", "rinkeby")
    assert plan.decision.status == "not_eligible"
    assert plan.decision.missing_facts == ()
    (site,) = [r for r in plan.decision.reasons if r.rule == "$.sites"]
    assert site.text["en"].startswith(f"The family lives in {municipality};")
    assert "Stockholm, Botkyrka, Sundbyberg, Huddinge" in site.text["en"]


@pytest.mark.parametrize("municipality", ["Stockholm", "Botkyrka", "sundbyberg", "Huddinge"])
def test_a_family_where_a_site_lies_without_a_bvc_waits_for_it(engine, municipality):
    case = {**{k: v for k, v in FIRST.items() if k != "listed_bvc"}, "municipality": municipality}
    plan = plan_for(engine, case, "2026-05-04", "rinkeby")
    assert plan.decision.status == "undetermined"
    assert plan.decision.missing_facts == ("listed_bvc",)


def test_a_listed_bvc_decides_whatever_the_municipality(engine):
    case = {**FIRST, "municipality": "Vaggeryd"}
    assert plan_for(engine, case, "2026-05-04", "rinkeby").decision.status == "eligible"


def test_topics_are_in_lower_case_like_the_other_programs(engine):
    for visit in engine.programs["rinkeby"].schedule:
        for topic in visit.topics:
            for lang in ("sv", "en"):
                assert topic[lang][0].islower(), (visit.id, topic[lang])
    assert any(v.topics for v in engine.programs["rinkeby"].schedule)


def test_a_visit_past_its_target_is_due_while_its_window_is_open(engine):
    # 2 months: target 2026-05-10, window 2026-04-26..05-24.
    assert statuses(plan_for(engine, FIRST, "2026-05-20", "rinkeby"))["two_months"] == "due"
    assert statuses(plan_for(engine, FIRST, "2026-05-25", "rinkeby"))["two_months"] == "missed"

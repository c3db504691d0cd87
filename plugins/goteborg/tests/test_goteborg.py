"""Göteborg, Utökade hembesök: first child (of a parent, or in Sweden) listed at a
participating BVC (the BVC is the unit: decision 0020); six joint visits that replace the
national newborn and 8-month home visits."""

import datetime as dt
from pathlib import Path

import hembesok_goteborg
import pytest

from hembesok.authoring.pytest_plugin import ProgramPluginConformance
from hembesok.authoring.testing import engine_with, failing_examples, plan_for, statuses

PROGRAM = "goteborg"
ALL_VISITS = (
    "newborn",
    "two_months",
    "four_months",
    "eight_months",
    "twelve_months",
    "fifteen_months",
)

FIRST = {
    "child": {"birth_date": "2026-03-10"},
    "listed_bvc": "Närhälsan Opaltorget BVC",
    "area": "Västra Göteborg",
    "first_child": {"either_parent": True},
}


@pytest.fixture(scope="module")
def engine():
    return engine_with(hembesok_goteborg)


class TestConformance(ProgramPluginConformance):
    """Entry point, hook names, a valid program file, a unique id, and each example as a test."""

    plugin_module = hembesok_goteborg
    program_ids = ("goteborg",)


def plan(engine, case, as_of="2026-05-04"):
    return plan_for(engine, case, as_of, PROGRAM)


def with_(case, **changes):
    return {**case, **changes}


def without(case, key):
    return {k: v for k, v in case.items() if k != key}


def false_reasons(p):
    return [r.text["en"] for r in p.decision.reasons if r.truth.value == "false"]


def test_program_examples_pass(engine):
    assert len(engine.programs[PROGRAM].definition["examples"]) >= 10
    assert failing_examples(engine, PROGRAM) == []


def test_six_joint_home_visits_at_the_published_ages(engine):
    p = plan(engine, FIRST, "2026-03-12")
    assert p.decision.status == "eligible"
    assert [(v.visit.id, v.target) for v in p.visits] == [
        ("newborn", dt.date(2026, 3, 24)),
        ("two_months", dt.date(2026, 5, 10)),
        ("four_months", dt.date(2026, 7, 10)),
        ("eight_months", dt.date(2026, 11, 10)),
        ("twelve_months", dt.date(2027, 3, 10)),
        ("fifteen_months", dt.date(2027, 6, 10)),
    ]
    for visit in p.visits:
        assert visit.visit.staff == ("bhv_sjukskoterska", "foraldrastodjare")
        assert visit.visit.setting == "home"


def test_windows(engine):
    p = plan(engine, FIRST, "2026-03-12")
    windows = {v.visit.id: (v.window.start, v.window.end) for v in p.visits}
    assert windows["newborn"] == (dt.date(2026, 3, 17), dt.date(2026, 3, 31))
    assert windows["two_months"] == (dt.date(2026, 4, 26), dt.date(2026, 5, 24))
    assert windows["four_months"] == (dt.date(2026, 6, 26), dt.date(2026, 7, 24))
    assert windows["eight_months"] == (dt.date(2026, 10, 10), dt.date(2026, 12, 10))
    assert windows["fifteen_months"] == (dt.date(2027, 5, 10), dt.date(2027, 7, 10))


def test_the_five_seed_topics_are_carried_in_swedish_and_english(engine):
    program = engine.programs[PROGRAM]
    topics = {(t["sv"], t["en"]) for v in program.schedule for t in v.topics}
    assert topics == {
        ("amning", "breastfeeding"),
        ("mat", "food"),
        ("barnsäkerhet", "child safety"),
        ("infektioner", "infections"),
        ("relation och samspel", "relationship and interaction"),
    }
    assert all(v.topics for v in program.schedule)


def test_replaces_the_national_newborn_and_eight_month_home_visits(engine):
    replaces = {(r.program, r.visit, r.by) for r in engine.programs[PROGRAM].replaces}
    assert replaces == {
        ("rikshandboken", "home_newborn", "newborn"),
        ("rikshandboken", "home_8_months", "eight_months"),
    }


# --- eligibility branches ------------------------------------------------------------


def test_first_child_of_a_parent_is_enough_without_the_sweden_fact(engine):
    p = plan(engine, FIRST)
    assert p.decision.status == "eligible"
    assert p.decision.missing_facts == ()


def test_first_child_born_in_sweden_with_older_siblings_abroad_is_eligible(engine):
    case = with_(FIRST, first_child={"either_parent": False, "born_in_sweden": True})
    p = plan(engine, case)
    assert p.decision.status == "eligible"
    assert tuple(v.visit.id for v in p.visits) == ALL_VISITS


def test_neither_first_child_fact_is_not_eligible_and_the_reason_says_so(engine):
    case = with_(FIRST, first_child={"either_parent": False, "born_in_sweden": False})
    p = plan(engine, case)
    assert p.decision.status == "not_eligible"
    assert p.visits == ()
    assert false_reasons(p) == [
        "First child of at least one parent, or the family's first child born in Sweden"
    ]


def test_not_a_parents_first_child_and_no_sweden_fact_waits_for_it(engine):
    p = plan(engine, with_(FIRST, first_child={"either_parent": False}))
    assert p.decision.status == "undetermined"
    assert p.decision.missing_facts == ("first_child.born_in_sweden",)


def test_no_first_child_facts_at_all_names_both(engine):
    p = plan(engine, without(FIRST, "first_child"))
    assert p.decision.status == "undetermined"
    assert set(p.decision.missing_facts) == {
        "first_child.either_parent",
        "first_child.born_in_sweden",
    }


# --- the BVC is the unit (docs/decisions/0020-goteborg-bvc-is-the-unit.md) -------------


@pytest.mark.parametrize(
    "area",
    ["Västra Göteborg", "Västra Hisingen", "Angered", "Östra Göteborg", "Hjällbo", "Centrum"],
)
def test_where_in_the_city_the_family_lives_is_not_a_condition(engine, area):
    p = plan(engine, with_(FIRST, area=area))
    assert p.decision.status == "eligible"
    assert all(r.facts != ("area",) for r in p.decision.reasons)


def test_hjallbo_bvc_with_the_area_hjallbo_is_eligible(engine):
    case = with_(FIRST, listed_bvc="Närhälsan Hjällbo BVC", area="Hjällbo", municipality="Göteborg")
    p = plan(engine, case)
    assert p.decision.status == "eligible"
    assert p.decision.missing_facts == ()
    assert false_reasons(p) == []


def test_no_rule_reads_the_area(engine):
    program = engine.programs[PROGRAM]
    assert "area" not in str(program.definition["eligibility"])
    p = plan(engine, without(FIRST, "area"))
    assert p.decision.status == "eligible"
    assert p.decision.missing_facts == ()
    assert statuses(p)["two_months"] == "due"


def test_missing_listed_bvc_is_undetermined_and_named(engine):
    p = plan(engine, without(FIRST, "listed_bvc"))
    assert p.decision.status == "undetermined"
    assert p.decision.missing_facts == ("listed_bvc",)
    in_goteborg = with_(without(FIRST, "listed_bvc"), municipality="Göteborg")
    assert plan(engine, in_goteborg).decision.missing_facts == ("listed_bvc",)


def test_a_family_in_another_municipality_without_a_bvc_is_not_eligible(engine):
    case = with_(without(without(FIRST, "listed_bvc"), "area"), municipality="Vaggeryd")
    p = plan(engine, case)
    assert p.decision.status == "not_eligible"
    assert p.decision.missing_facts == ()
    assert false_reasons(p) == [
        "The family lives in Vaggeryd; the programme runs only at BVCs in Göteborg."
    ]


def test_every_site_lies_in_goteborg(engine):
    sites = engine.programs[PROGRAM].sites.sites
    assert {s.municipality for s in sites} == {"Göteborg"}


def test_the_nine_bvcs_of_the_seed_are_a_labelled_gap_not_invented(engine):
    definition = engine.programs[PROGRAM].definition
    active = [s for s in definition["sites"]["list"] if s.get("status") != "planned"]
    assert len(active) == 7  # the seed names seven of its "nio barnavårdscentraler"
    notes = " ".join(s.get("note", "") for s in definition["sources"])
    assert "Nio barnavårdscentraler" in notes and "[U]" in notes
    text = (Path(hembesok_goteborg.__file__).parent / "program.yaml").read_text("utf-8")
    assert "[U] A GAP IN THE SOURCE" in text


def test_the_decision_is_written_down():
    root = Path(__file__).resolve().parents[3]
    decision = root / "docs" / "decisions" / "0020-goteborg-bvc-is-the-unit.md"
    text = decision.read_text("utf-8")
    assert "Först ut är alla barn vid Närhälsan Opaltorget BVC" in text


def test_non_participating_bvc_is_not_eligible_even_without_area(engine):
    p = plan(engine, without(with_(FIRST, listed_bvc="Närhälsan Majorna BVC"), "area"))
    assert p.decision.status == "not_eligible"
    assert p.decision.missing_facts == ()


# --- sites -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "Närhälsan Opaltorget BVC",
        "Opaltorget BVC",
        "opaltorget",
        "Hjällbo BVC",
        "Närhälsan Lövgärdet BVC",
        "Gårdsten BVC",
        "Angered BVC",
        "BISKOPSGÅRDEN BVC",
        "Friskväderstorget BVC",
        "Nötkärnan Friskväderstorget BVC",
    ],
)
def test_participating_bvcs_match_by_name_alias_and_any_case(engine, name):
    assert plan(engine, with_(FIRST, listed_bvc=name)).decision.status == "eligible"


def test_opaltorget_start_boundary(engine):
    on_start = plan(engine, with_(FIRST, child={"birth_date": "2018-11-01"}), "2018-11-10")
    assert on_start.decision.status == "eligible"
    assert statuses(on_start)["newborn"] == "due"
    day_before = plan(engine, with_(FIRST, child={"birth_date": "2018-10-31"}), "2018-11-10")
    assert day_before.decision.status == "not_eligible"
    assert false_reasons(day_before) == [
        "Närhälsan Opaltorget BVC started the programme on 2018-11-01, after the child was born."
    ]


@pytest.mark.parametrize(
    "bvc",
    [
        "Närhälsan Hjällbo BVC",
        "Närhälsan Lövgärdet BVC",
        "Gårdsten BVC",
        "Närhälsan Angered BVC",
        "Närhälsan Biskopsgården BVC",
        "Nötkärnan Friskväderstorget BVC",
    ],
)
def test_the_2019_bvcs_had_not_started_for_a_child_born_in_2018(engine, bvc):
    case = with_(FIRST, listed_bvc=bvc, area="Angered")
    before = plan(engine, with_(case, child={"birth_date": "2018-12-31"}), "2019-01-10")
    assert before.decision.status == "not_eligible"
    assert (
        plan(engine, with_(case, child={"birth_date": "2019-01-01"}), "2019-01-10").decision.status
        == "eligible"
    )


def test_ostra_goteborg_is_planned_and_covers_nobody(engine):
    p = plan(engine, with_(FIRST, listed_bvc="Östra Göteborg", area="Östra Göteborg"))
    assert p.decision.status == "not_eligible"
    assert false_reasons(p) == [
        "Östra Göteborg (planerad) is planned but has not started the programme."
    ]
    planned = [s for s in engine.programs[PROGRAM].sites.sites if s.planned]
    assert [s.id for s in planned] == ["ostra_goteborg"]


def test_hisingen_bvcs_are_placed_in_vastra_hisingen(engine):
    districts = {s.id: s.district for s in engine.programs[PROGRAM].sites.sites}
    assert districts["biskopsgarden"] == districts["friskvaderstorget"] == "Västra Hisingen"
    assert districts["opaltorget"] == "Västra Göteborg"
    assert {districts[i] for i in ("hjallbo", "lovgardet", "gardsten", "angered")} == {"Angered"}


# --- enrolment, calendar and declined --------------------------------------------------


def test_family_listed_at_five_months_gets_only_the_later_visits(engine):
    case = with_(FIRST, child={"birth_date": "2026-01-10"}, moved_in_on="2026-06-10")
    assert statuses(plan(engine, case, "2026-06-20")) == {
        "newborn": "not_offered",
        "two_months": "not_offered",
        "four_months": "not_offered",
        "eight_months": "upcoming",
        "twelve_months": "upcoming",
        "fifteen_months": "upcoming",
    }


def test_born_31_january_eight_month_window_closes_30_october(engine):
    case = with_(FIRST, child={"birth_date": "2026-01-31"})
    visit = {v.visit.id: v for v in plan(engine, case, "2026-10-30").visits}["eight_months"]
    assert visit.target == dt.date(2026, 9, 30)
    assert (visit.window.start, visit.window.end) == (dt.date(2026, 8, 30), dt.date(2026, 10, 30))
    assert visit.status == "due"  # past the target, the window is open
    assert statuses(plan(engine, case, "2026-10-31"))["eight_months"] == "missed"


def test_born_29_february_twelve_month_visit_on_28_february(engine):
    case = with_(FIRST, child={"birth_date": "2024-02-29"})
    visit = {v.visit.id: v for v in plan(engine, case, "2025-02-28").visits}["twelve_months"]
    assert visit.target == dt.date(2025, 2, 28)
    assert visit.status == "due"


def test_declined_offer_keeps_visits_done(engine):
    case = with_(
        FIRST,
        declined=["goteborg"],
        visits_done=[{"program": "goteborg", "visit": "newborn", "date": "2026-03-24"}],
    )
    s = statuses(plan(engine, case))
    assert s["newborn"] == "done"
    assert {s[v] for v in ALL_VISITS[1:]} == {"declined"}

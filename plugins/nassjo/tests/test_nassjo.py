"""Nässjö: first child in the municipality or an identified need; four joint home visits."""

import datetime as dt

import hembesok_nassjo
import pytest

from hembesok.authoring.pytest_plugin import ProgramPluginConformance
from hembesok.authoring.testing import engine_with, failing_examples, plan_for, statuses
from hembesok.language.program import Replacement

D = dt.date


@pytest.fixture(scope="module")
def engine():
    return engine_with(hembesok_nassjo)


class TestConformance(ProgramPluginConformance):
    """Entry point, hook names, a valid program file, a unique id, and each example as a test."""

    plugin_module = hembesok_nassjo
    program_ids = ("nassjo",)


FIRST = {
    "child": {"birth_date": "2026-03-10"},
    "municipality": "Nässjö",
    "first_child": {"in_municipality": True},
}
SUPPORT = {
    "child": {"birth_date": "2026-03-10"},
    "municipality": "Nässjö",
    "first_child": {"in_municipality": False},
    "needs_support": True,
}


def _eligibility_parts(plan):
    """Truth of each alternative of the top-level `any`, by the fact it tests."""
    return {child.fact: child.truth.value for child in plan.decision.trace.children}


def test_program_examples_pass(engine):
    program = engine.programs["nassjo"]
    assert len(program.definition["examples"]) >= 10
    assert failing_examples(engine, "nassjo") == []


def test_four_joint_home_visits_with_targets_windows_and_staff(engine):
    plan = plan_for(engine, FIRST, "2026-03-12", "nassjo")
    assert plan.decision.status == "eligible"
    got = [(v.visit.id, v.target, v.window.start, v.window.end) for v in plan.visits]
    assert got == [
        ("newborn", D(2026, 3, 24), D(2026, 3, 17), D(2026, 3, 31)),
        ("four_months", D(2026, 7, 10), D(2026, 6, 26), D(2026, 7, 24)),
        ("eight_months", D(2026, 11, 10), D(2026, 10, 10), D(2026, 12, 10)),
        ("fifteen_months", D(2027, 6, 10), D(2027, 5, 10), D(2027, 7, 10)),
    ]
    for visit in plan.visits:
        assert visit.visit.staff == ("bhv_sjukskoterska", "kurator")
        assert visit.visit.setting == "home"


def test_first_child_alone_is_enough_without_a_support_fact(engine):
    plan = plan_for(engine, FIRST, "2026-05-04", "nassjo")
    assert plan.decision.status == "eligible"
    assert plan.decision.missing_facts == ()
    assert _eligibility_parts(plan) == {
        "first_child.in_municipality": "true",
        "needs_support": "unknown",
    }


def test_identified_need_makes_a_second_child_family_eligible(engine):
    plan = plan_for(engine, SUPPORT, "2026-05-04", "nassjo")
    assert plan.decision.status == "eligible"
    assert _eligibility_parts(plan) == {
        "first_child.in_municipality": "false",
        "needs_support": "true",
    }
    assert len(plan.visits) == 4


def test_neither_alternative_is_not_eligible_and_the_reason_says_so(engine):
    case = {**SUPPORT, "needs_support": False}
    plan = plan_for(engine, case, "2026-05-04", "nassjo")
    assert plan.decision.status == "not_eligible"
    assert plan.visits == ()
    failed = [r for r in plan.decision.reasons if r.truth.value == "false"]
    assert [r.text["en"] for r in failed] == [
        "First child in the municipality, or an identified need of more support"
    ]
    assert failed[0].facts == ("first_child.in_municipality", "needs_support")


def test_first_child_in_another_municipality_is_not_eligible(engine):
    for other in ("Jönköping", "0680", "Nässjöbygden"):
        plan = plan_for(engine, {**FIRST, "municipality": other}, "2026-05-04", "nassjo")
        assert plan.decision.status == "not_eligible", other
        failed = [r for r in plan.decision.reasons if r.truth.value == "false"]
        assert [r.rule for r in failed] == ["$.sites"], other


def test_municipality_code_alias_and_case_insensitive_match(engine):
    for name in ("Nässjö", "nässjö", "NÄSSJÖ KOMMUN", "0682", " nassjo "):
        plan = plan_for(engine, {**FIRST, "municipality": name}, "2026-05-04", "nassjo")
        assert plan.decision.status == "eligible", name


def test_missing_municipality_is_undetermined_and_named(engine):
    case = {k: v for k, v in FIRST.items() if k != "municipality"}
    plan = plan_for(engine, case, "2026-05-04", "nassjo")
    assert plan.decision.status == "undetermined"
    assert plan.decision.missing_facts == ("municipality",)


def test_not_first_child_and_no_support_fact_names_needs_support(engine):
    case = {k: v for k, v in SUPPORT.items() if k != "needs_support"}
    plan = plan_for(engine, case, "2026-05-04", "nassjo")
    assert plan.decision.status == "undetermined"
    assert plan.decision.missing_facts == ("needs_support",)


def test_no_eligibility_facts_names_both(engine):
    case = {"child": {"birth_date": "2026-03-10"}, "municipality": "Nässjö"}
    plan = plan_for(engine, case, "2026-05-04", "nassjo")
    assert plan.decision.status == "undetermined"
    assert set(plan.decision.missing_facts) == {"first_child.in_municipality", "needs_support"}


def test_programme_start_boundary_and_the_reason_names_the_date(engine):
    on_start = {**FIRST, "child": {"birth_date": "2020-09-01"}}
    day_before = {**FIRST, "child": {"birth_date": "2020-08-31"}}
    assert plan_for(engine, on_start, "2020-09-10", "nassjo").decision.status == "eligible"
    plan = plan_for(engine, day_before, "2020-09-10", "nassjo")
    assert plan.decision.status == "not_eligible"
    failed = [r for r in plan.decision.reasons if r.truth.value == "false"]
    assert [r.rule for r in failed] == ["$.valid_from"]
    assert "2020-09-01" in failed[0].text["en"] and "2020-09-01" in failed[0].text["sv"]


def test_site_has_no_start_of_its_own(engine):
    program = engine.programs["nassjo"]
    assert program.valid_from == D(2020, 9, 1)
    (site,) = program.sites.sites
    assert (site.start, site.end, site.planned) == (None, None, False)


def test_family_moving_in_at_five_months_keeps_only_open_windows(engine):
    case = {**SUPPORT, "child": {"birth_date": "2025-11-10"}, "moved_in_on": "2026-04-10"}
    plan = plan_for(engine, case, "2026-05-04", "nassjo")
    assert plan.decision.enrolment_date == D(2026, 4, 10)
    assert statuses(plan) == {
        "newborn": "not_offered",
        "four_months": "not_offered",
        "eight_months": "upcoming",
        "fifteen_months": "upcoming",
    }


def test_moving_in_on_the_last_window_day_still_offers_the_visit(engine):
    base = {**SUPPORT, "child": {"birth_date": "2026-01-10"}}
    last_day = plan_for(engine, {**base, "moved_in_on": "2026-05-24"}, "2026-05-24", "nassjo")
    day_after = plan_for(engine, {**base, "moved_in_on": "2026-05-25"}, "2026-05-25", "nassjo")
    assert statuses(last_day)["four_months"] == "due"  # never late while the window is open
    assert statuses(day_after)["four_months"] == "not_offered"


def test_thirty_first_january_clamps_to_month_end(engine):
    case = {**FIRST, "child": {"birth_date": "2026-01-31"}}
    plan = plan_for(engine, case, "2026-10-01", "nassjo")
    targets = {v.visit.id: v.target for v in plan.visits}
    assert targets == {
        "newborn": D(2026, 2, 14),
        "four_months": D(2026, 5, 31),
        "eight_months": D(2026, 9, 30),
        "fifteen_months": D(2027, 4, 30),
    }
    assert statuses(plan)["eight_months"] == "due"  # past the target, the window is open


def test_declined_keeps_done_visits_and_declines_the_rest(engine):
    case = {
        **FIRST,
        "declined": ["nassjo"],
        "visits_done": [{"program": "nassjo", "visit": "newborn", "date": "2026-03-24"}],
    }
    plan = plan_for(engine, case, "2026-05-04", "nassjo")
    assert plan.decision.declined is True
    assert statuses(plan) == {
        "newborn": "done",
        "four_months": "declined",
        "eight_months": "declined",
        "fifteen_months": "declined",
    }


def test_replaces_the_national_newborn_and_eight_month_home_visits(engine):
    program = engine.programs["nassjo"]
    assert program.replaces == (
        Replacement("rikshandboken", "home_newborn", "newborn"),
        Replacement("rikshandboken", "home_8_months", "eight_months"),
    )
    # The replacing newborn visit keeps the national newborn window of 1-3 weeks.
    plan = plan_for(engine, FIRST, "2026-03-12", "nassjo")
    newborn = next(v for v in plan.visits if v.visit.id == "newborn")
    assert (newborn.window.start - D(2026, 3, 10)).days == 7
    assert (newborn.window.end - D(2026, 3, 10)).days == 21


def test_every_text_is_in_swedish_and_english(engine):
    definition = engine.programs["nassjo"].definition
    texts = [definition["title"], definition["description"], definition["eligibility"]["label"]]
    texts += [part["label"] for part in definition["eligibility"]["any"]]
    texts += [visit["title"] for visit in definition["schedule"]]
    for text in texts:
        assert set(text) >= {"sv", "en"} and all(text[lang].strip() for lang in ("sv", "en"))
    assert {s["confidence"] for s in definition["sources"]} == {"H", "M", "U"}


# --- the first child in the municipality: sent, or derived by the engine ----------------

BORN_HERE = {
    "child": {"birth_date": "2026-03-10"},
    "municipality": "Nässjö",
    "first_child": {"either_parent": True},
}


def _in_municipality(plan):
    """The value the decision read for first_child.in_municipality (sent or derived)."""
    (node,) = [c for c in plan.decision.trace.children if c.fact == "first_child.in_municipality"]
    return node.value


def test_first_time_parents_living_here_at_the_birth_need_send_only_either_parent(engine):
    plan = plan_for(engine, BORN_HERE, "2026-05-04", "nassjo")
    assert plan.decision.status == "eligible"
    assert plan.decision.missing_facts == ()
    assert _in_municipality(plan) is True
    # So do first-time parents sent as both_parents or birthing_parent (they imply it).
    for first in ({"both_parents": True}, {"birthing_parent": True}):
        case = {**BORN_HERE, "first_child": first}
        assert plan_for(engine, case, "2026-05-04", "nassjo").decision.status == "eligible"


def test_a_family_that_moved_in_with_its_second_child_has_no_first_child_here(engine):
    case = {**BORN_HERE, "first_child": {"either_parent": False}, "needs_support": False}
    plan = plan_for(engine, case, "2026-05-04", "nassjo")
    assert plan.decision.status == "not_eligible"
    assert _in_municipality(plan) is False


@pytest.mark.parametrize(
    ("support", "status"),
    [(False, "not_eligible"), (None, "undetermined"), (True, "eligible")],
)
def test_a_first_child_whose_family_moved_in_after_the_birth_needs_an_identified_need(
    engine, support, status
):
    case = {**BORN_HERE, "child": {"birth_date": "2025-11-10"}, "moved_in_on": "2026-04-10"}
    if support is not None:
        case["needs_support"] = support
    plan = plan_for(engine, case, "2026-05-04", "nassjo")
    assert plan.decision.status == status
    assert _in_municipality(plan) is False
    if status == "undetermined":
        assert plan.decision.missing_facts == ("needs_support",)


def test_the_value_a_journal_sends_is_believed(engine):
    told_no = {**BORN_HERE, "first_child": {"either_parent": True, "in_municipality": False}}
    plan = plan_for(engine, {**told_no, "needs_support": False}, "2026-05-04", "nassjo")
    assert plan.decision.status == "not_eligible"
    assert _in_municipality(plan) is False
    told_yes = {**BORN_HERE, "first_child": {"in_municipality": True}}
    assert plan_for(engine, told_yes, "2026-05-04", "nassjo").decision.status == "eligible"


def test_the_examples_show_the_derived_fact_on_both_sides(engine):
    """Examples where the journal does not send in_municipality: eligible through the
    derived fact, and not eligible because of it (moved in with an older child, or after
    the birth)."""
    derived = {}
    for example in engine.programs["nassjo"].definition["examples"]:
        case = example["case"]
        first = case.get("first_child", {})
        if first and "in_municipality" not in first and case.get("needs_support") is not True:
            key = (first.get("either_parent"), "moved_in_on" in case)
            derived.setdefault(key, set()).add(example["expect"]["decision"])
    assert "eligible" in derived[(True, False)]
    assert "not_eligible" in derived[(False, False)]
    assert "not_eligible" in derived[(True, True)]


def test_the_file_says_what_first_child_in_the_municipality_means(engine):
    definition = engine.programs["nassjo"].definition
    notes = " ".join(s.get("note", "") for s in definition["sources"])
    assert "born while the family lived" in notes
    assert "moved_in_on" in notes
    assert definition["version"] != "1.0.0"

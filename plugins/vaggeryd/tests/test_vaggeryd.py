"""Vaggeryd: first child, living in Vaggeryd; newborn, 2 and 8 months with the kurator."""

import datetime as dt

import hembesok_vaggeryd
import pytest

from hembesok.authoring.pytest_plugin import ProgramPluginConformance
from hembesok.authoring.testing import engine_with, failing_examples, plan_for, statuses


@pytest.fixture(scope="module")
def engine():
    return engine_with(hembesok_vaggeryd)


class TestConformance(ProgramPluginConformance):
    """Entry point, hook names, a valid program file, a unique id, and each example as a test."""

    plugin_module = hembesok_vaggeryd
    program_ids = ("vaggeryd",)


FIRST = {
    "child": {"birth_date": "2026-03-10"},
    "municipality": "Vaggeryd",
    "first_child": {"either_parent": True},
}


def test_program_examples_pass(engine):
    program = engine.programs["vaggeryd"]
    assert len(program.definition["examples"]) >= 8
    assert failing_examples(engine, "vaggeryd") == []


def test_three_joint_home_visits_at_newborn_two_and_eight_months(engine):
    plan = plan_for(engine, FIRST, "2026-03-12", "vaggeryd")
    assert plan.decision.status == "eligible"
    assert [(v.visit.id, v.target) for v in plan.visits] == [
        ("newborn", dt.date(2026, 3, 24)),
        ("two_months", dt.date(2026, 5, 10)),
        ("eight_months", dt.date(2026, 11, 10)),
    ]
    for visit in plan.visits:
        assert visit.visit.staff == ("bhv_sjukskoterska", "kurator")
        assert visit.visit.setting == "home"


def test_second_child_is_not_eligible_and_the_reason_says_so(engine):
    case = {**FIRST, "first_child": {"either_parent": False}}
    plan = plan_for(engine, case, "2026-05-04", "vaggeryd")
    assert plan.decision.status == "not_eligible"
    assert plan.visits == ()
    failed = [r for r in plan.decision.reasons if r.truth.value == "false"]
    assert [r.text["en"] for r in failed] == ["The family is having its first child"]


def test_missing_municipality_is_undetermined_and_named(engine):
    case = {"child": {"birth_date": "2026-03-10"}, "first_child": {"either_parent": True}}
    plan = plan_for(engine, case, "2026-05-04", "vaggeryd")
    assert plan.decision.status == "undetermined"
    assert plan.decision.missing_facts == ("municipality",)


def test_municipality_code_and_case_insensitive_name_match(engine):
    for name in ("0665", "vaggeryd", "VAGGERYDS KOMMUN"):
        plan = plan_for(engine, {**FIRST, "municipality": name}, "2026-05-04", "vaggeryd")
        assert plan.decision.status == "eligible", name


def test_family_moving_in_after_the_two_month_window(engine):
    case = {**FIRST, "moved_in_on": "2026-08-10"}
    plan = plan_for(engine, case, "2026-08-20", "vaggeryd")
    assert statuses(plan) == {
        "newborn": "not_offered",
        "two_months": "not_offered",
        "eight_months": "upcoming",
    }


def test_a_visit_past_its_target_is_due_until_its_window_closes(engine):
    # 2 months: target 2026-05-10, window 2026-04-26..05-24. Never late while it is open.
    got = {}
    for day in ("2026-04-25", "2026-04-26", "2026-05-10", "2026-05-11", "2026-05-24", "2026-05-25"):
        got[day] = statuses(plan_for(engine, FIRST, day, "vaggeryd"))["two_months"]
    assert got == {
        "2026-04-25": "upcoming",
        "2026-04-26": "due",
        "2026-05-10": "due",
        "2026-05-11": "due",
        "2026-05-24": "due",
        "2026-05-25": "missed",
    }


def test_a_due_visit_says_how_many_days_its_window_stays_open(engine):
    plan = plan_for(engine, FIRST, "2026-05-20", "vaggeryd")
    visits = {v["id"]: v for v in plan.to_json(dt.date(2026, 5, 20))["visits"]}
    assert visits["two_months"]["status"] == "due"
    assert visits["two_months"]["days_left"] == 4  # the window ends on 2026-05-24
    assert "days_left" not in visits["eight_months"]  # upcoming
    last_day = plan_for(engine, FIRST, "2026-05-24", "vaggeryd").to_json(dt.date(2026, 5, 24))
    assert {v["id"]: v.get("days_left") for v in last_day["visits"]}["two_months"] == 0

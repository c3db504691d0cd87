"""Plugins can take part through every hook: derived facts, eligibility, schedules, screening."""

import datetime as dt
import types

import hembesok_vaggeryd

from hembesok import Case, Decision, Engine, hookimpl
from hembesok.model.plan import NOT_ELIGIBLE, Reason
from hembesok.model.truth import Truth
from hembesok.plugins.declarative import plan_visit

AS_OF = dt.date(2026, 5, 4)
CASE = {
    "child": {"birth_date": "2026-03-10"},
    "municipality": "Vaggeryd",
    "first_child": {"either_parent": True},
}


def plugin(name, **hooks):
    module = types.ModuleType(name)
    for hook_name, fn in hooks.items():
        setattr(module, hook_name, fn)
    return module


def test_case_facts_derive_a_fact_a_condition_reads():
    @hookimpl
    def hembesok_case_facts(case, as_of):
        return (
            {"municipality": "Vaggeryd"} if case.facts.get("facts.postnummer") == "56731" else None
        )

    engine = Engine.from_modules(
        [hembesok_vaggeryd, plugin("postcodes", hembesok_case_facts=hembesok_case_facts)]
    )
    case = {
        "child": {"birth_date": "2026-03-10"},
        "first_child": {"either_parent": True},
        "facts": {"postnummer": "56731"},
    }
    plan = engine.evaluate(Case.from_dict(case), AS_OF).program("vaggeryd")
    assert plan.decision.status == "eligible"
    # The case's own fact wins over a derived one.
    own = {**case, "municipality": "Jönköping"}
    assert (
        engine.evaluate(Case.from_dict(own), AS_OF).program("vaggeryd").decision.status
        == "not_eligible"
    )


def test_builtin_derived_ages():
    engine = Engine.from_modules([])
    seen = {}

    @hookimpl
    def hembesok_case_facts(case, as_of):
        seen.update(case.facts)

    engine = Engine.from_modules([plugin("spy", hembesok_case_facts=hembesok_case_facts)])
    engine.evaluate(Case.from_dict(CASE), AS_OF)
    # The spy runs before the built-in one, so it sees only the case's own facts.
    assert "child.age_days" not in seen
    assert engine.loaded.manager.hook.hembesok_case_facts(case=Case.from_dict(CASE), as_of=AS_OF)[
        -1
    ] == {
        "child.age_days": 55,
        "child.age_months": 1,
        "first_child.in_municipality": True,  # a first child, and the family did not move in
    }


def test_eligibility_wrapper_adjusts_the_default_for_its_program_only():
    @hookimpl(wrapper=True)
    def hembesok_eligibility(program, case, as_of):
        decision = yield
        if program.id != "vaggeryd" or case.facts.get("facts.protected_address") is not True:
            return decision
        reason = Reason(
            "plugin:protected", Truth.FALSE, {"sv": "Skyddad adress", "en": "Protected address"}
        )
        return Decision(
            NOT_ELIGIBLE, (*decision.reasons, reason), (), decision.trace, decision.enrolment_date
        )

    engine = Engine.from_modules(
        [hembesok_vaggeryd, plugin("rule", hembesok_eligibility=hembesok_eligibility)]
    )
    protected = {**CASE, "facts": {"protected_address": True}}
    decision = engine.evaluate(Case.from_dict(protected), AS_OF).program("vaggeryd").decision
    assert (
        decision.status == "not_eligible" and decision.reasons[-1].text["en"] == "Protected address"
    )
    assert (
        engine.evaluate(Case.from_dict(CASE), AS_OF).program("vaggeryd").decision.status
        == "eligible"
    )


def test_visit_schedule_answered_first_by_a_plugin():
    @hookimpl
    def hembesok_visit_schedule(program, case, decision, as_of):
        if program.id != "vaggeryd":
            return None
        return [
            plan_visit(v, case.birth_date, as_of, None, case.birth_date)
            for v in program.schedule[:1]
        ]

    engine = Engine.from_modules(
        [hembesok_vaggeryd, plugin("sched", hembesok_visit_schedule=hembesok_visit_schedule)]
    )
    visits = engine.evaluate(Case.from_dict(CASE), AS_OF).program("vaggeryd").visits
    assert [v.visit.id for v in visits] == ["newborn"]


def test_instruments_and_screening_hooks_register_and_answer_first():
    from pathlib import Path

    from hembesok.model.screening import Response

    mini = Path(__file__).parents[1] / "data" / "mini-instrument.yaml"

    @hookimpl
    def hembesok_instruments():
        return [mini]

    @hookimpl
    def hembesok_screening(instrument, response, history):
        return None if instrument.id != "other" else "scored by the plugin"

    engine = Engine.from_modules(
        [
            plugin(
                "screen",
                hembesok_instruments=hembesok_instruments,
                hembesok_screening=hembesok_screening,
            )
        ]
    )
    assert list(engine.instruments) == ["mini"]
    assert engine.instruments["mini"].distribution == "screen"
    # The plugin declines for "mini", so the declarative default scores it.
    result = engine.screen(Response("mini", AS_OF, {"smoke": "yes"}))
    assert result.domain("safety").status == "flagged"
    hook = engine.loaded.manager.hook
    other = types.SimpleNamespace(id="other")
    assert (
        hook.hembesok_screening(instrument=other, response=None, history=[])
        == "scored by the plugin"
    )

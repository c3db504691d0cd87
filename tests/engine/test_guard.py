"""One bad plugin breaks only itself: a raising, a garbage-returning and a slow plugin each
fail only their own programs, the plan says so, and the other programs are complete."""

import datetime as dt
import time
import types

import hembesok_nassjo
import hembesok_vaggeryd
import pytest

from hembesok import hookimpl
from hembesok.engine.engine import Engine
from hembesok.io import schemas
from hembesok.model.case import Case
from hembesok.plugins.manager import make_plugin_manager
from hembesok.render.compact import compact

AS_OF = dt.date(2026, 5, 4)
SECRET = "191212121212"
CASE = {
    "child": {"birth_date": "2026-03-10", "identifier": {"system": "pnr", "value": SECRET}},
    "municipality": "Vaggeryd",
    "first_child": {"either_parent": True},
    "facts": {"postnummer": "56731"},
}


def plugin(name, dist_programs=None, **hooks):
    module = types.ModuleType(name)
    for hook_name, fn in hooks.items():
        setattr(module, hook_name, fn)
    if dist_programs is not None:
        module.HEMBESOK_ANSWERS_FOR = dist_programs
    return module


def engine_with(*plugins, env=None):
    loaded = make_plugin_manager(
        modules=[hembesok_vaggeryd, hembesok_nassjo, *plugins], env=env or {}
    )
    return Engine.from_plugins(loaded)


def plan(engine):
    return engine.evaluate(Case.from_dict(CASE), AS_OF)


def assert_only_vaggeryd_failed(result, how):
    vaggeryd, nassjo = result.program("vaggeryd"), result.program("nassjo")
    assert vaggeryd.error is not None and vaggeryd.error.how.startswith(how)
    assert vaggeryd.error.plugins == ("bad",)
    assert vaggeryd.decision.status == "undetermined" and vaggeryd.visits == ()
    assert "bad" in vaggeryd.decision.reasons[0].text["en"]
    assert nassjo.error is None and nassjo.decision.status == "not_eligible"
    data = result.to_json()
    assert list(schemas.validator("plan").iter_errors(data)) == []
    assert list(schemas.validator("compact-plan").iter_errors(compact(result))) == []
    assert SECRET not in str(data)


def test_a_raising_plugin_fails_only_its_programs():
    @hookimpl
    def hembesok_eligibility(program, case, as_of):
        raise ValueError(f"leaking {SECRET}")

    result = plan(
        engine_with(plugin("bad", ["vaggeryd"], hembesok_eligibility=hembesok_eligibility))
    )
    assert_only_vaggeryd_failed(result, "raised ValueError")
    assert SECRET not in result.program("vaggeryd").error.how


def test_a_plugin_returning_garbage_fails_only_its_programs():
    @hookimpl
    def hembesok_eligibility(program, case, as_of):
        return "eligible, trust me"

    result = plan(
        engine_with(plugin("bad", ["vaggeryd"], hembesok_eligibility=hembesok_eligibility))
    )
    assert_only_vaggeryd_failed(result, "returned a str, not a Decision")

    @hookimpl
    def hembesok_visit_schedule(program, case, decision, as_of):
        return ["a visit"] if program.id == "vaggeryd" else None

    result = plan(
        engine_with(plugin("bad", ["vaggeryd"], hembesok_visit_schedule=hembesok_visit_schedule))
    )
    assert_only_vaggeryd_failed(result, "returned something other than planned visits")


def test_a_slow_plugin_fails_its_programs_once_and_is_not_waited_for_again():
    @hookimpl
    def hembesok_eligibility(program, case, as_of):
        time.sleep(3)

    engine = engine_with(
        plugin("bad", ["vaggeryd"], hembesok_eligibility=hembesok_eligibility),
        env={"HEMBESOK_HOOK_SECONDS": "0.3"},
    )
    started = time.perf_counter()
    assert_only_vaggeryd_failed(plan(engine), "took longer than 0.3 s")
    assert_only_vaggeryd_failed(plan(engine), "took longer than 0.3 s")
    assert time.perf_counter() - started < 2.5  # one wait of 0.3 s, not one per plan


def test_derived_facts_that_fail_or_have_the_wrong_type_fail_the_programs_reading_them():
    @hookimpl
    def hembesok_case_facts(case, as_of):
        raise KeyError(SECRET)

    raising = plugin("bad", hembesok_case_facts=hembesok_case_facts)
    raising.HEMBESOK_DERIVED_FACTS = ["first_child.in_municipality"]  # read by Nässjö only
    result = plan(engine_with(raising))
    assert result.program("nassjo").error.how == "raised KeyError"
    assert result.program("vaggeryd").error is None
    assert result.program("vaggeryd").decision.status == "eligible"

    @hookimpl
    def wrong(case, as_of):
        return {"area": ["a", "list"]}

    garbage = plugin("bad", hembesok_case_facts=wrong)
    result = plan(engine_with(garbage))  # declares nothing: every program depends on it
    assert {p.program.id: bool(p.error) for p in result.programs} == {
        "vaggeryd": True,
        "nassjo": True,
    }
    assert result.program("vaggeryd").error.how.startswith("returned something other than")


def test_plugins_never_see_the_identity_number_unless_switched_on():
    seen = []

    @hookimpl
    def hembesok_case_facts(case, as_of):
        seen.append(repr(case.data))

    spy = plugin("spy", hembesok_case_facts=hembesok_case_facts)
    plan(engine_with(spy))
    assert seen and SECRET not in seen[-1]
    plan(engine_with(spy, env={"HEMBESOK_PLUGINS_SEE_IDENTIFIERS": "1"}))
    assert SECRET in seen[-1]


def test_a_hook_time_budget_that_is_not_a_number_is_an_installation_error():
    from hembesok.plugins.manager import PluginError

    with pytest.raises(PluginError, match="HEMBESOK_HOOK_SECONDS"):
        make_plugin_manager(modules=[], env={"HEMBESOK_HOOK_SECONDS": "forever"})

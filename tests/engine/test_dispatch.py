"""Plugin hooks are called only for the programs a plugin answers for; the rest is compiled."""

import datetime as dt
import types
from collections import Counter

import hembesok_nassjo
import hembesok_vaggeryd

from hembesok import hookimpl
from hembesok.engine.engine import Engine
from hembesok.model.case import Case

AS_OF = dt.date(2026, 5, 4)
CASE = {
    "child": {"birth_date": "2026-03-10"},
    "municipality": "Vaggeryd",
    "first_child": {"either_parent": True},
}


def counting(engine):
    calls = Counter()

    def before(hook_name, hook_impls, kwargs):
        program = kwargs.get("program")
        calls[(hook_name, program.id if program is not None else None)] += 1

    engine.loaded.manager.add_hookcall_monitoring(before, lambda *args: None)
    return calls


def plugin(name, **attributes):
    module = types.ModuleType(name)
    for key, value in attributes.items():
        setattr(module, key, value)
    return module


def test_with_the_built_in_plugin_alone_no_hook_is_called_per_case():
    engine = Engine.from_modules([hembesok_vaggeryd, hembesok_nassjo])
    calls = counting(engine)
    plan = engine.evaluate(Case.from_dict(CASE), AS_OF)
    assert plan.program("vaggeryd").decision.status == "eligible"
    assert calls == Counter()
    assert not engine.dispatched("vaggeryd") and not engine.dispatched("nassjo")


def test_a_plugin_naming_its_program_brings_dispatch_back_for_that_program_only():
    @hookimpl(wrapper=True)
    def hembesok_eligibility(program, case, as_of):
        return (yield)

    mine = plugin(
        "mine", hembesok_eligibility=hembesok_eligibility, HEMBESOK_ANSWERS_FOR=["vaggeryd"]
    )
    engine = Engine.from_modules([hembesok_vaggeryd, hembesok_nassjo, mine])
    calls = counting(engine)
    plan = engine.evaluate(Case.from_dict(CASE), AS_OF)
    assert calls == Counter({("hembesok_eligibility", "vaggeryd"): 1})
    assert engine.dispatched("vaggeryd") and not engine.dispatched("nassjo")
    compiled = Engine.from_modules([hembesok_vaggeryd, hembesok_nassjo])
    assert plan.to_json() == compiled.evaluate(Case.from_dict(CASE), AS_OF).to_json()


def test_a_plugin_that_does_not_say_which_programs_it_answers_for_gets_every_one():
    @hookimpl
    def hembesok_visit_schedule(program, case, decision, as_of):
        return None

    engine = Engine.from_modules(
        [
            hembesok_vaggeryd,
            hembesok_nassjo,
            plugin("any", hembesok_visit_schedule=hembesok_visit_schedule),
        ]
    )
    calls = counting(engine)
    engine.evaluate(Case.from_dict(CASE), AS_OF)
    assert calls == Counter(
        {("hembesok_visit_schedule", "vaggeryd"): 1, ("hembesok_visit_schedule", "nassjo"): 1}
    )

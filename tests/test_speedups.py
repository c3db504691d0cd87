"""The engine's speed-ups change no answer: month arithmetic, rule words made once per rule,
and joinable visits marked only where there are any."""

import calendar
import datetime as dt

import hembesok_vaggeryd

from hembesok.engine.engine import Engine
from hembesok.language.conditions import compile_condition
from hembesok.model import ages
from hembesok.model.case import Case
from hembesok.model.texts import describe_rule
from hembesok.plugins import declarative


def reference_add_months(start, months):
    """The definition: calendar months, clamped to the last day of the target month."""
    index = start.year * 12 + start.month - 1 + months
    year, month0 = divmod(index, 12)
    return dt.date(year, month0 + 1, min(start.day, calendar.monthrange(year, month0 + 1)[1]))


def test_add_months_equals_its_definition_for_every_day_of_four_years_and_six_years_of_months():
    day = dt.date(2023, 1, 1)
    while day < dt.date(2027, 1, 1):
        for months in range(-30, 75):
            assert ages.add_months(day, months) == reference_add_months(day, months)
        day += dt.timedelta(days=1)


AS_OF = dt.date(2026, 5, 4)
CASE = {
    "child": {"birth_date": "2026-03-10"},
    "municipality": "Vaggeryd",
    "first_child": {"either_parent": True},
}


def test_rule_words_are_those_of_describe_rule_and_not_shared_between_reasons():
    engine = Engine.from_modules([hembesok_vaggeryd])
    first = engine.evaluate(Case.from_dict(CASE), dt.date(2026, 5, 4)).program("vaggeryd")
    second = engine.evaluate(Case.from_dict(CASE), dt.date(2026, 5, 4)).program("vaggeryd")
    trace = first.decision.trace.children[0]  # the rule under the program's `all`
    rule = first.decision.reasons[-1]
    assert rule.text == {lang: describe_rule(trace, lang) for lang in ("sv", "en")}
    assert rule.facts == ("first_child.either_parent",)
    assert rule.text == second.decision.reasons[-1].text
    assert rule.text is not second.decision.reasons[-1].text  # each reason has its own copy


def test_a_rule_whose_address_was_reused_gets_its_own_words():
    trace = compile_condition({"fact": "needs_support", "equals": True}).explain({}, AS_OF)
    stale = ({"fact": "municipality", "equals": "Vaggeryd"}, {"sv": "fel", "en": "wrong"}, ("x",))
    declarative._RULE_WORDS[id(trace.spec)] = stale  # as if an earlier rule had lived there
    text, facts = declarative._rule_words(trace)
    assert text == {lang: describe_rule(trace, lang) for lang in ("sv", "en")}
    assert facts == ("needs_support",)

"""The engine's speed-ups change no answer: month arithmetic, rule words made once per rule,
and joinable visits marked only where there are any."""

import calendar
import copy
import datetime as dt
from pathlib import Path

import hembesok_vaggeryd
import pytest

from hembesok.engine.engine import Engine
from hembesok.io.documents import load_text
from hembesok.language.describe import describe_rule
from hembesok.language.program import Program
from hembesok.model import ages
from hembesok.model.case import Case


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
VAGGERYD = Path(hembesok_vaggeryd.__file__).with_name("program.yaml")
CASE = {
    "child": {"birth_date": "2026-03-10"},
    "municipality": "Vaggeryd",
    "first_child": {"either_parent": True},
}


def test_rule_words_are_those_of_describe_rule_made_once_and_read_only():
    engine = Engine.from_modules([hembesok_vaggeryd])
    first = engine.evaluate(Case.from_dict(CASE), dt.date(2026, 5, 4)).program("vaggeryd")
    second = engine.evaluate(Case.from_dict(CASE), dt.date(2026, 5, 4)).program("vaggeryd")
    trace = first.decision.trace  # the program's one rule
    rule = first.decision.reasons[-1]
    assert rule.text == {lang: describe_rule(trace, lang) for lang in ("sv", "en")}
    assert rule.facts == ("first_child.either_parent",)
    assert rule is second.decision.reasons[-1]  # prepared once, when the program was compiled
    with pytest.raises(TypeError):
        rule.text["sv"] = "changed"  # shared by every plan, so nobody may change it


def test_words_belong_to_their_program_and_no_engine_keeps_another_engines():
    definition = load_text(VAGGERYD.read_text(encoding="utf-8"), str(VAGGERYD)).data
    relabelled = copy.deepcopy(definition)
    relabelled["eligibility"]["label"] = {"sv": "Ny etikett", "en": "New label"}
    plain = Engine.from_modules([])
    plain.add(Program.compile(definition))
    other = Engine.from_modules([])
    other.add(Program.compile(relabelled))
    words = [
        e.evaluate(Case.from_dict(CASE), AS_OF).program("vaggeryd").decision.reasons[-1].text["en"]
        for e in (plain, other, plain)
    ]
    assert words[1] == "New label" and words[0] == words[2] != "New label"

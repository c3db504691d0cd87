"""The plan for a nurse: what applies in full, the rest folded with its reason, words not ids."""

import datetime as dt
import json
from pathlib import Path

import hembesok_barnsakert
import hembesok_nassjo
import hembesok_rikshandboken
import hembesok_vaggeryd
import pytest

from hembesok.engine.engine import Engine
from hembesok.model.case import Case
from hembesok.render.screening_text import screening_text
from hembesok.render.text import plan_text

ROOT = Path(__file__).parents[2]
AS_OF = dt.date(2026, 5, 4)
CASE = json.loads((ROOT / "examples" / "vaggeryd-first-child.json").read_text())


@pytest.fixture(scope="module")
def engine():
    return Engine.from_modules(
        [hembesok_rikshandboken, hembesok_vaggeryd, hembesok_nassjo, hembesok_barnsakert]
    )


def text(engine, case=CASE, lang="sv", **options):
    plan = engine.evaluate(Case.from_dict(case), AS_OF)
    return plan_text(plan, lang, instruments=engine.instruments, **options)


def test_programs_the_family_is_not_offered_fold_into_one_line_with_their_reason(engine):
    out = text(engine)
    assert "Vaggeryd – hembesök i samverkan för förstagångsföräldrar  [vaggeryd" in out
    assert "Erbjuds inte:\n  Nässjö – Vaggeryd ingår inte i programmet" in out
    assert "[nassjo 1.1.0]" not in out  # not shown in full
    everything = text(engine, everything=True)
    assert "[nassjo 1.1.0]" in everything and "Erbjuds inte:" not in everything


def test_words_where_people_expect_words(engine):
    out = text(engine)
    assert "ersatt (av Vaggeryd: Hembesök nyfödd)" in out and "vaggeryd: newborn" not in out
    assert "Tidsintervall" in out and "Fönster" not in out
    assert "(familjecentral) (" not in out  # the setting has its own column
    assert "  EPDS  " in out or "  EPDS " in out
    english = text(engine, lang="en")
    assert "replaced (by Vaggeryd: Newborn home visit)" in english


def test_a_due_visit_says_how_many_days_its_window_has_left(engine):
    out = text(engine)
    assert "aktuellt nu (20 dagar kvar)" in out  # two-month visit, window to 2026-05-24
    assert "försenat" not in out


def test_screening_text_names_respondents_and_compares_with_the_previous_occasion(engine):
    response = json.loads((ROOT / "tests" / "data" / "epds-response.json").read_text())
    from hembesok.model.screening import Response

    result = engine.screen(Response.from_dict(response))
    out = screening_text(result, "sv")
    assert "födande förälder" in out and "birthing_parent" not in out
    assert "Jämfört med förra tillfället" in out

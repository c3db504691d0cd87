"""EPDS at 6–8 weeks: reverse-keyed items, the Swedish cut-off of 12, language cut-offs, item 10."""

import datetime as dt

import hembesok_rikshandboken
import pytest

from hembesok import Engine
from hembesok.model.screening import Response

NORMAL = (1, 2, 4)  # the other items are reverse-keyed: option position 0 scores 3


@pytest.fixture(scope="module")
def engine():
    engine = Engine.from_modules([hembesok_rikshandboken])
    assert engine.errors == []
    return engine


def answers_for(scores: dict[int, int]) -> dict[str, int]:
    """Answers (option positions) that give each item the wanted score; 0 for the rest."""
    out = {}
    for i in range(1, 11):
        score = scores.get(i, 0)
        out[f"epds_{i}"] = score if i in NORMAL else 3 - score
    return out


def spread(total: int) -> dict[int, int]:
    """Item scores adding up to `total`, filling items 1–9 with 3 in turn (item 10 stays 0)."""
    scores, left = {}, total
    for i in range(1, 10):
        scores[i], left = min(3, left), left - min(3, left)
    return scores


def screen(engine, scores, language="sv"):
    response = Response(
        "epds", dt.date(2026, 4, 28), answers_for(scores), language, "birthing_parent"
    )
    return engine.screen(response)


def test_reverse_keyed_items_score_as_on_the_form(engine):
    items = engine.instruments["epds"].items
    assert [items[f"epds_{i}"].score(0) for i in range(1, 11)] == [0, 0, 3, 0, 3, 3, 3, 3, 3, 3]


@pytest.mark.parametrize(("total", "status"), [(12, "flagged"), (11, "not_flagged")])
def test_swedish_cut_off_is_12(engine, total, status):
    result = screen(engine, spread(total))
    depression = result.domain("depression")
    assert (depression.score, depression.threshold, depression.status) == (total, 12, status)
    assert result.domain("self_harm").status == "not_flagged"


def test_item_10_flags_on_its_own_whatever_the_total(engine):
    result = screen(engine, {10: 1})
    assert (
        result.domain("depression").status == "not_flagged"
        and result.domain("depression").score == 1
    )
    self_harm = result.domain("self_harm")
    assert self_harm.status == "flagged" and self_harm.action.level == "prompt_assessment"


@pytest.mark.parametrize(
    ("language", "total", "status"),
    [
        ("ar", 10, "flagged"),
        ("ar", 9, "not_flagged"),
        ("en", 12, "not_flagged"),
        ("en", 13, "flagged"),
        ("fr", 11, "flagged"),
        ("fr", 10, "not_flagged"),
    ],
)
def test_each_language_uses_its_own_cut_off(engine, language, total, status):
    depression = screen(engine, spread(total), language).domain("depression")
    assert (depression.score, depression.status) == (total, status)


def test_unanswered_item_below_cut_off_is_undetermined(engine):
    answers = answers_for({1: 3})
    del answers["epds_5"]
    result = engine.screen(Response("epds", dt.date(2026, 4, 28), answers, "sv"))
    assert result.domain("depression").status == "undetermined"
    assert result.domain("depression").missing_items == ("epds_5",)

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


# --- the key of every item (Cox et al. 1987), read through the texts a parent sees ------

#: Per item: the most reassuring answer and the least reassuring one, as the Swedish
#: paraphrases word them. Items 1, 2 and 4 score 0–3 from the first option; items 3 and
#: 5–10 are reverse-scored (first option 3).
KEY = {
    "epds_1": ("lika mycket som vanligt", "inte alls"),
    "epds_2": ("lika mycket som vanligt", "knappast alls"),
    "epds_3": ("nej, aldrig", "ja, för det mesta"),
    "epds_4": ("nej, inte alls", "ja, mycket ofta"),
    "epds_5": ("nej, inte alls", "ja, ganska mycket"),
    "epds_6": (
        "nej, jag har klarat det lika bra som vanligt",
        "ja, för det mesta har jag inte klarat av det",
    ),
    "epds_7": ("nej, inte alls", "ja, för det mesta"),
    "epds_8": ("nej, inte alls", "ja, för det mesta"),
    "epds_9": ("nej, aldrig", "ja, för det mesta"),
    "epds_10": ("aldrig", "ja, ganska ofta"),
}


def option(engine, item_id, text):
    """The value of the option of `item_id` that reads `text` in Swedish."""
    item = engine.instruments["epds"].definition["items"]
    (found,) = [
        o["value"]
        for i in item
        if i["id"] == item_id
        for o in i["answer"]["options"]
        if o["text"]["sv"] == text
    ]
    return found


def answered(engine, which, language="sv"):
    answers = {item: option(engine, item, KEY[item][which]) for item in KEY}
    return engine.screen(
        Response("epds", dt.date(2026, 4, 28), answers, language, "birthing_parent")
    )


def test_each_item_scores_as_the_published_key(engine):
    items = engine.instruments["epds"].definition["items"]
    for item in items:
        scores = [o["score"] for o in item["answer"]["options"]]
        forward = item["id"] in ("epds_1", "epds_2", "epds_4")
        assert scores == ([0, 1, 2, 3] if forward else [3, 2, 1, 0]), item["id"]


def test_the_most_reassuring_answer_to_every_item_scores_0_and_flags_nothing(engine):
    result = answered(engine, 0)
    depression = result.domain("depression")
    assert (depression.score, depression.status) == (0, "not_flagged")
    assert result.domain("self_harm").status == "not_flagged"
    assert result.to_json()["flagged"] == []


def test_the_least_reassuring_answer_to_every_item_scores_30(engine):
    result = answered(engine, 1)
    depression = result.domain("depression")
    assert (depression.score, depression.status) == (30, "flagged")
    assert result.domain("self_harm").status == "flagged"


def test_item_4_asks_about_worry_and_scores_not_at_all_0(engine):
    item = engine.instruments["epds"].items["epds_4"]
    assert item.score(option(engine, "epds_4", "nej, inte alls")) == 0
    assert item.score(option(engine, "epds_4", "knappast någonsin")) == 1
    assert item.score(option(engine, "epds_4", "ja, ibland")) == 2
    assert item.score(option(engine, "epds_4", "ja, mycket ofta")) == 3
    texts = [o["text"]["sv"] for o in item_definition(engine, "epds_4")["answer"]["options"]]
    assert "som vanligt" not in " ".join(texts)


def item_definition(engine, item_id):
    return next(i for i in engine.instruments["epds"].definition["items"] if i["id"] == item_id)


def test_the_items_are_paraphrased_in_the_first_person(engine):
    assert (
        item_definition(engine, "epds_9")["text"]["sv"]
        == "Har varit så olycklig att jag har gråtit"
    )
    for item in engine.instruments["epds"].definition["items"]:
        sv, en = item["text"]["sv"], item["text"]["en"]
        assert " sig " not in f" {sv} " and "hen" not in sv.split(), item["id"]
        assert "oneself" not in en and " one" not in en, item["id"]
    definition = engine.instruments["epds"].definition
    assert definition["representative"] is True  # paraphrases, not the form's wording


@pytest.mark.parametrize(
    ("text", "status"),
    [("aldrig", "not_flagged"), ("knappast någonsin", "flagged"), ("ibland", "flagged")],
)
def test_self_harm_flags_from_hardly_ever_on(engine, text, status):
    """Item 10 flags on its own from its first non-zero answer ("hardly ever"), as the
    file's positive_from_score: 1 says, whatever the total."""
    answers = {item: option(engine, item, KEY[item][0]) for item in KEY}
    answers["epds_10"] = option(engine, "epds_10", text)
    result = engine.screen(Response("epds", dt.date(2026, 4, 28), answers, "sv"))
    assert result.domain("self_harm").status == status
    assert result.domain("depression").status == "not_flagged"


def test_a_form_in_a_language_without_a_validated_cut_off_is_undetermined(engine):
    result = screen(engine, spread(20), "so")  # Somali: no validated cut-off here
    depression = result.domain("depression")
    assert depression.status == "undetermined"
    assert (depression.score, depression.threshold, depression.basis) == (20, None, "none")
    as_json = next(d for d in result.to_json()["domains"] if d["id"] == "depression")
    assert as_json["threshold"] is None and as_json["threshold_basis"] == "none"
    assert "(so)" in as_json["note"]["sv"] and "(so)" in as_json["note"]["en"]
    assert depression.action is None
    # Item 10 needs no cut-off: self-harm is judged in any language.
    assert screen(engine, {10: 1}, "so").domain("self_harm").status == "flagged"


def test_an_english_form_is_judged_against_13(engine):
    depression = screen(engine, spread(12), "en").domain("depression")
    assert (depression.threshold, depression.basis, depression.status) == (
        13,
        "validated",
        "not_flagged",
    )
    assert screen(engine, spread(13), "en").domain("depression").status == "flagged"


def test_there_is_no_default_cut_off(engine):
    depression = next(d for d in engine.instruments["epds"].domains if d.id == "depression")
    assert depression.threshold is None
    assert dict(depression.by_language) == {"sv": 12, "en": 13, "ar": 10, "fr": 11}

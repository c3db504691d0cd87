"""Scoring per domain (three-valued), language thresholds, and change over occasions."""

import datetime as dt
from pathlib import Path

import pytest

from hembesok.io.loading import load_instrument
from hembesok.language.scoring import score
from hembesok.model.screening import Response

MINI = load_instrument(Path(__file__).parents[1] / "data" / "mini-instrument.yaml")
ALL_NO = {"smoke": "no", "stairs": "no", "money": "no", "sleep": "a", "hours": 0}


def response(answers, day="2026-05-01", language="sv", respondent="parent_1"):
    return Response("mini", dt.date.fromisoformat(day), answers, language, respondent)


def statuses(result):
    return {d.domain.id: d.status for d in result.domains}


def test_any_positive_flags_with_the_deciding_items_and_action():
    result = score(MINI, response({**ALL_NO, "stairs": "yes"}))
    safety = result.domain("safety")
    assert (safety.status, safety.deciding_items) == ("flagged", ("stairs",))
    assert safety.action is not None and safety.action.level == "conversation"
    assert statuses(result) == {
        "safety": "flagged",
        "economy": "not_flagged",
        "load": "not_flagged",
    }


def test_unanswered_item_makes_a_domain_undetermined_not_negative():
    answers = {k: v for k, v in ALL_NO.items() if k != "stairs"}
    safety = score(MINI, response(answers)).domain("safety")
    assert (safety.status, safety.missing_items) == ("undetermined", ("stairs",))
    # A positive answer settles the domain whatever is missing.
    flagged = score(MINI, response({"smoke": "yes"})).domain("safety")
    assert flagged.status == "flagged"


def test_score_rule_with_tolerated_missing_and_language_threshold():
    load = score(MINI, response({**ALL_NO, "hours": 18, "sleep": "b"})).domain("load")
    assert (load.status, load.score, load.threshold) == ("flagged", 20, 20)
    one_missing = {k: v for k, v in ALL_NO.items() if k != "sleep"}
    assert (
        score(MINI, response({**one_missing, "hours": 19})).domain("load").status == "not_flagged"
    )
    none = {k: v for k, v in ALL_NO.items() if k not in ("sleep", "hours")}
    assert score(MINI, response(none)).domain("load").status == "undetermined"
    arabic = score(MINI, response({**ALL_NO, "hours": 10}, language="ar")).domain("load")
    assert (arabic.status, arabic.threshold) == ("flagged", 10)


@pytest.mark.parametrize(
    ("before", "after", "change"),
    [
        ("yes", "yes", "persisting"),
        ("yes", "no", "resolved"),
        ("no", "yes", "new"),
        ("no", "no", "not_flagged"),
        (None, "no", "no_comparison"),
    ],
)
def test_change_since_the_previous_response(before, after, change):
    earlier = (
        {**ALL_NO, "money": before} if before else {k: v for k, v in ALL_NO.items() if k != "money"}
    )
    history = [response(earlier, "2026-02-01")]
    result = score(MINI, response({**ALL_NO, "money": after}, "2026-05-01"), history)
    assert result.domain("economy").change == change
    assert result.previous_date == dt.date(2026, 2, 1)


def test_first_occasion_and_only_earlier_responses_of_the_same_respondent_count():
    now = response({**ALL_NO, "money": "yes"}, "2026-05-01")
    assert score(MINI, now).domain("economy").change == "first"
    later = response({**ALL_NO, "money": "yes"}, "2026-08-01")
    other_parent = response({**ALL_NO, "money": "yes"}, "2026-02-01", respondent="parent_2")
    result = score(MINI, now, [later, other_parent])
    assert result.domain("economy").change == "first" and result.previous_date is None
    latest = [response(ALL_NO, "2026-01-01"), response({**ALL_NO, "money": "yes"}, "2026-03-01")]
    assert score(MINI, now, latest).domain("economy").change == "persisting"


def test_result_json_names_items_but_carries_no_answer():
    result = score(MINI, response({**ALL_NO, "smoke": "yes", "hours": 23})).to_json()
    assert result["flagged"] == ["safety", "load"]
    assert "answers" not in result
    assert "'yes'" not in repr(result) and "'no'" not in repr(result)
    assert result["domains"][0]["deciding_items"] == ["smoke"]


def test_a_language_without_a_validated_cut_off_is_undetermined_unless_a_default_is_given():
    from hembesok.model.instrument import Domain

    domain = next(d for d in MINI.domains if d.rule == "score_at_least")
    # The mini instrument declares Arabic as validated and 20 as an explicit default.
    assert domain.cutoff("ar") == (10, "validated")
    assert domain.cutoff("sv") == (20, "default")
    strict = Domain(**{**domain.__dict__, "threshold": None})
    assert strict.cutoff("so") == (None, "none")


def test_results_say_which_cut_off_judged_them():
    import dataclasses

    domain = next(d for d in MINI.domains if d.rule == "score_at_least")
    somali = response({**ALL_NO, "sleep": "b", "hours": 20}, language="so")
    judged = score(MINI, somali).domain(domain.id)
    assert (judged.threshold, judged.basis) == (20, "default")
    assert judged.note("so")["en"].startswith("Judged against the instrument's default cut-off")
    no_default = dataclasses.replace(
        MINI, domains=tuple(dataclasses.replace(d, threshold=None) for d in MINI.domains)
    )
    open_ = score(no_default, somali).domain(domain.id)
    assert (open_.status, open_.threshold, open_.basis) == ("undetermined", None, "none")
    assert "(so)" in open_.note("so")["sv"] and open_.to_json("so")["threshold_basis"] == "none"
    from hembesok.language.scoring import Scorer

    assert Scorer(no_default).score(somali).domain(domain.id) == open_

"""Plans as CDS Hooks cards: which events become cards, their words, uuids and Markdown."""

import datetime as dt
import json
import uuid
from pathlib import Path

from hembesok.api import Pipeline
from hembesok.engine.engine import Engine
from hembesok.render import cds_cards
from hembesok.render.cds_cards import SUMMARY_LIMIT, latest_results, plan_cards

ROOT = Path(__file__).parents[2]
ENGINE = Engine.from_installed(env={})
PIPELINE = Pipeline(ENGINE)
HISTORY = json.loads((ROOT / "examples" / "barnsakert-case.json").read_text("utf-8"))


def cards(case, day):
    return plan_cards(PIPELINE.plan(case, dt.date.fromisoformat(day)), "case-1", ENGINE.instruments)


def test_latest_results_keep_each_respondents_newest_response():
    plan = PIPELINE.plan(HISTORY, dt.date(2026, 3, 10))
    occasions = plan.program("barnsakert").screenings
    every = [r for o in occasions for r in o.results]
    assert len(every) == 2
    (latest,) = latest_results(occasions)
    assert latest.response.date == dt.date(2026, 1, 8)
    assert latest_results(reversed(occasions)) == [latest]


def test_the_indicator_of_a_flag_follows_its_action_level():
    assert cds_cards._FLAG_INDICATORS == {
        "conversation": "warning",
        "offer_support": "warning",
        "prompt_assessment": "critical",
    }
    levels = {
        d.action.level
        for instrument in ENGINE.instruments.values()
        for d in instrument.domains
        if d.action is not None
    }
    assert levels <= set(cds_cards._FLAG_INDICATORS)  # every shipped action has an indicator


def test_titles_cannot_make_markdown_links_or_html():
    written = cds_cards._escaped("[klicka](https://example.org) <b>*fet*</b>")
    assert "[" not in written.replace("\\[", "") and "<" not in written.replace("\\<", "")
    assert written.replace("\\", "") == "[klicka](https://example.org) <b>*fet*</b>"


def test_a_long_summary_is_shortened_to_the_limit():
    assert cds_cards._shortened("kort") == "kort"
    long = cds_cards._shortened("å" * 300)
    assert len(long) == SUMMARY_LIMIT and long.endswith("…")


def test_uuids_depend_on_the_subject_and_the_item_only():
    plan = PIPELINE.plan({"child": {"birth_date": "2026-01-01"}}, dt.date(2026, 2, 20))
    first = plan_cards(plan, "case-1", ENGINE.instruments)
    assert [c["uuid"] for c in first] == [
        c["uuid"] for c in plan_cards(plan, "case-1", ENGINE.instruments)
    ]
    key = "\n".join(("case-1", "rikshandboken", "visit-missed", "visit/home_newborn"))
    assert first[0]["uuid"] == str(uuid.uuid5(cds_cards.CARD_NAMESPACE, key))
    assert {c["uuid"] for c in plan_cards(plan, "case-2", ENGINE.instruments)}.isdisjoint(
        c["uuid"] for c in first
    )


def test_a_card_for_a_corrected_age_visit_says_so():
    preterm = json.loads((ROOT / "examples" / "preterm-30-weeks.json").read_text("utf-8"))
    plan = PIPELINE.plan(preterm, dt.date(2026, 5, 4))
    corrected = [
        (pp.program.id, v.visit.id)
        for pp in plan.programs
        if pp.decision.status == "eligible"
        for v in pp.visits
        if v.status in ("due", "missed") and v.basis == "corrected"
    ]
    shown = plan_cards(plan, "case-1", ENGINE.instruments)
    with_note = [c for c in shown if "korrigerad ålder" in c["detail"]]
    assert corrected and len(with_note) == len(corrected)
    assert all("corrected age" in c["detail"] for c in with_note)


def test_nothing_of_the_case_but_dates_reaches_a_card():
    case = {
        **HISTORY,
        "case_ref": "bvc-4711",
        "child": {
            "birth_date": HISTORY["child"]["birth_date"],
            "identifier": {
                "system": "http://electronichealth.se/identifier/personnummer",
                "value": "20250904-2384",
            },
        },
    }
    text = json.dumps(cards(case, "2026-03-10"), ensure_ascii=False)
    assert "20250904-2384" not in text and "bvc-4711" not in text
    assert "money_worry" not in text and "smoke_detector" not in text


def dose_cards(case, day):
    return {
        c["summary"].split(": ", 1)[1].split(" (")[0]: c
        for c in cards(case, day)
        if c["source"]["topic"]["code"].startswith("vaccination-")
    }


def test_a_dose_due_or_missed_is_a_card_and_a_given_declined_or_not_started_one_is_not():
    child = {"child": {"birth_date": "2026-03-10"}}
    shown = dose_cards(child, "2026-07-20")
    missed = shown["Rotavirus, dos 1"]
    assert (missed["indicator"], missed["source"]["topic"]["code"]) == (
        "warning",
        "vaccination-missed",
    )
    assert missed["summary"] == (
        "Vaccination saknas: Rotavirus, dos 1 (Nationella programmet), "
        "tidsintervallet stängde 2026-06-02"
    )
    assert "**Ges vanligen vid:** BVC-besök 6–8 veckor" in missed["detail"]
    assert "**Usually given at:** BVC visit at 6–8 weeks" in missed["detail"]
    # A missed dose is not always given late (rotavirus is not): the card does not say it is.
    assert "erbjud" not in missed["detail"].lower() and "offer" not in missed["detail"].lower()
    # The course was not started, so its later doses are not_started: no card asks for them.
    assert not any(
        t.startswith("Rotavirus, dos 2") or t.startswith("Rotavirus, dos 3") for t in shown
    )

    given = {
        **child,
        "vaccinations_done": [{"vaccine": "rotavirus", "dose": 1, "date": "2026-04-28"}],
    }
    course = dose_cards(given, "2026-07-20")
    assert "Rotavirus, dos 1" not in course
    due = course["Rotavirus, dos 2"]
    assert (due["indicator"], due["source"]["topic"]["code"]) == ("info", "vaccination-due")
    assert due["summary"] == (
        "Vaccination aktuell: Rotavirus, dos 2 (Nationella programmet), senast 2026-09-16"
    )
    assert "2026-05-27 – 2026-09-16 (58 dagar kvar)" in due["detail"]
    assert "(58 days left)" in due["detail"]
    declined = {**child, "vaccinations_declined": ["rotavirus"]}
    assert not any(t.startswith("Rotavirus") for t in dose_cards(declined, "2026-07-20"))
    assert set(dose_cards(declined, "2026-07-20")) == {
        t for t in shown if not t.startswith("Rotavirus")
    }
    assert dose_cards({**child, "declined": ["rikshandboken"]}, "2026-07-20") == {}

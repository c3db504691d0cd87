"""A plan as CDS Hooks 2.0 cards: what the nurse who opens the child's record should know now.

The journal calls the `patient-view` service (hembesok.service.cds_hooks) and shows the
cards next to the record. A card is made for four things of the plan of each program the
family is offered (decision eligible; an undetermined program's visits are only
provisional), and nothing else:

| event | indicator |
|---|---|
| a visit of an offered program is due | info |
| a visit's window has closed with no visit recorded (missed) | warning |
| a vaccine dose is due | info |
| a dose's window has closed with no dose recorded (missed) | warning |
| a questionnaire is due at a visit (a screening occasion is due) | info |
| a domain is flagged in the latest response of a respondent, action conversation or offer_support | warning |
| the same, action prompt_assessment (assess the same day) | critical |

A card names programs, visits, instruments, domains and roles by their titles, and dates.
It never holds an identity number, a name, an answer or an item id (which would tell an
answer): the nurse opens the questionnaire in the journal. The summary is Swedish and
shorter than 140 characters (the specification's limit); the detail is Markdown, Swedish
first and English after. A card's uuid is stable: the same subject, program, item and
status give the same uuid on every call, so a journal can tell a card it has shown before.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from hembesok.language.program import Program
from hembesok.model.ages import Window
from hembesok.model.instrument import Instrument
from hembesok.model.plan import (
    CORRECTED,
    ELIGIBLE,
    Plan,
    PlannedDose,
    PlannedVisit,
    ProgramPlan,
    ScreeningOccasion,
)
from hembesok.model.screening import CHANGE_TEXT, FLAGGED, DomainResult, ScreeningResult
from hembesok.model.texts import (
    LANGS,
    SETTINGS,
    UI,
    Text,
    days_left_label,
    pick,
    respondent_label,
    role_label,
    short_title,
)
from hembesok.render.text import program_label

INFO, WARNING, CRITICAL = "info", "warning", "critical"
#: The indicators in the order the cards are listed: the most urgent first.
_URGENCY = {CRITICAL: 0, WARNING: 1, INFO: 2}
#: "One-sentence, <140-character summary" (CDS Hooks 2.0, Card Attributes).
SUMMARY_LIMIT = 139
#: The code system of a card's `source.topic`: a name, not a place to go.
TOPIC_SYSTEM = "urn:hembesok:cds-hooks:topic"
#: The namespace of the cards' uuids (uuid5): fixed, so a card's uuid stays the same.
CARD_NAMESPACE = uuid.UUID("6f1d9a52-3c1e-5b8e-9d0a-4c2b7e8f1a63")

VISIT_DUE, VISIT_MISSED = "visit-due", "visit-missed"
SCREENING_DUE, DOMAIN_FLAGGED = "screening-due", "domain-flagged"
DOSE_DUE, DOSE_MISSED = "vaccination-due", "vaccination-missed"

TOPICS: Mapping[str, Text] = {
    VISIT_DUE: {"sv": "Besök aktuellt", "en": "Visit due"},
    VISIT_MISSED: {"sv": "Besök missat", "en": "Visit missed"},
    DOSE_DUE: {"sv": "Vaccination aktuell", "en": "Vaccination due"},
    DOSE_MISSED: {"sv": "Vaccination saknas", "en": "Vaccination missed"},
    SCREENING_DUE: {"sv": "Frågeformulär aktuellt", "en": "Questionnaire due"},
    DOMAIN_FLAGGED: {"sv": "Flaggat område", "en": "Flagged domain"},
}
_SUMMARIES: Mapping[str, str] = {
    VISIT_DUE: "Aktuellt: {visit} ({program}), senast {end}",
    VISIT_MISSED: "Missat: {visit} ({program}), tidsintervallet stängde {end}",
    DOSE_DUE: "Vaccination aktuell: {dose} ({program}), senast {end}",
    DOSE_MISSED: "Vaccination saknas: {dose} ({program}), tidsintervallet stängde {end}",
    SCREENING_DUE: "Frågeformulär {instrument} ska erbjudas: {visit} ({program})",
    DOMAIN_FLAGGED: "{instrument}: {domain} flaggat ({change}), {action}",
}
ACTION_LEVELS: Mapping[str, Text] = {
    "conversation": {"sv": "samtal vid besöket", "en": "a conversation at the visit"},
    "offer_support": {"sv": "erbjud stöd", "en": "offer support"},
    "prompt_assessment": {"sv": "bedöm samma dag", "en": "assess the same day"},
}
#: The indicator of a flagged domain, by the level of its action.
_FLAG_INDICATORS: Mapping[str, str] = {
    "conversation": WARNING,
    "offer_support": WARNING,
    "prompt_assessment": CRITICAL,
}
_WORDS: Mapping[str, Text] = {
    "english": {"sv": "Svenska", "en": "English"},
    "instrument": {"sv": "Frågeformulär", "en": "Questionnaire"},
    "domain": {"sv": "Område", "en": "Domain"},
    "answered": {"sv": "Besvarat", "en": "Answered"},
    "respondent": {"sv": "Besvarat av", "en": "Answered by"},
    "change": {"sv": "Jämfört med förra tillfället", "en": "Compared with the last occasion"},
    "action": {"sv": "Åtgärd", "en": "Action"},
    "follow_up": {"sv": "Följs upp av", "en": "Followed up by"},
    "missed": {
        "sv": "Tidsintervallet har passerat utan registrerat besök.",
        "en": "The window has passed with no visit recorded.",
    },
    # Not "offer catch-up": some courses are not started late (rotavirus after 12 weeks).
    "dose_missed": {
        "sv": "Tidsintervallet har passerat utan registrerad dos. Om dosen kan ges i "
        "efterhand avgörs av vaccinationsprogrammets regler för kompletterande vaccination.",
        "en": "The window has passed with no dose recorded. Whether the dose can still be "
        "given is for the vaccination programme's catch-up rules to say.",
    },
    "dose": {"sv": "Dos", "en": "Dose"},
    "given_at": {"sv": "Ges vanligen vid", "en": "Usually given at"},
    "no_report": {
        "sv": "Ett flaggat område leder till samtal och ett frivilligt erbjudande om stöd, "
        "aldrig automatiskt till en orosanmälan.",
        "en": "A flagged domain leads to a conversation and a voluntary offer of support, "
        "never automatically to a report of concern.",
    },
}
#: Characters that Markdown would read as markup (a link, emphasis, HTML) in a title.
_MARKDOWN = frozenset("\\`*_[]<>#|!")


def plan_cards(
    plan: Plan, subject: str, instruments: Mapping[str, Instrument]
) -> list[dict[str, Any]]:
    """The cards for a plan, the most urgent first.

    `subject` keys the cards' uuids (the journal's case reference or FHIR patient id; it is
    hashed, never shown); `instruments` gives the titles of questionnaires not yet answered.
    """
    cards: list[dict[str, Any]] = []
    for pp in plan.programs:
        if pp.decision.status != ELIGIBLE:
            continue  # not offered, or undetermined: its visits are only provisional
        for visit in pp.visits:
            if visit.status in ("due", "missed"):
                cards.append(_visit_card(pp, visit, plan, subject))
        for dose in pp.vaccinations:
            if dose.status in ("due", "missed"):
                cards.append(_dose_card(pp, dose, plan, subject))
        for occasion in pp.screenings:
            if occasion.status == "due":
                cards.append(_screening_card(pp, occasion, subject, instruments))
        for result in latest_results(pp.screenings):
            for domain in result.domains:
                if domain.status == FLAGGED:
                    cards.append(_domain_card(pp, result, domain, subject))
    return sorted(cards, key=lambda card: _URGENCY[card["indicator"]])


def latest_results(occasions: Iterable[ScreeningOccasion]) -> list[ScreeningResult]:
    """Each respondent's latest result of each instrument: an older flag that a later
    response no longer shows is not carded."""
    latest: dict[tuple[str, str | None], ScreeningResult] = {}
    for occasion in occasions:
        for result in occasion.results:
            key = (result.instrument.id, result.response.respondent)
            held = latest.get(key)
            if held is None or result.response.date >= held.response.date:
                latest[key] = result
    return list(latest.values())


def _visit_card(pp: ProgramPlan, v: PlannedVisit, plan: Plan, subject: str) -> dict[str, Any]:
    kind = VISIT_DUE if v.status == "due" else VISIT_MISSED
    program = pp.program
    summary = _SUMMARIES[kind].format(
        visit=pick(v.visit.title, "sv"),
        program=program_label(program, "sv"),
        end=v.window.end.isoformat(),
    )

    def lines(lang: str) -> list[str]:
        out = [
            _row(UI["visit"], pick(v.visit.title, lang), lang),
            _row(UI["program"], _program_line(program, lang), lang),
            _row(UI["window"], _window(v.window, v.days_left(plan.as_of), lang), lang),
            _row(UI["target"], v.target.isoformat(), lang),
            _row(UI["setting"], pick(SETTINGS[v.visit.setting], lang), lang),
            _row(
                UI["staff"],
                ", ".join(role_label(r, lang, program.roles) for r in v.visit.staff),
                lang,
            ),
        ]
        if v.basis == CORRECTED:
            out.append(_row(UI["counted_from"], pick(UI["basis_corrected"], lang), lang))
        if v.status == "missed":
            out.append(_paragraph(_WORDS["missed"], lang))
        return out

    indicator = INFO if kind == VISIT_DUE else WARNING
    item = f"visit/{v.visit.id}"
    return _card(subject, program, kind, item, summary, lines, indicator)


def _dose_card(pp: ProgramPlan, d: PlannedDose, plan: Plan, subject: str) -> dict[str, Any]:
    kind = DOSE_DUE if d.status == "due" else DOSE_MISSED
    program = pp.program
    summary = _SUMMARIES[kind].format(
        dose=pick(d.dose.title, "sv"),
        program=program_label(program, "sv"),
        end=d.window.end.isoformat(),
    )
    given_at = next((v for v in program.schedule if v.id == d.dose.given_at), None)

    def lines(lang: str) -> list[str]:
        out = [
            _row(_WORDS["dose"], pick(d.dose.title, lang), lang),
            _row(UI["program"], _program_line(program, lang), lang),
            _row(UI["window"], _window(d.window, d.days_left(plan.as_of), lang), lang),
            _row(UI["target"], d.target.isoformat(), lang),
        ]
        if given_at is not None:
            out.append(_row(_WORDS["given_at"], pick(given_at.title, lang), lang))
        if d.status == "missed":
            out.append(_paragraph(_WORDS["dose_missed"], lang))
        return out

    indicator = INFO if kind == DOSE_DUE else WARNING
    return _card(subject, program, kind, f"dose/{d.dose.id}", summary, lines, indicator)


def _screening_card(
    pp: ProgramPlan,
    occasion: ScreeningOccasion,
    subject: str,
    instruments: Mapping[str, Instrument],
) -> dict[str, Any]:
    program = pp.program
    v = occasion.visit
    found = instruments.get(occasion.instrument)

    def instrument_name(lang: str) -> str:
        return short_title(found.title, lang) if found is not None else occasion.instrument

    summary = _SUMMARIES[SCREENING_DUE].format(
        instrument=instrument_name("sv"),
        visit=pick(v.visit.title, "sv"),
        program=program_label(program, "sv"),
    )

    def lines(lang: str) -> list[str]:
        title = pick(found.title, lang) if found is not None else occasion.instrument
        return [
            _row(_WORDS["instrument"], title, lang),
            _row(UI["visit"], pick(v.visit.title, lang), lang),
            _row(UI["program"], _program_line(program, lang), lang),
            _row(UI["window"], _window(v.window, None, lang), lang),
        ]

    item = f"screening/{occasion.instrument}/{v.visit.id}"
    return _card(subject, program, SCREENING_DUE, item, summary, lines, INFO)


def _domain_card(
    pp: ProgramPlan, result: ScreeningResult, d: DomainResult, subject: str
) -> dict[str, Any]:
    program = pp.program
    action = d.action
    level = action.level if action is not None else "conversation"
    summary = _SUMMARIES[DOMAIN_FLAGGED].format(
        instrument=short_title(result.instrument.title, "sv"),
        domain=pick(d.domain.title, "sv"),
        change=pick(CHANGE_TEXT[d.change], "sv"),
        action=pick(ACTION_LEVELS[level], "sv"),
    )
    response = result.response

    def lines(lang: str) -> list[str]:
        instrument = result.instrument
        out = [
            _row(_WORDS["domain"], pick(d.domain.title, lang), lang),
            _row(
                _WORDS["instrument"],
                f"{pick(instrument.title, lang)} ({instrument.id} {instrument.version})",
                lang,
            ),
            _row(_WORDS["answered"], response.date.isoformat(), lang),
        ]
        if response.respondent is not None:
            out.append(
                _row(_WORDS["respondent"], respondent_label(response.respondent, lang), lang)
            )
        out.append(_row(_WORDS["change"], pick(CHANGE_TEXT[d.change], lang), lang))
        out.append(_row(UI["program"], _program_line(program, lang), lang))
        if action is not None:
            out.append(_row(_WORDS["action"], pick(action.text, lang), lang))
            if action.follow_up_by:
                roles = ", ".join(role_label(r, lang, program.roles) for r in action.follow_up_by)
                out.append(_row(_WORDS["follow_up"], roles, lang))
        out.append(_paragraph(_WORDS["no_report"], lang))
        return out

    respondent = response.respondent or "-"
    item = f"domain/{result.instrument.id}/{respondent}/{d.domain.id}/{response.date.isoformat()}"
    indicator = _FLAG_INDICATORS.get(level, WARNING)
    return _card(subject, program, DOMAIN_FLAGGED, item, summary, lines, indicator)


def _card(
    subject: str,
    program: Program,
    kind: str,
    item: str,
    summary: str,
    lines: Callable[[str], list[str]],
    indicator: str,
) -> dict[str, Any]:
    """One card: the uuid from what it is about, the detail in Swedish then English."""
    parts = []
    for lang in LANGS:
        heading = f"**{pick(_WORDS['english'], lang)}**" if lang != "sv" else None
        body = "  \n".join(lines(lang))
        parts.append(f"{heading}\n\n{body}" if heading else body)
    key = "\n".join((subject, program.id, kind, item))
    return {
        "uuid": str(uuid.uuid5(CARD_NAMESPACE, key)),
        "summary": _shortened(summary),
        "detail": "\n\n---\n\n".join(parts),
        "indicator": indicator,
        "source": {
            "label": f"hembesok · {program.id} {program.version}",
            "topic": {"system": TOPIC_SYSTEM, "code": kind, "display": TOPICS[kind]["sv"]},
        },
    }


def _window(window: Window, left: int | None, lang: str) -> str:
    """The window's dates, and the days left in it while it is open."""
    text = f"{window.start.isoformat()} – {window.end.isoformat()}"
    if left is None:
        return text
    return f"{text} ({days_left_label(left, lang)})"


def _program_line(program: Program, lang: str) -> str:
    return f"{pick(program.title, lang)} ({program.id} {program.version})"


def _row(label: Text, value: str, lang: str) -> str:
    return f"**{pick(label, lang)}:** {_escaped(value)}"


def _paragraph(text: Text, lang: str) -> str:
    """A sentence of its own after the rows (the rows end in Markdown's hard line breaks)."""
    return "\n" + pick(text, lang)


def _escaped(text: str) -> str:
    """Text from a program file as Markdown shows it: no link, emphasis or HTML of its own."""
    return "".join(f"\\{c}" if c in _MARKDOWN else c for c in text)


def _shortened(summary: str) -> str:
    if len(summary) <= SUMMARY_LIMIT:
        return summary
    return summary[: SUMMARY_LIMIT - 1].rstrip() + "…"

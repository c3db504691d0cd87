"""Screening results as text: per domain its status, change and action, never the answers."""

from __future__ import annotations

from collections.abc import Callable

from hembesok.model.plan import ProgramPlan
from hembesok.model.screening import (
    CHANGE_TEXT,
    FLAGGED,
    RESOLVED,
    STATUS_TEXT,
    UNDETERMINED,
    ScreeningResult,
)
from hembesok.model.texts import STATUSES, pick, respondent_label, role_label
from hembesok.render.table import table

_REPRESENTATIVE = {
    "sv": "Obs: frågetexterna är skrivna för hembesok och ersätter inte det officiella eller licensierade formuläret.",
    "en": "Note: the item texts are written for hembesok and do not replace the official or licensed form.",
}
_HEAD = {
    "sv": ("Område", "Resultat", "Jämfört med förra tillfället", "Poäng"),
    "en": ("Domain", "Result", "Since last time", "Score"),
}


def screening_text(result: ScreeningResult, lang: str) -> str:
    i, r = result.instrument, result.response
    who = f", {respondent_label(r.respondent, lang)}" if r.respondent else ""
    since = ""
    if result.previous_date is not None:
        since = f" ({'jämfört med' if lang == 'sv' else 'compared with'} {result.previous_date.isoformat()})"
    lines = [
        f"{pick(i.title, lang)}  [{i.id} {i.version}]  {r.date.isoformat()}{who}, {r.language}{since}"
    ]
    if i.representative:
        lines.append(_REPRESENTATIVE[lang])
    rows = [list(_HEAD[lang])]
    for d in result.domains:
        score = (
            ""
            if d.score is None
            else f"{d.score:g} / {d.threshold:g}"
            if d.threshold is not None
            else f"{d.score:g} / –"
        )
        rows.append(
            [
                pick(d.domain.title, lang),
                pick(STATUS_TEXT[d.status], lang),
                pick(CHANGE_TEXT[d.change], lang),
                score,
            ]
        )
    lines.extend(table(rows, "  "))
    for d in result.domains:
        if d.status == FLAGGED and d.domain.action is not None:
            action = d.domain.action
            roles = ", ".join(role_label(role, lang) for role in action.follow_up_by)
            lines.append(f"  → {pick(d.domain.title, lang)}: {pick(action.text, lang)} ({roles})")
        if d.missing_items and d.status != FLAGGED:
            label = "obesvarade frågor" if lang == "sv" else "unanswered items"
            lines.append(f"  ? {pick(d.domain.title, lang)}: {label}: {', '.join(d.missing_items)}")
        note = d.note(r.language)
        if note is not None:
            lines.append(f"  ! {pick(d.domain.title, lang)}: {pick(note, lang)}")
    return "\n".join(lines) + "\n"


def occasions_lines(
    pp: ProgramPlan, lang: str, instrument_title: Callable[[str], str] = str
) -> list[str]:
    """A program's screening occasions: due, answered, not answered or missed, and what the
    answers gave. `instrument_title` names an instrument by its id."""
    if not pp.screenings:
        return []
    head = {
        "sv": ("Frågeformulär", "Vid besök", "Tidsintervall", "Status", "Resultat"),
        "en": ("Questionnaire", "At visit", "Window", "Status", "Result"),
    }[lang]
    rows = [list(head)]
    for occ in pp.screenings:
        outcome = "; ".join(_result_summary(r, lang) for r in occ.results)
        rows.append(
            [
                instrument_title(occ.instrument),
                pick(occ.visit.visit.title, lang),
                f"{occ.visit.window.start.isoformat()} – {occ.visit.window.end.isoformat()}",
                pick(STATUSES[occ.status], lang),
                outcome,
            ]
        )
    return ["", *table(rows, "  ")]


def _result_summary(result: ScreeningResult, lang: str) -> str:
    respondent = result.response.respondent
    who = f"{respondent_label(respondent, lang)}: " if respondent else ""
    flagged = [
        f"{pick(d.domain.title, lang)} ({pick(CHANGE_TEXT[d.change], lang)})"
        for d in result.domains
        if d.status == FLAGGED
    ]
    open_ = [pick(d.domain.title, lang) for d in result.domains if d.status == UNDETERMINED]
    resolved = [pick(d.domain.title, lang) for d in result.domains if d.change == RESOLVED]
    parts = []
    if flagged:
        parts.append(("flaggat: " if lang == "sv" else "flagged: ") + ", ".join(flagged))
    if open_:
        parts.append(
            ("kan inte avgöras: " if lang == "sv" else "undetermined: ") + ", ".join(open_)
        )
    if resolved:
        parts.append(("upphört: " if lang == "sv" else "resolved: ") + ", ".join(resolved))
    return who + (
        "; ".join(parts) if parts else ("inget flaggat" if lang == "sv" else "nothing flagged")
    )

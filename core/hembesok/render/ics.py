"""A plan as an iCalendar file (RFC 5545), for a family's or a nurse's calendar app.

One all-day event per visit of every program the family is offered, on the visit's
target date (a done visit on the day it was done), its window and the rest in the
description, in Swedish and then English. The `icalendar` library (the optional extra
`hembesok[ics]`) writes the text: escaping and line folding are its job, not ours.
Every choice is in docs/ics.md and docs/decisions/0024-ics-and-html-plan.md.

The output depends on the plan alone (DTSTAMP is the plan's `as_of`), so the same case
on the same date gives the same bytes, and the UIDs let a calendar replace last week's
events with this week's instead of adding them twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from icalendar import Calendar, Event

from hembesok.model.plan import ELIGIBLE, PlannedVisit, ProgramPlan, VisitRef
from hembesok.model.texts import LANGS, SETTINGS, STATUSES, UI, Text, pick, role_label, short_title
from hembesok.version import __version__

if TYPE_CHECKING:
    from hembesok.language.program import Program, Visit
    from hembesok.model.plan import Plan
    from hembesok.render.state import RenderState

MEDIA_TYPE = "text/calendar"
PRODID = f"-//hembesok//hembesok {__version__}//SV"
UID_DOMAIN = "hembesok"
#: What a visit's status means to a calendar: a target date is not a booked time
#: (TENTATIVE), a done visit happened (CONFIRMED), one that will not be held is CANCELLED.
EVENT_STATUS = {
    "done": "CONFIRMED",
    "upcoming": "TENTATIVE",
    "due": "TENTATIVE",
    "missed": "TENTATIVE",
    "replaced": "CANCELLED",
    "not_offered": "CANCELLED",
    "declined": "CANCELLED",
}
ONE_DAY = dt.timedelta(days=1)


def event_uid(case_ref: str | None, program_id: str, visit_id: str, target: dt.date) -> str:
    """A UID that stays the same for one case, program and visit across runs and dates.

    A hash, so the case's reference is not shown in the calendar. Without a case_ref the
    visit's target date stands in for the case (it follows from the birth date): stable
    for the same child, though twins without a case_ref share their UIDs (docs/ics.md).
    """
    who = f"ref:{case_ref}" if case_ref is not None else f"target:{target.isoformat()}"
    key = "\x1f".join(("hembesok-ics-1", who, program_id, visit_id))
    return f"{hashlib.sha256(key.encode('utf-8')).hexdigest()[:32]}@{UID_DOMAIN}"


class _VisitTexts:
    """The words of one visit that depend on its program alone, per language."""

    __slots__ = ("lines", "summary", "visit")

    def __init__(self, program: Program, visit: Visit, doses: dict[str, list[str]]) -> None:
        self.visit = visit
        name = _program_name(program, "sv")
        self.summary = f"{name}: {pick(visit.title, 'sv')}"
        self.lines: dict[str, tuple[str, ...]] = {}
        for lang in LANGS:
            staff = ", ".join(role_label(r, lang, program.roles) for r in visit.staff)
            lines = [
                f"{_program_name(program, lang)}: {pick(visit.title, lang)}",
                f"{pick(UI['setting'], lang)}: {pick(SETTINGS.get(visit.setting), lang) or visit.setting}",
                f"{pick(UI['staff'], lang)}: {staff}",
            ]
            given = doses.get(f"{lang}:{visit.id}")
            if given:
                lines.append(f"{pick(UI['vaccinations'], lang)}: {', '.join(given)}")
            lines.append(f"{pick(UI['program'], lang)}: {program.id} {program.version}")
            self.lines[lang] = tuple(lines)


class _ProgramTexts:
    """Every visit's `_VisitTexts` for one program, made the first time it is written."""

    __slots__ = ("program", "visits")

    def __init__(self, program: Program) -> None:
        self.program = program
        doses: dict[str, list[str]] = {}
        for dose in program.vaccinations:
            if dose.given_at is not None:
                for lang in LANGS:
                    doses.setdefault(f"{lang}:{dose.given_at}", []).append(pick(dose.title, lang))
        self.visits = {v.id: _VisitTexts(program, v, doses) for v in program.schedule}

    def visit(self, visit: Visit) -> _VisitTexts:
        found = self.visits.get(visit.id)
        if found is not None and found.visit is visit:
            return found
        return _VisitTexts(self.program, visit, {})  # a visit a plugin made up: not kept


def _program_name(program: Program, lang: str) -> str:
    short = program.definition.get("short_title")
    return pick(short, lang) if short else short_title(program.title, lang)


def _prepared(state: RenderState, program: Program) -> _ProgramTexts:
    """The program's texts from the pipeline's state (one entry per program of the engine)."""
    kept: dict[str, _ProgramTexts] = state.prepared.setdefault("ics", {})
    found = kept.get(program.id)
    if found is None or found.program is not program:
        found = kept[program.id] = _ProgramTexts(program)
    return found


def write_ics(plan: Plan, state: RenderState) -> bytes:
    """The plan's visits of the programs the family is offered, as one VCALENDAR."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    stamp = dt.datetime.combine(plan.as_of, dt.time(), tzinfo=dt.UTC)
    titles: dict[VisitRef, tuple[Program, Text]] = {
        (pp.program.id, v.visit.id): (pp.program, v.visit.title)
        for pp in plan.programs
        for v in pp.visits
    }
    for pp in plan.programs:
        if pp.decision.status != ELIGIBLE:
            continue
        texts = _prepared(state, pp.program)
        for planned in pp.visits:
            cal.add_component(_event(plan, pp, planned, texts.visit(planned.visit), stamp, titles))
    return bytes(cal.to_ical())


def _event(
    plan: Plan,
    pp: ProgramPlan,
    planned: PlannedVisit,
    texts: _VisitTexts,
    stamp: dt.datetime,
    titles: Mapping[VisitRef, tuple[Program, Text]],
) -> Event:
    day = planned.done_on if planned.done_on is not None else planned.target
    event = Event()
    event.add("uid", event_uid(plan.case_ref, pp.program.id, planned.visit.id, planned.target))
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + ONE_DAY)
    event.add("summary", texts.summary, parameters={"LANGUAGE": "sv"})
    event.add("description", "\n\n".join(_description(planned, texts, titles)))
    event.add("status", EVENT_STATUS.get(planned.status, "TENTATIVE"))
    event.add("transp", "TRANSPARENT")  # a target date does not make the day busy
    event.add("categories", [pp.program.id])
    return event


def _description(
    planned: PlannedVisit, texts: _VisitTexts, titles: Mapping[VisitRef, tuple[Program, Text]]
) -> Iterator[str]:
    window = planned.window
    for lang in LANGS:
        head, *rest = texts.lines[lang]
        status = pick(STATUSES.get(planned.status), lang) or planned.status
        if planned.done_on is not None:
            status = f"{status} {planned.done_on.isoformat()}"
        if planned.replaced_by is not None:
            found = titles.get(planned.replaced_by)
            named = (
                f"{_program_name(found[0], lang)}: {pick(found[1], lang)}"
                if found is not None
                else ": ".join(planned.replaced_by)
            )
            status = f"{status} ({pick(UI['by'], lang)} {named})"
        yield "\n".join(
            (
                head,
                f"{pick(UI['target'], lang)}: {planned.target.isoformat()}",
                f"{pick(UI['window'], lang)}: {window.start.isoformat()} – {window.end.isoformat()}",
                f"{pick(UI['status'], lang)}: {status}",
                *rest,
            )
        )

"""The plan's JSON as compact UTF-8 bytes, written from fragments prepared once per program.

A plan is some 15 kB of JSON, and most of it depends on the program alone: titles,
staff, settings, topics, provenance and the words of every prepared reason. `PlanWriter`
writes those fragments the first time it meets a program (or an instrument) and then,
per case, joins them with what varies: dates, statuses, and the few reasons built for
one case. The bytes are those of `json_text.dumps(plan.to_json())` (tests compare them),
without building the dictionaries.

One writer serves one engine for its lifetime; it holds a reference to every program
and instrument it prepared, so a fragment can never be mistaken for another's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from hembesok.io.json_text import dumps as default_dumps
from hembesok.model.instrument import Domain, Instrument
from hembesok.model.plan import (
    PLAN_SCHEMA_ID,
    Plan,
    PlannedDose,
    PlannedVisit,
    ProgramPlan,
    Reason,
    ScreeningOccasion,
    TimelineEntry,
)
from hembesok.model.screening import FLAGGED, SCREENING_SCHEMA_ID, DomainResult, ScreeningResult

Dumps = Callable[[Any], bytes]
#: Dates a writer keeps the text of (every day of about 27 years).
DATES_REMEMBERED = 10_000


class _Visit:
    """The fixed parts of one visit's JSON, in the plan and on the timeline."""

    __slots__ = (
        "basis",
        "head",
        "staff_setting",
        "tail",
        "timeline_head",
        "timeline_middle",
        "visit",
    )

    def __init__(self, program_id: str, visit: Any, dumps: Dumps) -> None:
        self.visit = visit
        title = dumps(dict(visit.title))
        staff = dumps(list(visit.staff))
        setting = dumps(visit.setting)
        self.head = b'{"id":' + dumps(visit.id) + b',"title":' + title + b',"target_date":"'
        self.staff_setting = b'"},"staff":' + staff + b',"setting":' + setting + b',"status":"'
        self.tail = b'","topics":' + dumps([dict(t) for t in visit.topics])
        self.basis = b'","age_basis":"'
        self.timeline_head = (
            b',"program":' + dumps(program_id) + b',"visit":' + dumps(visit.id)
            + b',"title":' + title + b',"status":"'
        )  # fmt: skip
        self.timeline_middle = b'"},"staff":' + staff + b',"setting":' + setting + b',"replaces":'


class _Dose:
    """The fixed parts of one vaccine dose's JSON."""

    __slots__ = ("dose", "given_at", "head")

    def __init__(self, dose: Any, dumps: Dumps) -> None:
        self.dose = dose
        self.head = (
            b'{"id":' + dumps(dose.id) + b',"vaccine":' + dumps(dose.vaccine)
            + b',"dose":' + dumps(dose.number) + b',"title":' + dumps(dict(dose.title))
            + b',"target_date":"'
        )  # fmt: skip
        self.given_at = b',"given_at":' + dumps(dose.given_at) if dose.given_at is not None else b""


class _Program:
    __slots__ = ("doses", "head", "reasons", "visits")

    def __init__(self, pp: ProgramPlan, dumps: Dumps) -> None:
        p = pp.program
        header = {
            "id": p.id,
            "version": p.version,
            "title": dict(p.title),
            "sha256": p.sha256,
            "distribution": p.distribution,
        }
        self.head = b'{"program":' + dumps(header) + b',"decision":{"status":"'
        self.visits = {v.id: _Visit(p.id, v, dumps) for v in p.schedule}
        self.doses = {d.id: _Dose(d, dumps) for d in p.vaccinations}
        self.reasons: dict[int, tuple[Reason, bytes]] = {
            id(r): (r, dumps(r.to_json())) for r in p.evaluator.prepared_reasons()
        }


class _Domain:
    __slots__ = ("action", "head")

    def __init__(self, domain: Domain, dumps: Dumps) -> None:
        self.head = b'{"id":' + dumps(domain.id) + b',"title":' + dumps(dict(domain.title))
        self.head += b',"status":"'
        action = domain.action
        self.action = (
            b',"action":'
            + dumps(
                {
                    "level": action.level,
                    "text": dict(action.text),
                    "follow_up_by": list(action.follow_up_by),
                }
            )
            if action is not None
            else b""
        )


class _Instrument:
    __slots__ = ("domains", "head")

    def __init__(self, i: Instrument, dumps: Dumps) -> None:
        header = {
            "id": i.id,
            "version": i.version,
            "title": dict(i.title),
            "sha256": i.sha256,
            "representative": i.representative,
            "distribution": i.distribution,
        }
        self.head = (
            b'{"$schema":' + dumps(SCREENING_SCHEMA_ID) + b',"instrument":' + dumps(header)
            + b',"date":"'
        )  # fmt: skip
        self.domains = {d.id: _Domain(d, dumps) for d in i.domains}


class PlanWriter:
    """Writes plans of one engine's programs as JSON bytes, preparing each program once."""

    def __init__(self, dumps: Dumps = default_dumps) -> None:
        self.dumps = dumps
        self._programs: dict[int, tuple[Any, _Program]] = {}
        self._instruments: dict[int, tuple[Instrument, _Instrument]] = {}
        self._dates: dict[dt.date, bytes] = {}

    def _date(self, day: dt.date) -> bytes:
        """A date as JSON text without its quotes; the same few thousand dates recur."""
        known = self._dates.get(day)
        if known is None:
            if len(self._dates) >= DATES_REMEMBERED:
                self._dates.clear()
            known = self._dates[day] = day.isoformat().encode()
        return known

    def _program(self, pp: ProgramPlan) -> _Program:
        known = self._programs.get(id(pp.program))
        if known is None or known[0] is not pp.program:
            known = (pp.program, _Program(pp, self.dumps))
            self._programs[id(pp.program)] = known
        return known[1]

    def _instrument(self, instrument: Instrument) -> _Instrument:
        known = self._instruments.get(id(instrument))
        if known is None or known[0] is not instrument:
            known = (instrument, _Instrument(instrument, self.dumps))
            self._instruments[id(instrument)] = known
        return known[1]

    def plan(self, plan: Plan) -> bytes:
        """The plan as `dumps(plan.to_json())` writes it."""
        dumps = self.dumps
        out = [
            b'{"$schema":' + dumps(PLAN_SCHEMA_ID) + b',"as_of":"',
            self._date(plan.as_of),
            b'","engine":{"name":"hembesok","version":'
            + dumps(plan.engine_version)
            + b'},"programs":[',
        ]
        for index, pp in enumerate(plan.programs):
            if index:
                out.append(b",")
            self._write_program(pp, plan.as_of, out)
        out.append(b'],"timeline":[')
        prepared = {pp.program.id: self._program(pp) for pp in plan.programs}
        for index, entry in enumerate(plan.timeline):
            if index:
                out.append(b",")
            self._write_entry(entry, prepared, out)
        out.append(b"]")
        if plan.case_ref is not None:
            out.append(b',"case_ref":' + dumps(plan.case_ref))
        out.append(b"}")
        return b"".join(out)

    def _write_program(self, pp: ProgramPlan, as_of: dt.date, out: list[bytes]) -> None:
        dumps = self.dumps
        prepared = self._program(pp)
        d = pp.decision
        out.append(prepared.head)
        out.append(d.status.encode())
        out.append(b'","reasons":[')
        for index, reason in enumerate(d.reasons):
            if index:
                out.append(b",")
            known = prepared.reasons.get(id(reason))
            out.append(
                known[1] if known is not None and known[0] is reason else dumps(reason.to_json())
            )
        out.append(b'],"missing_facts":' + dumps(list(d.missing_facts)))
        out.append(b',"declined":true' if d.declined else b',"declined":false')
        if d.enrolment_date is not None:
            out.append(b',"enrolment_date":"' + self._date(d.enrolment_date) + b'"')
        out.append(b'},"visits":[')
        for index, visit in enumerate(pp.visits):
            if index:
                out.append(b",")
            self._write_visit(prepared, visit, as_of, out)
        out.append(b'],"screenings":[')
        for index, occasion in enumerate(pp.screenings):
            if index:
                out.append(b",")
            self._write_occasion(occasion, out)
        out.append(b'],"vaccinations":[')
        for index, dose in enumerate(pp.vaccinations):
            if index:
                out.append(b",")
            self._write_dose(prepared, dose, as_of, out)
        out.append(b"]")
        if pp.error is not None:
            out.append(b',"error":' + dumps(pp.error.to_json()))
        out.append(b"}")

    def _write_visit(
        self, prepared: _Program, v: PlannedVisit, as_of: dt.date, out: list[bytes]
    ) -> None:
        fixed = prepared.visits.get(v.visit.id)
        if fixed is None or fixed.visit is not v.visit:  # a visit a plugin made up
            out.append(self.dumps(v.to_json(as_of)))
            return
        out += (
            fixed.head, self._date(v.target),
            b'","window":{"start":"', self._date(v.window.start),
            b'","end":"', self._date(v.window.end),
            fixed.staff_setting, v.status.encode(), fixed.basis, v.basis.encode(), fixed.tail,
        )  # fmt: skip
        if v.done_on is not None:
            out.append(b',"done_on":"' + self._date(v.done_on) + b'"')
        if v.replaced_by is not None:
            out.append(
                b',"replaced_by":'
                + self.dumps({"program": v.replaced_by[0], "visit": v.replaced_by[1]})
            )
        if v.status == "due":
            out.append(b',"days_left":%d' % (v.window.end - as_of).days)
        out.append(b"}")

    def _write_dose(
        self, prepared: _Program, d: PlannedDose, as_of: dt.date, out: list[bytes]
    ) -> None:
        fixed = prepared.doses.get(d.dose.id)
        if fixed is None or fixed.dose is not d.dose:
            out.append(self.dumps(d.to_json(as_of)))
            return
        out += (
            fixed.head, self._date(d.target),
            b'","window":{"start":"', self._date(d.window.start),
            b'","end":"', self._date(d.window.end),
            b'"},"status":"', d.status.encode(), b'"', fixed.given_at,
        )  # fmt: skip
        if d.given_on is not None:
            out.append(b',"given_on":"' + self._date(d.given_on) + b'"')
        if d.status == "due":
            out.append(b',"days_left":%d' % (d.window.end - as_of).days)
        out.append(b"}")

    def _write_occasion(self, occasion: ScreeningOccasion, out: list[bytes]) -> None:
        window = occasion.visit.window
        out.append(
            b'{"instrument":' + self.dumps(occasion.instrument)
            + b',"visit":' + self.dumps(occasion.visit.visit.id)
            + b',"status":"' + occasion.status.encode()
            + b'","window":{"start":"' + self._date(window.start)
            + b'","end":"' + self._date(window.end) + b'"},"results":['
        )  # fmt: skip
        for index, result in enumerate(occasion.results):
            if index:
                out.append(b",")
            out.append(self.result(result))
        out.append(b"]}")

    def result(self, result: ScreeningResult) -> bytes:
        """One screening result as `dumps(result.to_json())` writes it."""
        dumps = self.dumps
        prepared = self._instrument(result.instrument)
        r = result.response
        out = [prepared.head, self._date(r.date), b'","language":' + dumps(r.language)]
        out.append(b',"domains":[')
        for index, d in enumerate(result.domains):
            if index:
                out.append(b",")
            out.append(self._domain(prepared, d, r.language))
        flagged = [d.domain.id for d in result.domains if d.status == FLAGGED]
        out.append(b'],"flagged":' + dumps(flagged))
        if r.respondent is not None:
            out.append(b',"respondent":' + dumps(r.respondent))
        if r.occasion is not None:
            out.append(b',"occasion":' + dumps(r.occasion))
        if result.previous_date is not None:
            out.append(b',"compared_with":"' + self._date(result.previous_date) + b'"')
        out.append(b"}")
        return b"".join(out)

    def _domain(self, prepared: _Instrument, d: DomainResult, language: str) -> bytes:
        fixed = prepared.domains.get(d.domain.id)
        if fixed is None:
            return self.dumps(d.to_json(language))
        dumps = self.dumps
        parts = [
            fixed.head, d.status.encode(), b'","change":"', d.change.encode(),
            b'","deciding_items":', dumps(list(d.deciding_items)),
            b',"missing_items":', dumps(list(d.missing_items)),
        ]  # fmt: skip
        if d.score is not None:
            parts.append(b',"score":' + dumps(d.score) + b',"threshold":' + dumps(d.threshold))
            parts.append(b',"threshold_basis":' + dumps(d.basis))
            note = d.note(language)
            if note is not None:
                parts.append(b',"note":' + dumps(dict(note)))
        if d.status == FLAGGED:
            parts.append(fixed.action)
        parts.append(b"}")
        return b"".join(parts)

    def _write_entry(
        self, entry: TimelineEntry, prepared: dict[str, _Program], out: list[bytes]
    ) -> None:
        v = entry.visit
        program = prepared.get(entry.program.program.id)
        fixed = program.visits.get(v.visit.id) if program is not None else None
        if fixed is None or fixed.visit is not v.visit:
            out.append(self.dumps(entry.to_json()))
            return
        out += (
            b'{"date":"', self._date(v.target), b'"', fixed.timeline_head,
            v.status.encode(),
            b'","window":{"start":"', self._date(v.window.start),
            b'","end":"', self._date(v.window.end),
            fixed.timeline_middle, _refs(entry.replaces, self.dumps),
            b',"join_with":', _refs(entry.join_with, self.dumps),
            b',"same_contact":', _refs(entry.same_contact, self.dumps), b"}",
        )  # fmt: skip


def _refs(refs: Iterable[tuple[str, str]], dumps: Dumps) -> bytes:
    return dumps([{"program": p, "visit": v} for p, v in refs])

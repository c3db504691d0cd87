"""What the engine answers: decisions, planned visits and provenance, and their JSON form.

Statuses are computed for one `as_of` date and never stored; the JSON form is the
contract described by schemas/plan.schema.json.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hembesok.language.conditions import Trace
from hembesok.model.ages import Window
from hembesok.model.program import Program, Visit
from hembesok.model.screening import ScreeningResult
from hembesok.model.texts import Text
from hembesok.model.truth import Truth

if TYPE_CHECKING:
    from hembesok.engine.timeline import TimelineEntry

ELIGIBLE, NOT_ELIGIBLE, UNDETERMINED = "eligible", "not_eligible", "undetermined"
VISIT_STATUSES = (
    "upcoming",
    "due",
    "overdue",
    "missed",
    "done",
    "not_offered",
    "declined",
    "replaced",
)


@dataclass(frozen=True)
class Reason:
    """One rule that took part in a decision, how it came out, and in which words."""

    rule: str  # where the rule stands: a JSON path in the program file, or sites / valid_from
    truth: Truth
    text: Text
    facts: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "result": self.truth.value,
            "text": dict(self.text),
            "facts": list(self.facts),
        }


@dataclass(frozen=True)
class Decision:
    status: str
    reasons: tuple[Reason, ...]
    missing_facts: tuple[str, ...] = ()
    trace: Trace | None = None
    enrolment_date: dt.date | None = None
    declined: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": self.status,
            "reasons": [r.to_json() for r in self.reasons],
            "missing_facts": list(self.missing_facts),
            "declined": self.declined,
        }
        if self.enrolment_date is not None:
            out["enrolment_date"] = self.enrolment_date.isoformat()
        return out


@dataclass(frozen=True)
class PlannedVisit:
    visit: Visit
    target: dt.date
    window: Window
    status: str
    done_on: dt.date | None = None
    replaced_by: tuple[str, str] | None = None  # (program id, visit id) that takes its place

    def to_json(self, program: Program) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.visit.id,
            "title": dict(self.visit.title),
            "target_date": self.target.isoformat(),
            "window": {"start": self.window.start.isoformat(), "end": self.window.end.isoformat()},
            "staff": list(self.visit.staff),
            "setting": self.visit.setting,
            "status": self.status,
            "topics": [dict(t) for t in self.visit.topics],
        }
        if self.done_on is not None:
            out["done_on"] = self.done_on.isoformat()
        if self.replaced_by is not None:
            out["replaced_by"] = {"program": self.replaced_by[0], "visit": self.replaced_by[1]}
        return out


@dataclass(frozen=True)
class ScreeningOccasion:
    """A questionnaire due at one visit: its status and the results of responses given there."""

    instrument: str
    visit: PlannedVisit
    status: str
    results: tuple[ScreeningResult, ...] = ()

    def to_json(self) -> dict[str, Any]:
        window = self.visit.window
        return {
            "instrument": self.instrument,
            "visit": self.visit.visit.id,
            "status": self.status,
            "window": {"start": window.start.isoformat(), "end": window.end.isoformat()},
            "results": [r.to_json() for r in self.results],
        }


@dataclass(frozen=True)
class ProgramPlan:
    program: Program
    decision: Decision
    visits: tuple[PlannedVisit, ...]
    screenings: tuple[ScreeningOccasion, ...] = ()

    def to_json(self) -> dict[str, Any]:
        p = self.program
        return {
            "program": {
                "id": p.id,
                "version": p.version,
                "title": dict(p.title),
                "sha256": p.sha256,
                "distribution": p.distribution,
            },
            "decision": self.decision.to_json(),
            "visits": [v.to_json(p) for v in self.visits],
            "screenings": [s.to_json() for s in self.screenings],
        }


@dataclass(frozen=True)
class Plan:
    as_of: dt.date
    programs: tuple[ProgramPlan, ...]
    engine_version: str
    case_ref: str | None = None
    timeline: tuple[TimelineEntry, ...] = ()

    def program(self, program_id: str) -> ProgramPlan:
        for plan in self.programs:
            if plan.program.id == program_id:
                return plan
        raise KeyError(program_id)

    def to_json(self) -> dict[str, Any]:
        from hembesok.io.schemas import schema_id

        out: dict[str, Any] = {
            "$schema": schema_id("plan"),
            "as_of": self.as_of.isoformat(),
            "engine": {"name": "hembesok", "version": self.engine_version},
            "programs": [p.to_json() for p in self.programs],
            "timeline": [e.to_json() for e in self.timeline],
        }
        if self.case_ref is not None:
            out["case_ref"] = self.case_ref
        return out

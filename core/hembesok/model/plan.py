"""What the engine answers: decisions, planned visits, screening occasions, one timeline.

Statuses are computed for one `as_of` date and never stored. The objects are made for
every case, so they are light: planned visits are named tuples, the others slotted
classes, and what only an explanation or the full plan needs (the condition trace, the
merged timeline) is built when it is first read. Treat them as read-only: a reason's
words are shared by every plan of the same engine.

`to_json` gives the plan's JSON data as schemas/plan.schema.json describes it;
hembesok.render.plan_json writes the same document as bytes without building it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from hembesok.model.ages import Window
from hembesok.model.texts import Text
from hembesok.model.truth import Truth

if TYPE_CHECKING:
    from hembesok.language.conditions import Trace
    from hembesok.language.program import Dose, Program, Site, Visit
    from hembesok.model.screening import ScreeningResult

ELIGIBLE, NOT_ELIGIBLE, UNDETERMINED = "eligible", "not_eligible", "undetermined"
#: How a visit's dates were counted: from the birth date, or from the date the child
#: would have been born at term (docs/dates.md#corrected-age).
CHRONOLOGICAL, CORRECTED = "chronological", "corrected"
#: The `$id` of the plan schema, which every plan names (checked against the schema in tests).
PLAN_SCHEMA_ID = "urn:hembesok:schema:plan:1"

VisitRef = tuple[str, str]  # (program id, visit id)
#: How a decision's trace is made when read: (the condition, facts with `.facts` and `.as_of`).
Explain = tuple[Any, Any]
_new = tuple.__new__


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


class Decision(tuple[Any, ...]):
    """Whether the family is offered a program, why, and which facts would settle it.

    A tuple underneath, since one is made for every program of every case. `trace` (every
    rule's outcome with the facts' values) is worked out when it is read: plans need only
    the reasons, which are prepared once per rule.
    """

    __slots__ = ()

    def __new__(
        cls,
        status: str,
        reasons: tuple[Reason, ...],
        missing_facts: tuple[str, ...] = (),
        trace: Trace | None = None,
        enrolment_date: dt.date | None = None,
        declined: bool = False,
        *,
        explain: Explain | None = None,
        site: Site | None = None,
    ) -> Decision:
        how = trace if trace is not None else explain
        return _new(cls, (status, reasons, missing_facts, how, enrolment_date, declined, site))

    status: str = property(itemgetter(0))  # type: ignore[assignment]
    reasons: tuple[Reason, ...] = property(itemgetter(1))  # type: ignore[assignment]
    missing_facts: tuple[str, ...] = property(itemgetter(2))  # type: ignore[assignment]
    enrolment_date: dt.date | None = property(itemgetter(4))  # type: ignore[assignment]
    declined: bool = property(itemgetter(5))  # type: ignore[assignment]
    #: The listed site the decision was made at (sites.match), if one was found.
    site: Site | None = property(itemgetter(6))  # type: ignore[assignment]

    @property
    def trace(self) -> Trace | None:
        how = self[3]
        if isinstance(how, tuple):  # (the condition, what it is explained with)
            condition, facts = how
            return condition.explain(facts.facts, facts.as_of)  # type: ignore[no-any-return]
        return how  # type: ignore[no-any-return]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Decision):
            return NotImplemented
        return self[:3] == other[:3] and self[4:] == other[4:]

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Decision(status={self.status!r}, missing_facts={self.missing_facts!r}, "
            f"declined={self.declined!r})"
        )

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


class PlannedVisit(NamedTuple):
    visit: Visit
    target: dt.date
    window: Window
    status: str
    done_on: dt.date | None = None
    replaced_by: VisitRef | None = None  # (program id, visit id) that takes its place
    basis: str = CHRONOLOGICAL  # or CORRECTED: from which age the dates were counted

    def days_left(self, as_of: dt.date) -> int | None:
        """For a visit that is due: the days its window stays open after `as_of` (0: the
        last day is today)."""
        return (self.window.end - as_of).days if self.status == "due" else None

    def to_json(self, as_of: dt.date | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.visit.id,
            "title": dict(self.visit.title),
            "target_date": self.target.isoformat(),
            "window": {"start": self.window.start.isoformat(), "end": self.window.end.isoformat()},
            "staff": list(self.visit.staff),
            "setting": self.visit.setting,
            "status": self.status,
            "age_basis": self.basis,
            "topics": [dict(t) for t in self.visit.topics],
        }
        if self.done_on is not None:
            out["done_on"] = self.done_on.isoformat()
        if self.replaced_by is not None:
            out["replaced_by"] = {"program": self.replaced_by[0], "visit": self.replaced_by[1]}
        left = self.days_left(as_of) if as_of is not None else None
        if left is not None:
            out["days_left"] = left
        return out


class PlannedDose(NamedTuple):
    """One vaccine dose of a program's schedule for one child: always by chronological age."""

    dose: Dose
    target: dt.date
    window: Window
    status: str  # done, declined, upcoming, due, missed or not_started (docs/dates.md#vaccinations)
    given_on: dt.date | None = None

    def days_left(self, as_of: dt.date) -> int | None:
        return (self.window.end - as_of).days if self.status == "due" else None

    def to_json(self, as_of: dt.date | None = None) -> dict[str, Any]:
        d = self.dose
        out: dict[str, Any] = {
            "id": d.id,
            "vaccine": d.vaccine,
            "dose": d.number,
            "title": dict(d.title),
            "target_date": self.target.isoformat(),
            "window": {"start": self.window.start.isoformat(), "end": self.window.end.isoformat()},
            "status": self.status,
        }
        if d.given_at is not None:
            out["given_at"] = d.given_at
        if self.given_on is not None:
            out["given_on"] = self.given_on.isoformat()
        left = self.days_left(as_of) if as_of is not None else None
        if left is not None:
            out["days_left"] = left
        return out


class ScreeningOccasion(NamedTuple):
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
class PluginError:
    """A plugin that failed for this program: its distributions, the hook, and how."""

    plugins: tuple[str, ...]
    hook: str
    how: str

    def to_json(self) -> dict[str, Any]:
        return {"plugins": list(self.plugins), "hook": self.hook, "how": self.how}


class ProgramPlan(tuple[Any, ...]):
    """One program's part of a plan: the decision, the visits, the screening occasions, and,
    when a plugin failed for this program, what failed."""

    __slots__ = ()

    def __new__(
        cls,
        program: Program,
        decision: Decision,
        visits: tuple[PlannedVisit, ...],
        screenings: tuple[ScreeningOccasion, ...] = (),
        error: PluginError | None = None,
        vaccinations: tuple[PlannedDose, ...] = (),
    ) -> ProgramPlan:
        return _new(cls, (program, decision, visits, screenings, error, vaccinations))

    program: Program = property(itemgetter(0))  # type: ignore[assignment]
    decision: Decision = property(itemgetter(1))  # type: ignore[assignment]
    visits: tuple[PlannedVisit, ...] = property(itemgetter(2))  # type: ignore[assignment]
    screenings: tuple[ScreeningOccasion, ...] = property(itemgetter(3))  # type: ignore[assignment]
    error: PluginError | None = property(itemgetter(4))  # type: ignore[assignment]
    vaccinations: tuple[PlannedDose, ...] = property(itemgetter(5))  # type: ignore[assignment]

    def replace(self, **changes: Any) -> ProgramPlan:
        names = ("program", "decision", "visits", "screenings", "error", "vaccinations")
        fields = dict(zip(names, self, strict=True))
        return ProgramPlan(**{**fields, **changes})

    def __repr__(self) -> str:
        return f"ProgramPlan(program={self.program.id!r}, decision={self.decision!r})"

    def to_json(self, as_of: dt.date | None = None) -> dict[str, Any]:
        p = self.program
        out = {
            "program": {
                "id": p.id,
                "version": p.version,
                "title": dict(p.title),
                "sha256": p.sha256,
                "distribution": p.distribution,
            },
            "decision": self.decision.to_json(),
            "visits": [v.to_json(as_of) for v in self.visits],
            "screenings": [s.to_json() for s in self.screenings],
            "vaccinations": [d.to_json(as_of) for d in self.vaccinations],
        }
        if self.error is not None:
            out["error"] = self.error.to_json()
        return out


@dataclass(frozen=True)
class TimelineEntry:
    """One visit on the combined timeline of the programs the family is offered."""

    program: ProgramPlan
    visit: PlannedVisit
    replaces: tuple[VisitRef, ...] = ()
    join_with: tuple[VisitRef, ...] = ()
    same_contact: tuple[VisitRef, ...] = ()  # visits of other programs held at this one

    @property
    def ref(self) -> VisitRef:
        return (self.program.program.id, self.visit.visit.id)

    def to_json(self) -> dict[str, object]:
        return {
            "date": self.visit.target.isoformat(),
            "program": self.program.program.id,
            "visit": self.visit.visit.id,
            "title": dict(self.visit.visit.title),
            "status": self.visit.status,
            "window": {
                "start": self.visit.window.start.isoformat(),
                "end": self.visit.window.end.isoformat(),
            },
            "staff": list(self.visit.visit.staff),
            "setting": self.visit.visit.setting,
            "replaces": [{"program": p, "visit": v} for p, v in self.replaces],
            "join_with": [{"program": p, "visit": v} for p, v in self.join_with],
            "same_contact": [{"program": p, "visit": v} for p, v in self.same_contact],
        }


class Plan:
    """The answer for one case on one date: each program's part, and one timeline across them."""

    __slots__ = (
        "_merge",
        "_timeline",
        "as_of",
        "case_ref",
        "child_identifier",
        "engine_version",
        "programs",
    )

    def __init__(
        self,
        as_of: dt.date,
        programs: tuple[ProgramPlan, ...],
        engine_version: str,
        case_ref: str | None = None,
        timeline: tuple[TimelineEntry, ...] | Callable[[], tuple[TimelineEntry, ...]] = (),
        *,
        child_identifier: tuple[str, str] | None = None,
    ) -> None:
        self.as_of = as_of
        self.programs = programs
        self.engine_version = engine_version
        self.case_ref = case_ref
        #: (system, value) of the child's identity number when the case gave one; only
        #: formats that name the child carry it (FHIR's subject), the JSON plan does not
        self.child_identifier = child_identifier
        if callable(timeline):
            self._timeline: tuple[TimelineEntry, ...] | None = None
            self._merge: Callable[[], tuple[TimelineEntry, ...]] | None = timeline
        else:
            self._timeline, self._merge = timeline, None

    @property
    def timeline(self) -> tuple[TimelineEntry, ...]:
        if self._timeline is None:
            assert self._merge is not None
            self._timeline, self._merge = self._merge(), None
        return self._timeline

    def program(self, program_id: str) -> ProgramPlan:
        for plan in self.programs:
            if plan.program.id == program_id:
                return plan
        raise KeyError(program_id)

    def __repr__(self) -> str:
        ids = ", ".join(p.program.id for p in self.programs)
        return f"Plan(as_of={self.as_of.isoformat()}, programs=[{ids}])"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "$schema": PLAN_SCHEMA_ID,
            "as_of": self.as_of.isoformat(),
            "engine": {"name": "hembesok", "version": self.engine_version},
            "programs": [p.to_json(self.as_of) for p in self.programs],
            "timeline": [e.to_json() for e in self.timeline],
        }
        if self.case_ref is not None:
            out["case_ref"] = self.case_ref
        return out

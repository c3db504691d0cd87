"""The compact plan: what varies per case, with no texts (schemas/compact-plan.schema.json).

For batch runs and journals that already know the programs: per program the decision,
the missing facts, each visit's and vaccine dose's dates and status, and the screening flags. Titles, staff,
topics and reasons are left out; `hembesok programs --format json` gives them once.
A field that would hold nothing (no missing facts, not declined, no visits) is left out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hembesok.model.plan import CORRECTED, UNDETERMINED, Plan, ProgramPlan
from hembesok.model.screening import FLAGGED, RESOLVED, ScreeningResult
from hembesok.model.screening import UNDETERMINED as OPEN

#: The `$id` of the compact plan schema (checked against the schema in tests).
COMPACT_SCHEMA_ID = "urn:hembesok:schema:compact-plan:1"
#: How many hex digits of a program's SHA-256 a compact plan carries.
HASH_DIGITS = 12
#: Dates a compact writer keeps as text (every day of about 27 years).
DATES_REMEMBERED = 10_000


def compact(plan: Plan, dates: dict[dt.date, str] | None = None) -> dict[str, Any]:
    """The compact form of `plan`. `dates` may remember dates already written as text (a
    batch writes the same few thousand days over and over): a `DateTexts` is used as it is,
    another mapping is read from, not written to."""
    iso = dates if isinstance(dates, DateTexts) else DateTexts(dates or ())
    out: dict[str, Any] = {"$schema": COMPACT_SCHEMA_ID, "as_of": iso[plan.as_of]}
    if plan.case_ref is not None:
        out["case_ref"] = plan.case_ref
    out["programs"] = [compact_program(p, iso) for p in plan.programs]
    return out


class DateTexts(dict[dt.date, str]):
    """Dates as ISO text, each written once and then read back by a plain dict lookup
    (bounded: cleared when full). A subclass of dict so that a date already written costs
    no Python call, the commonest step of writing a compact plan."""

    __slots__ = ()

    def __missing__(self, day: dt.date) -> str:
        if len(self) >= DATES_REMEMBERED:
            self.clear()
        text = self[day] = day.isoformat()
        return text


def compact_program(pp: ProgramPlan, iso: DateTexts | None = None) -> dict[str, Any]:
    if iso is None:
        iso = DateTexts()
    program, decision, planned, screenings, error, doses = pp
    status = decision.status
    out: dict[str, Any] = {
        "id": program.id,
        "version": program.version,
        "sha256": program.sha256[:HASH_DIGITS],
        "status": status,
    }
    if status == UNDETERMINED:
        out["missing_facts"] = list(decision.missing_facts)
    if decision.declined:
        out["declined"] = True
    if planned:
        visits = []
        for visit, target, (start, end), state, done_on, replaced_by, basis in planned:
            entry: dict[str, Any] = {
                "id": visit.id,
                "target": iso[target],
                "window": [iso[start], iso[end]],
                "status": state,
            }
            if done_on is not None:
                entry["done_on"] = iso[done_on]
            if replaced_by is not None:
                entry["replaced_by"] = {"program": replaced_by[0], "visit": replaced_by[1]}
            if basis == CORRECTED:
                entry["basis"] = CORRECTED
            visits.append(entry)
        out["visits"] = visits
    if doses:
        vaccinations = []
        for dose, target, (start, end), state, given_on in doses:
            item: dict[str, Any] = {
                "id": dose.id,
                "target": iso[target],
                "window": [iso[start], iso[end]],
                "status": state,
            }
            if given_on is not None:
                item["given_on"] = iso[given_on]
            vaccinations.append(item)
        out["vaccinations"] = vaccinations
    if error is not None:
        out["error"] = error.to_json()
    if screenings:
        out["screenings"] = [
            {
                "instrument": occasion.instrument,
                "visit": occasion.visit.visit.id,
                "status": occasion.status,
                "results": [compact_result(r, iso) for r in occasion.results],
            }
            for occasion in screenings
        ]
    return out


def compact_result(result: ScreeningResult, iso: DateTexts | None = None) -> dict[str, Any]:
    if iso is None:
        iso = DateTexts()
    out: dict[str, Any] = {"date": iso[result.response.date]}
    if result.response.respondent is not None:
        out["respondent"] = result.response.respondent
    flagged = {d.domain.id: d.change for d in result.domains if d.status == FLAGGED}
    if flagged:
        out["flagged"] = flagged
    open_ = [d.domain.id for d in result.domains if d.status == OPEN]
    if open_:
        out["undetermined"] = open_
    resolved = [d.domain.id for d in result.domains if d.change == RESOLVED]
    if resolved:
        out["resolved"] = resolved
    return out

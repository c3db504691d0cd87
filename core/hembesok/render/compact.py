"""The compact plan: what varies per case, with no texts (schemas/compact-plan.schema.json).

For batch runs and journals that already know the programs: per program the decision,
the missing facts, each visit's dates and status, and the screening flags. Titles, staff,
topics and reasons are left out; `hembesok programs --format json` gives them once.
A field that would hold nothing (no missing facts, not declined, no visits) is left out.
"""

from __future__ import annotations

from typing import Any

from hembesok.model.plan import UNDETERMINED, Plan, ProgramPlan
from hembesok.model.screening import FLAGGED, RESOLVED, ScreeningResult
from hembesok.model.screening import UNDETERMINED as OPEN

#: The `$id` of the compact plan schema (checked against the schema in tests).
COMPACT_SCHEMA_ID = "urn:hembesok:schema:compact-plan:1"
#: How many hex digits of a program's SHA-256 a compact plan carries.
HASH_DIGITS = 12


def compact(plan: Plan) -> dict[str, Any]:
    out: dict[str, Any] = {"$schema": COMPACT_SCHEMA_ID, "as_of": plan.as_of.isoformat()}
    if plan.case_ref is not None:
        out["case_ref"] = plan.case_ref
    out["programs"] = [compact_program(p) for p in plan.programs]
    return out


def compact_program(pp: ProgramPlan) -> dict[str, Any]:
    program, decision = pp.program, pp.decision
    out: dict[str, Any] = {
        "id": program.id,
        "version": program.version,
        "sha256": program.sha256[:HASH_DIGITS],
        "status": decision.status,
    }
    if decision.status == UNDETERMINED:
        out["missing_facts"] = list(decision.missing_facts)
    if decision.declined:
        out["declined"] = True
    if pp.visits:
        visits = []
        for v in pp.visits:
            visit: dict[str, Any] = {
                "id": v.visit.id,
                "target": v.target.isoformat(),
                "window": [v.window.start.isoformat(), v.window.end.isoformat()],
                "status": v.status,
            }
            if v.done_on is not None:
                visit["done_on"] = v.done_on.isoformat()
            if v.replaced_by is not None:
                visit["replaced_by"] = {"program": v.replaced_by[0], "visit": v.replaced_by[1]}
            visits.append(visit)
        out["visits"] = visits
    if pp.screenings:
        out["screenings"] = [
            {
                "instrument": occasion.instrument,
                "visit": occasion.visit.visit.id,
                "status": occasion.status,
                "results": [compact_result(r) for r in occasion.results],
            }
            for occasion in pp.screenings
        ]
    return out


def compact_result(result: ScreeningResult) -> dict[str, Any]:
    out: dict[str, Any] = {"date": result.response.date.isoformat()}
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

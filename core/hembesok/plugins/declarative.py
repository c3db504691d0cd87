"""The declarative default: eligibility, visit schedules and scoring read from the files.

Registered by the plugin manager like any other plugin; `trylast` lets an installed
plugin answer first for its own program. These hooks interpret a program rule by rule
and record the whole trace: they are what a plugin's hook wraps or falls back to, and
the reference the compiled evaluator (hembesok.language.evaluator) is tested against.
When no installed plugin implements a hook, the engine calls the compiled evaluator
directly instead of dispatching here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import pluggy

from hembesok.language.conditions import Trace
from hembesok.language.program import Program, Site, Visit
from hembesok.language.reasons import rule_reason
from hembesok.language.scoring import score
from hembesok.model import ages
from hembesok.model.case import Case
from hembesok.model.instrument import Instrument
from hembesok.model.plan import (
    CHRONOLOGICAL,
    CORRECTED,
    ELIGIBLE,
    NOT_ELIGIBLE,
    UNDETERMINED,
    Decision,
    PlannedVisit,
    Reason,
)
from hembesok.model.screening import Response, ScreeningResult
from hembesok.model.truth import Truth, all_of

hookimpl = pluggy.HookimplMarker("hembesok")

_STATUS = {Truth.TRUE: ELIGIBLE, Truth.FALSE: NOT_ELIGIBLE, Truth.UNKNOWN: UNDETERMINED}


@hookimpl(trylast=True)
def hembesok_case_facts(case: Case, as_of: dt.date) -> Mapping[str, Any] | None:
    birth = case.birth_date
    derived: dict[str, Any] = {
        "child.age_days": ages.age_in_days(birth, as_of),
        "child.age_months": ages.completed_months(birth, as_of),
    }
    derived.update(implied_first_child_facts(case.facts))
    return derived


def implied_first_child_facts(facts: Mapping[str, Any]) -> dict[str, bool]:
    """First-child facts that follow from the ones the journal sent.

    Only what follows logically: the first child of both parents is the first of the
    birthing parent and of at least one parent; a child that is no parent's first is
    nobody's first. The first child in the municipality is a first child born while the
    family lived there: a family that moved in after the birth (`moved_in_on` is given
    only then) or with an older child has none. Nothing is inferred about
    `born_in_sweden`. The case's own values always win (derived facts fill only gaps).
    """
    either = facts.get("first_child.either_parent")
    both = facts.get("first_child.both_parents")
    birthing = facts.get("first_child.birthing_parent")
    out: dict[str, bool] = {}
    if both is True or birthing is True:
        out["first_child.either_parent"] = True
    if both is True:
        out["first_child.birthing_parent"] = True
    if either is False:
        out["first_child.both_parents"] = False
        out["first_child.birthing_parent"] = False
    if birthing is False:
        out["first_child.both_parents"] = False
    first = either if either is not None else out.get("first_child.either_parent")
    if first is False or facts.get("moved_in_on") is not None:
        out["first_child.in_municipality"] = False
    elif first is True:
        out["first_child.in_municipality"] = True
    return out


@hookimpl(trylast=True)
def hembesok_eligibility(program: Program, case: Case, as_of: dt.date) -> Decision:
    reasons: list[Reason] = []
    missing: list[str] = []
    truths: list[Truth] = []

    facts = case.facts
    site_start: dt.date | None = None
    site: Site | None = None
    table = program.evaluator.sites
    if table is not None:
        values = tuple(facts.get(fact) for fact in table.facts)
        day = as_of if table.by_visit else case.birth_date
        check = table.check(values, facts.get("municipality"), day)
        site, site_start = check.site, check.start
        truths.append(check.truth)
        reasons.append(check.reason)
        if check.truth is Truth.UNKNOWN:
            missing.extend(table.missing_facts(values))
        if check.facts:
            facts = {**facts, **check.facts}

    validity = _validity_reason(program, case)
    if validity is not None:
        truths.append(validity.truth)
        reasons.append(validity)

    trace = program.eligibility.explain(facts, as_of)
    truths.append(trace.truth)
    parts = trace.children if trace.kind == "all" and "label" not in trace.spec else (trace,)
    reasons.extend(_rule_reason(part) for part in parts)
    for name in trace.missing_facts():
        # site.* facts come from the program's own site list, never from a case
        if name not in missing and not name.startswith("site."):
            missing.append(name)

    truth = all_of(truths)
    # Visits are offered from the later of birth and moving in, and, for a site that
    # applies by visit date, from the site's start.
    enrolment = max(d for d in (case.birth_date, case.moved_in_on, site_start) if d is not None)
    return Decision(
        status=_STATUS[truth],
        reasons=tuple(reasons),
        missing_facts=tuple(missing) if truth is Truth.UNKNOWN else (),
        trace=trace,
        enrolment_date=enrolment,
        declined=program.id in case.declined,
        site=site,
    )


def _rule_reason(trace: Trace) -> Reason:
    return rule_reason(trace, trace.truth)


def _validity_reason(program: Program, case: Case) -> Reason | None:
    birth = case.birth_date
    if program.valid_from is not None and birth < program.valid_from:
        return Reason(
            "$.valid_from",
            Truth.FALSE,
            {
                "sv": f"Programmet gäller barn födda från {program.valid_from.isoformat()}.",
                "en": f"The programme applies to children born on or after {program.valid_from.isoformat()}.",
            },
            ("child.birth_date",),
        )
    if program.valid_to is not None and birth > program.valid_to:
        return Reason(
            "$.valid_to",
            Truth.FALSE,
            {
                "sv": f"Programmet gäller barn födda till och med {program.valid_to.isoformat()}.",
                "en": f"The programme applies to children born on or before {program.valid_to.isoformat()}.",
            },
            ("child.birth_date",),
        )
    return None


@hookimpl(trylast=True)
def hembesok_visit_schedule(
    program: Program, case: Case, decision: Decision, as_of: dt.date
) -> Sequence[PlannedVisit]:
    if decision.status == NOT_ELIGIBLE:
        return ()
    done = {(v.program, v.visit): v.date for v in case.visits_done}
    enrolment = decision.enrolment_date or case.birth_date
    early = program.evaluator.early(case.data["child"].get("gestational_age"))
    offered = decision.site.visits if decision.site is not None else None
    return tuple(
        plan_visit(
            visit,
            case.birth_date,
            as_of,
            _done_on(program, visit, done),
            enrolment,
            decision.declined,
            early if visit.corrected else 0,
            ages.add(case.birth_date, program.corrected_age.until),
        )
        for visit in program.schedule
        if offered is None or visit.id in offered
    )


def _done_on(
    program: Program, visit: Visit, done: Mapping[tuple[str, str], dt.date]
) -> dt.date | None:
    """A visit's record, or the record of the visit it is the same contact as (`same_as`)."""
    own = done.get((program.id, visit.id))
    if own is not None or visit.same_as is None:
        return own
    return done.get(visit.same_as)


def plan_visit(
    visit: Visit,
    birth: dt.date,
    as_of: dt.date,
    done_on: dt.date | None,
    enrolment: dt.date,
    declined: bool = False,
    early: int = 0,
    until: dt.date | None = None,
) -> PlannedVisit:
    """One visit's dates and status on `as_of`: see docs/dates.md for the rules. `early`:
    days before term, for a visit counted from corrected age while its chronological
    target lies before `until`."""
    target = ages.add(birth, visit.age)
    basis = CHRONOLOGICAL
    if early and (until is None or target < until):
        target = ages.corrected_add(birth, early, visit.age)
        basis = CORRECTED
    window = ages.window_around(target, visit.before, visit.after)
    if done_on is not None:
        status = "done"
    elif declined:
        status = "declined"
    elif window.end < enrolment:
        status = "not_offered"
    elif as_of < window.start:
        status = "upcoming"
    elif as_of <= window.end:
        status = "due"  # never late while the window is open
    else:
        status = "missed"
    return PlannedVisit(visit, target, window, status, done_on, None, basis)


@hookimpl(trylast=True)
def hembesok_screening(
    instrument: Instrument, response: Response, history: Sequence[Response]
) -> ScreeningResult:
    return score(instrument, response, history)

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

from hembesok.language.conditions import Trace, normalise_text
from hembesok.language.program import Program, Site, Visit
from hembesok.language.reasons import NO_SITE_FACT, rule_reason
from hembesok.language.scoring import score
from hembesok.model import ages
from hembesok.model.case import Case
from hembesok.model.instrument import Instrument
from hembesok.model.plan import ELIGIBLE, NOT_ELIGIBLE, UNDETERMINED, Decision, PlannedVisit, Reason
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

    site_start: dt.date | None = None
    if program.sites is not None:
        truth, reason, site = _site_reason(program, case, as_of)
        if site is not None and program.sites.applies_by == "visit_date":
            site_start = site.start
        truths.append(truth)
        reasons.append(reason)
        if truth is Truth.UNKNOWN:
            missing.append(program.sites.match)

    validity = _validity_reason(program, case)
    if validity is not None:
        truths.append(validity.truth)
        reasons.append(validity)

    trace = program.eligibility.explain(case.facts, as_of)
    truths.append(trace.truth)
    parts = trace.children if trace.kind == "all" and "label" not in trace.spec else (trace,)
    reasons.extend(_rule_reason(part) for part in parts)
    for name in trace.missing_facts():
        if name not in missing:
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
    )


def _rule_reason(trace: Trace) -> Reason:
    return rule_reason(trace, trace.truth)


def _site_reason(program: Program, case: Case, as_of: dt.date) -> tuple[Truth, Reason, Site | None]:
    """Whether the case's site takes part: by the child's birth date, or by `as_of` for
    programs whose sites apply by visit date (see docs/dates.md)."""
    sites = program.sites
    assert sites is not None
    fact = sites.match
    value = case.facts.get(fact)
    if value is None:
        away = _lives_elsewhere(program, case.facts.get("municipality"))
        if away is not None:
            return Truth.FALSE, away, None
        return (
            Truth.UNKNOWN,
            Reason("$.sites", Truth.UNKNOWN, dict(NO_SITE_FACT[fact]), (fact,)),
            None,
        )
    site = sites.find(value)
    if site is None:
        names = ", ".join(s.name for s in sites.sites if not s.planned)
        return (
            Truth.FALSE,
            Reason(
                "$.sites",
                Truth.FALSE,
                {
                    "sv": f"{value} ingår inte i programmet (deltagande: {names}).",
                    "en": f"{value} does not take part in the programme (taking part: {names}).",
                },
                (fact,),
            ),
            None,
        )
    by_visit = sites.applies_by == "visit_date"
    day = as_of if by_visit else case.birth_date
    if site.planned:
        return (
            Truth.FALSE,
            Reason(
                "$.sites",
                Truth.FALSE,
                {
                    "sv": f"{site.name} är planerad men har inte startat programmet.",
                    "en": f"{site.name} is planned but has not started the programme.",
                },
                (fact,),
            ),
            site,
        )
    if site.start is not None and day < site.start:
        start = site.start.isoformat()
        text = (
            {
                "sv": f"{site.name} börjar med programmet {start}.",
                "en": f"{site.name} starts the programme on {start}.",
            }
            if by_visit
            else {
                "sv": f"{site.name} startade programmet {start}, efter barnets födelse.",
                "en": f"{site.name} started the programme on {start}, after the child was born.",
            }
        )
        return Truth.FALSE, Reason("$.sites", Truth.FALSE, text, (fact, "child.birth_date")), site
    if site.end is not None and day > site.end:
        end = site.end.isoformat()
        text = (
            {
                "sv": f"{site.name} avslutade programmet {end}.",
                "en": f"{site.name} ended the programme on {end}.",
            }
            if by_visit
            else {
                "sv": f"{site.name} avslutade programmet {end}, före barnets födelse.",
                "en": f"{site.name} ended the programme on {end}, before the child was born.",
            }
        )
        return Truth.FALSE, Reason("$.sites", Truth.FALSE, text, (fact, "child.birth_date")), site
    since = f" sedan {site.start.isoformat()}" if site.start else ""
    since_en = f" since {site.start.isoformat()}" if site.start else ""
    return (
        Truth.TRUE,
        Reason(
            "$.sites",
            Truth.TRUE,
            {
                "sv": f"{site.name} ingår i programmet{since}.",
                "en": f"{site.name} takes part in the programme{since_en}.",
            },
            (fact,),
        ),
        site,
    )


def _lives_elsewhere(program: Program, municipality: Any) -> Reason | None:
    """A family living in a municipality none of the program's sites lies in (when every
    site says where it lies) is not covered, whatever its BVC."""
    sites = program.sites
    assert sites is not None
    places = [s.municipality for s in sites.sites]
    if sites.match == "municipality" or not all(places) or not isinstance(municipality, str):
        return None
    if normalise_text(municipality) in {normalise_text(m) for m in places if m}:
        return None
    names = ", ".join(dict.fromkeys(m for m in places if m))
    return Reason(
        "$.sites",
        Truth.FALSE,
        {
            "sv": f"Familjen bor i {municipality}; programmet ges bara vid BVC i {names}.",
            "en": f"The family lives in {municipality}; the programme runs only at BVCs in {names}.",
        },
        ("municipality", sites.match),
    )


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
    return tuple(
        plan_visit(
            visit,
            case.birth_date,
            as_of,
            _done_on(program, visit, done),
            enrolment,
            decision.declined,
        )
        for visit in program.schedule
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
) -> PlannedVisit:
    """One visit's dates and status on `as_of`: see docs/dates.md for the rules."""
    target = ages.add(birth, visit.age)
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
    return PlannedVisit(visit, target, window, status, done_on)


@hookimpl(trylast=True)
def hembesok_screening(
    instrument: Instrument, response: Response, history: Sequence[Response]
) -> ScreeningResult:
    return score(instrument, response, history)

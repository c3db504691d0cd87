"""One timeline across programs: replaced visits shown once, near visits pointed out.

A visit that is the same contact as another program's visit (`same_as`, as BarnSäkert's
questionnaire at the ordinary BVC visit) is not a second entry: the entry of the visit it
is held at names it in `same_contact`.

A family can be offered several programs at once (the national baseline and a local model).
A local program's `replaces` says which baseline visits it takes over; when that program
is offered (eligible, not declined) the replaced visit leaves the timeline and its own
plan names the visit that took its place. Open visits of different programs whose
target dates lie less than a week apart are marked so they can be joined in one home visit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from hembesok.model.plan import ELIGIBLE, ProgramPlan, TimelineEntry, VisitRef

#: Visits whose target dates are at most this many days apart are pointed out as joinable.
JOIN_DAYS = 6
OPEN = frozenset({"upcoming", "due"})


def apply_replacements(plans: Sequence[ProgramPlan]) -> tuple[ProgramPlan, ...]:
    """The plans with each replaced visit marked `replaced_by` the visit that takes its place.

    A visit already done stays done: the family had it, whoever replaces it now.
    """
    replaced = replacement_map(plans)
    if not replaced:
        return tuple(plans)
    touched = {program for program, _ in replaced}
    out = []
    for plan in plans:
        if plan.program.id not in touched:
            out.append(plan)
            continue
        visits = tuple(
            v._replace(status="replaced", replaced_by=replaced[(plan.program.id, v.visit.id)])
            if (plan.program.id, v.visit.id) in replaced and v.status != "done"
            else v
            for v in plan.visits
        )
        out.append(plan.replace(visits=visits))
    return tuple(out)


def replacement_map(plans: Sequence[ProgramPlan]) -> dict[VisitRef, VisitRef]:
    """Which visit replaces which, counting only programs the family is offered."""
    out: dict[VisitRef, VisitRef] = {}
    for plan in plans:
        if not plan.program.replaces or plan.decision.status != ELIGIBLE or plan.decision.declined:
            continue
        present = {v.visit.id for v in plan.visits}
        for rep in plan.program.replaces:
            if rep.by in present:  # a site may not offer the visit that would replace
                out[(rep.program, rep.visit)] = (plan.program.id, rep.by)
    return out


def merge(plans: Sequence[ProgramPlan]) -> tuple[TimelineEntry, ...]:
    """One date-ordered timeline of the visits of every program the family is offered.

    Undetermined programs stay out until their missing facts are known; their own plans
    list their visits provisionally.
    """
    entries: list[TimelineEntry] = []
    replaces_by: dict[VisitRef, list[VisitRef]] = {}
    for plan in plans:
        for visit in plan.visits:
            if visit.replaced_by is not None:
                replaces_by.setdefault(visit.replaced_by, []).append(
                    (plan.program.id, visit.visit.id)
                )
    offered = [p for p in plans if p.decision.status == ELIGIBLE and not p.decision.declined]
    on_timeline = {
        (p.program.id, v.visit.id) for p in offered for v in p.visits if v.replaced_by is None
    }
    # A visit that is the same contact as another offered visit (BarnSäkert's questionnaire
    # at the ordinary visit) is not a visit of its own: it goes with that visit.
    with_visit: dict[VisitRef, list[VisitRef]] = {}
    for plan in offered:
        for visit in plan.visits:
            same = visit.visit.same_as
            if visit.replaced_by is None and same is not None and same in on_timeline:
                with_visit.setdefault(same, []).append((plan.program.id, visit.visit.id))
    folded = {ref for refs in with_visit.values() for ref in refs}
    for plan in offered:
        for visit in plan.visits:
            ref = (plan.program.id, visit.visit.id)
            if visit.replaced_by is not None or ref in folded:
                continue
            entries.append(
                TimelineEntry(
                    plan,
                    visit,
                    tuple(replaces_by.get(ref, ())),
                    same_contact=tuple(with_visit.get(ref, ())),
                )
            )
    entries.sort(key=lambda e: (e.visit.target, e.program.program.id, e.visit.visit.id))
    return _mark_joinable(entries)


def _mark_joinable(entries: list[TimelineEntry]) -> tuple[TimelineEntry, ...]:
    joins: dict[VisitRef, list[VisitRef]] = {}
    open_entries = [e for e in entries if e.visit.status in OPEN]
    for i, a in enumerate(open_entries):
        for b in open_entries[i + 1 :]:
            if b.visit.target - a.visit.target > dt.timedelta(days=JOIN_DAYS):
                break
            if a.program.program.id != b.program.program.id:
                joins.setdefault(a.ref, []).append(b.ref)
                joins.setdefault(b.ref, []).append(a.ref)
    if not joins:
        return tuple(entries)
    return tuple(
        dataclasses.replace(e, join_with=tuple(joins[e.ref])) if e.ref in joins else e
        for e in entries
    )

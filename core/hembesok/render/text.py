"""Plans and explanations as text for a terminal, in Swedish or English."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from hembesok.language.age_basis import basis_reason
from hembesok.language.conditions import Trace
from hembesok.language.describe import describe_rule
from hembesok.language.program import Program
from hembesok.model.instrument import Instrument
from hembesok.model.plan import CORRECTED, NOT_ELIGIBLE, Plan, PlannedVisit, ProgramPlan
from hembesok.model.texts import (
    DECISIONS,
    SETTINGS,
    STATUSES,
    TRUTH,
    UI,
    days_left_label,
    fact_label,
    pick,
    role_label,
    short_title,
    show_value,
)
from hembesok.model.truth import Truth
from hembesok.render.screening_text import occasions_lines
from hembesok.render.table import table

MARKS = {Truth.TRUE: "✓", Truth.FALSE: "✗", Truth.UNKNOWN: "?"}


def plan_text(
    plan: Plan,
    lang: str,
    *,
    everything: bool = False,
    instruments: Mapping[str, Instrument] | None = None,
) -> str:
    """The plan for a person: the programs the family is offered, or may be, in full; the
    ones it is not offered folded into one line each with their reason (`everything`
    shows them in full too); then one timeline across the programs offered."""
    words = _Words(plan, lang, instruments or {})
    lines = [f"{pick(UI['as_of'], lang)} {plan.as_of.isoformat()} (hembesok {plan.engine_version})"]
    if not plan.programs:
        lines.append(pick(UI["no_programs"], lang))
    folded = [] if everything else [p for p in plan.programs if p.decision.status == NOT_ELIGIBLE]
    for program_plan in plan.programs:
        if program_plan not in folded:
            lines.append("")
            lines.extend(program_text(program_plan, lang, words))
    if folded:
        lines += ["", f"{pick(UI['not_offered'], lang)}:"]
        for program_plan in folded:
            lines.append(
                f"  {words.program(program_plan.program.id)} – {_deciding(program_plan, lang)}"
            )
        lines.append(f"  {pick(UI['show_all'], lang)}")
    if len({e.program.program.id for e in plan.timeline}) > 1:
        lines.append("")
        lines.extend(timeline_text(plan, lang, words))
    return "\n".join(lines) + "\n"


def _deciding(pp: ProgramPlan, lang: str) -> str:
    """The reason that settled a decision against the family: its first rule that failed."""
    failed = [r for r in pp.decision.reasons if r.truth is Truth.FALSE]
    return pick(failed[0].text, lang) if failed else pick(DECISIONS[pp.decision.status], lang)


def program_label(program: Program, lang: str) -> str:
    """A program's short name: its `short_title`, or its title up to the dash ("Göteborg")."""
    short = program.definition.get("short_title")
    return pick(short, lang) if short else short_title(program.title, lang)


class _Words:
    """Titles where a reader would otherwise see ids: programs, visits, instruments."""

    def __init__(self, plan: Plan, lang: str, instruments: Mapping[str, Instrument]) -> None:
        self.lang = lang
        self.as_of = plan.as_of
        self.plans = {pp.program.id: pp for pp in plan.programs}
        self.instruments = instruments

    def program(self, program_id: str) -> str:
        pp = self.plans.get(program_id)
        return program_label(pp.program, self.lang) if pp is not None else program_id

    def visit(self, program_id: str, visit_id: str) -> str:
        pp = self.plans.get(program_id)
        visit = next((v for v in pp.program.schedule if v.id == visit_id), None) if pp else None
        title = pick(visit.title, self.lang) if visit is not None else visit_id
        return f"{self.program(program_id)}: {title}"

    def instrument(self, instrument_id: str) -> str:
        found = self.instruments.get(instrument_id)
        return short_title(found.title, self.lang) if found is not None else instrument_id


def timeline_text(plan: Plan, lang: str, words: _Words | None = None) -> list[str]:
    """The merged timeline: one row per contact, replaced visits named, joinable ones marked."""
    words = words or _Words(plan, lang, {})
    lines = [pick(UI["timeline"], lang)]
    rows = [[pick(UI[k], lang) for k in ("target", "program", "visit", "staff", "status", "note")]]
    for entry in plan.timeline:
        pp, v = entry.program, entry.visit
        notes = []
        for prog, visit in entry.replaces:
            notes.append(f"{pick(UI['replaces'], lang)} {words.visit(prog, visit)}")
        for prog, visit in entry.same_contact:
            notes.append(pick(UI["same_contact"], lang).format(visit=words.visit(prog, visit)))
        for prog, visit in entry.join_with:
            notes.append(pick(UI["join_with"], lang).format(visit=words.visit(prog, visit)))
        doses = [pick(d.dose.title, lang) for d in pp.vaccinations if d.dose.given_at == v.visit.id]
        if doses:
            notes.append(pick(UI["doses_at"], lang).format(doses=", ".join(doses)))
        rows.append(
            [
                v.target.isoformat(),
                words.program(pp.program.id),
                pick(v.visit.title, lang),
                ", ".join(role_label(r, lang, pp.program.roles) for r in v.visit.staff),
                _status(v, plan.as_of, lang, words),
                "; ".join(notes),
            ]
        )
    lines.extend(table(rows, "  "))
    return lines


def _status(v: PlannedVisit, as_of: dt.date, lang: str, words: _Words) -> str:
    state = pick(STATUSES[v.status], lang)
    if v.done_on is not None:
        state += f" {v.done_on.isoformat()}"
    if v.replaced_by is not None:
        state += f" ({pick(UI['by'], lang)} {words.visit(*v.replaced_by)})"
    left = v.days_left(as_of)
    if left is not None:
        state += f" ({days_left_label(left, lang)})"
    return state


def program_text(pp: ProgramPlan, lang: str, words: _Words) -> list[str]:
    p, d = pp.program, pp.decision
    lines = [f"{pick(p.title, lang)}  [{p.id} {p.version}]"]
    status = pick(DECISIONS[d.status], lang)
    if d.declined:
        status += " – " + pick(STATUSES["declined"], lang)
    lines.append(f"{pick(UI['decision'], lang)}: {status}")
    lines.extend(f"  {MARKS[r.truth]} {pick(r.text, lang)}" for r in d.reasons)
    if d.missing_facts:
        names = ", ".join(f"{fact_label(f, lang)} ({f})" for f in d.missing_facts)
        lines.append(f"  {pick(UI['missing'], lang)}: {names}")
    if pp.visits and d.status == "undetermined":
        lines.append(f"  {pick(UI['provisional'], lang)}")
    if pp.visits:
        corrected = any(v.basis == CORRECTED for v in pp.visits)
        keys: tuple[str, ...] = ("visit", "target", "window", "staff", "setting", "status")
        if corrected:  # say for each visit which age its dates follow
            keys = (*keys[:3], "counted_from", *keys[3:])
        rows = [[pick(UI[k], lang) for k in keys]]
        as_of = words.as_of
        # in date order: a visit counted from corrected age may fall after a later one
        for v in sorted(pp.visits, key=lambda v: v.target):
            row = [
                pick(v.visit.title, lang),
                v.target.isoformat(),
                f"{v.window.start.isoformat()} – {v.window.end.isoformat()}",
                ", ".join(role_label(r, lang, p.roles) for r in v.visit.staff),
                pick(SETTINGS[v.visit.setting], lang),
                _status(v, as_of, lang, words),
            ]
            if corrected:
                row.insert(3, pick(UI[f"basis_{v.basis}"], lang))
            rows.append(row)
        lines.append("")
        lines.extend(table(rows, "  "))
    lines.extend(occasions_lines(pp, lang, words.instrument))
    lines.extend(vaccination_lines(pp, lang, words.as_of))
    return lines


def vaccination_lines(pp: ProgramPlan, lang: str, as_of: dt.date) -> list[str]:
    """The program's doses, each with the visit it is usually given at; missed doses first
    named on their own line, so that no nurse overlooks one."""
    if not pp.vaccinations:
        return []
    visits = {v.id: v for v in pp.program.schedule}
    keys = ("dose", "target", "window", "given_at", "status")
    rows = [[pick(UI[k], lang) for k in keys]]
    for d in pp.vaccinations:
        at = visits.get(d.dose.given_at) if d.dose.given_at else None
        state = pick(STATUSES[d.status], lang)
        if d.given_on is not None:
            state += f" {d.given_on.isoformat()}"
        left = d.days_left(as_of)
        if left is not None:
            state += f" ({days_left_label(left, lang)})"
        rows.append(
            [
                pick(d.dose.title, lang),
                d.target.isoformat(),
                f"{d.window.start.isoformat()} – {d.window.end.isoformat()}",
                pick(at.title, lang) if at is not None else "",
                state,
            ]
        )
    lines = ["", f"{pick(UI['vaccinations'], lang)}:"]
    missed = [pick(d.dose.title, lang) for d in pp.vaccinations if d.status == "missed"]
    if missed:
        lines.append(f"  {pick(UI['missed_doses'], lang)}: {', '.join(missed)}")
    lines.extend(table(rows, "  "))
    return lines


def explain_text(pp: ProgramPlan, langs: Iterable[str], gestational: Any = None) -> str:
    """Why a program was decided as it was, rule by rule, and from which age each visit
    that may count from corrected age was counted (`gestational`: the case's
    `child.gestational_age`)."""
    out = []
    for lang in langs:
        p, d = pp.program, pp.decision
        heading = {"sv": "Varför", "en": "Why"}.get(lang, "Why")
        out.append(
            f"[{lang}] {heading}: {pick(p.title, lang)} [{p.id} {p.version}, sha256 {p.sha256[:12]}]"
        )
        out.append(f"{pick(UI['decision'], lang)}: {pick(DECISIONS[d.status], lang)}")
        for reason in d.reasons:
            if not reason.rule.startswith("$.eligibility"):
                out.append(f"  {MARKS[reason.truth]} {pick(reason.text, lang)}")
        if d.trace is not None:
            out.extend(_trace_lines(d.trace, lang, 1))
        if d.missing_facts:
            names = ", ".join(f"{fact_label(f, lang)} ({f})" for f in d.missing_facts)
            out.append(f"{pick(UI['missing'], lang)}: {names}")
        if any(v.visit.corrected for v in pp.visits):
            out.append(f"{pick(UI['ages'], lang)}:")
            for v in pp.visits:
                why = basis_reason(p, v.visit, v.basis, gestational)
                out.append(
                    f"  {pick(v.visit.title, lang)} {v.target.isoformat()}: {pick(why, lang)}"
                )
        out.append("")
    return "\n".join(out)


def _trace_lines(trace: Trace, lang: str, depth: int) -> list[str]:
    pad = "  " * depth
    verdict = pick(TRUTH[trace.truth], lang)
    if trace.children and "label" not in trace.spec:
        word = {
            "all": ("alla av", "all of"),
            "any": ("något av", "any of"),
            "not": ("inte", "not"),
        }[trace.kind]
        head = f"{pad}{MARKS[trace.truth]} {word[0] if lang == 'sv' else word[1]}: {verdict}  ({trace.path})"
        lines = [head]
        for child in trace.children:
            lines.extend(_trace_lines(child, lang, depth + 1))
        return lines
    used = ""
    if trace.fact:
        used = f"; {trace.fact} = {show_value(trace.value, lang)}"
    line = (
        f"{pad}{MARKS[trace.truth]} {describe_rule(trace, lang)}: {verdict}  ({trace.path}{used})"
    )
    lines = [line]
    if trace.children:  # a labelled group: show its parts too
        for child in trace.children:
            lines.extend(_trace_lines(child, lang, depth + 1))
    return lines

"""Plans and explanations as text for a terminal, in Swedish or English."""

from __future__ import annotations

from collections.abc import Iterable

from hembesok.language.conditions import Trace
from hembesok.language.describe import describe_rule
from hembesok.model.plan import Plan, ProgramPlan
from hembesok.model.texts import (
    DECISIONS,
    SETTINGS,
    STATUSES,
    TRUTH,
    UI,
    fact_label,
    pick,
    role_label,
    show_value,
)
from hembesok.model.truth import Truth
from hembesok.render.screening_text import occasions_lines
from hembesok.render.table import table

MARKS = {Truth.TRUE: "✓", Truth.FALSE: "✗", Truth.UNKNOWN: "?"}


def plan_text(plan: Plan, lang: str) -> str:
    lines = [f"{pick(UI['as_of'], lang)} {plan.as_of.isoformat()} (hembesok {plan.engine_version})"]
    if not plan.programs:
        lines.append(pick(UI["no_programs"], lang))
    for program_plan in plan.programs:
        lines.append("")
        lines.extend(program_text(program_plan, lang))
    if len({e.program.program.id for e in plan.timeline}) > 1:
        lines.append("")
        lines.extend(timeline_text(plan, lang))
    return "\n".join(lines) + "\n"


def timeline_text(plan: Plan, lang: str) -> list[str]:
    """The merged timeline: one row per visit, replaced visits named, joinable ones marked."""
    titles = {pp.program.id: pp for pp in plan.programs}
    lines = [pick(UI["timeline"], lang)]
    rows = [[pick(UI[k], lang) for k in ("target", "program", "visit", "staff", "status", "note")]]
    for entry in plan.timeline:
        pp, v = entry.program, entry.visit
        notes = []
        for prog, visit in entry.replaces:
            notes.append(f"{pick(UI['replaces'], lang)} {_visit_title(titles, prog, visit, lang)}")
        for prog, visit in entry.join_with:
            notes.append(
                pick(UI["join_with"], lang).format(visit=_visit_title(titles, prog, visit, lang))
            )
        rows.append(
            [
                v.target.isoformat(),
                pp.program.id,
                pick(v.visit.title, lang),
                ", ".join(role_label(r, lang, pp.program.roles) for r in v.visit.staff),
                pick(STATUSES[v.status], lang),
                "; ".join(notes),
            ]
        )
    lines.extend(table(rows, "  "))
    return lines


def _visit_title(plans: dict[str, ProgramPlan], program: str, visit: str, lang: str) -> str:
    pp = plans.get(program)
    found = next((v for v in pp.visits if v.visit.id == visit), None) if pp else None
    return f"{program}: {pick(found.visit.title, lang) if found else visit}"


def program_text(pp: ProgramPlan, lang: str) -> list[str]:
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
        header = [pick(UI[k], lang) for k in ("visit", "target", "window", "staff", "status")]
        rows = [header]
        for v in pp.visits:
            staff = ", ".join(role_label(r, lang, p.roles) for r in v.visit.staff)
            setting = pick(SETTINGS[v.visit.setting], lang)
            state = pick(STATUSES[v.status], lang)
            if v.done_on is not None:
                state += f" {v.done_on.isoformat()}"
            if v.replaced_by is not None:
                state += f" ({pick(UI['by'], lang)} {v.replaced_by[0]}: {v.replaced_by[1]})"
            rows.append(
                [
                    pick(v.visit.title, lang),
                    v.target.isoformat(),
                    f"{v.window.start.isoformat()} – {v.window.end.isoformat()}",
                    f"{staff} ({setting})",
                    state,
                ]
            )
        lines.append("")
        lines.extend(table(rows, "  "))
    lines.extend(occasions_lines(pp, lang))
    return lines


def explain_text(pp: ProgramPlan, langs: Iterable[str]) -> str:
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

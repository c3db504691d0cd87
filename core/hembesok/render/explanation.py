"""An explanation as JSON data: what `hembesok explain --format json` prints.

The same facts as the text explanation (render.text.explain_text), for a program that
reads them: the decision as in a plan, the condition trace node by node (how each rule
came out, the fact it read and its value, the rule in Swedish and English), and why each
visit that may count from corrected age was counted as it was. docs/cli.md shows it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from hembesok.language.age_basis import basis_reason
from hembesok.language.conditions import Trace
from hembesok.language.describe import describe_rule
from hembesok.model.plan import ProgramPlan
from hembesok.model.texts import LANGS


def explanation_json(pp: ProgramPlan, as_of: dt.date, gestational: Any = None) -> dict[str, Any]:
    """Why `pp`'s program was decided as it was (`gestational`: the case's
    `child.gestational_age`)."""
    program, decision = pp.program, pp.decision
    trace = decision.trace
    return {
        "as_of": as_of.isoformat(),
        "program": {
            "id": program.id,
            "program_version": program.version,
            "sha256": program.sha256,
            "title": dict(program.title),
        },
        "decision": decision.to_json(),
        "trace": trace_json(trace) if trace is not None else None,
        "age_basis": [
            {
                "visit": v.visit.id,
                "target": v.target.isoformat(),
                "age_basis": v.basis,
                "reason": dict(basis_reason(program, v.visit, v.basis, gestational)),
            }
            for v in pp.visits
            if v.visit.corrected
        ],
    }


def trace_json(trace: Trace) -> dict[str, Any]:
    """One node of a condition trace and the nodes below it."""
    node: dict[str, Any] = {
        "kind": trace.kind,
        "result": trace.truth.value,
        "path": trace.path,
        "rule": {lang: describe_rule(trace, lang) for lang in LANGS},
    }
    if trace.fact is not None:
        node["fact"] = trace.fact
        node["value"] = _plain(trace.value)
    if trace.children:
        node["children"] = [trace_json(child) for child in trace.children]
    return node


def _plain(value: Any) -> Any:
    """A fact's value as JSON data: dates as YYYY-MM-DD, lists and mappings item by item."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)

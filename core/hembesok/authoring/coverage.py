"""What a program's examples leave untested: conditions, `any` branches and visits.

Run over the examples' checks (hembesok.authoring.examples.check_examples):

- a condition node (by its JSON path in the program file) that came out true in no
  example, or false in none: a rule whose other outcome no example shows;
- a branch of an `any` that was never *the deciding one*, that is never the only true
  branch of a true `any`: no example shows that this branch alone gives the offer;
- a visit for which no example states an expected status.

Only the declarative eligibility rules are traced; a plugin hook that answers for a
program without a trace leaves its conditions uncovered, which the report says.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from hembesok.authoring.examples import ExampleCheck
from hembesok.language.conditions import Condition, Trace
from hembesok.language.program import Program
from hembesok.model.truth import Truth


@dataclass(frozen=True)
class Coverage:
    program: str
    examples_run: int
    conditions: tuple[str, ...]  # every condition node, in file order
    never_true: tuple[str, ...]
    never_false: tuple[str, ...]
    branches: tuple[str, ...]  # every branch of an `any`
    never_deciding: tuple[str, ...]
    visits: tuple[str, ...]
    visits_unstated: tuple[str, ...]
    seen: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    @property
    def complete(self) -> bool:
        return not (
            self.never_true or self.never_false or self.never_deciding or self.visits_unstated
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "examples_run": self.examples_run,
            "conditions": len(self.conditions),
            "never_true": list(self.never_true),
            "never_false": list(self.never_false),
            "any_branches": len(self.branches),
            "any_branches_never_deciding": list(self.never_deciding),
            "visits": len(self.visits),
            "visits_without_expected_status": list(self.visits_unstated),
            "complete": self.complete,
        }


def _nodes(condition: Condition) -> Iterator[Condition]:
    yield condition
    for child in condition.children:
        yield from _nodes(child)


def _traces(trace: Trace) -> Iterator[Trace]:
    yield trace
    for child in trace.children:
        yield from _traces(child)


def deciding_branches(trace: Trace) -> set[str]:
    """Paths of branches that alone made their `any` true in this trace."""
    found = set()
    for node in _traces(trace):
        if node.kind == "any" and node.truth is Truth.TRUE:
            true = [c for c in node.children if c.truth is Truth.TRUE]
            if len(true) == 1:
                found.add(true[0].path)
    return found


def coverage(program: Program, checks: Sequence[ExampleCheck]) -> Coverage:
    nodes = list(_nodes(program.eligibility))
    conditions = tuple(n.path for n in nodes)
    branches = tuple(c.path for n in nodes if n.kind == "any" for c in n.children)
    seen: dict[str, set[str]] = {path: set() for path in conditions}
    decided: set[str] = set()
    run = 0
    for check in checks:
        if check.plan is None:
            continue
        run += 1
        trace = check.plan.decision.trace
        if trace is None:
            continue
        for node in _traces(trace):
            seen.setdefault(node.path, set()).add(node.truth.value)
        decided |= deciding_branches(trace)
    stated = {
        visit_id
        for visit_id_list in (
            program.definition["examples"][c.index]["expect"].get("visits", {}) for c in checks
        )
        for visit_id in visit_id_list
    }
    visits = tuple(v.id for v in program.schedule)
    return Coverage(
        program=program.id,
        examples_run=run,
        conditions=conditions,
        never_true=tuple(p for p in conditions if "true" not in seen[p]),
        never_false=tuple(p for p in conditions if "false" not in seen[p]),
        branches=branches,
        never_deciding=tuple(p for p in branches if p not in decided),
        visits=visits,
        visits_unstated=tuple(v for v in visits if v not in stated),
        seen={p: frozenset(s) for p, s in seen.items()},
    )

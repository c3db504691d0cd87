"""A program's own examples, run as tests: each case with its as-of date and expected answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hembesok.case import Case
from hembesok.documents import Document
from hembesok.engine import Engine
from hembesok.loader import case_date_problems
from hembesok.program import Program


@dataclass(frozen=True)
class ExampleResult:
    program: str
    index: int
    name: str
    differences: tuple[str, ...]

    @property
    def passed(self) -> bool:
        return not self.differences


def run_examples(engine: Engine, program: Program) -> list[ExampleResult]:
    results = []
    for index, example in enumerate(program.definition.get("examples", ())):
        as_of = dt.date.fromisoformat(example["as_of"])
        bad_dates = case_date_problems(
            Document(program.source, example["case"]), example["case"], (), as_of
        )
        if bad_dates:
            problems = tuple(f"case {p.path}: {p.message}" for p in bad_dates)
            results.append(ExampleResult(program.id, index, example["name"], problems))
            continue
        plan = engine.evaluate(Case.from_dict(example["case"]), as_of, [program.id])
        got = plan.program(program.id)
        expect = example["expect"]
        diffs: list[str] = []
        if got.decision.status != expect["decision"]:
            diffs.append(f"decision: expected {expect['decision']}, got {got.decision.status}")
        if "missing_facts" in expect and sorted(expect["missing_facts"]) != sorted(
            got.decision.missing_facts
        ):
            diffs.append(
                f"missing_facts: expected {sorted(expect['missing_facts'])}, got {sorted(got.decision.missing_facts)}"
            )
        statuses = {v.visit.id: v.status for v in got.visits}
        for visit_id, status in expect.get("visits", {}).items():
            actual = statuses.get(visit_id, "(not planned)")
            if actual != status:
                diffs.append(f"visit {visit_id}: expected {status}, got {actual}")
        results.append(ExampleResult(program.id, index, example["name"], tuple(diffs)))
    return results

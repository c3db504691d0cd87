"""A program's own examples, run as tests: each case with its as-of date and expected answer.

An example's case goes through the same pipeline as a journal's (hembesok.api), located
in the program file, so an example that passes here plans the same way in production.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hembesok.api import Pipeline
from hembesok.engine.engine import Engine
from hembesok.io.dates import parse_date
from hembesok.io.documents import Document
from hembesok.io.problems import InvalidDocument, Problem
from hembesok.language.program import Program
from hembesok.model.plan import ProgramPlan

# Each difference is a field with its place in the program file, so `hembesok test` can
# print a diff and `hembesok validate` can locate it at file:line:column.


@dataclass(frozen=True)
class FieldDiff:
    """One expected field of an example that the plan does not match."""

    field: str  # decision | missing_facts | visit ID | age basis of ID | dose ID
    path: tuple[str | int, ...]  # where the expectation stands, relative to the example
    expected: Any
    got: Any

    def __str__(self) -> str:
        return f"{self.field}: expected {_show(self.expected)}, got {_show(self.got)}"


@dataclass(frozen=True)
class ExampleCheck:
    """An example run through an engine: its differences, or why it could not run."""

    program: str
    index: int
    name: str
    diffs: tuple[FieldDiff, ...] = ()
    problems: tuple[Problem, ...] = ()  # the example's case cannot be planned (bad dates)
    plan: ProgramPlan | None = None

    @property
    def passed(self) -> bool:
        return not self.diffs and not self.problems


NOT_PLANNED = "(not planned)"


def check_example(
    engine: Engine, program: Program, index: int, doc: Document | None = None
) -> ExampleCheck:
    """Run one example of `program` (which `engine` must hold) and compare field by field.

    `doc` is the program file as read, so that date problems of the example's case are
    located in it; without it they are located within the case alone.
    """
    example = program.definition["examples"][index]
    name = str(example["name"])
    as_of = parse_date(example["as_of"])
    where = doc if doc is not None else Document(program.source, example["case"])
    base: tuple[str | int, ...] = () if doc is None else ("examples", index, "case")
    pipeline = Pipeline(engine)
    try:
        case = pipeline.read(where, as_of, base=base)
    except InvalidDocument as exc:
        return ExampleCheck(program.id, index, name, problems=tuple(exc.problems))
    got = pipeline.plan(case, as_of, [program.id]).program(program.id)
    return ExampleCheck(program.id, index, name, compare(example["expect"], got), plan=got)


def check_examples(
    engine: Engine, program: Program, doc: Document | None = None
) -> list[ExampleCheck]:
    return [
        check_example(engine, program, i, doc)
        for i in range(len(program.definition.get("examples", ())))
    ]


def compare(expect: Mapping[str, Any], got: ProgramPlan) -> tuple[FieldDiff, ...]:
    """The fields of an example's `expect` that the plan does not match, in file order."""
    diffs: list[FieldDiff] = []
    if got.decision.status != expect["decision"]:
        diffs.append(
            FieldDiff("decision", ("expect", "decision"), expect["decision"], got.decision.status)
        )
    if "missing_facts" in expect and sorted(expect["missing_facts"]) != sorted(
        got.decision.missing_facts
    ):
        diffs.append(
            FieldDiff(
                "missing_facts",
                ("expect", "missing_facts"),
                sorted(expect["missing_facts"]),
                sorted(got.decision.missing_facts),
            )
        )
    statuses = {v.visit.id: v.status for v in got.visits}
    for visit_id, status in expect.get("visits", {}).items():
        actual = statuses.get(visit_id, NOT_PLANNED)
        if actual != status:
            diffs.append(
                FieldDiff(f"visit {visit_id}", ("expect", "visits", visit_id), status, actual)
            )
    bases = {v.visit.id: v.basis for v in got.visits}
    for visit_id, basis in expect.get("age_basis", {}).items():
        actual = bases.get(visit_id, NOT_PLANNED)
        if actual != basis:
            where = ("expect", "age_basis", visit_id)
            diffs.append(FieldDiff(f"age basis of {visit_id}", where, basis, actual))
    doses = {d.dose.id: d.status for d in got.vaccinations}
    for dose_id, status in expect.get("vaccinations", {}).items():
        actual = doses.get(dose_id, NOT_PLANNED)
        if actual != status:
            where = ("expect", "vaccinations", dose_id)
            diffs.append(FieldDiff(f"dose {dose_id}", where, status, actual))
    return tuple(diffs)


def _show(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)

"""Planning one chunk of records through the case pipeline, one output line per record.

A bad record gives an error line (its record number, line and the located problems
with the field at fault, never a value) and the rest go on. Every record gives exactly
one line, so records in = plans out + errors. The line format is in docs/batch.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hembesok.api import Pipeline
from hembesok.batch.records import RawRecord
from hembesok.engine.engine import Engine
from hembesok.io.csv_cases import CsvLayout
from hembesok.io.json_text import dumps
from hembesok.io.problems import InvalidDocument, Problem
from hembesok.render.flat import TABLES, PlanRows, plan_rows
from hembesok.render.problem_details import INTERNAL_ERROR, invalid_case, problem

#: What a plan line holds: the full plan, or the compact one (schemas plan, compact-plan).
FULL, COMPACT = "json", "compact"
#: Settings.output for the flat tables (hembesok.render.flat): a chunk's plans become rows
#: (ChunkResult.tables), and its output holds only the bad records' error lines.
FLAT = "flat"
#: The same as FLAT, with each chunk's rows made into Arrow record batches where they were
#: planned (a worker process), so the process writing the Parquet only writes.
FLAT_ARROW = "flat-arrow"


@dataclass(frozen=True)
class Settings:
    """What every worker needs to plan a record; picklable, so it can go to a worker."""

    as_of: dt.date
    source: str  # the input's name in messages
    programs: tuple[str, ...] | None = None
    layout: CsvLayout | None = None  # None: the input is NDJSON
    engine_factory: Callable[[], Engine] = Engine.from_installed
    output: str = FULL


@dataclass(frozen=True)
class ChunkResult:
    """The output lines of one chunk, in order, and what they were."""

    output: bytes
    records: int
    plans: int
    errors: int
    internal: int
    messages: tuple[str, ...]  # one readable line per bad record, for standard error
    last_record: int = 0  # the number of the chunk's last record
    #: with Settings.output FLAT: the rows of the chunk's plans; with FLAT_ARROW: the same
    #: as one Arrow record batch per table (hembesok.render.arrow_tables.record_batch)
    tables: PlanRows | tuple[Any, ...] | None = None


@dataclass
class Summary:
    """What a run wrote: counts that add up, the last record, and why it stopped early."""

    records: int = 0
    plans: int = 0
    errors: int = 0
    internal: int = 0  # errors that are bugs in hembesok, included in `errors`
    last_record: int = 0  # the number of the last record written: the output ends there
    stopped: int | None = None  # the signal a run was stopped by before its end

    def add(self, chunk: ChunkResult) -> None:
        self.records += chunk.records
        self.plans += chunk.plans
        self.errors += chunk.errors
        self.internal += chunk.internal
        if chunk.records:
            self.last_record = chunk.last_record

    def __str__(self) -> str:
        return f"{self.records} records in, {self.plans} plans out, {self.errors} errors"


class ChunkPlanner:
    """Plans records one by one with one engine; used in-process or inside a worker."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.pipeline = Pipeline(engine if engine is not None else settings.engine_factory())
        self.programs = list(settings.programs) if settings.programs is not None else None
        self.debug = os.environ.get("HEMBESOK_DEBUG", "") not in ("", "0")
        self.rows: PlanRows | None = None  # the chunk's rows, with Settings.output FLAT

    def plan_chunk(self, chunk: Sequence[RawRecord]) -> ChunkResult:
        lines: list[bytes] = []
        messages: list[str] = []
        plans = errors = internal = 0
        self.rows = PlanRows([], [], []) if self.settings.output in (FLAT, FLAT_ARROW) else None
        for number, line, payload in chunk:
            try:
                out, found = self._plan(number, line, payload)
            except Exception as exc:
                if self.debug:  # for developers: the traceback, and the run goes on
                    traceback.print_exc(file=sys.stderr)
                    sys.stderr.flush()
                errors += 1
                internal += 1
                lines.append(self._internal_line(number, line, exc))
                messages.append(
                    f"{self.settings.source}:{line}: record {number}: internal error "
                    f"({type(exc).__name__}); please report it"
                )
                continue
            if out is not None:
                plans += 1
                lines.append(out)
            else:
                errors += 1
                lines.append(self._error_line(number, line, found))
                messages.extend(
                    f"{p.file}:{p.line}:{p.column}: record {number}: {self._field(p)}: {p.message}"
                    for p in found
                )
        last = chunk[-1][0] if chunk else 0
        rows: PlanRows | tuple[Any, ...] | None
        rows, self.rows = self.rows, None
        if rows is not None and self.settings.output == FLAT_ARROW:
            from hembesok.render.arrow_tables import record_batch

            rows = tuple(record_batch(t, r) for t, r in zip(TABLES, rows, strict=True))
        return ChunkResult(
            b"".join(lines), len(chunk), plans, errors, internal, tuple(messages), last, rows
        )

    def _plan(
        self, number: int, line: int, payload: bytes | list[str] | str
    ) -> tuple[bytes | None, list[Problem]]:
        """The plan line of a record, or the record's problems."""
        settings = self.settings
        if isinstance(payload, str):  # a CSV row the reader could not read
            return None, [Problem(settings.source, line, 1, "$", payload)]
        try:
            if isinstance(payload, bytes):
                try:
                    case = self.pipeline.read(
                        payload.rstrip(b"\r\n"), settings.as_of, source=settings.source
                    )
                except InvalidDocument as exc:
                    return None, [_on_line(p, line) for p in exc.problems]
            else:
                assert settings.layout is not None
                data, found = settings.layout.to_case(payload, line)
                if found:
                    return None, found
                case = self.pipeline.read(settings.layout.document(data, line), settings.as_of)
        except InvalidDocument as exc:
            return None, exc.problems
        plan = self.pipeline.plan(case, settings.as_of, self.programs)
        if self.rows is not None:
            decisions, visits, screenings = plan_rows(plan, number, case.data)
            self.rows.decisions.extend(decisions)
            self.rows.visits.extend(visits)
            self.rows.screenings.extend(screenings)
            return b"", []
        return b'{"record":%d,"plan":%s}\n' % (
            number,
            self.pipeline.render(plan, settings.output),
        ), []

    def _field(self, p: Problem) -> str:
        layout = self.settings.layout
        if layout is not None:
            return layout.field_of(p)
        return p.path[2:] if p.path.startswith("$.") else p.path

    def _error_line(self, number: int, line: int, found: list[Problem]) -> bytes:
        entry = {"record": number, "line": line, "error": invalid_case(found, field_of=self._field)}
        return dumps(entry) + b"\n"

    def _internal_line(self, number: int, line: int, exc: Exception) -> bytes:
        error = problem(
            INTERNAL_ERROR,
            "Internal error",
            detail=f"{type(exc).__name__}: a bug in hembesok; please report it",
        )
        entry = {"record": number, "line": line, "error": error}
        return dumps(entry) + b"\n"


def _on_line(p: Problem, line: int) -> Problem:
    """A problem found in one NDJSON line, moved to that line of the input file."""
    return dataclasses.replace(p, line=line + p.line - 1)

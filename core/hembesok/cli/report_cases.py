"""`hembesok report CASES`: a file of cases planned here into the flat tables, chunk by chunk.

The cases are NDJSON or CSV (read lazily, as `batch` reads them), a JSON list of cases, or
one case (a JSON document, as `plan` reads it; a list or document is held whole, so it is
limited to the size of one document, io/limits.py). Every chunk of plans becomes Arrow
record batches at once, so memory holds the tables' compact columns, never every row as
Python objects. A bad record is named on standard error and left out.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import click
import pyarrow as pa

from hembesok.api import Pipeline
from hembesok.batch import (
    CHUNK_RECORDS,
    CSV,
    FLAT,
    ChunkPlanner,
    Settings,
    chunked,
    csv_reader,
    csv_records,
    detect_format,
    ndjson_records,
)
from hembesok.cli.common import EXIT_INVALID, Failure
from hembesok.engine.engine import Engine
from hembesok.io.csv_cases import CsvLayout
from hembesok.io.documents import DocumentError, load_file
from hembesok.io.limits import MAX_DOCUMENT_BYTES, MAX_LINE_BYTES
from hembesok.io.problems import InvalidDocument, from_document_error
from hembesok.render.arrow_tables import record_batch, schema
from hembesok.render.flat import TABLES, PlanRows, plan_rows


@dataclass
class _Batches:
    """The record batches of each table so far, and how many records were bad."""

    tables: dict[str, list[pa.RecordBatch]] = field(
        default_factory=lambda: {name: [] for name in TABLES}
    )
    errors: int = 0

    def add(self, rows: PlanRows) -> None:
        for name in TABLES:
            found = getattr(rows, name)
            if found:
                self.tables[name].append(record_batch(name, found))

    def arrow(self) -> dict[str, pa.Table]:
        return {
            name: pa.Table.from_batches(batches, schema=schema(name))
            for name, batches in self.tables.items()
        }


def plan_cases(
    path: str, day: dt.date, engine: Engine, programs: Sequence[str] | None
) -> tuple[dict[str, pa.Table], int]:
    """The flat tables (Arrow, by name) of the cases in `path`, planned as of `day`, and
    the number of bad records (each named on standard error)."""
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        reason = "file not found" if isinstance(exc, FileNotFoundError) else exc.strerror
        raise Failure(f"hembesok report: cannot read {path}: {reason}", EXIT_INVALID) from None
    batches = _Batches()
    chosen = tuple(programs) if programs is not None else None
    with stream:
        if detect_format(path, stream) == CSV:
            _plan_csv(stream, path, day, engine, chosen, batches)
        elif _is_document(stream):
            _plan_document(path, day, engine, chosen, batches)
        else:
            settings = Settings(day, path, chosen, None, Engine.from_installed, FLAT)
            _plan_records(ndjson_records(stream), ChunkPlanner(settings, engine), batches)
    return batches.arrow(), batches.errors


def _plan_csv(
    stream: Any,
    path: str,
    day: dt.date,
    engine: Engine,
    programs: tuple[str, ...] | None,
    batches: _Batches,
) -> None:
    try:
        reader, header = csv_reader(stream, source=path)
        layout = CsvLayout.from_header(header, path)
    except InvalidDocument as exc:
        raise Failure("\n".join(str(p) for p in exc.problems), EXIT_INVALID) from None
    settings = Settings(day, path, programs, layout, Engine.from_installed, FLAT)
    _plan_records(csv_records(reader), ChunkPlanner(settings, engine), batches)


def _plan_records(records: Iterator[Any], planner: ChunkPlanner, batches: _Batches) -> None:
    for chunk in chunked(records):
        result = planner.plan_chunk(chunk)
        for message in result.messages:
            click.echo(message, err=True)
        batches.errors += result.errors
        if isinstance(result.tables, PlanRows):  # rows, as Settings.output FLAT gives them
            batches.add(result.tables)


def _is_document(stream: IO[bytes]) -> bool:
    """Whether a JSON file is one document (a list of cases, or one case over several
    lines) rather than NDJSON: it opens with `[`, or its first line is not whole JSON."""
    line = b""
    while not line.strip():
        line = stream.readline(MAX_LINE_BYTES + 2)
        if not line:
            break
    stream.seek(0)
    head = line.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"["):
        return True
    if not head:
        return False
    try:
        json.loads(head)
    except ValueError:
        return True
    return False


def _plan_document(
    path: str,
    day: dt.date,
    engine: Engine,
    programs: tuple[str, ...] | None,
    batches: _Batches,
) -> None:
    """One case, or a JSON list of cases (record N is the list's item N, from 1)."""
    if os.path.getsize(path) > MAX_DOCUMENT_BYTES:
        raise Failure(
            f"{path}:1:1: a JSON list or document is read whole, so it may hold at most "
            f"{MAX_DOCUMENT_BYTES // 2**20} MiB; write more cases as NDJSON (one case a line)",
            EXIT_INVALID,
        )
    try:
        doc = load_file(path)
    except DocumentError as exc:
        raise Failure(str(from_document_error(exc)), EXIT_INVALID) from None
    pipeline = Pipeline(engine)
    items: list[tuple[int, tuple[int, ...]]] = (
        [(n + 1, (n,)) for n in range(len(doc.data))] if isinstance(doc.data, list) else [(1, ())]
    )
    for start in range(0, len(items), CHUNK_RECORDS):
        rows = PlanRows([], [], [])
        for number, base in items[start : start + CHUNK_RECORDS]:
            try:
                case = pipeline.read(doc, day, source=path, base=base)
            except InvalidDocument as exc:
                batches.errors += 1
                for p in exc.problems:
                    click.echo(
                        f"{p.file}:{p.line}:{p.column}: record {number}: {p.path}: {p.message}",
                        err=True,
                    )
                continue
            plan = pipeline.plan(case, day, programs)
            found = plan_rows(plan, number, case.data)
            rows.decisions.extend(found.decisions)
            rows.visits.extend(found.visits)
            rows.screenings.extend(found.screenings)
        batches.add(rows)

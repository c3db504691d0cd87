"""Planning many cases: NDJSON or CSV in, one JSON line per record out, in input order.

Records are read lazily and handed out in chunks, with a bounded number of chunks in
flight, so memory stays flat whatever the input size. With several workers the chunks
are planned in worker processes (`multiprocessing`, ordered `imap`); each worker builds
its own engine, since an engine holds plugin modules and cannot be pickled.

A bad record gives an error line (its record number, line and the located problems
with the field at fault, never a value) and the rest go on. Every record gives exactly
one line, so records in = plans out + errors. The line format is in docs/batch.md.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from hembesok.engine.engine import Engine
from hembesok.io.csv_cases import CsvLayout
from hembesok.io.documents import DocumentError, parse_json
from hembesok.io.json_text import dumps
from hembesok.io.problems import Problem, from_document_error
from hembesok.io.validation import case_problems
from hembesok.model.case import Case
from hembesok.render.problem_details import INTERNAL_ERROR, invalid_case, problem

NDJSON, CSV = "ndjson", "csv"
#: Records per chunk handed to a worker: large enough to amortise the hand-over, small
#: enough that the plans of the chunks in flight (about 2 MB a chunk) stay a small sum.
CHUNK_RECORDS = 100
#: Chunks per worker handed out ahead of the one being written: the memory ceiling.
CHUNKS_AHEAD = 3

#: (record number from 1, line number in the input, the record): the record is a JSON line
#: (bytes), a CSV row (cells), or, for a row the CSV reader could not read, why (text).
RawRecord = tuple[int, int, "bytes | list[str] | str"]


@dataclass(frozen=True)
class Settings:
    """What every worker needs to plan a record; picklable, so it can go to a worker."""

    as_of: dt.date
    source: str  # the input's name in messages
    programs: tuple[str, ...] | None = None
    layout: CsvLayout | None = None  # None: the input is NDJSON
    engine_factory: Callable[[], Engine] = Engine.from_installed


@dataclass(frozen=True)
class ChunkResult:
    """The output lines of one chunk, in order, and what they were."""

    output: bytes
    records: int
    plans: int
    errors: int
    internal: int
    messages: tuple[str, ...]  # one readable line per bad record, for standard error


@dataclass
class Summary:
    records: int = 0
    plans: int = 0
    errors: int = 0
    internal: int = 0  # errors that are bugs in hembesok, included in `errors`

    def add(self, chunk: ChunkResult) -> None:
        self.records += chunk.records
        self.plans += chunk.plans
        self.errors += chunk.errors
        self.internal += chunk.internal

    def __str__(self) -> str:
        return f"{self.records} records in, {self.plans} plans out, {self.errors} errors"


def detect_format(name: str, stream: io.BufferedReader) -> str:
    """NDJSON or CSV: by the file's suffix, else by its first non-blank byte (`{` is NDJSON)."""
    lower = name.lower()
    if lower.endswith(".csv"):
        return CSV
    if lower.endswith((".ndjson", ".jsonl", ".json")):
        return NDJSON
    head = stream.peek(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return NDJSON if head[:1] in (b"{", b"") else CSV


def ndjson_records(stream: IO[bytes]) -> Iterator[RawRecord]:
    """Every non-blank line is a record; blank lines are skipped and not counted."""
    number = 0
    for line_no, line in enumerate(stream, start=1):
        if line_no == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        number += 1
        yield number, line_no, line


def csv_reader(stream: IO[bytes]) -> tuple[Any, list[str]]:
    """A csv reader over a byte stream and the header row.

    The delimiter is the header's: `,`, `;` (as Swedish spreadsheets write) or a tab.
    Bytes that are not UTF-8 are kept as lone surrogates and reported per cell.
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    first = text.readline()
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    return csv.reader(text, delimiter=delimiter), header


def csv_records(reader: Any) -> Iterator[RawRecord]:
    """Every non-empty row after the header is a record; its line is where the row starts."""
    number = 0
    last_line = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # the reader's messages name the syntax, never the data
            number += 1
            last_line = reader.line_num
            yield number, last_line + 1, f"cannot be read as CSV: {exc}"
            continue
        start, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        number += 1
        yield number, start + 1, row  # +1: the header line was read before the reader


def chunked(records: Iterable[RawRecord], size: int = CHUNK_RECORDS) -> Iterator[list[RawRecord]]:
    chunk: list[RawRecord] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class Planner:
    """Plans records one by one with one engine; used in-process or inside a worker."""

    def __init__(self, settings: Settings, engine: Engine | None = None) -> None:
        self.settings = settings
        self.engine = engine if engine is not None else settings.engine_factory()
        self.programs = list(settings.programs) if settings.programs is not None else None
        self.debug = os.environ.get("HEMBESOK_DEBUG", "") not in ("", "0")

    def plan_chunk(self, chunk: Sequence[RawRecord]) -> ChunkResult:
        lines: list[bytes] = []
        messages: list[str] = []
        plans = errors = internal = 0
        for number, line, payload in chunk:
            try:
                out, found = self._plan(number, line, payload)
            except Exception as exc:
                if self.debug:
                    raise
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
        return ChunkResult(b"".join(lines), len(chunk), plans, errors, internal, tuple(messages))

    def _plan(
        self, number: int, line: int, payload: bytes | list[str] | str
    ) -> tuple[bytes | None, list[Problem]]:
        """The plan line of a record, or the record's problems."""
        settings = self.settings
        if isinstance(payload, str):  # a CSV row the reader could not read
            return None, [Problem(settings.source, line, 1, "$", payload)]
        if isinstance(payload, bytes):
            try:
                text = payload.decode("utf-8").rstrip("\r\n")
            except UnicodeDecodeError as exc:
                return None, [
                    Problem(settings.source, line, exc.start + 1, "$", "is not UTF-8 text")
                ]
            try:
                doc = parse_json(text, settings.source)
            except DocumentError as exc:
                return None, [_on_line(from_document_error(exc), line)]
            found = [_on_line(p, line) for p in case_problems(doc, settings.as_of)]
        else:
            assert settings.layout is not None
            case, found = settings.layout.to_case(payload, line)
            if found:
                return None, found
            doc = settings.layout.document(case, line)
            found = case_problems(doc, settings.as_of)
        if found:
            return None, found
        plan = self.engine.evaluate(Case.from_dict(doc.data), settings.as_of, self.programs)
        return b'{"record":%d,"plan":%s}\n' % (number, dumps(plan.to_json())), []

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


# --- running: in this process, or in worker processes with a bounded window of chunks.

_WORKER: Planner | None = None


def _start_worker(settings: Settings) -> None:
    global _WORKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the pool on Ctrl-C
    _WORKER = Planner(settings)


def _plan_in_worker(chunk: list[RawRecord]) -> ChunkResult:
    assert _WORKER is not None
    return _WORKER.plan_chunk(chunk)


def run(
    chunks: Iterable[list[RawRecord]],
    settings: Settings,
    out: IO[bytes],
    *,
    workers: int = 1,
    engine: Engine | None = None,
    on_chunk: Callable[[ChunkResult], None] | None = None,
) -> Summary:
    """Plan every chunk, write its lines to `out` in input order, and count.

    `engine` is used in this process (workers=1); worker processes build their own
    with `settings.engine_factory`.
    """
    summary = Summary()

    def take(result: ChunkResult) -> None:
        out.write(result.output)
        summary.add(result)
        if on_chunk is not None:
            on_chunk(result)

    if workers <= 1:
        planner = Planner(settings, engine)
        for chunk in chunks:
            take(planner.plan_chunk(chunk))
        return summary

    window = threading.Semaphore(CHUNKS_AHEAD * workers)
    stop = threading.Event()

    def bounded() -> Iterator[list[RawRecord]]:
        # Runs in the pool's task thread: waits while CHUNKS_AHEAD chunks per worker are in
        # flight, which keeps memory flat (imap alone would read the whole input ahead).
        for chunk in chunks:
            while not window.acquire(timeout=0.1):
                if stop.is_set():
                    return
            if stop.is_set():
                return
            yield chunk

    pool = multiprocessing.get_context().Pool(workers, _start_worker, (settings,))
    try:
        for result in pool.imap(_plan_in_worker, bounded(), chunksize=1):
            window.release()
            take(result)
    finally:
        stop.set()
        pool.terminate()
        pool.join()
    return summary

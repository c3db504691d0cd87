"""Writing a batch as the three flat tables: part files, each whole or absent, and a manifest.

`batch --to parquet|csv OUT_DIR` writes, per part of at most `PART_RECORDS` records,

    OUT_DIR/decisions/part-00000.parquet   (or .csv)
    OUT_DIR/visits/part-00000.parquet
    OUT_DIR/screenings/part-00000.parquet
    OUT_DIR/problems/part-00000.ndjson     the bad records' error lines, as NDJSON output has them
    OUT_DIR/_hembesok_batch.json           the run's settings and how far its whole parts go

A part is written under a hidden temporary name (`.part-00000.parquet.tmp`, which
pyarrow.dataset, DuckDB globs over `*.parquet` and Spark all pass over) and renamed when
it is closed; the manifest is rewritten (to a temporary name, then renamed) after every
closed part. So a reader only ever sees whole parts, a stopped run (SIGINT, SIGTERM) closes
the part it is writing, and `--resume` goes on from the manifest's last record, removing
any part a hard kill left behind it. Rows are buffered for at most `ROW_GROUP_RECORDS`
records, then written: memory stays flat whatever the size of the input.
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from hembesok.batch.planning import ChunkResult, Summary
from hembesok.render.flat import TABLES, Row, column_names, csv_cell

PARQUET, CSV_TABLES = "parquet", "csv"
#: What `--to` may name besides ndjson, and the suffix of their part files.
TABLE_FORMATS: Mapping[str, str] = {PARQUET: ".parquet", CSV_TABLES: ".csv"}
PROBLEMS = "problems"
MANIFEST = "_hembesok_batch.json"
MANIFEST_FORMAT = "urn:hembesok:batch-tables:1"
#: Records per part file: a part is the unit a resumed run goes on from.
PART_RECORDS = 100_000
#: Records whose rows are held before they are written (one Parquet row group).
ROW_GROUP_RECORDS = 10_000


class NotTableOutput(ValueError):
    """A directory `--resume` cannot go on from: what is wrong, without any case data."""


def part_name(index: int, suffix: str) -> str:
    return f"part-{index:05d}{suffix}"


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp")


class _TableWriter(Protocol):
    def write(self, rows: Sequence[Any]) -> None: ...
    def close(self) -> None: ...


class _ParquetPart:
    """One table's part as Parquet: a row group per `write`."""

    def __init__(self, table: str, path: Path) -> None:
        import pyarrow.parquet as pq

        from hembesok.render import arrow_tables

        self.table = table
        self.batch = arrow_tables.record_batch
        self.writer = pq.ParquetWriter(str(path), arrow_tables.schema(table))

    def write(self, rows: Sequence[Any]) -> None:
        """Rows (tuples), or record batches a worker made of its chunk's rows (one row
        group either way)."""
        import pyarrow as pa

        if rows and isinstance(rows[0], pa.RecordBatch):
            self.writer.write_table(pa.Table.from_batches(rows))
        else:
            self.writer.write_batch(self.batch(self.table, rows))

    def close(self) -> None:
        self.writer.close()


class _CsvPart:
    """One table's part as CSV (UTF-8, a header row, `,`): no Arrow needed."""

    def __init__(self, table: str, path: Path) -> None:
        self.stream = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed in close()
        self.writer = csv.writer(self.stream)
        self.writer.writerow(column_names(table))

    def write(self, rows: Sequence[Row]) -> None:
        self.writer.writerows([csv_cell(v) for v in row] for row in rows)

    def close(self) -> None:
        self.stream.close()


def _writers(to: str) -> Callable[[str, Path], _TableWriter]:
    if to == PARQUET:
        return _ParquetPart
    return _CsvPart


class TableSink:
    """Takes a run's chunks in input order and writes them as parts of the three tables.

    `summary` holds the counts of the run gone on from (resume); `run` (a dict of the
    settings) is written to the manifest with the counts, so a resume can check it goes on
    with the same settings. Call `finish` when the run has ended (stopped or not) to close
    the open part; `abandon` when writing failed, to remove its temporary files.
    """

    def __init__(
        self,
        directory: Path,
        to: str,
        run: Mapping[str, Any],
        *,
        summary: Summary | None = None,
        first_part: int = 0,
        part_records: int = PART_RECORDS,
        row_group_records: int = ROW_GROUP_RECORDS,
    ) -> None:
        self.directory = directory
        self.to = to
        self.suffix = TABLE_FORMATS[to]
        self.run = dict(run)
        self.summary = dataclasses.replace(summary) if summary is not None else Summary()
        self.part = first_part
        self.part_records = part_records
        self.row_group_records = row_group_records
        self.make = _writers(to)  # fails here, before any record, when pyarrow is missing
        if to == PARQUET:
            import pyarrow.parquet  # noqa: F401 - the optional extra, checked up front
        self._open: dict[str, _TableWriter] = {}
        self._problems: io.BufferedWriter | None = None
        self._rows: dict[str, list[Any]] = {t: [] for t in TABLES}  # rows, or record batches
        self._buffered = 0  # records whose rows are held
        self._in_part = 0  # records written to the open part
        for name in (*TABLES, PROBLEMS):
            (directory / name).mkdir(parents=True, exist_ok=True)
        if not (directory / MANIFEST).exists():
            self._write_manifest()  # the directory is ours from the start

    # --- ChunkSink -------------------------------------------------------------------

    def write_chunk(self, result: ChunkResult) -> None:
        if not result.records:
            return
        if not self._open:
            self._start_part()
        assert result.tables is not None
        for name, rows in zip(TABLES, result.tables, strict=True):
            if isinstance(rows, list):
                self._rows[name].extend(rows)
            elif rows.num_rows:  # a record batch of the chunk's rows (planning.FLAT_ARROW)
                self._rows[name].append(rows)
        if result.output:  # the error lines of the chunk's bad records
            assert self._problems is not None
            self._problems.write(result.output)
        self.summary.add(result)
        self._buffered += result.records
        self._in_part += result.records
        if self._buffered >= self.row_group_records:
            self._flush()
        if self._in_part >= self.part_records:
            self._close_part()

    # --- the end of a run ------------------------------------------------------------

    def finish(self) -> Summary:
        """Close the open part (every chunk taken is in a whole part) and say what was written."""
        if self._open:
            self._close_part()
        return self.summary

    def abandon(self) -> None:
        """Writing failed: drop the open part's temporary files; the closed parts stay whole."""
        for writer in self._open.values():
            with contextlib.suppress(Exception):
                writer.close()
        if self._problems is not None:
            with contextlib.suppress(OSError):
                self._problems.close()
        for path in self._part_paths().values():
            with contextlib.suppress(OSError):
                _temporary(path).unlink()
        self._open, self._problems = {}, None

    # --- parts -------------------------------------------------------------------------

    def _part_paths(self) -> dict[str, Path]:
        paths = {t: self.directory / t / part_name(self.part, self.suffix) for t in TABLES}
        paths[PROBLEMS] = self.directory / PROBLEMS / part_name(self.part, ".ndjson")
        return paths

    def _start_part(self) -> None:
        paths = self._part_paths()
        self._open = {t: self.make(t, _temporary(paths[t])) for t in TABLES}
        self._problems = open(_temporary(paths[PROBLEMS]), "wb")  # noqa: SIM115 - closed in _close_part
        self._in_part = 0

    def _flush(self) -> None:
        for name, writer in self._open.items():
            rows = self._rows[name]
            if rows:  # a part with no rows of a table is still a whole file with the schema
                writer.write(rows)
            self._rows[name] = []
        self._buffered = 0

    def _close_part(self) -> None:
        self._flush()
        for writer in self._open.values():
            writer.close()
        assert self._problems is not None
        self._problems.flush()
        os.fsync(self._problems.fileno())
        self._problems.close()
        for path in self._part_paths().values():
            os.replace(_temporary(path), path)
        self._open, self._problems = {}, None
        self.part += 1
        self._in_part = 0
        self._write_manifest()

    def _write_manifest(self) -> None:
        s = self.summary
        data = {
            "$schema": MANIFEST_FORMAT,
            "to": self.to,
            "run": self.run,
            "parts": self.part,
            "last_record": s.last_record,
            "records": s.records,
            "plans": s.plans,
            "errors": s.errors,
            "internal": s.internal,
        }
        path = self.directory / MANIFEST
        temporary = _temporary(path)
        temporary.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        os.replace(temporary, path)


class Resumed:
    """Where an interrupted table output goes on from: its counts and its next part."""

    def __init__(self, summary: Summary, parts: int) -> None:
        self.summary = summary
        self.parts = parts


def read_manifest(directory: Path, to: str, run: Mapping[str, Any]) -> Resumed | None:
    """What `directory` holds, for `--resume`: None when there is nothing to go on from.

    Raises NotTableOutput when the directory is not a table output of hembesok batch, was
    written with other settings (named, never with case data), or as another format.
    """
    path = directory / MANIFEST
    if not path.exists():
        if directory.exists() and any(directory.iterdir()):
            raise NotTableOutput(f"it has no {MANIFEST}")
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("$schema") != MANIFEST_FORMAT:
            raise NotTableOutput(f"{MANIFEST} is not one hembesok batch wrote")
        parts, last = int(data["parts"]), int(data["last_record"])
        summary = Summary(
            int(data["records"]),
            int(data["plans"]),
            int(data["errors"]),
            int(data["internal"]),
            last,
        )
        given = data["run"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise NotTableOutput(f"{MANIFEST} cannot be read ({type(exc).__name__})") from None
    if data.get("to") != to:
        raise NotTableOutput(f"it was written with --to {data.get('to')}")
    differ = sorted(k for k in set(given) | set(run) if given.get(k) != run.get(k))
    if differ:
        raise NotTableOutput("it was written with other settings: " + ", ".join(differ) + " differ")
    return Resumed(summary, parts)


def remove_parts(directory: Path, from_part: int = 0) -> None:
    """Remove the part files (and temporary ones) numbered `from_part` and on, and, from 0,
    the manifest: what a hard kill left behind the last whole part, or what --force replaces."""
    for name in (*TABLES, PROBLEMS):
        folder = directory / name
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            number = _part_number(path.name)
            if number is not None and number >= from_part:
                path.unlink()
    if from_part == 0:
        with contextlib.suppress(FileNotFoundError):
            (directory / MANIFEST).unlink()


def _part_number(name: str) -> int | None:
    """N of `part-N.<suffix>` or `.part-N.<suffix>.tmp`; None for any other file."""
    bare = name[1:] if name.startswith(".part-") and name.endswith(".tmp") else name
    if not bare.startswith("part-"):
        return None
    digits = bare[5:].split(".", 1)[0]
    return int(digits) if digits.isdigit() else None


def existing_parts(directory: Path) -> Iterable[Path]:
    """Every file of the output's tables and problems (what --force would replace)."""
    for name in (*TABLES, PROBLEMS):
        folder = directory / name
        if folder.is_dir():
            yield from (p for p in folder.iterdir() if _part_number(p.name) is not None)

"""A partition of cases to the flat tables: the entry point for Dask and Spark.

Input layout (one row per case, as `hembesok batch` reads an NDJSON line):

    case    string  the case as JSON text (schema `hembesok schema case`), required
    record  int     the case's number in the whole input (the `#N` case_ref of a case
                    without one, and the record of a problem); optional: without it, the
                    row's position in the partition, counted from 1

A partition is a pandas DataFrame, or a pyarrow Table or RecordBatch. `map_partition`
plans every case through the same chunk planner as `hembesok batch --to parquet`, so the
rows are the same, and returns the tables as the input came (pandas in, pandas out; Arrow
in, Arrow out): all of them as a dict (`decisions`, `visits`, `screenings` and `problems`,
the bad records' error lines), or the one `table=` names, with `meta(table)` its empty
frame for Dask's `map_partitions(..., meta=...)`. `write_partition(frame, directory,
number, as_of=...)` plans a partition once and writes all its tables as part `number` of
batch's own layout (`decisions/part-00003.parquet`, ..., `problems/part-00003.ndjson`),
for `dask.delayed` over a Dask frame's partitions. Spark's `mapInArrow` functions are in
hembesok.batch.spark, on `plan_partition`. The engine is the installed plugins'
(hembesok.engine.engine.installed_engine: built once per worker process) unless one is
given; a given engine is pickled to the workers as its recipe. Recipes: docs/scale.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from hembesok.batch.planning import FLAT, ChunkPlanner, Settings
from hembesok.batch.records import RawRecord
from hembesok.batch.tables import part_name
from hembesok.engine.engine import Engine, installed_engine, settings_of
from hembesok.render import arrow_tables
from hembesok.render.flat import TABLES

CASE, RECORD = "case", "record"
PROBLEMS = "problems"
#: The problems table: the record, and its error line as `hembesok batch` writes it.
PROBLEM_SCHEMA = pa.schema(
    [pa.field(RECORD, pa.int64(), nullable=False), pa.field("error", pa.string(), nullable=False)]
)
#: What `map_partition` returns, in order.
OUTPUTS = (*TABLES, PROBLEMS)


def schema(table: str) -> pa.Schema:
    """The Arrow schema of one of `OUTPUTS`."""
    return PROBLEM_SCHEMA if table == PROBLEMS else arrow_tables.schema(table)


def meta(table: str) -> Any:
    """An empty pandas frame of `table`, with the dtypes map_partition's frames have."""
    return schema(table).empty_table().to_pandas()


def _records(frame: Any) -> list[RawRecord]:
    if isinstance(frame, pa.Table | pa.RecordBatch):
        names = frame.schema.names
        cases: Sequence[Any] = frame.column(CASE).to_pylist()
        numbers = frame.column(RECORD).to_pylist() if RECORD in names else None
    else:
        cases = frame[CASE].tolist()
        numbers = frame[RECORD].tolist() if RECORD in frame.columns else None
    if numbers is None:
        numbers = list(range(1, len(cases) + 1))
    out: list[RawRecord] = []
    for number, case in zip(numbers, cases, strict=True):
        text = case.encode("utf-8") if isinstance(case, str) else case
        out.append((int(number), int(number), text if isinstance(text, bytes) else b""))
    return out


def plan_partition(
    frame: Any,
    *,
    as_of: dt.date,
    programs: Sequence[str] | None = None,
    engine: Engine | None = None,
    source: str = "<partition>",
) -> dict[str, pa.Table]:
    """Every table of a partition of cases, as Arrow tables (see the module's layout)."""
    settings = Settings(
        as_of, source, tuple(programs) if programs is not None else None, output=FLAT
    )
    planner = ChunkPlanner(
        settings, engine if engine is not None else installed_engine(settings_of(None))
    )
    result = planner.plan_chunk(_records(frame))
    assert result.tables is not None
    out = {
        name: arrow_tables.arrow_table(name, rows)
        for name, rows in zip(TABLES, result.tables, strict=True)
    }
    lines = result.output.splitlines()
    numbers = [int(line[10 : line.index(b",")]) for line in lines]  # {"record":N,...
    out[PROBLEMS] = pa.table(
        [pa.array(numbers, pa.int64()), pa.array([line.decode("utf-8") for line in lines])],
        schema=PROBLEM_SCHEMA,
    )
    return out


def map_partition(
    frame: Any,
    *,
    as_of: dt.date,
    table: str | None = None,
    programs: Sequence[str] | None = None,
    engine: Engine | None = None,
    source: str = "<partition>",
) -> Any:
    """A partition of cases -> the flat tables, in the input's kind (pandas or Arrow).

    With `table` (one of OUTPUTS) only that table, as Dask's `map_partitions` wants:
    `cases.map_partitions(map_partition, as_of=day, table="visits", meta=meta("visits"))`.
    """
    if table is not None and table not in OUTPUTS:
        raise ValueError(f"unknown table {table!r}; the tables are: {', '.join(OUTPUTS)}")
    tables = plan_partition(frame, as_of=as_of, programs=programs, engine=engine, source=source)
    arrow_in = isinstance(frame, pa.Table | pa.RecordBatch)
    if table is not None:
        return tables[table] if arrow_in else tables[table].to_pandas()
    return tables if arrow_in else {name: t.to_pandas() for name, t in tables.items()}


def _write_whole(path: Path, write: Callable[[Path], object]) -> None:
    """Write under a hidden temporary name, then rename: readers never see half a part, and
    a task the scheduler reruns replaces its part instead of adding another."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    write(temporary)
    os.replace(temporary, path)


def write_partition(
    frame: Any,
    directory: str | os.PathLike[str],
    number: int,
    *,
    as_of: dt.date,
    programs: Sequence[str] | None = None,
    engine: Engine | None = None,
    source: str = "<partition>",
) -> dict[str, int]:
    """Plan a partition once and write each table's part `number` in batch's layout.

    `directory` is laid out as `hembesok batch --to parquet` lays it out (without the
    manifest), so `hembesok report directory` and any Parquet reader take it as is: the
    three tables as Parquet, the problems as batch's NDJSON error lines. Returns the number
    of rows written per table. Every worker must see `directory` (a shared file system).
    """
    tables = plan_partition(frame, as_of=as_of, programs=programs, engine=engine, source=source)
    base = Path(directory)
    for name in TABLES:
        _write_whole(
            base / name / part_name(number, ".parquet"),
            functools.partial(pq.write_table, tables[name]),
        )
    errors = "".join(f"{line}\n" for line in tables[PROBLEMS].column("error").to_pylist())
    _write_whole(
        base / PROBLEMS / part_name(number, ".ndjson"),
        lambda path: path.write_text(errors, encoding="utf-8"),
    )
    return {name: table.num_rows for name, table in tables.items()}

"""Cases to the flat tables on Spark, through `DataFrame.mapInArrow`.

Spark gives the function record batches of cases (the partition layout of
hembesok.batch.partitions: `case`, and optionally `record`) and wants record batches of
one declared schema back. Two ways, both planning through `partitions.plan_partition`, so
the rows are `hembesok batch --to parquet`'s:

- one table: `spark_map(table, as_of=...)` with `spark_schema(table)`. Simple, but each
  table asked for plans the cases again;
- every table, planned once: `spark_map_tables(as_of=...)` with `spark_tables_schema()`
  gives one row per row of any table, `table_name` saying which, and that table's row in
  the struct column of its name (the other structs null). Persist it and select each table
  out of it (`.where(col("table_name") == "visits").select("visits.*")`): docs/scale.md.

Spark has no categorical type, so those columns come as strings; dates stay dates and lists
arrays. Nothing here imports pyspark: the functions are plain picklable objects that Spark
ships to its Python workers by reference to this module, and the schemas are DDL text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from hembesok.batch.partitions import OUTPUTS, plan_partition, schema
from hembesok.engine.engine import Engine

#: The column of `spark_tables_schema` naming the table a row belongs to.
TABLE_NAME = "table_name"

#: Spark SQL's name of each Arrow type the tables hold.
_SPARK_TYPES = (
    (pa.types.is_string, "STRING"),
    (pa.types.is_dictionary, "STRING"),  # Spark has no categorical: the values as strings
    (pa.types.is_date32, "DATE"),
    (pa.types.is_boolean, "BOOLEAN"),
    (pa.types.is_int32, "INT"),
    (pa.types.is_int64, "BIGINT"),
)


def _spark_type(arrow_type: Any) -> str:
    if pa.types.is_list(arrow_type):
        return f"ARRAY<{_spark_type(arrow_type.value_type)}>"
    for matches, name in _SPARK_TYPES:
        if matches(arrow_type):
            return name
    raise TypeError(f"no Spark type for the Arrow type {arrow_type}")  # a new column's type


def _known(table: str) -> None:
    if table not in OUTPUTS:
        raise ValueError(f"unknown table {table!r}; the tables are: {', '.join(OUTPUTS)}")


def _columns(table: str, separator: str) -> str:
    return ", ".join(
        f"`{f.name}`{separator}{_spark_type(f.type)}{'' if f.nullable else ' NOT NULL'}"
        for f in schema(table)
    )


def spark_schema(table: str) -> str:
    """`table`'s schema as Spark DDL, the schema `mapInArrow(spark_map(table, ...), ...)` wants."""
    _known(table)
    return _columns(table, " ")


def spark_tables_schema() -> str:
    """The schema of `spark_map_tables` as Spark DDL: `table_name`, then one struct per table."""
    structs = ", ".join(f"`{name}` STRUCT<{_columns(name, ': ')}>" for name in OUTPUTS)
    return f"`{TABLE_NAME}` STRING NOT NULL, {structs}"


def plain_schema(table: str) -> pa.Schema:
    """`table`'s Arrow schema with the categoricals as strings (what spark_schema declares)."""
    return pa.schema(
        [f.with_type(pa.string()) if pa.types.is_dictionary(f.type) else f for f in schema(table)]
    )


def tables_schema() -> pa.Schema:
    """The Arrow schema of `spark_map_tables`' batches (what spark_tables_schema declares)."""
    return pa.schema(
        [
            pa.field(TABLE_NAME, pa.string(), nullable=False),
            *(pa.field(name, pa.struct(list(plain_schema(name)))) for name in OUTPUTS),
        ]
    )


@dataclass(frozen=True)
class _Planning:
    """What a worker plans a batch of cases with. Plain picklable objects rather than
    closures, so Spark ships them to its Python workers by reference to this module; the
    engine goes as its recipe (Engine.__reduce__)."""

    as_of: dt.date
    programs: tuple[str, ...] | None = None
    engine: Engine | None = None
    source: str = "<partition>"

    def planned(self, batch: pa.RecordBatch) -> dict[str, pa.Table]:
        return plan_partition(
            batch, as_of=self.as_of, programs=self.programs, engine=self.engine, source=self.source
        )


@dataclass(frozen=True)
class SparkMap(_Planning):
    """Record batches of cases -> record batches of one table, for Spark's `mapInArrow`."""

    table: str = "visits"

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        plain = plain_schema(self.table)
        for batch in batches:
            yield from self.planned(batch)[self.table].cast(plain).to_batches()


@dataclass(frozen=True)
class SparkTablesMap(_Planning):
    """Record batches of cases -> every table's rows, each batch planned once (see the module)."""

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        combined = tables_schema()
        structs = {name: combined.field(name).type for name in OUTPUTS}
        plains = {name: plain_schema(name) for name in OUTPUTS}
        for batch in batches:
            for name, table in self.planned(batch).items():
                for rows in table.cast(plains[name]).to_batches():
                    yield _one_table(rows, name, structs, combined)


def _one_table(
    rows: pa.RecordBatch, name: str, structs: dict[str, pa.DataType], combined: pa.Schema
) -> pa.RecordBatch:
    """`rows` of table `name` in the combined schema: its struct filled, the others null."""
    n = rows.num_rows
    columns: list[pa.Array] = [pa.array([name] * n, pa.string())]
    for other, struct in structs.items():
        if other == name:
            columns.append(pa.StructArray.from_arrays(rows.columns, fields=list(struct)))
        else:
            columns.append(pa.nulls(n, struct))
    return pa.RecordBatch.from_arrays(columns, schema=combined)


def spark_map(
    table: str,
    *,
    as_of: dt.date,
    programs: Sequence[str] | None = None,
    engine: Engine | None = None,
    source: str = "<partition>",
) -> SparkMap:
    """The function `mapInArrow` calls to plan cases into `table` (one of OUTPUTS):

    `cases.mapInArrow(spark_map("visits", as_of=day), spark_schema("visits"))`.
    """
    _known(table)
    chosen = tuple(programs) if programs is not None else None
    return SparkMap(as_of, chosen, engine, source, table)


def spark_map_tables(
    *,
    as_of: dt.date,
    programs: Sequence[str] | None = None,
    engine: Engine | None = None,
    source: str = "<partition>",
) -> SparkTablesMap:
    """The function `mapInArrow` calls to plan cases once into every table:

    `cases.mapInArrow(spark_map_tables(as_of=day), spark_tables_schema())`.
    """
    chosen = tuple(programs) if programs is not None else None
    return SparkTablesMap(as_of, chosen, engine, source)

"""The flat tables (hembesok.render.flat) as Arrow: their schemas, and rows turned into batches.

Only this module imports pyarrow (the optional extra `hembesok[arrow]`), so the rows and
CSV output work without it. The types are real: `date32` dates, `dictionary<int32,
string>` categoricals, `bool`, `int32`, `list<string>`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from hembesok.render.flat import (
    BOOL,
    CATEGORY,
    COLUMNS,
    DATE,
    INT32,
    STRING,
    STRINGS,
    Row,
)

_ARROW_TYPES: dict[str, Any] = {
    STRING: pa.string(),
    CATEGORY: pa.dictionary(pa.int32(), pa.string()),
    DATE: pa.date32(),
    BOOL: pa.bool_(),
    INT32: pa.int32(),
    STRINGS: pa.list_(pa.string()),
}


def schema(table: str) -> pa.Schema:
    """The Arrow schema of one of the flat tables (KeyError for another name)."""
    return pa.schema(
        [pa.field(c.name, _ARROW_TYPES[c.type], nullable=c.nullable) for c in COLUMNS[table]]
    )


def _array(values: Sequence[Any], column_type: str) -> pa.Array:
    if column_type == CATEGORY:  # encoded once the strings are in: faster than per value
        return pa.array(values, pa.string()).dictionary_encode()
    return pa.array(values, _ARROW_TYPES[column_type])


def record_batch(table: str, rows: Sequence[Row]) -> pa.RecordBatch:
    """Rows of `table` (tuples in column order, as hembesok.render.flat makes them) as a batch."""
    columns = COLUMNS[table]
    values: Sequence[Sequence[Any]] = (
        list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    )
    arrays = [_array(v, c.type) for v, c in zip(values, columns, strict=True)]
    return pa.RecordBatch.from_arrays(arrays, schema=schema(table))


def arrow_table(table: str, rows: Sequence[Row]) -> pa.Table:
    """Rows of `table` as an Arrow table (empty, with the schema, for no rows)."""
    return pa.Table.from_batches([record_batch(table, rows)], schema=schema(table))

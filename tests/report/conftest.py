"""Small flat tables, built row by row in a test, with the contract's Arrow types (fixture `flat`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

CAT = pa.dictionary(pa.int32(), pa.string())
AS_OF = dt.date(2026, 5, 4)

SCHEMAS = {
    "decisions": pa.schema(
        [
            ("case_ref", pa.string()),
            ("as_of", pa.date32()),
            ("program", CAT),
            ("program_version", CAT),
            ("status", CAT),
            ("declined", pa.bool_()),
            ("missing_facts", pa.list_(pa.string())),
            ("bvc", CAT),
            ("municipality", CAT),
            ("enrolment_date", pa.date32()),
            ("error", pa.string()),
        ]
    ),
    "visits": pa.schema(
        [
            ("case_ref", pa.string()),
            ("as_of", pa.date32()),
            ("program", CAT),
            ("bvc", CAT),
            ("kind", CAT),
            ("item", CAT),
            ("target", pa.date32()),
            ("window_start", pa.date32()),
            ("window_end", pa.date32()),
            ("status", CAT),
            ("done_on", pa.date32()),
            ("replaced_by", pa.string()),
            ("setting", CAT),
            ("staff", pa.list_(pa.string())),
        ]
    ),
    "screenings": pa.schema(
        [
            ("case_ref", pa.string()),
            ("as_of", pa.date32()),
            ("program", CAT),
            ("bvc", CAT),
            ("instrument", CAT),
            ("visit", CAT),
            ("occasion_status", CAT),
            ("window_start", pa.date32()),
            ("window_end", pa.date32()),
            ("answered_on", pa.date32()),
            ("domain", CAT),
            ("result", CAT),
            ("score", pa.int32()),
        ]
    ),
}

DEFAULTS: dict[str, dict[str, Any]] = {
    "decisions": {
        "as_of": AS_OF,
        "program_version": "1.0.0",
        "declined": False,
        "missing_facts": [],
        "municipality": None,
        "enrolment_date": None,
        "error": None,
        "bvc": None,
    },
    "visits": {
        "as_of": AS_OF,
        "kind": "visit",
        "done_on": None,
        "replaced_by": None,
        "setting": "home",
        "staff": [],
        "bvc": None,
    },
    "screenings": {
        "as_of": AS_OF,
        "answered_on": None,
        "domain": None,
        "result": None,
        "score": None,
        "bvc": None,
    },
}


class Tables:
    """Rows added one at a time; `arrow()` gives the three tables."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in SCHEMAS}

    def decision(self, **row: Any) -> None:
        self.rows["decisions"].append({**DEFAULTS["decisions"], **row})

    def visit(self, **row: Any) -> None:
        self.rows["visits"].append({**DEFAULTS["visits"], **row})

    def screening(self, **row: Any) -> None:
        self.rows["screenings"].append({**DEFAULTS["screenings"], **row})

    def arrow(self) -> dict[str, pa.Table]:
        return {
            name: pa.Table.from_pylist(rows, schema=SCHEMAS[name])
            for name, rows in self.rows.items()
        }

    def write_parquet(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in self.arrow().items():
            pq.write_table(table, folder / f"{name}.parquet")
        return folder

    def write_csv(self, folder: Path) -> Path:
        """CSV as the contract writes it: ISO dates, lists joined with |, nulls empty."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, table in self.arrow().items():
            columns = {}
            for field in table.schema:
                column = table[field.name]
                if pa.types.is_list(field.type):
                    column = pa.array(["|".join(v) for v in column.to_pylist()])
                elif pa.types.is_dictionary(field.type):
                    column = column.cast(pa.string())
                columns[field.name] = column
            options = pacsv.WriteOptions(quoting_style="needed")
            pacsv.write_csv(pa.table(columns), folder / f"{name}.csv", write_options=options)
        return folder


@pytest.fixture
def flat() -> Tables:
    """Empty flat tables to add rows to."""
    return Tables()

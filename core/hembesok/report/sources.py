"""The flat tables a report reads, as three DuckDB views with one set of types.

`batch --to parquet|csv` writes `decisions`, `visits` and `screenings` (FLAT-CONTRACT, and
docs/report.md): each a Parquet file, a directory of Parquet part files, or a CSV file. Here
each becomes a view of the same name holding only the columns the report reads, cast to the
same types whatever the file format was, so the queries (`queries.py`) are written once.
Extra columns a later batch adds are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import duckdb

TABLES = ("decisions", "visits", "screenings")

#: The columns the report reads and their DuckDB types, per table (docs/report.md#input).
COLUMNS: Mapping[str, tuple[tuple[str, str], ...]] = MappingProxyType(
    {
        "decisions": (
            ("case_ref", "VARCHAR"),
            ("as_of", "DATE"),
            ("program", "VARCHAR"),
            ("status", "VARCHAR"),
            ("declined", "BOOLEAN"),
            ("missing_facts", "VARCHAR[]"),
            ("bvc", "VARCHAR"),
        ),
        "visits": (
            ("case_ref", "VARCHAR"),
            ("as_of", "DATE"),
            ("program", "VARCHAR"),
            ("bvc", "VARCHAR"),
            ("kind", "VARCHAR"),
            ("item", "VARCHAR"),
            ("target", "DATE"),
            ("window_start", "DATE"),
            ("window_end", "DATE"),
            ("status", "VARCHAR"),
            ("done_on", "DATE"),
        ),
        "screenings": (
            ("case_ref", "VARCHAR"),
            ("as_of", "DATE"),
            ("program", "VARCHAR"),
            ("bvc", "VARCHAR"),
            ("instrument", "VARCHAR"),
            ("visit", "VARCHAR"),
            ("occasion_status", "VARCHAR"),
            ("window_start", "DATE"),
            ("window_end", "DATE"),
            ("answered_on", "DATE"),
            ("domain", "VARCHAR"),
            ("result", "VARCHAR"),
        ),
    }
)


class SourceError(Exception):
    """The source is not the flat tables of a batch; the message names the file, never a value."""


def connect() -> duckdb.DuckDBPyConnection:
    """A private in-memory database: nothing is written to disk, nothing is fetched."""
    con = duckdb.connect(":memory:", config={"enable_external_access": "true"})
    # Extensions are never loaded from the network: Parquet and CSV are built in.
    con.execute("SET autoinstall_known_extensions = false")
    con.execute("SET autoload_known_extensions = false")
    return con


def open_directory(path: Path) -> duckdb.DuckDBPyConnection:
    """The tables in a batch's output directory as views; SourceError if one is missing."""
    if not path.is_dir():
        raise SourceError(f"{path}: not a directory of flat tables")
    con = connect()
    for name in TABLES:
        scan, is_csv = _scan(path, name)
        _define(con, name, scan, is_csv, str(path / name))
    return con


def open_arrow(tables: Mapping[str, Any]) -> duckdb.DuckDBPyConnection:
    """Tables held in memory (Arrow tables, by name) as the same views."""
    con = connect()
    for name in TABLES:
        if name not in tables:
            raise SourceError(f"the {name} table is missing")
        con.register(f"{name}_source", tables[name])
        _define(con, name, f"{name}_source", False, name)
    return con


def keep_programs(con: duckdb.DuckDBPyConnection, ids: Sequence[str]) -> None:
    """Narrow the views to these programmes' rows.

    Every count and every sum the suppression protects lies within one programme
    (docs/report.md#suppression), so the counts of the programmes kept, and which of them
    are suppressed, are those of the report over every programme.
    """
    chosen = ", ".join(_literal(i) for i in ids) or "NULL"
    for name in TABLES:
        con.execute(f"ALTER VIEW {name} RENAME TO {name}_every_program")
        con.execute(
            f"CREATE VIEW {name} AS SELECT * FROM {name}_every_program WHERE program IN ({chosen})"
        )


def _scan(path: Path, name: str) -> tuple[str, bool]:
    """The table function that reads one table, and whether it is CSV.

    A table is one file (`visits.parquet`, `visits.csv`) or a directory of part files
    (`visits/part-00000.parquet`, as `batch --to` writes them, or `visits.parquet/...`).
    """
    for folder in (path / name, path / f"{name}.parquet", path / f"{name}.csv"):
        if folder.is_dir():
            if any(folder.rglob("*.parquet")):
                return f"read_parquet({_literal(str(folder / '**' / '*.parquet'))})", False
            if any(folder.rglob("*.csv")):
                return _csv(folder / "**" / "*.csv"), True
    if (path / f"{name}.parquet").is_file():
        return f"read_parquet({_literal(str(path / f'{name}.parquet'))})", False
    if (path / f"{name}.csv").is_file():
        return _csv(path / f"{name}.csv"), True
    raise SourceError(
        f"{path}: no {name}.parquet, {name}.csv or {name}/ of part files; "
        "give the output directory of `hembesok batch --to parquet|csv`"
    )


def _csv(pattern: Path) -> str:
    return f"read_csv({_literal(str(pattern))}, header = true, all_varchar = true)"


def _define(con: duckdb.DuckDBPyConnection, name: str, scan: str, is_csv: bool, where: str) -> None:
    columns = ", ".join(_column(column, kind, is_csv) for column, kind in COLUMNS[name])
    try:
        con.execute(f"CREATE VIEW {name} AS SELECT {columns} FROM {scan}")
    except duckdb.Error:
        # DuckDB's own message may quote a value from the file: never shown.
        raise SourceError(
            f"{where}: cannot read it as the {name} table (columns: "
            + ", ".join(c for c, _ in COLUMNS[name])
            + ")"
        ) from None


def _column(column: str, kind: str, is_csv: bool) -> str:
    if not is_csv:
        return f"CAST({column} AS {kind}) AS {column}"
    if kind == "VARCHAR[]":  # CSV joins a list with |, and writes an empty list as nothing
        return f"coalesce(string_split(NULLIF({column}, ''), '|'), []::VARCHAR[]) AS {column}"
    return f"CAST(NULLIF({column}, '') AS {kind}) AS {column}"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"

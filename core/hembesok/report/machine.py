"""The report for machines: one JSON document with every table, or one CSV file per table.

JSON (schema `schemas/report.schema.json`): a suppressed count is null and its row's
`suppressed` names it. CSV: a suppressed count is written `<N` (N the threshold), as a
person opening the file in a spreadsheet should read it; an empty cell is a null key (no
BVC), never a count. Dates are ISO `YYYY-MM-DD`. docs/report.md#machine-readable.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from hembesok.render.flat import csv_cell
from hembesok.report.tables import Report, Table
from hembesok.report.titles import Titles

REPORT_FORMAT = "urn:hembesok:report:1"


def document(report: Report, titles: Titles | None = None) -> dict[str, Any]:
    """The whole report as JSON data; the rows name ids, `titles` gives the titles (both
    languages) of those the installed programs and instruments know."""
    return {
        "format": REPORT_FORMAT,
        "week": {
            "id": str(report.week),
            "monday": report.week.monday.isoformat(),
            "sunday": report.week.sunday.isoformat(),
        },
        "as_of": _json(report.as_of),
        "planned_as_of": [_json(d) for d in report.planned_as_of],
        "min_count": report.min_count,
        "missed_days": report.missed_days,
        "only": {
            "bvcs": None if report.only_bvcs is None else list(report.only_bvcs),
            "programs": None if report.only_programs is None else list(report.only_programs),
        },
        "titles": _titles(report, titles or Titles()),
        "tables": {
            table.name: [_json_row(table, row) for row in table.rows] for table in report.tables
        },
    }


def json_text(report: Report, titles: Titles | None = None) -> str:
    return json.dumps(document(report, titles), ensure_ascii=False, indent=1) + "\n"


def _titles(report: Report, titles: Titles) -> dict[str, dict[str, dict[str, str]]]:
    """The titles of the ids the report's rows name: programs by id, visits and doses as
    `program/item`, instruments by id, domains as `instrument/domain`."""
    named: dict[str, set[str]] = {
        "programs": set(),
        "items": set(),
        "instruments": set(),
        "domains": set(),
    }
    for table in report.tables:
        for row in table.rows:
            program, instrument = row["program"], row.get("instrument")
            named["programs"].add(str(program))
            for key in ("item", "visit"):
                if row.get(key) is not None:
                    named["items"].add(f"{program}/{row[key]}")
            if instrument is not None:
                named["instruments"].add(instrument)
                if row.get("domain") is not None:
                    named["domains"].add(f"{instrument}/{row['domain']}")
    known = {
        "programs": titles.programs,
        "items": titles.items,
        "instruments": titles.instruments,
        "domains": titles.domains,
    }
    return {
        kind: {key: dict(known[kind][key]) for key in sorted(keys) if key in known[kind]}
        for kind, keys in named.items()
    }


def csv_text(table: Table, min_count: int) -> str:
    """One table as CSV with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    hidden = f"<{min_count}"
    for row in table.rows:
        writer.writerow(
            [csv_cell(row[k]) for k in table.keys]
            + [hidden if row[c] is None else row[c] for c in table.counts]
        )
    return out.getvalue()


def _json_row(table: Table, row: Any) -> dict[str, Any]:
    out = {name: _json(row[name]) for name in table.columns}
    if table.counts:
        out["suppressed"] = list(row["suppressed"])
    return out


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value

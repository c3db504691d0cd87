"""The report's tables: the queries' counts with the suppressed ones taken out.

A table is rows of named values; a count that is suppressed is None in its row and named
in the row's `suppressed`. The groups of counts that add up (for the secondary rule of
`suppression.py`) are stated here, next to the tables whose sums they are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import duckdb

from hembesok.report import queries, sources
from hembesok.report.suppression import Group, Key, suppress
from hembesok.report.weeks import IsoWeek

Row = Mapping[str, Any]


@dataclasses.dataclass(frozen=True)
class Table:
    """Rows of one table: `keys` say what a row is about, `counts` are what it counts."""

    name: str
    keys: tuple[str, ...]
    counts: tuple[str, ...]
    rows: tuple[Row, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.keys + self.counts


@dataclasses.dataclass(frozen=True)
class Report:
    """Everything a report shows, counts already suppressed."""

    week: IsoWeek
    as_of: dt.date | None  # the report's own reference date, if given
    planned_as_of: tuple[dt.date | None, dt.date | None]  # the tables' earliest, latest
    min_count: int
    missed_days: int
    #: the BVCs (as the tables name them) and programmes the report is limited to, or None
    only_bvcs: tuple[str, ...] | None
    only_programs: tuple[str, ...] | None
    worklist: Table
    coverage: Table
    visits: Table
    missing_facts: Table
    screening: Table
    timeline: Table

    @property
    def aggregates(self) -> tuple[Table, ...]:
        return (self.coverage, self.visits, self.missing_facts, self.screening, self.timeline)

    @property
    def tables(self) -> tuple[Table, ...]:
        return (self.worklist, *self.aggregates)


def build(
    con: duckdb.DuckDBPyConnection,
    week: IsoWeek,
    *,
    as_of: dt.date | None = None,
    min_count: int = 5,
    missed_days: int = 28,
    bvcs: Sequence[str] | None = None,
    programs: Sequence[str] | None = None,
) -> Report:
    """The report over the views of `con` (sources.open_directory / open_arrow).

    `programs`: only these programmes (the views are narrowed, sources.keep_programs).
    `bvcs`: the worklists of these BVCs only (named as the tables name them), and of the
    counts per BVC only their rows and the all-BVCs row. Suppression is decided over every
    BVC first, so each count shown is suppressed exactly as on the region's page and the
    two pages side by side give nothing away (docs/report.md#one-bvc).
    """
    if programs is not None:
        sources.keep_programs(con, programs)
    coverage = _Counted(
        "coverage",
        ("program", "bvc", "all_bvcs"),
        queries.COVERAGE_COUNTS,
        queries.coverage(con, as_of),
    )
    coverage.add_row_groups(
        ("target_group", ("offered", "undetermined")),
        ("offered", ("done", "waiting", "missed", "declined")),
    )
    coverage.add_column_groups(by=("program",))
    visits = _Counted(
        "visits",
        ("program", "bvc", "all_bvcs", "kind", "item"),
        queries.VISIT_COUNTS,
        queries.visit_coverage(con, as_of),
    )
    visits.add_row_groups(("planned", queries.VISIT_COUNTS[1:]))
    visits.add_column_groups(by=("program", "kind", "item"))
    facts = _Counted(
        "missing_facts",
        ("program", "bvc", "all_bvcs", "fact"),
        ("children",),
        queries.missing_facts(con),
    )
    facts.add_column_groups(by=("program", "fact"))
    screening = _Counted(
        "screening",
        ("program", "instrument", "visit", "domain"),
        queries.SCREENING_COUNTS,
        queries.screening(con, as_of),
    )
    screening.add_row_groups(("flagged", ("new", "persisting", "no_comparison")))
    timeline = _Counted(
        "timeline", ("program", "kind", "month"), ("done",), queries.timeline(con, as_of)
    )
    timeline.add_series_groups(by=("program", "kind"))
    counted = (coverage, visits, facts, screening, timeline)
    counts: dict[Key, int] = {}
    groups: list[Group] = []
    for table in counted:
        counts.update(table.cells())
        groups.extend(table.groups)
    hidden = suppress(counts, groups, min_count)
    rows = queries.worklist(con, week.monday, missed_days)
    shown = None if bvcs is None else frozenset(bvcs)
    worklist = Table(
        "worklist",
        queries.WORKLIST_COLUMNS,
        (),
        tuple(
            row
            for row in (dict(zip(queries.WORKLIST_COLUMNS, r, strict=True)) for r in rows)
            if shown is None or row["bvc"] in shown
        ),
    )
    return Report(
        week,
        as_of,
        queries.as_of_range(con),
        min_count,
        missed_days,
        None if bvcs is None else tuple(sorted(shown or ())),
        None if programs is None else tuple(sorted(set(programs))),
        worklist,
        *(table.table(hidden, shown) for table in counted),
    )


class _Counted:
    """A table's rows as the query gave them, its cells by key, and its groups that add up."""

    def __init__(
        self,
        name: str,
        keys: tuple[str, ...],
        counts: tuple[str, ...],
        rows: Iterable[tuple[Any, ...]],
    ) -> None:
        self.name, self.keys, self.counts = name, keys, counts
        self.rows = [dict(zip(keys + counts, row, strict=True)) for row in rows]
        self.groups: list[Group] = []
        self.by: tuple[str, ...] | None = None  # a table per BVC: what its all-BVCs rows are by

    def key(self, row: Row, count: str) -> Key:
        return (self.name, *(row[k] for k in self.keys), count)

    def cells(self) -> Iterable[tuple[Key, int]]:
        for row in self.rows:
            for count in self.counts:
                yield self.key(row, count), int(row[count])

    def add_row_groups(self, *sums: tuple[str, Sequence[str]]) -> None:
        """Within each row: total = sum of parts."""
        for row in self.rows:
            for total, parts in sums:
                self.groups.append(
                    Group(self.key(row, total), tuple(self.key(row, p) for p in parts))
                )

    def add_column_groups(self, by: tuple[str, ...]) -> None:
        """Down each count: the all-BVCs row's count = the sum of the BVCs' rows' counts."""
        self.by = by
        totals = {tuple(r[k] for k in by): r for r in self.rows if r["all_bvcs"]}
        parts: dict[tuple[Any, ...], list[Row]] = {}
        for row in self.rows:
            if not row["all_bvcs"]:
                parts.setdefault(tuple(row[k] for k in by), []).append(row)
        for where, total in totals.items():
            for count in self.counts:
                self.groups.append(
                    Group(
                        self.key(total, count),
                        tuple(self.key(p, count) for p in parts.get(where, ())),
                    )
                )

    def add_series_groups(self, by: tuple[str, ...]) -> None:
        """A series' counts add up to a total a reader may know from another table."""
        series: dict[tuple[Any, ...], list[Row]] = {}
        for row in self.rows:
            series.setdefault(tuple(row[k] for k in by), []).append(row)
        for rows in series.values():
            for count in self.counts:
                self.groups.append(Group(None, tuple(self.key(r, count) for r in rows)))

    def table(self, hidden: frozenset[Key], bvcs: frozenset[str] | None = None) -> Table:
        """The rows with their suppressed counts taken out; with `bvcs`, of a table per BVC
        only those BVCs' rows, and the all-BVCs rows beside them (of a programme, visit or
        fact those BVCs have)."""
        kept = self.rows
        if bvcs is not None and self.by is not None:
            by = self.by
            own = [r for r in self.rows if not r["all_bvcs"] and r["bvc"] in bvcs]
            present = {tuple(r[k] for k in by) for r in own}
            kept = [
                r
                for r in self.rows
                if (r["all_bvcs"] and tuple(r[k] for k in by) in present)
                or (not r["all_bvcs"] and r["bvc"] in bvcs)
            ]
        rows = []
        for row in kept:
            gone = tuple(c for c in self.counts if self.key(row, c) in hidden)
            shown = {k: (None if k in gone else v) for k, v in row.items()}
            rows.append({**shown, "suppressed": gone})
        return Table(self.name, self.keys, self.counts, tuple(rows))

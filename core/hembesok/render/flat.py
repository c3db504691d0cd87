"""A plan as rows of three flat tables: decisions, visits (and vaccine doses), screenings.

For analysts who work with every child of a region at once: one row per thing, real
dates, small closed sets as categoricals, so a query engine reads them without parsing
nested JSON. The columns are the contract with `hembesok report` (docs/batch.md, "Flat tables");
columns may be added, never renamed or dropped.

This module is pure Python and imports no Arrow library: `batch --to csv` writes the same
rows with the standard library, and `hembesok.render.arrow_tables` turns the column types
below into an Arrow schema. `plan_rows` runs once per case of a batch, so it builds plain
tuples in column order and nothing else. Never a name, identity number, free text or
questionnaire answer in a row: case_ref, ids, dates, statuses and scores only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

from hembesok.model.plan import ELIGIBLE, Plan

# The types of the columns; hembesok.render.arrow_tables maps each to an Arrow type.
STRING = "string"
CATEGORY = "category"  # dictionary<int32, string>: a small closed set
DATE = "date"  # date32
BOOL = "bool"
INT32 = "int32"
STRINGS = "list<string>"
TYPES = frozenset({STRING, CATEGORY, DATE, BOOL, INT32, STRINGS})

DECISIONS, VISITS, SCREENINGS = "decisions", "visits", "screenings"
#: What a `visits` row is: a visit of the schedule, or a vaccine dose.
VISIT, DOSE = "visit", "dose"


class Column(NamedTuple):
    name: str
    type: str
    nullable: bool = False


_KEY = (
    Column("case_ref", STRING),
    Column("as_of", DATE),
    Column("program", CATEGORY),
)
_BVC = Column("bvc", CATEGORY, nullable=True)

#: The columns of each table, in row order (read-only).
COLUMNS: Mapping[str, tuple[Column, ...]] = MappingProxyType(
    {
        DECISIONS: (
            *_KEY,
            Column("program_version", CATEGORY),
            Column("status", CATEGORY),
            Column("declined", BOOL),
            Column("missing_facts", STRINGS),
            _BVC,
            Column("municipality", CATEGORY, nullable=True),
            Column("enrolment_date", DATE, nullable=True),
            Column("error", STRING, nullable=True),
        ),
        VISITS: (
            *_KEY,
            _BVC,
            Column("kind", CATEGORY),
            Column("item", CATEGORY),
            Column("target", DATE),
            Column("window_start", DATE),
            Column("window_end", DATE),
            Column("status", CATEGORY),
            Column("done_on", DATE, nullable=True),
            Column("replaced_by", STRING, nullable=True),
            Column("setting", CATEGORY, nullable=True),
            Column("staff", STRINGS),
        ),
        SCREENINGS: (
            *_KEY,
            _BVC,
            Column("instrument", CATEGORY),
            Column("visit", CATEGORY),
            Column("occasion_status", CATEGORY),
            Column("window_start", DATE),
            Column("window_end", DATE),
            Column("answered_on", DATE, nullable=True),
            Column("domain", CATEGORY, nullable=True),
            Column("result", CATEGORY, nullable=True),
            Column("score", INT32, nullable=True),
            # added beyond the first contract: new / persisting / resolved / not_flagged / first
            Column("change", CATEGORY, nullable=True),
        ),
    }
)
#: The three tables, in the order a batch writes them.
TABLES = tuple(COLUMNS)

Row = tuple[Any, ...]


class PlanRows(NamedTuple):
    """One plan's rows of each table, each row a tuple in `COLUMNS` order."""

    decisions: list[Row]
    visits: list[Row]
    screenings: list[Row]


def case_ref_of(plan: Plan, record: int) -> str:
    """The key of a case's rows: its own case_ref, else `#N` for input record N."""
    return plan.case_ref if plan.case_ref is not None else f"#{record}"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def plan_rows(
    plan: Plan,
    record: int,
    case_data: Mapping[str, Any] | None = None,
) -> PlanRows:
    """The rows of one plan. `record` is the input record number (the case_ref when the case
    has none); `case_data` the case as given, for its `listed_bvc` and `municipality`."""
    ref = case_ref_of(plan, record)
    as_of = plan.as_of
    own_bvc = municipality = None
    if case_data is not None:
        own_bvc = _text(case_data.get("listed_bvc"))
        municipality = _text(case_data.get("municipality"))
    decisions: list[Row] = []
    visits: list[Row] = []
    screenings: list[Row] = []
    for program, decision, planned, occasions, error, doses in plan.programs:
        pid = program.id
        site = decision.site
        bvc = site.name if site is not None else own_bvc
        status = decision.status
        decisions.append(
            (
                ref,
                as_of,
                pid,
                program.version,
                status,
                decision.declined,
                list(decision.missing_facts),
                bvc,
                municipality,
                decision.enrolment_date,
                error.hook if error is not None else None,
            )
        )
        if status != ELIGIBLE:
            continue
        for visit, target, (start, end), state, done_on, replaced_by, _basis in planned:
            visits.append(
                (
                    ref,
                    as_of,
                    pid,
                    bvc,
                    VISIT,
                    visit.id,
                    target,
                    start,
                    end,
                    state,
                    done_on,
                    f"{replaced_by[0]}/{replaced_by[1]}" if replaced_by is not None else None,
                    visit.setting,
                    list(visit.staff),
                )
            )
        for dose, target, (start, end), state, given_on in doses:
            visits.append(
                (
                    ref,
                    as_of,
                    pid,
                    bvc,
                    DOSE,
                    dose.id,
                    target,
                    start,
                    end,
                    state,
                    given_on,
                    None,
                    None,
                    [],
                )
            )
        for occasion in occasions:
            window = occasion.visit.window
            head = (
                ref,
                as_of,
                pid,
                bvc,
                occasion.instrument,
                occasion.visit.visit.id,
                occasion.status,
                window.start,
                window.end,
            )
            if not occasion.results:
                screenings.append((*head, None, None, None, None, None))
                continue
            for result in occasion.results:
                answered: dt.date = result.response.date
                for domain in result.domains:
                    score = domain.score
                    screenings.append(
                        (
                            *head,
                            answered,
                            domain.domain.id,
                            domain.status,
                            int(score) if score is not None else None,
                            domain.change,
                        )
                    )
    return PlanRows(decisions, visits, screenings)


def column_names(table: str) -> tuple[str, ...]:
    """The column names of `table` (KeyError for a name that is not one of `TABLES`)."""
    return tuple(c.name for c in COLUMNS[table])


#: What separates the items of a list cell in CSV.
LIST_SEPARATOR = "|"


def csv_cell(value: Any) -> str:
    """A cell as the contract writes it: ISO dates, lists joined with `|`, nulls empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return str(value)

"""Every count and list of the report, as SQL over the flat tables' views (`sources.py`).

The definitions in docs/report.md are these queries; each function runs one and returns its
rows as tuples. Dates a query compares with are parameters, never pasted into the text.

The status of a visit, dose or questionnaire is recomputed for a reference date from its
window, the way the plan computes it (docs/dates.md): a visit that is done, replaced or
declined (or not offered) stays so; one that was upcoming, due or missed on the tables'
`as_of` is upcoming before its window, due inside it, and missed after it. The reference
date is the report's `--as-of`, else each row's own `as_of`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

#: Statuses that still ask for something: the window decides which of them applies.
OPEN = ("upcoming", "due", "missed", "not_answered")

#: Visits and doses with their status on the reference date (`$as_of`, else the row's).
_VISITS = """
reported_visits AS (
    SELECT *,
        CASE WHEN status IN ('upcoming', 'due', 'missed') AND done_on IS NULL THEN
            CASE WHEN coalesce(CAST($as_of AS DATE), as_of) < window_start THEN 'upcoming'
                 WHEN coalesce(CAST($as_of AS DATE), as_of) <= window_end THEN 'due'
                 ELSE 'missed' END
        ELSE status END AS report_status
    FROM visits
)"""

#: One row per child and program in the target group (offered, or perhaps: undetermined),
#: with its one outcome; the first that applies wins (docs/report.md#coverage).
_OUTCOMES = (
    "WITH"
    + _VISITS
    + """,
children AS (
    SELECT d.program, d.bvc, d.case_ref,
        CASE WHEN d.status = 'undetermined' THEN 'undetermined'
             WHEN d.declined THEN 'declined'
             WHEN bool_or(v.report_status = 'missed') THEN 'missed'
             WHEN bool_or(v.report_status = 'done') THEN 'done'
             ELSE 'waiting' END AS outcome
    FROM decisions d
    LEFT JOIN reported_visits v
        ON v.case_ref = d.case_ref AND v.program = d.program AND v.kind = 'visit'
    WHERE d.status IN ('eligible', 'undetermined')
    GROUP BY d.program, d.bvc, d.case_ref, d.status, d.declined
)"""
)

COVERAGE_COUNTS = (
    "target_group",
    "offered",
    "done",
    "waiting",
    "missed",
    "declined",
    "undetermined",
)

_COVERAGE = (
    _OUTCOMES
    + """
SELECT program, bvc, CAST(grouping(bvc) AS BOOLEAN) AS all_bvcs,
    count(*) AS target_group,
    count(*) FILTER (WHERE outcome <> 'undetermined') AS offered,
    count(*) FILTER (WHERE outcome = 'done') AS done,
    count(*) FILTER (WHERE outcome = 'waiting') AS waiting,
    count(*) FILTER (WHERE outcome = 'missed') AS missed,
    count(*) FILTER (WHERE outcome = 'declined') AS declined,
    count(*) FILTER (WHERE outcome = 'undetermined') AS undetermined
FROM children
GROUP BY GROUPING SETS ((program, bvc), (program))
ORDER BY program, all_bvcs, bvc NULLS LAST
"""
)

VISIT_COUNTS = ("planned", "done", "due", "upcoming", "missed", "replaced", "declined", "other")

_VISIT_COVERAGE = (
    "WITH"
    + _VISITS
    + """
SELECT v.program, v.bvc, CAST(grouping(v.bvc) AS BOOLEAN) AS all_bvcs, v.kind, v.item,
    count(*) AS planned,
    count(*) FILTER (WHERE report_status = 'done') AS done,
    count(*) FILTER (WHERE report_status = 'due') AS due,
    count(*) FILTER (WHERE report_status = 'upcoming') AS upcoming,
    count(*) FILTER (WHERE report_status = 'missed') AS missed,
    count(*) FILTER (WHERE report_status = 'replaced') AS replaced,
    count(*) FILTER (WHERE report_status = 'declined') AS declined,
    count(*) FILTER (WHERE report_status NOT IN
        ('done', 'due', 'upcoming', 'missed', 'replaced', 'declined')) AS other
FROM reported_visits v
GROUP BY GROUPING SETS ((v.program, v.bvc, v.kind, v.item), (v.program, v.kind, v.item))
ORDER BY v.program, all_bvcs, v.bvc NULLS LAST, v.kind DESC, avg(v.target - v.as_of), v.item
"""
)

_MISSING_FACTS = """
WITH facts AS (
    SELECT DISTINCT program, bvc, case_ref, unnest(missing_facts) AS fact
    FROM decisions WHERE status = 'undetermined'
)
SELECT program, bvc, CAST(grouping(bvc) AS BOOLEAN) AS all_bvcs, fact, count(*) AS children
FROM facts
GROUP BY GROUPING SETS ((program, bvc, fact), (program, fact))
ORDER BY program, all_bvcs, bvc NULLS LAST, children DESC, fact
"""

SCREENING_COUNTS = ("answered", "flagged", "new", "persisting", "no_comparison", "resolved")

#: One row per child, program, instrument, occasion (visit) and domain answered; with two
#: respondents a domain is flagged when either response flags it. Compared with the child's
#: previous answered occasion of the same instrument in the same program.
_SCREENING = """
WITH answered AS (
    SELECT case_ref, program, instrument, visit, domain,
        max(answered_on) AS answered_on,
        CASE WHEN bool_or(result = 'flagged') THEN 'flagged'
             WHEN bool_or(result = 'not_flagged') THEN 'not_flagged'
             ELSE 'undetermined' END AS result
    FROM screenings
    WHERE domain IS NOT NULL AND answered_on IS NOT NULL
        AND answered_on <= coalesce(CAST($as_of AS DATE), as_of)
    GROUP BY case_ref, program, instrument, visit, domain
),
compared AS (
    SELECT *, lag(result) OVER (
        PARTITION BY case_ref, program, instrument, domain ORDER BY answered_on, visit
    ) AS previous
    FROM answered
)
SELECT program, instrument, visit, domain,
    count(*) AS answered,
    count(*) FILTER (WHERE result = 'flagged') AS flagged,
    count(*) FILTER (WHERE result = 'flagged' AND previous = 'not_flagged') AS new,
    count(*) FILTER (WHERE result = 'flagged' AND previous = 'flagged') AS persisting,
    count(*) FILTER (WHERE result = 'flagged' AND (previous IS NULL OR previous = 'undetermined'))
        AS no_comparison,
    count(*) FILTER (WHERE result = 'not_flagged' AND previous = 'flagged') AS resolved
FROM compared
GROUP BY program, instrument, visit, domain
ORDER BY program, instrument, min(answered_on), visit, domain
"""

_TIMELINE = """
SELECT program, kind, CAST(date_trunc('month', done_on) AS DATE) AS month, count(*) AS done
FROM visits
WHERE done_on IS NOT NULL AND status = 'done' AND done_on <= coalesce(CAST($as_of AS DATE), as_of)
GROUP BY program, kind, month
ORDER BY program, kind, month
"""

WORKLIST_COLUMNS = (
    "bvc",
    "week_status",
    "case_ref",
    "program",
    "kind",
    "item",
    "instrument",
    "target",
    "window_start",
    "window_end",
    "plan_status",
)

#: Visits, doses and questionnaires to act on in the week [$monday, $sunday]: not done,
#: replaced or declined, and either open in the week (due) or closed in the `$missed_days`
#: days before its Monday (missed). docs/report.md#worklists.
_WORKLIST = """
WITH items AS (
    SELECT bvc, case_ref, program, kind, item, NULL AS instrument, target,
        window_start, window_end, status AS plan_status
    FROM visits
    WHERE done_on IS NULL AND status IN ('upcoming', 'due', 'missed')
    UNION ALL
    SELECT s.bvc, s.case_ref, s.program, 'questionnaire', s.visit, s.instrument, v.target,
        s.window_start, s.window_end, s.occasion_status
    FROM (
        SELECT bvc, case_ref, program, instrument, visit, window_start, window_end,
            any_value(occasion_status) AS occasion_status
        FROM screenings
        GROUP BY bvc, case_ref, program, instrument, visit, window_start, window_end
        HAVING bool_and(answered_on IS NULL)
            AND bool_and(occasion_status IN ('upcoming', 'due', 'missed', 'not_answered'))
    ) s
    LEFT JOIN visits v
        ON v.case_ref = s.case_ref AND v.program = s.program AND v.kind = 'visit'
        AND v.item = s.visit
)
SELECT bvc,
    CASE WHEN window_end >= CAST($monday AS DATE) THEN 'due' ELSE 'missed' END AS week_status,
    case_ref, program, kind, item, instrument, target, window_start, window_end, plan_status
FROM items
WHERE (window_start <= $sunday AND window_end >= $monday)
    OR (window_end < $monday AND window_end >= CAST($monday AS DATE) - CAST($missed_days AS INTEGER))
ORDER BY bvc NULLS LAST, week_status, window_end, case_ref, program, kind, item, instrument
"""


class QueryError(Exception):
    """A table's values do not have its column's type; the message quotes no value."""


def coverage(con: duckdb.DuckDBPyConnection, as_of: dt.date | None) -> list[tuple[Any, ...]]:
    """(program, bvc, all_bvcs, *COVERAGE_COUNTS) per program and BVC, and all BVCs."""
    return _run(con, _COVERAGE, {"as_of": as_of})


def visit_coverage(con: duckdb.DuckDBPyConnection, as_of: dt.date | None) -> list[tuple[Any, ...]]:
    """(program, bvc, all_bvcs, kind, item, *VISIT_COUNTS) per visit or dose."""
    return _run(con, _VISIT_COVERAGE, {"as_of": as_of})


def missing_facts(con: duckdb.DuckDBPyConnection) -> list[tuple[Any, ...]]:
    """(program, bvc, all_bvcs, fact, children): undetermined decisions per missing fact."""
    return _run(con, _MISSING_FACTS, {})


def screening(con: duckdb.DuckDBPyConnection, as_of: dt.date | None) -> list[tuple[Any, ...]]:
    """(program, instrument, visit, domain, *SCREENING_COUNTS) per occasion and domain."""
    return _run(con, _SCREENING, {"as_of": as_of})


def timeline(con: duckdb.DuckDBPyConnection, as_of: dt.date | None) -> list[tuple[Any, ...]]:
    """(program, kind, month, done): visits done and doses given per calendar month."""
    return _run(con, _TIMELINE, {"as_of": as_of})


def worklist(
    con: duckdb.DuckDBPyConnection, monday: dt.date, missed_days: int
) -> list[tuple[Any, ...]]:
    """WORKLIST_COLUMNS for the week starting `monday`."""
    params = {
        "monday": monday,
        "sunday": monday + dt.timedelta(days=6),
        "missed_days": missed_days,
    }
    return _run(con, _WORKLIST, params)


def as_of_range(con: duckdb.DuckDBPyConnection) -> tuple[dt.date | None, dt.date | None]:
    """The earliest and latest date the tables were planned as of."""
    rows = _run(con, "SELECT min(as_of), max(as_of) FROM decisions", {})
    return rows[0][0], rows[0][1]


def programs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The programmes the tables hold decisions of, in order."""
    rows = _run(con, "SELECT DISTINCT program FROM decisions WHERE program IS NOT NULL", {})
    return sorted(str(row[0]) for row in rows)


def bvcs(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every BVC the tables name, as they name it, in order."""
    union = " UNION ".join(
        f"SELECT bvc FROM {name}" for name in ("decisions", "visits", "screenings")
    )
    rows = _run(con, f"SELECT DISTINCT bvc FROM ({union}) WHERE bvc IS NOT NULL", {})
    return sorted(str(row[0]) for row in rows)


def _run(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    try:
        return con.execute(sql, params).fetchall()
    except duckdb.ConversionException:
        raise QueryError(
            "a table has a value that is not of its column's type "
            "(dates are YYYY-MM-DD, declined is true or false)"
        ) from None

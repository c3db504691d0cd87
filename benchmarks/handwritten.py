"""Vaggeryd's rules written by hand in plain Python: the yardstick for the engine's speed.

The same answer as `plugins/vaggeryd/hembesok_vaggeryd/program.yaml` under the engine,
decision, missing facts and the status of each visit, with none of the engine's
generality: no plugins, no condition language, no reasons, no provenance. It reads a
case as parsed JSON (already valid) and an as-of date. `tests/test_benchmarks.py` checks
that it agrees with the engine on generated families; `run.py` times the two side by side.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Any

SITE_NAMES = frozenset({"vaggeryd", "vaggeryds kommun", "0665"})
# (visit id, months, weeks of age; window before and after as (months, weeks))
VISITS = (
    ("newborn", 0, 2, (0, 1), (0, 1)),
    ("two_months", 2, 0, (0, 2), (0, 2)),
    ("eight_months", 8, 0, (1, 0), (1, 0)),
)
_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _add(day: dt.date, months: int, weeks: int, sign: int = 1) -> dt.date:
    """Months first (clamped to the month's end), then weeks, as the date contract says."""
    index = day.year * 12 + day.month - 1 + sign * months
    year, month0 = divmod(index, 12)
    last = (
        29
        if month0 == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        else _DAYS[month0]
    )
    return dt.date(year, month0 + 1, min(day.day, last)) + dt.timedelta(days=sign * 7 * weeks)


def _either_parent(first: dict[str, Any]) -> bool | None:
    """first_child.either_parent as sent, or as it follows from the other first-child facts."""
    value = first.get("either_parent")
    if value is None and (
        first.get("both_parents") is True or first.get("birthing_parent") is True
    ):
        return True
    return value if isinstance(value, bool) else None


def vaggeryd(case: dict[str, Any], as_of: dt.date) -> tuple[str, tuple[str, ...], dict[str, str]]:
    """(decision, missing facts, visit id -> status) for Vaggeryd's programme."""
    municipality = case.get("municipality")
    if municipality is None:
        site = None
    else:
        site = unicodedata.normalize("NFC", municipality).strip().casefold() in SITE_NAMES
    first = _either_parent(case.get("first_child") or {})
    if site is False or first is False:
        return "not_eligible", (), {}
    missing = (("municipality",) if site is None else ()) + (
        ("first_child.either_parent",) if first is None else ()
    )
    decision = "undetermined" if missing else "eligible"
    birth = dt.date.fromisoformat(case["child"]["birth_date"])
    moved = case.get("moved_in_on")
    enrolment = max(birth, dt.date.fromisoformat(moved)) if moved else birth
    declined = "vaggeryd" in case.get("declined", ())
    done = {v["visit"] for v in case.get("visits_done", ()) if v["program"] == "vaggeryd"}
    statuses = {}
    for visit_id, months, weeks, before, after in VISITS:
        target = _add(birth, months, weeks)
        start, end = _add(target, *before, sign=-1), _add(target, *after)
        if visit_id in done:
            status = "done"
        elif declined:
            status = "declined"
        elif end < enrolment:
            status = "not_offered"
        elif as_of < start:
            status = "upcoming"
        elif as_of <= target:
            status = "due"
        elif as_of <= end:
            status = "overdue"
        else:
            status = "missed"
        statuses[visit_id] = status
    return decision, missing, statuses

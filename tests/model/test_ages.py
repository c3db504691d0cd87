"""The date contract (docs/dates.md): vectors and properties over birth dates 2000–2040."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hembesok.model import ages
from hembesok.model.ages import Duration

D = dt.date

# (birth date, duration, expected date): the vectors of docs/dates.md
VECTORS = [
    (D(2026, 1, 31), Duration(months=1), D(2026, 2, 28)),
    (D(2028, 1, 31), Duration(months=1), D(2028, 2, 29)),
    (D(2026, 1, 31), Duration(months=2), D(2026, 3, 31)),
    (D(2026, 3, 31), Duration(months=1), D(2026, 4, 30)),
    (D(2025, 12, 31), Duration(months=2), D(2026, 2, 28)),
    (D(2028, 2, 29), Duration(years=1), D(2029, 2, 28)),
    (D(2028, 2, 29), Duration(years=4), D(2032, 2, 29)),
    (D(2028, 2, 29), Duration(months=12), D(2029, 2, 28)),
    (D(2026, 3, 10), Duration(weeks=2), D(2026, 3, 24)),
    (D(2026, 3, 10), Duration(days=0), D(2026, 3, 10)),
    (D(2026, 12, 25), Duration(weeks=1), D(2027, 1, 1)),
    (D(2026, 1, 31), Duration(months=1, days=1), D(2026, 3, 1)),
    (D(2024, 6, 15), Duration(years=2, months=6), D(2026, 12, 15)),
]


@pytest.mark.parametrize(("birth", "duration", "expected"), VECTORS)
def test_vectors(birth, duration, expected):
    assert ages.add(birth, duration) == expected


def test_window_is_inclusive_at_both_ends():
    window = ages.window_around(D(2026, 5, 10), Duration(weeks=2), Duration(weeks=2))
    assert (window.start, window.end) == (D(2026, 4, 26), D(2026, 5, 24))
    assert window.contains(D(2026, 4, 26)) and window.contains(D(2026, 5, 24))
    assert not window.contains(D(2026, 4, 25)) and not window.contains(D(2026, 5, 25))


def test_subtracting_months_clamps_too():
    assert ages.subtract(D(2026, 3, 31), Duration(months=1)) == D(2026, 2, 28)


def test_age_reached_on_the_day_exactly():
    birth = D(2026, 1, 31)
    assert not ages.age_reached(birth, Duration(months=1), D(2026, 2, 27))
    assert ages.age_reached(birth, Duration(months=1), D(2026, 2, 28))


def test_completed_months():
    assert ages.completed_months(D(2026, 1, 31), D(2026, 2, 27)) == 0
    assert ages.completed_months(D(2026, 1, 31), D(2026, 2, 28)) == 1
    assert ages.completed_months(D(2026, 1, 15), D(2027, 1, 14)) == 11
    assert ages.completed_months(D(2026, 1, 15), D(2025, 1, 14)) == 0


def test_describe_in_both_languages():
    assert Duration(months=2).describe("sv") == "2 månader"
    assert Duration(months=1, weeks=2).describe("en") == "1 month 2 weeks"
    assert Duration().describe("sv") == "nyfödd"


births = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31))
months = st.integers(min_value=0, max_value=72)
days = st.integers(min_value=0, max_value=400)


@given(births, months)
def test_adding_months_never_overshoots_the_month(birth, n):
    result = ages.add_months(birth, n)
    index = birth.year * 12 + birth.month - 1 + n
    assert (result.year, result.month - 1) == divmod(index, 12)
    assert result.day <= birth.day
    if result.day < birth.day:  # clamped: it must be the last day of that month
        assert (result + dt.timedelta(days=1)).month != result.month


@given(births, months, months)
def test_months_are_monotone(birth, a, b):
    lo, hi = sorted((a, b))
    assert ages.add_months(birth, lo) <= ages.add_months(birth, hi)


@given(births, months)
def test_completed_months_agrees_with_add_months(birth, n):
    reached = ages.add_months(birth, n)
    assert ages.completed_months(birth, reached) == n
    if n:
        assert ages.completed_months(birth, reached - dt.timedelta(days=1)) == n - 1


@given(births, days)
def test_weeks_and_days_are_exact(birth, n):
    assert ages.add(birth, Duration(days=n)) - birth == dt.timedelta(days=n)
    assert ages.add(birth, Duration(weeks=n)) - birth == dt.timedelta(weeks=n)


@given(births, months, days, days)
def test_windows_contain_their_target(birth, m, before, after):
    target = ages.add(birth, Duration(months=m))
    window = ages.window_around(target, Duration(days=before), Duration(days=after))
    assert window.start <= target <= window.end
    assert window.contains(target)


# --- corrected age (docs/dates.md#corrected-age) -------------------------------------------

# (birth date, weeks, days, visit age, corrected target): the vectors of docs/dates.md
CORRECTED_VECTORS = [
    (D(2026, 1, 1), 30, 0, Duration(months=6), D(2026, 9, 12)),
    (D(2026, 1, 31), 33, 3, Duration(months=1), D(2026, 4, 18)),
    (D(2026, 3, 10), 36, 6, Duration(months=4), D(2026, 8, 1)),
    (D(2026, 3, 10), 24, 0, Duration(weeks=6), D(2026, 8, 11)),
    (D(2025, 1, 1), 30, 0, Duration(months=18), D(2026, 9, 12)),
]


@pytest.mark.parametrize(("birth", "weeks", "days", "age", "expected"), CORRECTED_VECTORS)
def test_corrected_vectors(birth, weeks, days, age, expected):
    assert ages.corrected_add(birth, ages.days_early(weeks, days), age) == expected


def test_days_early_counts_from_40_weeks_and_never_runs_ahead():
    assert ages.days_early(30, 0) == 70
    assert ages.days_early(33, 3) == 46
    assert ages.days_early(40, 0) == 0
    assert ages.days_early(41, 2) == 0  # born after term: no corrected age ahead of the birth


pregnancies = st.tuples(st.integers(22, 44), st.integers(0, 6))
visit_ages = st.builds(
    Duration, months=st.integers(0, 36), weeks=st.integers(0, 12), days=st.integers(0, 13)
)


@given(births, pregnancies, visit_ages)
def test_a_corrected_target_is_never_before_the_chronological_one(birth, born_at, age):
    early = ages.days_early(*born_at)
    assert ages.corrected_add(birth, early, age) >= ages.add(birth, age)


@given(births, st.tuples(st.integers(40, 44), st.integers(0, 6)), visit_ages)
def test_corrected_and_chronological_targets_are_the_same_at_term_and_after(birth, born_at, age):
    early = ages.days_early(*born_at)
    assert early == 0
    assert ages.corrected_add(birth, early, age) == ages.add(birth, age)

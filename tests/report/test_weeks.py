import datetime as dt

import pytest

from hembesok.report.weeks import IsoWeek


def test_a_week_runs_monday_to_sunday():
    week = IsoWeek.parse("2026-W20")
    assert (week.monday, week.sunday) == (dt.date(2026, 5, 11), dt.date(2026, 5, 17))
    assert str(week) == "2026-W20"


def test_the_week_of_a_day_and_the_next_across_a_year():
    assert IsoWeek.of(dt.date(2026, 5, 4)) == IsoWeek(2026, 19)
    assert IsoWeek(2026, 53).next() == IsoWeek(2027, 1)  # 1 January 2026 is a Thursday
    assert IsoWeek.of(dt.date(2027, 1, 1)) == IsoWeek(2026, 53)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("2026-20", "YYYY-Www"),
        ("2026-W5", "YYYY-Www"),
        ("2025-W53", "no ISO week 53"),
        ("x", "not an ISO week"),
    ],
)
def test_a_wrong_week_says_what_is_right(text, says):
    with pytest.raises(ValueError, match=says):
        IsoWeek.parse(text)

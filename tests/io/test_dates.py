"""One date parser for everything read from outside: YYYY-MM-DD and nothing else."""

import datetime as dt

import pytest

from hembesok.io.dates import InvalidDate, is_date, parse_date


@pytest.mark.parametrize(
    "text", ["20260504", "2026-W19-1", "2026-05-04T00:00", " 2026-05-04", "2026-5-4", "", "x"]
)
def test_anything_but_yyyy_mm_dd_is_refused(text):
    with pytest.raises(InvalidDate, match="YYYY-MM-DD"):
        parse_date(text)
    assert not is_date(text)


def test_a_date_that_does_not_exist_is_refused_without_quoting_it():
    with pytest.raises(InvalidDate) as caught:
        parse_date("2019-02-30")
    assert "2019-02-30" not in str(caught.value) and "calendar" in str(caught.value)


def test_dates_and_datetimes_pass_and_text_is_read():
    assert parse_date("2024-02-29") == dt.date(2024, 2, 29)
    assert parse_date(dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)
    assert parse_date(dt.datetime(2026, 1, 1, 12, 30)) == dt.date(2026, 1, 1)
    assert is_date("2026-12-31")

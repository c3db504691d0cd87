"""The shared `--as-of` callback: a date, or a usage error saying what is right."""

import datetime as dt

import click
import pytest

from hembesok.cli.options import iso_date


def test_iso_date():
    assert iso_date(None, None, "2026-02-28") == dt.date(2026, 2, 28)
    assert iso_date(None, None, None) is None
    with pytest.raises(click.BadParameter, match="YYYY-MM-DD"):
        iso_date(None, None, "2026-02-30")

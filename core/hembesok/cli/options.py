"""Option callbacks shared by the command modules (kept apart so none imports cli.py)."""

from __future__ import annotations

import datetime as dt

import click


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """A `--as-of` style option: a date written YYYY-MM-DD, or a usage error (exit 2)."""
    from hembesok.io.dates import InvalidDate, parse_date

    if value is None:
        return None
    try:
        return parse_date(value)
    except InvalidDate as exc:
        raise click.BadParameter(str(exc)) from None

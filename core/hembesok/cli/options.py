"""Option callbacks shared by the command modules (kept apart so none imports cli.py)."""

from __future__ import annotations

import datetime as dt

import click


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """A `--as-of` style option: a date written YYYY-MM-DD, or a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("must be a date written YYYY-MM-DD") from None

"""The one way a date is read from outside: strictly YYYY-MM-DD.

`datetime.date.fromisoformat` also takes `20260504` and `2026-W19-1`; a journal that sends
those has a bug worth hearing about, so every date the engine reads (an as-of date on the
command line or over HTTP, a date in a case, a program or a response) goes through here.
"""

from __future__ import annotations

import datetime as dt
import re

_DATE = re.compile(r"(?:19|2[01])\d{2}-\d{2}-\d{2}", re.ASCII)

#: What every date error says would be right. The years are bounded (io/limits.py) so that
#: no age or window reckoned from a date can fall off the calendar.
DATE_FORMAT = "a date written YYYY-MM-DD, in the years 1900–2199"


class InvalidDate(ValueError):
    """Text that is not a real date written YYYY-MM-DD; the message never quotes it."""


def parse_date(value: dt.date | str) -> dt.date:
    """A date, or InvalidDate. A `datetime` is taken as its date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidDate(f"must be {DATE_FORMAT} that exists in the calendar") from None
    raise InvalidDate(f"must be {DATE_FORMAT}")


def is_date(value: object) -> bool:
    """Whether `value` is text `parse_date` accepts."""
    try:
        parse_date(value)  # type: ignore[arg-type]
    except InvalidDate:
        return False
    return isinstance(value, str)

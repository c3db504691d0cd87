"""ISO weeks as the report names them (`2026-W20`): a worklist is for one Monday-to-Sunday week."""

from __future__ import annotations

import datetime as dt
import re
from typing import NamedTuple

_WEEK = re.compile(r"(\d{4})-W(\d{2})")


class IsoWeek(NamedTuple):
    """One ISO 8601 week: Monday to Sunday, both days included."""

    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> IsoWeek:
        """`2026-W20` as a week; ValueError, saying what is right, for anything else."""
        match = _WEEK.fullmatch(text.strip())
        if match is None:
            raise ValueError(f"{text!r} is not an ISO week: write YYYY-Www, e.g. 2026-W20")
        year, week = int(match[1]), int(match[2])
        try:
            dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ValueError(f"{year} has no ISO week {week}") from None
        return cls(year, week)

    @classmethod
    def of(cls, day: dt.date) -> IsoWeek:
        """The ISO week a day falls in."""
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 7)

    def next(self) -> IsoWeek:
        return IsoWeek.of(self.monday + dt.timedelta(days=7))

    def __str__(self) -> str:
        return f"{self.year}-W{self.week:02d}"

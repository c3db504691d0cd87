"""Calendar arithmetic for child ages: the date contract of docs/dates.md.

Ages count from the registered birth date in calendar units, never from an
identity number and never from a clock. Months are added first and clamp to the
end of the month (31 January + 1 month = 28/29 February); weeks and days are then
added as exact days. Windows are inclusive at both ends.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

UNITS = ("years", "months", "weeks", "days")


@dataclass(frozen=True)
class Duration:
    """A calendar duration as a program file writes it: {months: 2}, {weeks: 6}."""

    years: int = 0
    months: int = 0
    weeks: int = 0
    days: int = 0

    @classmethod
    def from_mapping(cls, value: Mapping[str, int]) -> Duration:
        return cls(**{unit: int(value.get(unit, 0)) for unit in UNITS})

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    @property
    def total_days(self) -> int:
        return self.weeks * 7 + self.days

    def describe(self, lang: str) -> str:
        names = _UNIT_NAMES[lang]
        parts = [
            f"{n} {names[unit][0] if n == 1 else names[unit][1]}"
            for unit, n in zip(UNITS, (self.years, self.months, self.weeks, self.days), strict=True)
            if n
        ]
        return " ".join(parts) if parts else names["zero"][0]


_UNIT_NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "sv": {
        "years": ("år", "år"),
        "months": ("månad", "månader"),
        "weeks": ("vecka", "veckor"),
        "days": ("dag", "dagar"),
        "zero": ("nyfödd", "nyfödd"),
    },
    "en": {
        "years": ("year", "years"),
        "months": ("month", "months"),
        "weeks": ("week", "weeks"),
        "days": ("day", "days"),
        "zero": ("newborn", "newborn"),
    },
}


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def add_months(start: dt.date, months: int) -> dt.date:
    """Add calendar months, clamping to the last day of the target month."""
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    day = start.day
    if day > 28:  # only then can the target month be too short
        last = 29 if month0 == 1 and calendar.isleap(year) else _MONTH_DAYS[month0]
        day = min(day, last)
    return dt.date(year, month0 + 1, day)


def add(start: dt.date, duration: Duration) -> dt.date:
    """The date a child born on `start` reaches `duration` of age."""
    return add_months(start, duration.total_months) + dt.timedelta(days=duration.total_days)


def subtract(start: dt.date, duration: Duration) -> dt.date:
    """The inverse direction, used for the opening of a window before a target date."""
    return add_months(start, -duration.total_months) - dt.timedelta(days=duration.total_days)


def age_reached(birth: dt.date, duration: Duration, on: dt.date) -> bool:
    """True when a child born on `birth` is at least `duration` old on `on`."""
    return on >= add(birth, duration)


def completed_months(birth: dt.date, on: dt.date) -> int:
    """Whole months of age on `on`, consistent with add_months (0 before birth)."""
    if on < birth:
        return 0
    months = (on.year - birth.year) * 12 + (on.month - birth.month)
    if add_months(birth, months) > on:
        months -= 1
    return months


def age_in_days(birth: dt.date, on: dt.date) -> int:
    return (on - birth).days


class Window(NamedTuple):
    """A visit's window, inclusive at both ends."""

    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def window_around(target: dt.date, before: Duration, after: Duration) -> Window:
    return Window(subtract(target, before), add(target, after))


#: A pregnancy at full term: 40+0 weeks, the day corrected age counts from.
TERM_DAYS = 280


def days_early(weeks: int, days: int = 0) -> int:
    """How many days before full term (40+0) a child born at `weeks`+`days` came: the days
    corrected age lags behind chronological age. Never negative: a child born after term
    is not given a corrected age ahead of its chronological one."""
    return max(0, TERM_DAYS - (weeks * 7 + days))


def corrected_add(birth: dt.date, early: int, duration: Duration) -> dt.date:
    """The date a child born `early` days before term reaches `duration` of corrected age:
    the duration is added, by the same calendar rules, to the date the child would have
    been born at term."""
    return add(birth + dt.timedelta(days=early), duration)

"""Visits as windows on a time axis, drawn as inline SVG: the picture of one family's plan.

Pure geometry and markup, no library and no script: a bar from a window's first to its
last day, a mark on the target date, month ticks, and a line at the plan's date. Every
text comes in already escaped and in both languages (`Words`); the page around the
drawing (hembesok.render.plan_html) decides which language shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: The drawing's size in CSS pixels: labels on the left, the time axis on the right.
WIDTH, LABEL_WIDTH, RIGHT_MARGIN = 1140, 360, 24
AXIS_HEIGHT, ROW_HEIGHT, HEADING_HEIGHT, BAR_HEIGHT = 48, 22, 28, 12
#: A window shorter than this many pixels is drawn this wide, around its middle, to be seen.
MIN_BAR_WIDTH = 8.0
#: Month labels at least this far apart; steps in months between them.
LABEL_SPACING, LABEL_STEPS = 56.0, (1, 2, 3, 6, 12, 24)
#: The symbol beside each status, so that it is never told by colour alone.
SYMBOLS = {
    "done": "✓",
    "due": "●",
    "upcoming": "○",
    "missed": "✗",
    "replaced": "↷",
    "not_offered": "–",
    "declined": "–",
}

#: A text in both languages, each already HTML-escaped.
Words = tuple[str, str]


@dataclass(frozen=True)
class Bar:
    """One visit's row: its window, target, status, and what to say beside it."""

    label: Words
    status: str
    status_words: Words  # "ersatt av …" for a replaced visit, else the status
    start: dt.date
    end: dt.date  # the window's last day (inclusive)
    target: dt.date
    done_on: dt.date | None = None
    key: str = ""  # program/visit, for a test or a style sheet to find the bar


@dataclass(frozen=True)
class Heading:
    """A program's heading row above its visits."""

    label: Words


Row = Bar | Heading


class Axis:
    """Days between two dates mapped onto the drawing's x coordinates."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.start = first.replace(day=1)
        self.end = _next_month(last.replace(day=1))
        self.left, self.right = float(LABEL_WIDTH), float(WIDTH - RIGHT_MARGIN)
        self.per_day = (self.right - self.left) / (self.end - self.start).days

    def x(self, day: dt.date) -> float:
        """The x of the start of `day` (a bar for a last day ends at `x(day + 1 day)`)."""
        return round(self.left + (day - self.start).days * self.per_day, 2)

    def months(self) -> Iterable[dt.date]:
        month = self.start
        while month <= self.end:
            yield month
            month = _next_month(month)

    def label_step(self) -> int:
        month_width = 30.44 * self.per_day
        return next((s for s in LABEL_STEPS if s * month_width >= LABEL_SPACING), 24)


def _next_month(day: dt.date) -> dt.date:
    return (
        day.replace(year=day.year + 1, month=1)
        if day.month == 12
        else day.replace(month=day.month + 1)
    )


def both(words: Words, element: str = "tspan") -> str:
    """Swedish and English side by side; the page's style shows one of them."""
    sv, en = words
    return f'<{element} lang="sv">{sv}</{element}><{element} lang="en">{en}</{element}>'


def draw(rows: Sequence[Row], today: dt.date, today_words: Words) -> str:
    """The SVG of `rows` on one axis spanning every window and `today`."""
    bars = [r for r in rows if isinstance(r, Bar)]
    axis = Axis(min([today, *(b.start for b in bars)]), max([today, *(b.end for b in bars)]))
    height = (
        AXIS_HEIGHT + sum(ROW_HEIGHT if isinstance(r, Bar) else HEADING_HEIGHT for r in rows) + 8
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="plan" width="{WIDTH}" '
        f'height="{height}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'data-axis-start="{axis.start.isoformat()}" data-axis-end="{axis.end.isoformat()}">',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#eeeeee"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" stroke-width="2.5"/></pattern></defs>',
    ]
    out.extend(_ticks(axis, height))
    y = float(AXIS_HEIGHT)
    for row in rows:
        if isinstance(row, Heading):
            out.append(
                f'<text class="heading" x="8" y="{y + HEADING_HEIGHT - 9}">{both(row.label)}</text>'
            )
            y += HEADING_HEIGHT
        else:
            out.append(_bar(row, axis, y))
            y += ROW_HEIGHT
    x = axis.x(today)
    out.append(
        f'<line class="today" x1="{x}" y1="4" x2="{x}" y2="{height - 4}" '
        f'data-date="{today.isoformat()}"/>'
        f'<text class="today-label" x="{x + 4}" y="14">'
        f"{both(today_words)} {today.isoformat()}</text>"
    )
    out.append("</svg>")
    return "\n".join(out)


def _ticks(axis: Axis, height: int) -> Iterable[str]:
    step = axis.label_step()
    for month in axis.months():
        x = axis.x(month)
        yield (
            f'<line class="tick" x1="{x}" y1="{AXIS_HEIGHT - 6}" x2="{x}" y2="{height - 4}" '
            f'data-month="{month.isoformat()[:7]}"/>'
        )
        if (month.year * 12 + month.month - 1) % step == 0 and month < axis.end:
            yield f'<text class="month" x="{x + 2}" y="{AXIS_HEIGHT - 9}">{month.isoformat()[:7]}</text>'


def _bar(bar: Bar, axis: Axis, y: float) -> str:
    top = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
    x0, x1 = axis.x(bar.start), axis.x(bar.end + dt.timedelta(days=1))
    if x1 - x0 < MIN_BAR_WIDTH:
        x0, x1 = (x0 + x1 - MIN_BAR_WIDTH) / 2, (x0 + x1 + MIN_BAR_WIDTH) / 2
    middle = y + ROW_HEIGHT / 2
    symbol = SYMBOLS.get(bar.status, "?")
    target = axis.x(bar.target) + axis.per_day / 2
    # the status's words beside the bar: after it, or before it when it is near the end
    after = x1 < axis.right - 200
    note_x, anchor = (x1 + 6, "start") if after else (x0 - 6, "end")
    parts = [
        f'<g class="visit st-{bar.status}" data-visit="{bar.key}" data-status="{bar.status}">',
        f"<title>{bar.label[0]} – {bar.status_words[0]}: {bar.start.isoformat()} – "
        f"{bar.end.isoformat()}</title>",
        f'<text class="label" x="8" y="{middle + 4}"><tspan class="symbol">{symbol}</tspan> '
        f"{both(bar.label)}</text>",
        f'<rect class="window" x="{x0:.2f}" y="{top}" width="{x1 - x0:.2f}" '
        f'height="{BAR_HEIGHT}" data-start="{bar.start.isoformat()}" '
        f'data-end="{bar.end.isoformat()}"/>',
        f'<line class="target" x1="{target:.2f}" y1="{top - 3}" x2="{target:.2f}" '
        f'y2="{top + BAR_HEIGHT + 3}" data-date="{bar.target.isoformat()}"/>',
    ]
    if bar.done_on is not None:
        done = axis.x(bar.done_on) + axis.per_day / 2
        below = top + BAR_HEIGHT + 1
        parts.append(
            f'<path class="done-on" d="M{done:.2f} {below} l-4 6 h8 z" '
            f'data-date="{bar.done_on.isoformat()}"/>'
        )
    parts.append(
        f'<text class="note" x="{note_x:.2f}" y="{middle + 4}" text-anchor="{anchor}">'
        f"{symbol} {both(bar.status_words)}</text></g>"
    )
    return "".join(parts)

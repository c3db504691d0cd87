"""The report's charts as static SVG, drawn with matplotlib's SVG backend.

No pyplot (no global figure state), no network, nothing to load: text is drawn as paths
(`svg.fonttype: path`), so a page shows the charts with no font installed. Each chart
draws only counts the report shows: a suppressed count is left out, never drawn.
docs/decisions/0029-report-engine-and-charts.md says why matplotlib.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from types import MappingProxyType
from typing import Any

import matplotlib
from matplotlib.dates import DateFormatter
from matplotlib.figure import Figure

from hembesok.report.tables import Report, Row
from hembesok.report.texts import column, word
from hembesok.report.titles import Titles

#: The colours of the report's categories; the HTML legend and the browser test use them.
COLOURS = MappingProxyType(
    {
        "done": "#1b7f5f",
        "waiting": "#8fbcd4",
        "missed": "#d1495b",
        "declined": "#edae49",
        "undetermined": "#7d7d7d",
        "new": "#d1495b",
        "persisting": "#8e3b8c",
        "no_comparison": "#edae49",
        "resolved": "#1b7f5f",
    }
)
COVERAGE_PARTS = ("done", "waiting", "missed", "declined", "undetermined")
SCREENING_PARTS = ("new", "persisting", "no_comparison")
#: Lines of the programmes over time, one colour each, in turn.
LINE_COLOURS = ("#1f5fa8", "#d1495b", "#1b7f5f", "#edae49", "#8e3b8c", "#00798c", "#7d7d7d")

_NO_TITLES = Titles()

_STYLE: dict[str, Any] = {
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
#: No date, no creator: the same report gives the same bytes.
_METADATA = {"Date": None, "Creator": None, "Format": None, "Type": None}


def drawn_bvcs(rows: Sequence[Row], program: str) -> list[Row]:
    """The BVC rows of one programme that have a bar to draw: some outcome shown and not 0.

    A BVC whose counts are all suppressed would be an empty line with a name: it is left
    out of the chart (its row in the table says `<5`), and the page says how many were.
    """
    return [
        r
        for r in rows
        if r["program"] == program and not r["all_bvcs"] and any(r[part] for part in COVERAGE_PARTS)
    ]


def coverage_chart(
    rows: Sequence[Row], program: str, lang: str, salt: str, titles: Titles = _NO_TITLES
) -> str:
    """The target group of each BVC of one programme, as bars stacked by outcome."""
    rows = drawn_bvcs(rows, program)
    labels = [_bvc(r, lang) for r in rows]
    with _style(salt):
        figure = Figure(figsize=(8, 1.3 + 0.32 * max(len(rows), 1)), layout="constrained")
        axes = figure.add_subplot()
        left = [0.0] * len(rows)
        for part in COVERAGE_PARTS:
            widths = [_value(r[part]) for r in rows]
            axes.barh(
                labels, widths, left=left, color=COLOURS[part], label=column(part, lang), height=0.7
            )
            left = [a + b for a, b in zip(left, widths, strict=True)]
        axes.invert_yaxis()
        axes.set_title(
            word("chart_coverage", lang, program=titles.program_short(program, lang)), loc="left"
        )
        axes.set_xlabel(f"{column('children', lang)} ({word('chart_hidden', lang)})")
        _legend_below(axes, len(COVERAGE_PARTS))
        return _svg(figure)


def timeline_chart(rows: Sequence[Row], lang: str, salt: str, titles: Titles = _NO_TITLES) -> str:
    """Visits done per month, one line per programme; a suppressed month is a gap."""
    visits = [r for r in rows if r["kind"] == "visit"]
    programs = sorted({r["program"] for r in visits})
    with _style(salt):
        figure = Figure(figsize=(8, 3.4), layout="constrained")
        axes = figure.add_subplot()
        for number, program in enumerate(programs):
            series = [r for r in visits if r["program"] == program]
            axes.plot(
                [r["month"] for r in series],
                [math.nan if r["done"] is None else r["done"] for r in series],
                color=LINE_COLOURS[number % len(LINE_COLOURS)],
                label=titles.program_short(program, lang),
                linewidth=1.6,
                marker="o",
                markersize=2.5,
            )
        axes.set_ylim(bottom=0)
        axes.xaxis.set_major_formatter(DateFormatter("%Y-%m"))  # type: ignore[no-untyped-call]
        axes.set_title(word("chart_timeline", lang), loc="left")
        axes.set_ylabel(f"{column('done', lang)}")
        axes.set_xlabel(word("chart_hidden", lang))
        if programs:
            axes.legend(frameon=False, fontsize=8, ncols=min(len(programs), 4))
        figure.autofmt_xdate()
        return _svg(figure)


def screening_chart(
    rows: Sequence[Row], program: str, lang: str, salt: str, titles: Titles = _NO_TITLES
) -> str:
    """Flagged domains per occasion of one programme: new, persisting, without comparison
    stacked, and beside them (thinner) the domains resolved."""
    rows = titles.by_schedule([r for r in rows if r["program"] == program])
    several = len({r["instrument"] for r in rows}) > 1
    labels = [
        ((f"{titles.instrument(r['instrument'], lang)} · ") if several else "")
        + f"{titles.domain(r['instrument'], r['domain'], lang)} · "
        + titles.item(program, r["visit"], lang)
        for r in rows
    ]
    places = list(range(len(rows)))
    with _style(salt):
        figure = Figure(figsize=(8, 1.4 + 0.4 * max(len(rows), 1)), layout="constrained")
        axes = figure.add_subplot()
        left = [0.0] * len(rows)
        for part in SCREENING_PARTS:
            widths = [_value(r[part]) for r in rows]
            axes.barh(
                [p - 0.17 for p in places],
                widths,
                left=left,
                height=0.34,
                color=COLOURS[part],
                label=column(part, lang),
            )
            left = [a + b for a, b in zip(left, widths, strict=True)]
        axes.barh(
            [p + 0.17 for p in places],
            [_value(r["resolved"]) for r in rows],
            height=0.34,
            color=COLOURS["resolved"],
            label=column("resolved", lang),
        )
        axes.set_yticks(places, labels)
        axes.invert_yaxis()
        instruments = ", ".join(sorted({titles.instrument(r["instrument"], lang) for r in rows}))
        # Above the figure, not the axes: long labels push the axes right, and the title
        # of a programme without a short name is long.
        figure.suptitle(
            word(
                "chart_screening",
                lang,
                program=f"{titles.program_short(program, lang)} ({instruments})",
            ),
            x=0.01,
            ha="left",
            fontsize=10,
        )
        axes.set_xlabel(f"{column('children', lang)} ({word('chart_hidden', lang)})")
        _legend_below(axes, 4)
        return _svg(figure)


def charts(report: Report, lang: str, titles: Titles = _NO_TITLES) -> dict[str, dict[str, str]]:
    """Every chart of a report as SVG text, by section and then by programme (`""` for a
    chart of every programme). A programme with no bar to draw has no coverage chart."""
    coverage = report.coverage.rows
    programs = sorted({r["program"] for r in coverage})
    screened = sorted({r["program"] for r in report.screening.rows})
    timeline = report.timeline.rows
    return {
        "coverage": {
            p: coverage_chart(coverage, p, lang, f"c{n}", titles)
            for n, p in enumerate(programs)
            if drawn_bvcs(coverage, p)
        },
        "timeline": {"": timeline_chart(timeline, lang, "t", titles)} if timeline else {},
        "screening": {
            p: screening_chart(report.screening.rows, p, lang, f"s{n}", titles)
            for n, p in enumerate(screened)
        },
    }


def _style(salt: str) -> Any:
    """matplotlib's settings for one chart; `salt` keeps its SVG ids apart from the others'."""
    settings: Any = {**_STYLE, "svg.hashsalt": salt}
    return matplotlib.rc_context(settings)


def _legend_below(axes: Any, columns: int) -> None:
    figure_legend = axes.figure.legend(
        *axes.get_legend_handles_labels(), loc="outside lower left", ncols=columns, frameon=False
    )
    figure_legend.set_in_layout(True)


def _value(count: int | None) -> float:
    return 0.0 if count is None else float(count)


def _bvc(row: Row, lang: str) -> str:
    name = row["bvc"] if row["bvc"] is not None else word("no_bvc", lang)
    return f"{name} *" if row["suppressed"] else str(name)


def _svg(figure: Figure) -> str:
    """The figure as an <svg> element for an HTML page (no XML declaration, no DOCTYPE)."""
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata=_METADATA)
    text = out.getvalue()
    return text[text.index("<svg") :]

"""The report as one self-contained HTML page: inline CSS and SVG, no script, no link out.

A page a coordinator can mail or print: it needs nothing but itself (no font, no CDN, no
JavaScript; long tables fold with <details>). Every count is as `tables.py` left it, a
suppressed one written `<N`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from html import escape
from itertools import groupby

from hembesok.report.charts import charts
from hembesok.report.tables import Report, Row, Table
from hembesok.report.texts import column, fact, kind, status, word
from hembesok.version import __version__

_CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #222;
  line-height: 1.4; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.2rem; border-bottom: 1px solid #ccc; }
h3 { margin-top: 1.6rem; }
table { border-collapse: collapse; margin: 0.6rem 0 1rem; font-size: 0.85rem; }
th, td { border: 1px solid #ddd; padding: 0.2rem 0.45rem; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; background: #f4f4f4; }
td.hidden { color: #888; }
.note { color: #555; font-size: 0.9rem; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
.missed { color: #a02334; font-weight: bold; }
nav ul { columns: 2; }
"""


def render(report: Report, lang: str) -> str:
    """The page, in Swedish (`sv`) or English (`en`)."""
    drawn = charts(report, lang)
    week = str(report.week)
    as_of = _as_of(report)
    body = [
        f"<h1>{escape(word('title', lang))}</h1>",
        _p(
            word(
                "lead",
                lang,
                week=week,
                monday=report.week.monday.isoformat(),
                sunday=report.week.sunday.isoformat(),
                as_of=as_of,
            )
        ),
        _p(word("suppression", lang, limit=report.min_count - 1, min=report.min_count), "note"),
        _contents(lang, week),
        _section(
            "coverage",
            lang,
            drawn["coverage"],
            [_counts(report.coverage, report, lang)],
            "coverage_note",
        ),
        _section("visits", lang, [], [_counts(report.visits, report, lang, fold=True)]),
        _section(
            "missing_facts", lang, [], [_counts(report.missing_facts, report, lang)], "missing_note"
        ),
        _section(
            "screening",
            lang,
            drawn["screening"],
            [_counts(report.screening, report, lang)],
            "screening_note",
        ),
        _section(
            "timeline",
            lang,
            drawn["timeline"],
            [_counts(report.timeline, report, lang, fold=True)],
            "timeline_note",
        ),
        _worklists(report, lang),
        _p(word("made_by", lang, version=__version__), "note"),
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(word('title', lang))} {week}</title>\n<style>{_CSS}</style>\n"
        "</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _as_of(report: Report) -> str:
    if report.as_of is not None:
        return report.as_of.isoformat()
    first, last = report.planned_as_of
    if first is None or last is None:
        return "–"
    return first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"


def _p(text: str, css: str | None = None) -> str:
    return f'<p class="{css}">{escape(text)}</p>' if css else f"<p>{escape(text)}</p>"


def _contents(lang: str, week: str) -> str:
    names = ("coverage", "visits", "missing_facts", "screening", "timeline")
    items = [f'<li><a href="#{n}">{escape(word(n, lang))}</a></li>' for n in names]
    items.append(f'<li><a href="#worklists">{escape(word("worklists", lang, week=week))}</a></li>')
    return f"<nav><h2>{escape(word('contents', lang))}</h2><ul>{''.join(items)}</ul></nav>"


def _section(
    name: str, lang: str, svgs: Sequence[str], parts: Sequence[str], note: str | None = None
) -> str:
    out = [f'<section id="{name}"><h2>{escape(word(name, lang))}</h2>']
    if note:
        out.append(_p(word(note, lang), "note"))
    out.extend(f"<figure>{svg}</figure>" for svg in svgs)
    out.extend(parts)
    out.append("</section>")
    return "\n".join(out)


def _counts(table: Table, report: Report, lang: str, fold: bool = False) -> str:
    """A table of counts; `fold`: inside <details>, closed, for the long ones."""
    if not table.rows:
        return _p(word("no_rows", lang), "note")
    keys = [k for k in table.keys if k != "all_bvcs"]
    head = "".join(f"<th>{escape(column(k, lang))}</th>" for k in keys) + "".join(
        f'<th class="n">{escape(column(c, lang))}</th>' for c in table.counts
    )
    lines = []
    for row in table.rows:
        total = bool(row.get("all_bvcs"))
        cells = "".join(f"<td>{escape(_key(k, row, lang))}</td>" for k in keys)
        for count in table.counts:
            value = row[count]
            if value is None:
                cells += f'<td class="n hidden">&lt;{report.min_count}</td>'
            else:
                cells += f'<td class="n">{value}</td>'
        lines.append(f'<tr class="total">{cells}</tr>' if total else f"<tr>{cells}</tr>")
    html = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"
    if fold:
        summary = (
            f"{escape(word(table.name, lang))}: {len(table.rows)} {escape(word('rows', lang))}"
        )
        return f"<details><summary>{summary}</summary>{html}</details>"
    return html


def _key(name: str, row: Row, lang: str) -> str:
    value = row[name]
    if name == "bvc":
        if row.get("all_bvcs"):
            return word("all_bvcs", lang)
        return word("no_bvc", lang) if value is None else str(value)
    if name == "kind":
        return kind(str(value), lang)
    if name == "fact":
        return fact(str(value), lang)
    if name == "month" and isinstance(value, dt.date):
        return value.strftime("%Y-%m")
    return "" if value is None else str(value)


_WORKLIST_HEAD = (
    "week_status",
    "case_ref",
    "program",
    "kind",
    "item",
    "target",
    "window",
    "plan_status",
)


def _worklists(report: Report, lang: str) -> str:
    week = str(report.week)
    out = [
        f'<section id="worklists"><h2>{escape(word("worklists", lang, week=week))}</h2>',
        _p(word("worklist_note", lang, days=report.missed_days), "note"),
    ]
    if not report.worklist.rows:
        out.append(_p(word("no_rows", lang), "note"))
    for bvc, rows in groupby(report.worklist.rows, key=lambda r: r["bvc"]):
        out.append(_worklist(bvc, list(rows), lang))
    out.append("</section>")
    return "\n".join(out)


def _worklist(bvc: str | None, rows: Iterable[Row], lang: str) -> str:
    name = word("no_bvc", lang) if bvc is None else bvc
    head = "".join(f"<th>{escape(column(c, lang))}</th>" for c in _WORKLIST_HEAD)
    lines = []
    count = 0
    for row in rows:
        count += 1
        what = row["item"] if row["instrument"] is None else f"{row['instrument']} ({row['item']})"
        state = row["week_status"]
        cells = [
            f'<td class="{state}">{escape(status(state, lang))}</td>',
            f"<td>{escape(row['case_ref'])}</td>",
            f"<td>{escape(row['program'])}</td>",
            f"<td>{escape(kind(row['kind'], lang))}</td>",
            f"<td>{escape(str(what))}</td>",
            f"<td>{_date(row['target'])}</td>",
            f"<td>{_date(row['window_start'])} – {_date(row['window_end'])}</td>",
            f"<td>{escape(status(row['plan_status'], lang))}</td>",
        ]
        lines.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f"<h3>{escape(name)} ({count} {escape(word('rows', lang))})</h3>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"
    )


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""

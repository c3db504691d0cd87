"""The report as one self-contained HTML page: inline CSS and SVG, no script, no link out.

A page a coordinator can mail or print: it needs nothing but itself (no font, no CDN, no
JavaScript; long tables fold with <details>). Every count is as `tables.py` left it, a
suppressed one written `<N`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape
from itertools import groupby

from hembesok.report.charts import charts, drawn_bvcs
from hembesok.report.tables import Report, Row, Table
from hembesok.report.texts import column, fact, kind, status, word
from hembesok.report.titles import Titles
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
td.k { white-space: nowrap; }  /* case refs and dates: never broken over two lines */
.note { color: #555; font-size: 0.9rem; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
.missed { color: #a02334; font-weight: bold; }
nav ul { columns: 2; }
details { margin: 0.3rem 0; } summary { cursor: pointer; padding: 0.15rem 0; }
details[open] > summary { font-weight: bold; }
.only { background: #fff6d8; border-left: 4px solid #edae49; padding: 0.4rem 0.7rem; }
"""

_NO_TITLES = Titles()


def render(report: Report, lang: str, titles: Titles = _NO_TITLES) -> str:
    """The page, in Swedish (`sv`) or English (`en`); programmes, visits, doses,
    instruments and domains by their titles in `titles` (else by id)."""
    drawn = charts(report, lang, titles)
    names = _Names(titles, lang)
    week = str(report.week)
    as_of = _as_of(report)
    coverage = [
        _per_program(
            report.coverage,
            report,
            names,
            drawn["coverage"],
            _hidden_bars(report, lang, set(drawn["coverage"])),
        )
    ]
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
        _only(report, names),
        _p(word("suppression", lang, limit=report.min_count - 1, min=report.min_count), "note"),
        _contents(lang, week),
        _section("coverage", lang, [], coverage, "coverage_note"),
        _section("visits", lang, [], [_per_program(report.visits, report, names, fold=True)]),
        _section(
            "missing_facts",
            lang,
            [],
            [_counts(report.missing_facts, report, names)],
            "missing_note",
        ),
        _section(
            "screening",
            lang,
            [],
            [
                _per_program(
                    report.screening,
                    report,
                    names,
                    drawn["screening"],
                    rows=titles.by_schedule(report.screening.rows),
                )
            ],
            "screening_note",
        ),
        _section(
            "timeline",
            lang,
            list(drawn["timeline"].values()),
            [_counts(report.timeline, report, names, fold=True)],
            "timeline_note",
        ),
        _worklists(report, names),
        _p(word("made_by", lang, version=__version__), "note"),
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(word('title', lang))} {week}</title>\n<style>{_CSS}</style>\n"
        "</head>\n<body>\n" + "\n".join(b for b in body if b) + "\n</body>\n</html>\n"
    )


class _Names:
    """What a cell shows for an id: its title in the page's language, the id on hover."""

    def __init__(self, titles: Titles, lang: str) -> None:
        self.titles, self.lang = titles, lang

    def program(self, program: str) -> str:
        short = self.titles.program_short(program, self.lang)
        full = self.titles.program(program, self.lang)
        return _named(short, full if full == program else f"{full} ({program})")

    def program_heading(self, program: str) -> str:
        full = self.titles.program(program, self.lang)
        return _named(full, program)

    def item(self, program: str, item: str) -> str:
        return _named(self.titles.item(program, item, self.lang), item)

    def instrument(self, instrument: str) -> str:
        return _named(self.titles.instrument(instrument, self.lang), instrument)

    def domain(self, instrument: str, domain: str) -> str:
        return _named(self.titles.domain(instrument, domain, self.lang), domain)


def _named(shown: str, hover: str) -> str:
    """A title with the id (or the full title) as its tooltip; the id alone as itself."""
    if shown == hover:
        return escape(shown)
    return f'<span title="{escape(hover)}">{escape(shown)}</span>'


def _only(report: Report, names: _Names) -> str:
    """What the report is limited to (--bvc, --program), if anything."""
    parts = []
    lang = names.lang
    if report.only_bvcs is not None:
        parts.append(f"{escape(word('only_bvcs', lang))}: " + escape(", ".join(report.only_bvcs)))
    if report.only_programs is not None:
        parts.append(
            f"{escape(word('only_programs', lang))}: "
            + ", ".join(names.program(p) for p in report.only_programs)
        )
    if not parts:
        return ""
    note = escape(word("only_note", lang)) if report.only_bvcs is not None else ""
    return f'<p class="only">{" · ".join(parts)}. {note}</p>'


def _hidden_bars(report: Report, lang: str, charted: set[str]) -> dict[str, str]:
    """Under each coverage chart: how many BVCs have no bar (every count suppressed or 0)."""
    notes = {}
    for program in sorted({r["program"] for r in report.coverage.rows}):
        rows = [r for r in report.coverage.rows if r["program"] == program and not r["all_bvcs"]]
        drawn = len(drawn_bvcs(report.coverage.rows, program))
        missing = len(rows) - drawn
        if missing:
            notes[program] = word("not_drawn", lang, count=missing)
        elif program in charted:
            notes[program] = ""
    return notes


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


def _per_program(
    table: Table,
    report: Report,
    names: _Names,
    svgs: dict[str, str] | None = None,
    notes: dict[str, str] | None = None,
    fold: bool = False,
    rows: Sequence[Row] | None = None,
) -> str:
    """A table per programme under the programme's title, with its chart and note; `rows`
    the table's rows in another order (by programme still)."""
    if not table.rows:
        return _p(word("no_rows", names.lang), "note")
    out = []
    for program, part_rows in groupby(
        table.rows if rows is None else rows, key=lambda r: r["program"]
    ):
        part = [f'<h3 id="{table.name}-{escape(program)}">{names.program_heading(program)}</h3>']
        if svgs and program in svgs:
            part.append(f"<figure>{svgs[program]}</figure>")
        if notes and notes.get(program):
            part.append(_p(notes[program], "note"))
        part.append(_counts(table, report, names, fold=fold, rows=list(part_rows), heading=False))
        out.append("\n".join(part))
    return "\n".join(out)


def _counts(
    table: Table,
    report: Report,
    names: _Names,
    fold: bool = False,
    rows: Sequence[Row] | None = None,
    heading: bool = True,
) -> str:
    """A table of counts; `fold`: inside <details>, closed, for the long ones. A table of
    one programme's rows (`heading` False) leaves out the programme column."""
    lang = names.lang
    rows = table.rows if rows is None else rows
    if not rows:
        return _p(word("no_rows", lang), "note")
    keys = [k for k in table.keys if k != "all_bvcs" and (heading or k != "program")]
    head = "".join(f"<th>{escape(column(k, lang))}</th>" for k in keys) + "".join(
        f'<th class="n">{escape(column(c, lang))}</th>' for c in table.counts
    )
    lines = []
    for row in rows:
        total = bool(row.get("all_bvcs"))
        cells = "".join(f"<td>{_key(k, row, names)}</td>" for k in keys)
        for count in table.counts:
            value = row[count]
            if value is None:
                cells += f'<td class="n hidden">&lt;{report.min_count}</td>'
            else:
                cells += f'<td class="n">{value}</td>'
        lines.append(f'<tr class="total">{cells}</tr>' if total else f"<tr>{cells}</tr>")
    html = f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"
    if fold:
        summary = escape(word("table_rows", lang, count=len(rows)))
        return f"<details><summary>{summary}</summary>{html}</details>"
    return html


def _key(name: str, row: Row, names: _Names) -> str:
    """A key cell's HTML: titles for ids, words for kinds and facts."""
    value = row[name]
    lang = names.lang
    if name == "bvc":
        if row.get("all_bvcs"):
            return escape(word("all_bvcs", lang))
        return escape(word("no_bvc", lang) if value is None else str(value))
    if value is None:
        return ""
    if name == "program":
        return names.program(str(value))
    if name in ("item", "visit"):
        return names.item(str(row["program"]), str(value))
    if name == "instrument":
        return names.instrument(str(value))
    if name == "domain":
        return names.domain(str(row["instrument"]), str(value))
    if name == "kind":
        return escape(kind(str(value), lang))
    if name == "fact":
        return escape(fact(str(value), lang))
    if name == "month" and isinstance(value, dt.date):
        return value.strftime("%Y-%m")
    return escape(str(value))


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


def _worklists(report: Report, names: _Names) -> str:
    """One folded list per BVC (open when the page is one BVC's), its summary the counts."""
    lang = names.lang
    week = str(report.week)
    out = [
        f'<section id="worklists"><h2>{escape(word("worklists", lang, week=week))}</h2>',
        _p(word("worklist_note", lang, days=report.missed_days), "note"),
    ]
    if not report.worklist.rows:
        out.append(_p(word("no_rows", lang), "note"))
    grouped = [
        (bvc, list(rows)) for bvc, rows in groupby(report.worklist.rows, key=lambda r: r["bvc"])
    ]
    for bvc, rows in grouped:
        out.append(_worklist(bvc, rows, names, opened=len(grouped) == 1))
    out.append("</section>")
    return "\n".join(out)


def _worklist(bvc: str | None, rows: Sequence[Row], names: _Names, opened: bool) -> str:
    lang = names.lang
    name = word("no_bvc", lang) if bvc is None else bvc
    head = "".join(f"<th>{escape(column(c, lang))}</th>" for c in _WORKLIST_HEAD)
    lines = []
    for row in rows:
        program = str(row["program"])
        what = names.item(program, str(row["item"]))
        if row["instrument"] is not None:
            what = f"{names.instrument(str(row['instrument']))} ({what})"
        state = row["week_status"]
        cells = [
            f'<td class="{state}">{escape(status(state, lang))}</td>',
            f'<td class="k">{escape(row["case_ref"])}</td>',
            f"<td>{names.program(program)}</td>",
            f"<td>{escape(kind(row['kind'], lang))}</td>",
            f"<td>{what}</td>",
            f'<td class="k">{_date(row["target"])}</td>',
            f'<td class="k">{_date(row["window_start"])} – {_date(row["window_end"])}</td>',
            f"<td>{escape(status(row['plan_status'], lang))}</td>",
        ]
        lines.append(f"<tr>{''.join(cells)}</tr>")
    missed = sum(1 for r in rows if r["week_status"] == "missed")
    summary = word("worklist_summary", lang, bvc=name, count=len(rows), missed=missed)
    return (
        f"<details{' open' if opened else ''}><summary>{escape(summary)}</summary>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table></details>"
    )


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value is not None else ""

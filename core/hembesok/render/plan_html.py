"""One family's plan as a self-contained HTML page: the visits of the programs it is
offered drawn as windows on a time axis (hembesok.render.timeline_svg), a legend, and
the same visits as a table.

No script, no style sheet or font from the network: the page opens offline and prints.
A plan format takes no language (`(plan, state) -> bytes`), so the page holds Swedish
and English and two radio buttons choose which shows, by CSS alone (Swedish first).
Every text from a plan or a program is escaped here, once, before it reaches markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from types import MappingProxyType
from typing import TYPE_CHECKING

from hembesok.model.plan import ELIGIBLE, PlannedVisit, ProgramPlan, VisitRef
from hembesok.model.texts import DECISIONS, LANGS, STATUSES, UI, Text, pick, short_title
from hembesok.render.timeline_svg import SYMBOLS, Bar, Heading, Row, Words, both, draw

if TYPE_CHECKING:
    from hembesok.language.program import Program
    from hembesok.model.plan import Plan
    from hembesok.render.state import RenderState

MEDIA_TYPE = "text/html"

#: Page words the model's tables do not have.
PAGE: Mapping[str, Text] = {
    "heading": {"sv": "Barnets besöksplan", "en": "The child's visit plan"},
    "today": {"sv": "idag", "en": "today"},
    "legend": {"sv": "Förklaring", "en": "Legend"},
    "target_mark": {"sv": "måldatum", "en": "target date"},
    "done_mark": {"sv": "genomfört den dagen", "en": "done on that day"},
    "window_bar": {
        "sv": "stapeln: tidsintervallet för besöket",
        "en": "the bar: the window for the visit",
    },
    "as_table": {"sv": "Som tabell", "en": "As a table"},
    "others": {"sv": "Andra program", "en": "Other programs"},
    "nothing": {
        "sv": "Familjen erbjuds inget program med besök.",
        "en": "The family is offered no program with visits.",
    },
    "language": {"sv": "Språk", "en": "Language"},
}
#: The statuses in the legend, in the order a visit goes through them.
LEGEND = ("done", "due", "upcoming", "missed", "replaced", "not_offered", "declined")

#: Each status's colour (a symbol and a pattern tell them apart too), and today's line.
COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "done": "#1b7837",
        "due": "#e08214",
        "upcoming": "#92c5de",
        "missed": "#b2182b",
        "today": "#6a3d9a",
    }
)


def _coloured(template: str) -> str:
    """The style sheet with each `@name@` replaced by its colour in COLOURS."""
    for name, colour in COLOURS.items():
        template = template.replace(f"@{name}@", colour)
    return template


STYLE = _coloured("""
body { font: 14px/1.4 system-ui, sans-serif; margin: 16px; color: #1a1a1a; background: #fff; }
#lang-sv:checked ~ main [lang="en"], #lang-en:checked ~ main [lang="sv"] { display: none; }
.switch { margin-right: 4px; }
h1 { font-size: 20px; margin: 8px 0 4px; }
svg.plan text { font-size: 12px; fill: #1a1a1a; }
svg.plan text.heading { font-weight: 600; font-size: 13px; }
svg.plan text.month { fill: #555; font-size: 11px; }
svg.plan line.tick { stroke: #e3e3e3; }
svg.plan line.today { stroke: @today@; stroke-width: 2; stroke-dasharray: 5 3; }
svg.plan text.today-label { fill: @today@; font-weight: 600; }
svg.plan line.target { stroke: #1a1a1a; stroke-width: 2; }
svg.plan path.done-on { fill: #1a1a1a; }
.st-done rect.window, .sw-done { fill: @done@; }
.st-due rect.window, .sw-due { fill: @due@; }
.st-upcoming rect.window, .sw-upcoming { fill: @upcoming@; stroke: #2166ac; stroke-width: 1.5; }
.st-missed rect.window, .sw-missed { fill: @missed@; }
.st-replaced rect.window, .sw-replaced { fill: url(#hatch); stroke: #8c8c8c; }
.st-not_offered rect.window, .st-declined rect.window, .sw-not_offered, .sw-declined {
  fill: #d9d9d9; stroke: #8c8c8c; stroke-dasharray: 3 2; }
.st-replaced text.label, .st-not_offered text.label, .st-declined text.label { fill: #6b6b6b; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 18px; padding: 0; list-style: none; }
.legend svg { vertical-align: middle; }
table { border-collapse: collapse; margin-top: 8px; }
th, td { text-align: left; padding: 2px 10px 2px 0; border-bottom: 1px solid #e3e3e3; }
""")


def _both_html(text: Text) -> str:
    return both(_words(text), "span")


def _words(text: Text) -> Words:
    return (escape(pick(text, "sv")), escape(pick(text, "en")))


def _program_name(program: Program) -> Words:
    short = program.definition.get("short_title")
    return (
        escape(pick(short, "sv") if short else short_title(program.title, "sv")),
        escape(pick(short, "en") if short else short_title(program.title, "en")),
    )


class _ProgramWords:
    """A program's escaped names, kept per pipeline (`state.prepared["html"]`)."""

    __slots__ = ("heading", "name", "program", "visits")

    def __init__(self, program: Program) -> None:
        self.program = program
        self.name = _program_name(program)
        title = _words(program.title)
        self.heading: Words = (
            f"{title[0]} ({escape(program.id)} {escape(program.version)})",
            f"{title[1]} ({escape(program.id)} {escape(program.version)})",
        )
        self.visits = {v.id: (v, _words(v.title)) for v in program.schedule}

    def visit(self, planned: PlannedVisit) -> Words:
        found = self.visits.get(planned.visit.id)
        if found is not None and found[0] is planned.visit:
            return found[1]
        return _words(planned.visit.title)  # a visit a plugin made up: not kept


def _prepared(state: RenderState, program: Program) -> _ProgramWords:
    kept: dict[str, _ProgramWords] = state.prepared.setdefault("html", {})
    found = kept.get(program.id)
    if found is None or found.program is not program:
        found = kept[program.id] = _ProgramWords(program)
    return found


def write_html(plan: Plan, state: RenderState) -> bytes:
    """The page for `plan`: the drawing, the legend, the table, the other programs."""
    offered = [pp for pp in plan.programs if pp.decision.status == ELIGIBLE and pp.visits]
    words = {pp.program.id: _prepared(state, pp.program) for pp in offered}
    names = {
        (pp.program.id, v.visit.id): (words[pp.program.id].name, words[pp.program.id].visit(v))
        for pp in offered
        for v in pp.visits
    }
    rows: list[Row] = []
    for pp in offered:
        prepared = words[pp.program.id]
        rows.append(Heading(prepared.heading))
        for planned in pp.visits:
            rows.append(
                Bar(
                    label=prepared.visit(planned),
                    status=planned.status,
                    status_words=_status_words(planned, names),
                    start=planned.window.start,
                    end=planned.window.end,
                    target=planned.target,
                    done_on=planned.done_on,
                    key=escape(f"{pp.program.id}/{planned.visit.id}"),
                )
            )
    today = _words(PAGE["today"])
    drawing = draw(rows, plan.as_of, today) if rows else f"<p>{_both_html(PAGE['nothing'])}</p>"
    others = [pp for pp in plan.programs if pp not in offered]
    page = [
        '<!DOCTYPE html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">',
        f"<title>hembesok – {_plain(PAGE['heading'])} {plan.as_of.isoformat()}</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<style>{STYLE}</style>\n</head>\n<body>",
        '<input type="radio" name="lang" id="lang-sv" class="switch" checked>'
        '<label for="lang-sv" lang="sv">Svenska</label> '
        '<input type="radio" name="lang" id="lang-en" class="switch">'
        '<label for="lang-en" lang="en">English</label>',
        "<main>",
        f"<h1>{_both_html(PAGE['heading'])}</h1>",
        f"<p>{_both_html(UI['as_of'])} {plan.as_of.isoformat()} "
        f"(hembesok {escape(plan.engine_version)})</p>",
        drawing,
        _legend(),
        *_table(offered, words, names),
        *_others(others),
        "</main>\n</body>\n</html>\n",
    ]
    return "\n".join(page).encode("utf-8")


def _plain(text: Text) -> str:
    return " / ".join(escape(pick(text, lang)) for lang in LANGS)


def _status_words(planned: PlannedVisit, names: Mapping[VisitRef, tuple[Words, Words]]) -> Words:
    """The status in words; a replaced visit names the visit that takes its place."""
    sv, en = _words(STATUSES.get(planned.status) or {"sv": planned.status})
    if planned.replaced_by is not None:
        found = names.get(planned.replaced_by)
        program, visit = (
            found
            if found is not None
            else (
                (escape(planned.replaced_by[0]),) * 2,
                (escape(planned.replaced_by[1]),) * 2,
            )
        )
        by = _words(UI["by"])
        return (
            f"{sv} {by[0]} {program[0]}: {visit[0]}",
            f"{en} {by[1]} {program[1]}: {visit[1]}",
        )
    if planned.done_on is not None:
        day = planned.done_on.isoformat()
        return (f"{sv} {day}", f"{en} {day}")
    return (sv, en)


def _legend() -> str:
    items = []
    for status in LEGEND:
        swatch = (
            f'<svg width="28" height="14" aria-hidden="true"><rect class="sw-{status}" '
            f'x="1" y="1" width="26" height="12"/></svg>'
        )
        items.append(f"<li>{swatch} {SYMBOLS[status]} {_both_html(STATUSES[status])}</li>")
    marks = (
        '<li><svg width="28" height="14" aria-hidden="true"><line x1="14" y1="0" x2="14" '
        'y2="14" stroke="#1a1a1a" stroke-width="2"/></svg> '
        f"{_both_html(PAGE['target_mark'])}</li>"
        '<li><svg width="28" height="14" aria-hidden="true"><path d="M14 4 l-4 6 h8 z" '
        'fill="#1a1a1a"/></svg> '
        f"{_both_html(PAGE['done_mark'])}</li>"
        f"<li>{_both_html(PAGE['window_bar'])}</li>"
    )
    return f'<h2>{_both_html(PAGE["legend"])}</h2><ul class="legend">{"".join(items)}{marks}</ul>'


def _table(
    offered: Iterable[ProgramPlan],
    words: Mapping[str, _ProgramWords],
    names: Mapping[VisitRef, tuple[Words, Words]],
) -> Iterable[str]:
    heads = "".join(
        f"<th>{_both_html(UI[k])}</th>" for k in ("program", "visit", "target", "window", "status")
    )
    yield f"<details><summary>{_both_html(PAGE['as_table'])}</summary>"
    yield f"<table><thead><tr>{heads}</tr></thead><tbody>"
    for pp in offered:
        for planned in pp.visits:
            name = words[pp.program.id].name
            status = _status_words(planned, names)
            yield (
                f'<tr class="st-{planned.status}"><td>{both(name, "span")}</td>'
                f"<td>{both(words[pp.program.id].visit(planned), 'span')}</td>"
                f"<td>{planned.target.isoformat()}</td>"
                f"<td>{planned.window.start.isoformat()} – {planned.window.end.isoformat()}</td>"
                f"<td>{SYMBOLS.get(planned.status, '?')} {both(status, 'span')}</td></tr>"
            )
    yield "</tbody></table></details>"


def _others(others: Sequence[ProgramPlan]) -> Iterable[str]:
    if not others:
        return
    yield f"<h2>{_both_html(PAGE['others'])}</h2><ul>"
    for pp in others:
        name = _program_name(pp.program)
        decision = DECISIONS.get(pp.decision.status) or {"sv": pp.decision.status}
        yield f"<li>{both(name, 'span')}: {_both_html(decision)}</li>"
    yield "</ul>"

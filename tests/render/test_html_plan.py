"""One family's plan as a page: one bar per visit at the window's place on the axis,
statuses told apart, today's line where today is, every text escaped, and a browser that
really draws it."""

import dataclasses
import datetime as dt
import json
import re
import xml.etree.ElementTree as ET

from click.testing import CliRunner

from hembesok import cli
from hembesok.api import Pipeline
from hembesok.model.case import Case
from hembesok.model.plan import ELIGIBLE, Plan
from hembesok.render.formats import PLAN_FORMATS
from hembesok.render.plan_html import COLOURS, write_html
from hembesok.render.state import RenderState

from .conftest import CASE_EXAMPLES, ROOT

OPALTORGET = ROOT / "examples" / "goteborg-first-child-opaltorget.json"
AS_OF = dt.date(2026, 5, 4)
SVG = "{http://www.w3.org/2000/svg}"


def drawing(page: bytes) -> ET.Element:
    """The page's SVG, parsed as XML (so it must be well-formed)."""
    found = re.search(rb"<svg xmlns=.*?</svg>", page, re.S)
    assert found, "no drawing"
    return ET.fromstring(found.group(0))


def visits_drawn(svg: ET.Element) -> list[ET.Element]:
    return [g for g in svg.iter(f"{SVG}g") if "visit" in g.get("class", "").split()]


def opaltorget(engine) -> Plan:
    return Pipeline(engine).plan(OPALTORGET.read_bytes(), AS_OF)


def tick_x(svg: ET.Element, month: str) -> float:
    (tick,) = [t for t in svg.iter(f"{SVG}line") if t.get("data-month") == month]
    return float(tick.get("x1"))


def x_of(svg: ET.Element, day: dt.date) -> float:
    """A day's x, worked out from the month ticks on either side of it."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    left, right = tick_x(svg, first.isoformat()[:7]), tick_x(svg, following.isoformat()[:7])
    return left + (right - left) * (day - first).days / (following - first).days


def test_the_format_is_in_the_table():
    found = PLAN_FORMATS["html"]
    assert (found.media_type, found.extra) == ("text/html", None)
    assert found.writer() is write_html


def test_one_bar_per_offered_visit_with_its_status_on_every_example(installed_engine):
    seen = 0
    for path in CASE_EXAMPLES:
        data = json.loads(path.read_text(encoding="utf-8"))
        for day in (AS_OF, dt.date(2027, 1, 31)):
            if data["child"]["birth_date"] > day.isoformat():
                continue
            plan = installed_engine.evaluate(Case.from_dict(data), day)
            page = write_html(plan, RenderState())
            offered = [
                (pp.program.id, v)
                for pp in plan.programs
                if pp.decision.status == ELIGIBLE
                for v in pp.visits
            ]
            if not offered:
                assert b"<svg xmlns" not in page and b"inget program" in page
                continue
            drawn = {g.get("data-visit"): g for g in visits_drawn(drawing(page))}
            assert len(drawn) == len(offered), path.name
            for program_id, visit in offered:
                g = drawn[f"{program_id}/{visit.visit.id}"]
                assert g.get("data-status") == visit.status
                assert f"st-{visit.status}" in g.get("class").split()
                (rect,) = g.iter(f"{SVG}rect")
                assert (rect.get("data-start"), rect.get("data-end")) == (
                    visit.window.start.isoformat(),
                    visit.window.end.isoformat(),
                )
                seen += 1
    assert seen > 50


def test_bars_and_todays_line_stand_at_their_dates(installed_engine):
    plan = opaltorget(installed_engine)
    svg = drawing(write_html(plan, RenderState()))
    (today,) = [t for t in svg.iter(f"{SVG}line") if t.get("class") == "today"]
    assert abs(float(today.get("x1")) - x_of(svg, AS_OF)) < 0.05
    assert x_of(svg, dt.date(2026, 5, 1)) < float(today.get("x1")) < x_of(svg, dt.date(2026, 5, 5))
    drawn = {g.get("data-visit"): g for g in visits_drawn(svg)}
    wide = plan.program("rikshandboken").visits[-1]  # 5 years: a window of six months
    (rect,) = drawn[f"rikshandboken/{wide.visit.id}"].iter(f"{SVG}rect")
    assert abs(float(rect.get("x")) - x_of(svg, wide.window.start)) < 0.05
    end = wide.window.end + dt.timedelta(days=1)
    assert abs(float(rect.get("x")) + float(rect.get("width")) - x_of(svg, end)) < 0.05
    (target,) = [
        t
        for t in drawn[f"rikshandboken/{wide.visit.id}"].iter(f"{SVG}line")
        if t.get("class") == "target"
    ]
    assert target.get("data-date") == wide.target.isoformat()
    assert x_of(svg, wide.target) <= float(target.get("x1")) <= x_of(svg, end)


def test_statuses_are_told_by_symbol_and_words_not_colour_alone(installed_engine):
    svg = drawing(write_html(opaltorget(installed_engine), RenderState()))
    drawn = {g.get("data-visit"): g for g in visits_drawn(svg)}

    def text(key):
        return " ".join("".join(t.itertext()) for t in drawn[key].iter(f"{SVG}text"))

    assert "✓" in text("goteborg/newborn") and "genomfört 2026-03-24" in text("goteborg/newborn")
    assert "done 2026-03-24" in text("goteborg/newborn")  # the English, shown by the switch
    assert "●" in text("goteborg/two_months") and "aktuellt nu" in text("goteborg/two_months")
    assert "✗" in text("rikshandboken/bvc_4_weeks")
    assert "ersatt av Göteborg: Hembesök nyfödd" in text("rikshandboken/home_newborn")
    assert "replaced by Gothenburg: Newborn home visit" in text("rikshandboken/home_newborn")
    assert {g.get("data-status") for g in drawn.values()} == {
        "done",
        "due",
        "upcoming",
        "missed",
        "replaced",
    }


def test_every_text_from_a_plan_is_escaped(installed_engine):
    plan = opaltorget(installed_engine)
    evil = "<script>alert('x')</script>&<b>"
    pp = plan.program("goteborg")
    program = dataclasses.replace(
        pp.program,
        title={"sv": f"Göteborg {evil}", "en": evil},
        definition={**pp.program.definition, "short_title": {"sv": evil, "en": evil}},
    )
    visits = tuple(
        v._replace(visit=dataclasses.replace(v.visit, title={"sv": evil, "en": evil}))
        for v in pp.visits
    )
    changed = Plan(
        plan.as_of,
        tuple(p.replace(program=program, visits=visits) if p is pp else p for p in plan.programs),
        "0<script>",
        plan.case_ref,
    )
    page = write_html(changed, RenderState()).decode("utf-8")
    assert "<script" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&amp;&lt;b&gt;" in page
    drawing(page.encode())  # still well-formed
    # the replaced national visit names the (escaped) Göteborg visit that takes its place
    assert "ersatt av &lt;script&gt;" in page


def test_the_same_plan_gives_the_same_page_and_the_state_is_reused(installed_engine):
    pipeline = Pipeline(installed_engine)
    plan = pipeline.plan(OPALTORGET.read_bytes(), AS_OF)
    once = pipeline.render(plan, "html")
    assert "html" in pipeline.state.prepared
    assert pipeline.render(plan, "html") == once == write_html(plan, RenderState())


def test_the_command_line_and_the_service_give_the_page(plan_over_http, installed_engine):
    result = CliRunner().invoke(
        cli.main,
        ["plan", str(OPALTORGET), "--as-of", "2026-05-04", "--format", "html"],
        env={"HEMBESOK_DISABLED_PLUGINS": ""},
    )
    assert result.exit_code == 0, result.output
    expected = write_html(opaltorget(installed_engine), RenderState())
    assert result.output_bytes == expected
    status, media, body = plan_over_http(OPALTORGET.read_bytes(), "html")
    assert (status, media.split(";")[0], body) == (200, "text/html", expected)


def rgb(colour: str) -> tuple[int, int, int]:
    """`#rrggbb` as a tuple."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_a_headless_browser_draws_the_bars_in_their_colours(installed_engine, tmp_path, screenshot):
    plan = opaltorget(installed_engine)
    page = tmp_path / "plan.html"
    page.write_bytes(write_html(plan, RenderState()))
    drawn = screenshot(page, tmp_path / "plan.png")
    # the same page with no program: its legend has every colour's swatch, but no bar
    empty = tmp_path / "empty.html"
    empty.write_bytes(write_html(Plan(plan.as_of, (), plan.engine_version), RenderState()))
    legend_only = screenshot(empty, tmp_path / "empty.png")
    assert legend_only.count_near(rgb(COLOURS["missed"]), 3) > 0  # the swatch is there
    # the done, due, missed and upcoming bars and today's line add pixels of their colour
    for status in ("done", "due", "missed", "upcoming", "today"):
        want = rgb(COLOURS[status])
        added = drawn.count_near(want, 3) - legend_only.count_near(want, 3)
        assert added >= 30, (status, added)

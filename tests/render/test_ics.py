"""A plan as iCalendar: parsed back with icalendar, its dates are the plan's, its UIDs
stable and distinct, its text free of anything identifying the case."""

import datetime as dt
import json
import re

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from hembesok import cli
from hembesok.api import Pipeline
from hembesok.model.case import Case
from hembesok.model.plan import ELIGIBLE
from hembesok.render.formats import PLAN_FORMATS
from hembesok.render.ics import event_uid, write_ics
from hembesok.render.state import RenderState

from .conftest import CASE_EXAMPLES, ROOT

DATES = (dt.date(2026, 5, 4), dt.date(2026, 11, 1), dt.date(2031, 1, 31))
OPALTORGET = ROOT / "examples" / "goteborg-first-child-opaltorget.json"
#: A Swedish identity number, with or without century and hyphen.
PERSONNUMMER = re.compile(r"\b(?:19|20)?\d{6}[-+]?\d{4}\b")


def events(ics: bytes) -> list:
    return Calendar.from_ical(ics).walk("VEVENT")


def cases():
    for path in CASE_EXAMPLES:
        data = json.loads(path.read_text(encoding="utf-8"))
        for day in DATES:
            if data["child"]["birth_date"] <= day.isoformat():
                yield path.name, data, day


def test_the_format_is_in_the_table_with_its_media_type_and_extra():
    found = PLAN_FORMATS["ics"]
    assert (found.media_type, found.extra) == ("text/calendar", "ics")
    assert found.writer() is write_ics


def test_every_example_case_gives_one_event_per_offered_visit_on_its_dates(installed_engine):
    seen = 0
    for name, data, day in cases():
        plan = installed_engine.evaluate(Case.from_dict(data), day)
        calendar = Calendar.from_ical(write_ics(plan, RenderState()))
        assert str(calendar["VERSION"]) == "2.0" and "hembesok" in str(calendar["PRODID"])
        found = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
        offered = [
            (pp, v) for pp in plan.programs if pp.decision.status == ELIGIBLE for v in pp.visits
        ]
        assert len(found) == len(calendar.walk("VEVENT")) == len(offered), (name, day)
        for pp, visit in offered:
            event = found[event_uid(plan.case_ref, pp.program.id, visit.visit.id, visit.target)]
            start, end = event.decoded("DTSTART"), event.decoded("DTEND")
            assert start == (visit.done_on or visit.target), (name, visit.visit.id)
            assert end - start == dt.timedelta(days=1)
            assert not isinstance(start, dt.datetime)  # an all-day event
            assert event.decoded("DTSTAMP") == dt.datetime.combine(day, dt.time(), dt.UTC)
            text = str(event["DESCRIPTION"])
            window = f"{visit.window.start.isoformat()} – {visit.window.end.isoformat()}"
            assert f"Tidsintervall: {window}" in text and f"Window: {window}" in text
            assert f"{pp.program.id} {pp.program.version}" in text
            assert visit.visit.title["sv"] in str(event["SUMMARY"])
            assert visit.visit.title["en"] in text
            seen += 1
    assert seen > 100


def test_statuses_replaced_done_and_due(installed_engine):
    plan = Pipeline(installed_engine).plan(OPALTORGET.read_bytes(), dt.date(2026, 5, 4))
    by_summary = {str(e["SUMMARY"]): e for e in events(write_ics(plan, RenderState()))}
    replaced = by_summary["Nationella programmet: Hembesök nyfödd (1–3 veckor)"]
    assert str(replaced["STATUS"]) == "CANCELLED"
    assert "ersatt (av Göteborg: Hembesök nyfödd)" in str(replaced["DESCRIPTION"])
    assert "replaced (by Gothenburg: Newborn home visit)" in str(replaced["DESCRIPTION"])
    done = by_summary["Göteborg: Hembesök nyfödd"]
    assert (str(done["STATUS"]), done.decoded("DTSTART")) == ("CONFIRMED", dt.date(2026, 3, 24))
    assert "Status: genomfört 2026-03-24" in str(done["DESCRIPTION"])
    due = by_summary["Göteborg: Hembesök 2 månader"]
    assert str(due["STATUS"]) == "TENTATIVE" and "Status: aktuellt nu" in str(due["DESCRIPTION"])
    doses = by_summary["Nationella programmet: BVC-besök 3–5 månader"]
    assert "Rotavirus, dos 2" in str(doses["DESCRIPTION"])
    # undetermined programs (Vaggeryd, Nässjö, ...) are not offered: no events
    assert {str(e["CATEGORIES"].cats[0]) for e in by_summary.values()} == {
        "goteborg",
        "rikshandboken",
    }


def test_the_same_plan_gives_the_same_bytes_and_uids_keep_across_dates(installed_engine):
    case = OPALTORGET.read_bytes()
    first = Pipeline(installed_engine)
    day = dt.date(2026, 5, 4)
    once = first.render(first.plan(case, day), "ics")
    assert first.render(first.plan(case, day), "ics") == once  # prepared texts reused
    fresh = Pipeline(installed_engine)
    assert fresh.render(fresh.plan(case, day), "ics") == once
    later = first.render(first.plan(case, dt.date(2026, 9, 1)), "ics")
    assert later != once
    assert [str(e["UID"]) for e in events(later)] == [str(e["UID"]) for e in events(once)]
    uids = [str(e["UID"]) for e in events(once)]
    assert len(set(uids)) == len(uids)
    assert all(re.fullmatch(r"[0-9a-f]{32}@hembesok", uid) for uid in uids)


def test_uids_differ_between_cases_and_without_a_case_ref_follow_the_target_date(
    installed_engine,
):
    pipeline = Pipeline(installed_engine)
    data = json.loads(OPALTORGET.read_text(encoding="utf-8"))
    day = dt.date(2026, 5, 4)

    def uids(changed):
        return {str(e["UID"]) for e in events(pipeline.render(pipeline.plan(changed, day), "ics"))}

    mine = uids(data)
    other = uids({**data, "case_ref": "another-child"})
    assert mine and not mine & other
    nameless = {k: v for k, v in data.items() if k != "case_ref"}
    without = uids(nameless)
    assert without == uids(nameless) and not without & mine
    assert not without & uids({**nameless, "child": {"birth_date": "2026-03-11"}})


#: What in a case tells who or where the family is (answers are yes/no, not checked here).
IDENTIFYING = ("case_ref", "listed_bvc", "area", "municipality", "moved_in_on", "birth_date")


def given(data):
    for key in IDENTIFYING:
        value = data.get(key) if key != "birth_date" else data["child"]["birth_date"]
        if value is not None:
            yield value


def test_nothing_identifying_reaches_the_calendar(installed_engine):
    pipeline = Pipeline(installed_engine)
    for name, data, day in cases():
        data = {**data, "case_ref": "pnr-19900101-1234-ref"}
        plan = pipeline.plan(data, day)
        written = pipeline.render(plan, "ics")
        unfolded = written.decode("utf-8").replace("\r\n ", "")
        # the programs' own words may name a place (Nässjö's program says Nässjö)
        programs_say = json.dumps(
            [pp.program.definition for pp in plan.programs], ensure_ascii=False, default=str
        )
        for value in given(data):
            assert value not in unfolded or value in programs_say, (name, value)
        texts = " ".join(f"{e['SUMMARY']} {e['DESCRIPTION']}" for e in events(written))
        assert not PERSONNUMMER.search(texts), name


def test_the_command_line_writes_the_calendar(installed_engine):
    result = CliRunner().invoke(
        cli.main,
        ["plan", str(OPALTORGET), "--as-of", "2026-05-04", "--format", "ics"],
        env={"HEMBESOK_DISABLED_PLUGINS": ""},
    )
    assert result.exit_code == 0, result.output
    written = result.output_bytes
    assert written.startswith(b"BEGIN:VCALENDAR\r\n") and written.endswith(b"END:VCALENDAR\r\n")
    pipeline = Pipeline(installed_engine)
    plan = pipeline.plan(OPALTORGET.read_bytes(), dt.date(2026, 5, 4))
    assert written == pipeline.render(plan, "ics")
    assert len(events(written)) == 18  # Göteborg's 6 visits and the national programme's 12


def test_the_service_answers_text_calendar(plan_over_http, installed_engine):
    status, media, body = plan_over_http(OPALTORGET.read_bytes(), "ics")
    assert status == 200
    assert media.split(";")[0] == "text/calendar"
    pipeline = Pipeline(installed_engine)
    assert body == pipeline.render(
        pipeline.plan(OPALTORGET.read_bytes(), dt.date(2026, 5, 4)), "ics"
    )


@pytest.mark.parametrize("fmt", ["ICS", "ical"])
def test_the_service_refuses_other_names(plan_over_http, fmt):
    assert plan_over_http(OPALTORGET.read_bytes(), fmt)[0] == 400

"""The HTML page: self-contained, in both languages, and drawn with its charts in Chromium."""

import datetime as dt
import re

from hembesok.engine.engine import Engine
from hembesok.report import html, sources
from hembesok.report.charts import COLOURS, drawn_bvcs
from hembesok.report.tables import build
from hembesok.report.titles import Titles
from hembesok.report.weeks import IsoWeek
from tests.report.conftest import Tables

D = dt.date
#: The namespace names an inline <svg> carries: names, never fetched.
NAMESPACE = re.compile(r'xmlns(:\w+)?="http://www\.w3\.org/(2000/svg|1999/xlink)"')


def _page(flat, lang="sv", min_count=5):
    for bvc, done, missed in (("Norra BVC", 30, 12), ("Södra BVC", 18, 20), ("Lilla BVC", 2, 1)):
        for n in range(done + missed):
            ref = f"{bvc[:2]}-{n}"
            flat.decision(case_ref=ref, program="p", status="eligible", bvc=bvc)
            for month in range(1, 4):
                flat.visit(
                    case_ref=ref,
                    program="p",
                    bvc=bvc,
                    item=f"v{month}",
                    target=D(2026, month, 15),
                    window_start=D(2026, month, 1),
                    window_end=D(2026, month, 28),
                    status="done" if n < done else "missed",
                    done_on=D(2026, month, 10) if n < done else None,
                )
            flat.screening(
                case_ref=ref,
                program="p",
                bvc=bvc,
                instrument="epds",
                visit="v1",
                occasion_status="done",
                window_start=D(2026, 1, 1),
                window_end=D(2026, 1, 28),
                answered_on=D(2026, 1, 10),
                domain="mood",
                result="flagged" if n % 3 == 0 else "not_flagged",
            )
    report = build(sources.open_arrow(flat.arrow()), IsoWeek(2026, 20), min_count=min_count)
    return html.render(report, lang)


def test_the_page_links_to_nothing_and_runs_no_script(flat):
    page = _page(flat)
    assert page.count("<svg") >= 3  # coverage, screening, over time
    outside = NAMESPACE.sub("", page)
    assert "http://" not in outside and "https://" not in outside
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert "@import" not in page and "url(" not in re.sub(r"url\(#[\w-]+\)", "", page)


def test_the_page_speaks_swedish_or_english(flat):
    assert "Täckning per program och BVC" in _page(flat, "sv")
    english = _page(flat, "en")
    assert "Coverage per programme and BVC" in english and 'lang="en"' in english


def test_the_small_bvc_shows_its_counts_suppressed(flat):
    page = _page(flat)
    row = re.search(r"<tr><td>Lilla BVC</td>(.*?)</tr>", page)
    assert row is not None
    cells = re.findall(r'<td class="n[^"]*">([^<]*)</td>', row[1].replace("&lt;", "<"))
    assert cells and all(c in ("<5", "0") for c in cells)


def _rgb(colour):
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def test_chromium_draws_the_charts(flat, tmp_path, screenshot):
    page = tmp_path / "report.html"
    page.write_text(_page(flat), encoding="utf-8")
    picture = screenshot(page, tmp_path / "report.png", width=1200, height=2400)
    for part in ("done", "missed", "no_comparison"):
        assert picture.count_near(_rgb(COLOURS[part]), tolerance=6) > 2000, part


def _programme_page(flat, lang, titles, program="goteborg", **options):
    for n in range(12):
        ref = f"g-{n}"
        bvc = "Norra BVC" if n % 2 else "Södra BVC"
        flat.decision(case_ref=ref, program=program, status="eligible", bvc=bvc)
        flat.visit(
            case_ref=ref,
            program=program,
            bvc=bvc,
            item="two_months",
            target=D(2026, 5, 12),
            window_start=D(2026, 5, 4),
            window_end=D(2026, 5, 25),
            status="due",
        )
    report = build(sources.open_arrow(flat.arrow()), IsoWeek(2026, 20), **options)
    return html.render(report, lang, titles)


def test_the_page_names_programmes_and_visits_by_their_titles(flat):
    titles = Titles.of(Engine.from_installed())
    swedish = _programme_page(flat, "sv", titles)
    assert "Göteborg – Utökade hembesök" in swedish  # the programme's heading
    assert "Hembesök 2 månader" in swedish  # the visit, in the worklist and the counts
    assert 'title="two_months"' in swedish  # the id, on hover
    assert ">two_months<" not in swedish
    english = _programme_page(Tables(), "en", titles)
    assert "Gothenburg – extended home visits" in english and "Home visit at 2 months" in english


def test_a_programme_not_installed_here_is_shown_by_its_ids(flat):
    page = _programme_page(flat, "sv", Titles.of(Engine.from_installed()), program="elsewhere")
    assert ">elsewhere<" in page and ">two_months<" in page


def test_each_bvcs_worklist_folds_under_its_counts(flat):
    page = _programme_page(flat, "sv", Titles())
    assert "<details><summary>Norra BVC: 6 att göra, varav 0 missade</summary>" in page
    assert "<details><summary>Södra BVC: 6 att göra, varav 0 missade</summary>" in page
    own = _programme_page(Tables(), "sv", Titles(), bvcs=["Norra BVC"])
    assert "Södra BVC: 6" not in own
    assert "<details open><summary>Norra BVC: 6 att göra, varav 0 missade</summary>" in own
    assert "Bara BVC: Norra BVC" in own


def test_a_bvc_with_every_count_suppressed_gets_no_empty_bar(flat):
    page = _page(flat)
    report = build(sources.open_arrow(flat.arrow()), IsoWeek(2026, 20))
    assert [r["bvc"] for r in drawn_bvcs(report.coverage.rows, "p")] == ["Norra BVC", "Södra BVC"]
    assert "1 BVC utan något antal att rita (alla dolda eller 0) finns bara i tabellen." in page

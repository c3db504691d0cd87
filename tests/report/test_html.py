"""The HTML page: self-contained, in both languages, and drawn with its charts in Chromium."""

import datetime as dt
import re

from hembesok.report import html, sources
from hembesok.report.charts import COLOURS
from hembesok.report.tables import build
from hembesok.report.weeks import IsoWeek

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

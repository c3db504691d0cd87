"""Titles from the installed programs and instruments, and ids where none is installed."""

import pytest

from hembesok.engine.engine import Engine
from hembesok.report.titles import Titles


@pytest.fixture(scope="module")
def titles():
    return Titles.of(Engine.from_installed())


def test_programmes_visits_doses_instruments_and_domains_have_titles(titles):
    assert titles.program("nassjo", "sv").startswith("Nässjö – ")
    assert titles.program_short("nassjo", "sv") == "Nässjö"
    assert titles.program("goteborg", "en") == "Gothenburg – extended home visits"
    assert titles.item("goteborg", "two_months", "sv") == "Hembesök 2 månader"
    assert titles.item("rikshandboken", "rotavirus_1", "en") == "Rotavirus vaccine, dose 1"
    assert titles.instrument("epds", "en") == "EPDS"
    assert titles.domain("epds", "depression", "sv") == "Tecken på depression"


def test_what_is_not_installed_is_shown_by_its_id(titles):
    assert titles.program("elsewhere", "sv") == "elsewhere"
    assert titles.program_short("elsewhere", "en") == "elsewhere"
    assert titles.item("elsewhere", "v1", "sv") == "v1"
    assert titles.item("nassjo", "no_such_visit", "sv") == "no_such_visit"
    assert titles.instrument("gad7", "sv") == "gad7"
    assert titles.domain("epds", "no_such_domain", "en") == "no_such_domain"
    assert Titles().program("nassjo", "sv") == "nassjo"  # no engine: ids everywhere


def test_screening_rows_follow_the_programmes_visits(titles):
    rows = [
        {"program": "barnsakert", "instrument": "barnsakert", "visit": v, "domain": d}
        for v in ("eighteen_months", "six_eight_weeks", "nowhere", "four_months")
        for d in ("alcohol", "violence")
    ]
    ordered = [(r["visit"], r["domain"]) for r in titles.by_schedule(rows)]
    assert ordered == [
        ("six_eight_weeks", "alcohol"),
        ("six_eight_weeks", "violence"),
        ("four_months", "alcohol"),
        ("four_months", "violence"),
        ("eighteen_months", "alcohol"),
        ("eighteen_months", "violence"),
        ("nowhere", "alcohol"),
        ("nowhere", "violence"),
    ]

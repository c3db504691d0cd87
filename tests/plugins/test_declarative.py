"""The built-in declarative plugin: derived facts, site matching and visit statuses."""

import datetime as dt
import unicodedata

import pytest

from hembesok.language.program import Visit
from hembesok.model.ages import Duration
from hembesok.plugins.declarative import implied_first_child_facts, plan_visit

D = dt.date


@pytest.mark.parametrize(
    ("sent", "implied"),
    [
        (
            {"first_child.birthing_parent": True},
            {"first_child.either_parent": True, "first_child.in_municipality": True},
        ),
        (
            {"first_child.both_parents": True},
            {
                "first_child.either_parent": True,
                "first_child.birthing_parent": True,
                "first_child.in_municipality": True,
            },
        ),
        (
            {"first_child.either_parent": False},
            {
                "first_child.both_parents": False,
                "first_child.birthing_parent": False,
                "first_child.in_municipality": False,
            },
        ),
        ({"first_child.birthing_parent": False}, {"first_child.both_parents": False}),
        # a first child born while the family lived there (no moving in after the birth)
        ({"first_child.either_parent": True}, {"first_child.in_municipality": True}),
        ({"first_child.born_in_sweden": True}, {}),
    ],
)
def test_first_child_facts_imply_only_what_follows(sent, implied):
    assert implied_first_child_facts(sent) == implied


def test_site_matching_ignores_unicode_composition():
    from hembesok.language.program import Site, Sites

    site = Site("nassjo", "Nässjö", frozenset({"nässjö"}), None, None, False)
    decomposed = unicodedata.normalize("NFD", "Nässjö")
    assert decomposed != "Nässjö"
    assert Sites("municipality", (site,)).find(decomposed) is site
    assert Sites("municipality", (site,)).find(" NÄSSJÖ ") is site


VISIT = Visit(
    "v",
    {"sv": "a", "en": "b"},
    Duration(months=2),
    Duration(weeks=2),
    Duration(weeks=2),
    ("kurator",),
    "home",
)
BIRTH = D(2026, 3, 10)  # target 2026-05-10, window 2026-04-26 – 2026-05-24


@pytest.mark.parametrize(
    ("as_of", "done", "enrolment", "declined", "status"),
    [
        (D(2026, 4, 25), None, BIRTH, False, "upcoming"),
        (D(2026, 4, 26), None, BIRTH, False, "due"),
        (D(2026, 5, 10), None, BIRTH, False, "due"),
        (D(2026, 5, 11), None, BIRTH, False, "due"),  # never late while the window is open
        (D(2026, 5, 24), None, BIRTH, False, "due"),
        (D(2026, 5, 25), None, BIRTH, False, "missed"),
        (D(2026, 5, 25), D(2026, 5, 1), BIRTH, False, "done"),
        (D(2026, 5, 1), D(2026, 5, 1), BIRTH, True, "done"),
        (D(2026, 5, 1), None, BIRTH, True, "declined"),
        (D(2026, 6, 1), None, D(2026, 5, 25), False, "not_offered"),
        (D(2026, 5, 30), None, D(2026, 5, 24), False, "missed"),  # enrolled on the last day
    ],
)
def test_status_rules_in_order(as_of, done, enrolment, declined, status):
    planned = plan_visit(VISIT, BIRTH, as_of, done, enrolment, declined)
    assert planned.status == status
    assert (planned.window.start, planned.target, planned.window.end) == (
        D(2026, 4, 26),
        D(2026, 5, 10),
        D(2026, 5, 24),
    )


def test_the_first_child_in_the_municipality_follows_from_either_parent_and_moving_in():
    def derived(**facts):
        return implied_first_child_facts(facts).get("first_child.in_municipality")

    assert derived(**{"first_child.either_parent": True}) is True
    assert derived(**{"first_child.either_parent": False}) is False  # moved in with a second child
    assert derived(**{"first_child.either_parent": True, "moved_in_on": D(2026, 4, 1)}) is False
    assert derived(**{"first_child.both_parents": True}) is True
    assert derived() is None


def test_the_engine_derives_what_the_built_in_plugin_derives():
    from hembesok.engine.evaluator import builtin_facts
    from hembesok.model.case import Case

    for first_child in (
        {},
        {"either_parent": True},
        {"either_parent": False},
        {"both_parents": True},
        {"birthing_parent": False},
        {"birthing_parent": True, "either_parent": False},
    ):
        for moved in (None, "2026-04-01"):
            data = {"child": {"birth_date": "2026-03-10"}, "first_child": first_child}
            if moved:
                data["moved_in_on"] = moved
            case = Case.from_dict(data)
            expected = implied_first_child_facts(case.facts)
            assert builtin_facts(data, case.birth_date, D(2026, 5, 4), False, True) == expected, (
                data
            )

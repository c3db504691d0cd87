"""Växa tryggt (Skåne): first-time mothers at a BVC with a Care Need Index above 1.3 or in
a particularly vulnerable municipality, from 2023; six home visits that replace the
national newborn and 8-month visits. The sites and CNI values are placeholders [U]."""

import datetime as dt
from pathlib import Path

import hembesok_vaxa_tryggt
import pytest

from hembesok import Case, Engine
from hembesok.authoring.pytest_plugin import ProgramPluginConformance
from hembesok.authoring.testing import engine_with, failing_examples, plan_for, statuses
from hembesok.model.texts import ROLES

PROGRAM = "vaxa_tryggt"
VISITS = ("newborn", "two_months", "four_months", "eight_months", "twelve_months", "fifteen_months")
FIRST = {
    "child": {"birth_date": "2026-03-10"},
    "listed_bvc": "BVC A (platshållare)",
    "first_child": {"birthing_parent": True},
}


@pytest.fixture(scope="module")
def engine():
    return engine_with(hembesok_vaxa_tryggt)


class TestConformance(ProgramPluginConformance):
    """Entry point, hook names, a valid program file, a unique id, and each example as a test."""

    plugin_module = hembesok_vaxa_tryggt
    program_ids = ("vaxa_tryggt",)


def plan(engine, case, as_of="2026-05-04"):
    return plan_for(engine, case, as_of, PROGRAM)


def with_(case, **changes):
    return {**case, **changes}


def without(case, key):
    return {k: v for k, v in case.items() if k != key}


def status(engine, case, as_of="2026-05-04"):
    return plan(engine, case, as_of).decision.status


def test_program_examples_pass(engine):
    assert len(engine.programs[PROGRAM].definition["examples"]) >= 15
    assert failing_examples(engine, PROGRAM) == []


# --- the visits ------------------------------------------------------------------------


def test_six_home_visits_with_the_nurse_at_all_and_who_joins_which(engine):
    p = plan(engine, FIRST, "2026-03-12")
    assert [(v.visit.id, v.target) for v in p.visits] == [
        ("newborn", dt.date(2026, 3, 20)),
        ("two_months", dt.date(2026, 5, 10)),
        ("four_months", dt.date(2026, 7, 10)),
        ("eight_months", dt.date(2026, 11, 10)),
        ("twelve_months", dt.date(2027, 3, 10)),
        ("fifteen_months", dt.date(2027, 6, 10)),
    ]
    staff = {v.visit.id: v.visit.staff for v in p.visits}
    assert all(s[0] == "bhv_sjukskoterska" for s in staff.values())
    assert all(v.visit.setting == "home" for v in p.visits)
    with_role = {
        role: [vid for vid, s in staff.items() if role in s]
        for role in ("foraldrastodjare", "barnmorska", "tandhygienist")
    }
    assert with_role == {
        "foraldrastodjare": ["two_months", "four_months", "twelve_months", "fifteen_months"],
        "barnmorska": ["newborn"],
        "tandhygienist": ["eight_months"],
    }
    assert all(len(s) == 2 for s in staff.values())


def test_the_newborn_window_is_one_to_two_weeks(engine):
    p = plan(engine, FIRST, "2026-03-12")
    newborn = p.visits[0]
    birth = dt.date(2026, 3, 10)
    assert newborn.window == (birth + dt.timedelta(weeks=1), birth + dt.timedelta(weeks=2))


def test_the_midwife_and_the_dental_hygienist_are_declared_roles(engine):
    program = engine.programs[PROGRAM]
    declared = program.definition["roles"]
    used = {role for v in program.schedule for role in v.staff}
    assert used - set(ROLES) <= set(declared)
    assert declared["barnmorska"]["sv"].startswith("barnmorska")
    assert declared["tandhygienist"]["sv"].startswith("tandhygienist")
    assert "midwife" in declared["barnmorska"]["en"]
    assert "dental hygienist" in declared["tandhygienist"]["en"]


def test_replaces_the_national_newborn_and_eight_month_visits(engine):
    replaces = {(r.program, r.visit, r.by) for r in engine.programs[PROGRAM].replaces}
    assert replaces == {
        ("rikshandboken", "home_newborn", "newborn"),
        ("rikshandboken", "home_8_months", "eight_months"),
    }


def test_in_a_merged_plan_the_national_home_visits_are_replaced_only_when_offered():
    rikshandboken = pytest.importorskip("hembesok_rikshandboken")
    both = Engine.from_modules([rikshandboken, hembesok_vaxa_tryggt])
    assert both.errors == []
    result = both.evaluate(Case.from_dict(FIRST), dt.date(2026, 5, 4))
    national = {v.visit.id: v for v in result.program("rikshandboken").visits}
    assert national["home_newborn"].replaced_by == (PROGRAM, "newborn")
    assert national["home_8_months"].replaced_by == (PROGRAM, "eight_months")
    assert national["bvc_4_weeks"].status != "replaced"
    second = with_(FIRST, listed_bvc="BVC B (platshållare)")
    result = both.evaluate(Case.from_dict(second), dt.date(2026, 5, 4))
    national = {v.visit.id: v for v in result.program("rikshandboken").visits}
    assert national["home_newborn"].replaced_by is None
    assert national["home_8_months"].status == "upcoming"


# --- who: the first-time mother --------------------------------------------------------


@pytest.mark.parametrize(
    ("first_child", "expected"),
    [
        ({"birthing_parent": True}, "eligible"),
        ({"birthing_parent": False}, "not_eligible"),
        # the partner's first child, the birthing parent's second: not förstföderska
        ({"either_parent": True, "birthing_parent": False}, "not_eligible"),
        ({"both_parents": True}, "eligible"),  # both parents' first: hers too
        ({"either_parent": True}, "undetermined"),  # whose first child is not said
        ({"born_in_sweden": True}, "undetermined"),  # not an alternative here [U]
        ({}, "undetermined"),
    ],
)
def test_only_the_first_born_of_the_birthing_parent(engine, first_child, expected):
    p = plan(engine, with_(FIRST, first_child=first_child))
    assert p.decision.status == expected
    if expected == "undetermined":
        assert p.decision.missing_facts == ("first_child.birthing_parent",)


# --- where: the BVC's CNI, or a particularly vulnerable municipality ----------------------


@pytest.mark.parametrize(
    ("bvc", "expected"),
    [
        ("BVC A (platshållare)", "eligible"),  # CNI 1.52
        ("BVC B (platshållare)", "not_eligible"),  # CNI 1.12
        ("BVC D (platshållare)", "not_eligible"),  # CNI exactly 1.3 is not above it
        ("BVC E (platshållare)", "eligible"),  # CNI 1.05 in a vulnerable municipality
        ("bvc a", "eligible"),
        ("BVC Q (ej listad)", "undetermined"),  # unknown BVC: its municipality decides
    ],
)
def test_each_placeholder_bvc(engine, bvc, expected):
    assert status(engine, with_(FIRST, listed_bvc=bvc)) == expected


def test_the_cni_changed_during_2023_and_the_birth_date_reads_it(engine):
    """BVC C: CNI 1.42 until 2023-06-30, 1.21 from 2023-07-01 (placeholders). The value in
    force on the birth date decides, whatever the day the plan is made."""
    case = with_(FIRST, listed_bvc="BVC C (platshållare)")
    for birth, expected in [
        ("2023-01-01", "eligible"),
        ("2023-03-15", "eligible"),
        ("2023-06-30", "eligible"),
        ("2023-07-01", "not_eligible"),
        ("2023-12-31", "not_eligible"),
        ("2025-06-01", "not_eligible"),
    ]:
        born = with_(case, child={"birth_date": birth})
        for as_of in (birth, "2023-07-15", "2026-05-04"):
            if as_of < birth:
                continue
            p = plan(engine, born, as_of)
            assert p.decision.status == expected, (birth, as_of)
            assert p.decision.missing_facts == ()
    reasons = plan(engine, with_(case, child={"birth_date": "2023-07-01"})).decision
    false = [r.text["en"] for r in reasons.reasons if r.truth.value == "false"]
    assert false == ["A BVC with a CNI above 1.3 or in a particularly vulnerable municipality"]


def test_the_cni_is_read_for_the_site_and_day(engine):
    program = engine.programs[PROGRAM]
    site = next(s for s in program.sites.sites if s.id == "bvc_c")
    assert site.value_on("cni", dt.date(2023, 6, 30)) == 1.42
    assert site.value_on("cni", dt.date(2023, 7, 1)) == 1.21
    assert site.value_on("cni", dt.date(2022, 12, 31)) is None  # before the programme


def test_an_unknown_bvc_in_a_listed_municipality_is_eligible(engine):
    case = with_(FIRST, listed_bvc="BVC Q (ej listad)", municipality="Kommun X")
    p = plan(engine, case)
    assert p.decision.status == "eligible"
    assert p.decision.missing_facts == ()
    assert status(engine, with_(case, municipality="Kommun Z")) == "not_eligible"


def test_a_listed_bvc_decides_before_the_municipality(engine):
    """A family living in a vulnerable municipality but listed at a BVC elsewhere with a
    low CNI is judged by its BVC: every BVC site gives its own particularly_vulnerable."""
    case = with_(FIRST, listed_bvc="BVC B (platshållare)", municipality="Kommun X")
    assert status(engine, case) == "not_eligible"
    sites = engine.programs[PROGRAM].definition["sites"]["list"]
    for site in sites:
        if site["id"].startswith("bvc_"):
            assert "particularly_vulnerable" in site["attributes"], site["id"]
            assert "cni" in site["attributes"], site["id"]
        else:
            assert site["attributes"] == {"particularly_vulnerable": True}, site["id"]


@pytest.mark.parametrize(
    ("facts", "expected", "missing"),
    [
        ({}, "undetermined", ("listed_bvc", "municipality", "first_child.birthing_parent")),
        ({"municipality": "Kommun Z"}, "not_eligible", ()),  # no listed BVC lies there
        ({"municipality": "Kommun W (platshållare)"}, "undetermined", ("listed_bvc",)),
        ({"municipality": "Kommun Y"}, "eligible", ()),
        ({"listed_bvc": "BVC Q"}, "undetermined", ("municipality",)),
        ({"listed_bvc": "BVC A"}, "eligible", ()),
    ],
)
def test_facts_not_sent(engine, facts, expected, missing):
    case = {"child": {"birth_date": "2026-03-10"}, **facts}
    if facts:
        case["first_child"] = {"birthing_parent": True}
    p = plan(engine, case)
    assert p.decision.status == expected
    assert set(p.decision.missing_facts) == set(missing)


def test_from_2023(engine):
    program = engine.programs[PROGRAM]
    assert program.valid_from == dt.date(2023, 1, 1)
    before = plan(engine, with_(FIRST, child={"birth_date": "2022-12-31"}), "2023-01-05")
    assert before.decision.status == "not_eligible"
    on_the_day = plan(engine, with_(FIRST, child={"birth_date": "2023-01-01"}), "2023-01-05")
    assert on_the_day.decision.status == "eligible"
    assert statuses(on_the_day)["newborn"] == "upcoming"


# --- the placeholders are labelled as such ------------------------------------------------


def test_every_site_is_a_named_placeholder(engine):
    definition = engine.programs[PROGRAM].definition
    for site in definition["sites"]["list"]:
        assert site["name"].endswith("(platshållare)"), site["name"]
        assert "[U]" in site["note"] and "laceholder" in site["note"], site["id"]
    notes = " ".join(s.get("note", "") for s in definition["sources"])
    assert "PLACEHOLDERS" in " ".join(s["title"] for s in definition["sources"])
    assert "No BVC, CNI value or municipality below is real" in notes
    root = Path(hembesok_vaxa_tryggt.__file__).parent
    assert "THE SITES BELOW ARE PLACEHOLDERS [U]" in (root / "program.yaml").read_text("utf-8")
    readme = (root.parent / "README.md").read_text("utf-8")
    assert "placeholder" in readme.lower()

"""Jönköpings län: one joint visit (BHV nurse + kurator) for first-time parents, at newborn
or at 8 months by municipality, in every municipality of the county but Nässjö and
Vaggeryd, which keep their own programmes."""

import datetime as dt
import itertools
import types
from pathlib import Path

import hembesok_jonkopings_lan
import pytest
import yaml

from hembesok import Case, Engine, hookimpl
from hembesok.authoring.pytest_plugin import ProgramPluginConformance
from hembesok.authoring.testing import engine_with, failing_examples, plan_for, statuses

PROGRAM = "jonkopings_lan"
PROGRAM_FILE = Path(hembesok_jonkopings_lan.__file__).parent / "program.yaml"

# The thirteen municipalities of Jönköpings län with their codes (SCB, county 06) [M].
COUNTY = {
    "Aneby": "0604",
    "Gnosjö": "0617",
    "Mullsjö": "0642",
    "Habo": "0643",
    "Gislaved": "0662",
    "Vaggeryd": "0665",
    "Jönköping": "0680",
    "Nässjö": "0682",
    "Värnamo": "0683",
    "Sävsjö": "0684",
    "Vetlanda": "0685",
    "Eksjö": "0686",
    "Tranås": "0687",
}
OWN_PROGRAMME = {"Nässjö", "Vaggeryd"}
COVERED = {name: code for name, code in COUNTY.items() if name not in OWN_PROGRAMME}

FIRST = {
    "child": {"birth_date": "2026-03-10"},
    "municipality": "Jönköping",
    "first_child": {"either_parent": True},
}


@pytest.fixture(scope="module")
def engine():
    return engine_with(hembesok_jonkopings_lan)


class TestConformance(ProgramPluginConformance):
    """Entry point, hook names, a valid program file, a unique id, and each example as a test."""

    plugin_module = hembesok_jonkopings_lan
    program_ids = ("jonkopings_lan",)


def plan(engine, case, as_of="2026-03-20"):
    return plan_for(engine, case, as_of, PROGRAM)


def test_program_examples_pass(engine):
    assert len(engine.programs[PROGRAM].definition["examples"]) >= 10
    assert failing_examples(engine, PROGRAM) == []


# --- the sites ---------------------------------------------------------------------------


def test_one_site_per_municipality_of_the_county_but_nassjo_and_vaggeryd(engine):
    sites = engine.programs[PROGRAM].definition["sites"]["list"]
    assert {s["name"] for s in sites} == set(COVERED)
    for site in sites:
        assert COVERED[site["name"]] in site["aliases"], site["name"]
    keys = {key for s in sites for key in (s["name"], *s["aliases"])}
    for name in OWN_PROGRAMME:
        assert name not in keys and COUNTY[name] not in keys
    assert len(COUNTY) == 13


def test_each_municipality_offers_one_visit_and_the_default_is_newborn(engine):
    sites = engine.programs[PROGRAM].sites.sites
    assert {s.name: tuple(s.visits) for s in sites} == dict.fromkeys(COVERED, ("newborn",))
    text = PROGRAM_FILE.read_text("utf-8")
    assert text.count("visits: [newborn]  # [U] default") == len(COVERED)


@pytest.mark.parametrize("name", sorted(COVERED))
def test_every_covered_municipality_by_name_code_and_kommun(engine, name):
    kommun = {"Jönköping": "Jönköpings kommun", "Gislaved": "Gislaveds kommun"}.get(
        name, f"{name} kommun"
    )
    for value in (name, COVERED[name], kommun, name.upper()):
        p = plan(engine, {**FIRST, "municipality": value})
        assert p.decision.status == "eligible", value
        assert [(v.visit.id, v.status) for v in p.visits] == [("newborn", "due")]


def test_the_joint_visit(engine):
    p = plan(engine, FIRST)
    (newborn,) = p.visits
    assert newborn.target == dt.date(2026, 3, 24)
    assert newborn.window == (dt.date(2026, 3, 17), dt.date(2026, 3, 31))
    assert newborn.visit.staff == ("bhv_sjukskoterska", "kurator")
    assert newborn.visit.setting == "home"
    eight = next(v for v in engine.programs[PROGRAM].schedule if v.id == "eight_months")
    assert eight.staff == ("bhv_sjukskoterska", "kurator") and eight.setting == "home"


@pytest.mark.parametrize(
    ("first_child", "expected"),
    [
        ({"either_parent": True}, "eligible"),
        ({"birthing_parent": True}, "eligible"),
        ({"either_parent": False}, "not_eligible"),
        ({}, "undetermined"),
    ],
)
def test_first_child(engine, first_child, expected):
    assert plan(engine, {**FIRST, "first_child": first_child}).decision.status == expected


# --- replacing the national visit of the same age -------------------------------------------


def merged(*modules):
    engine = Engine.from_modules(list(modules))
    assert engine.errors == []
    return engine


def national(engine, case, as_of="2026-03-20"):
    result = engine.evaluate(Case.from_dict(case), dt.date.fromisoformat(as_of))
    return {v.visit.id: v for v in result.program("rikshandboken").visits}


def test_the_newborn_visit_replaces_the_national_newborn_visit_only():
    rikshandboken = pytest.importorskip("hembesok_rikshandboken")
    engine = merged(rikshandboken, hembesok_jonkopings_lan)
    got = national(engine, FIRST)
    assert got["home_newborn"].replaced_by == (PROGRAM, "newborn")
    # The 8-month joint visit is not in this family's plan: the national one stays.
    assert got["home_8_months"].replaced_by is None
    assert got["home_8_months"].status == "upcoming"
    second = national(engine, {**FIRST, "first_child": {"either_parent": False}})
    assert second["home_newborn"].replaced_by is None


def eight_month_variant(tmp_path, municipality="habo"):
    """The program file with one municipality switched to the 8-month visit, as a region
    that confirms it would write it (its examples left out: they assume the default)."""
    data = yaml.safe_load(PROGRAM_FILE.read_text("utf-8"))
    data.pop("examples")
    for site in data["sites"]["list"]:
        if site["id"] == municipality:
            site["visits"] = ["eight_months"]
    path = tmp_path / "program.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    module = types.ModuleType("jonkopings_lan_eight_months")

    @hookimpl
    def hembesok_programs():
        return [path]

    module.hembesok_programs = hembesok_programs
    return module


def test_a_municipality_switched_to_eight_months(tmp_path):
    rikshandboken = pytest.importorskip("hembesok_rikshandboken")
    engine = merged(rikshandboken, eight_month_variant(tmp_path))
    habo = {**FIRST, "municipality": "Habo"}
    for as_of, expected in [("2026-03-20", "upcoming"), ("2026-11-10", "due")]:
        p = plan_for(engine, habo, as_of, PROGRAM)
        assert p.decision.status == "eligible"
        assert statuses(p) == {"eight_months": expected}
        assert p.visits[0].target == dt.date(2026, 11, 10)
        assert p.visits[0].window == (dt.date(2026, 10, 10), dt.date(2026, 12, 10))
    got = national(engine, habo)
    assert got["home_8_months"].replaced_by == (PROGRAM, "eight_months")
    assert got["home_newborn"].replaced_by is None
    assert got["home_newborn"].status == "due"
    # The other municipalities keep the newborn visit.
    assert statuses(plan_for(engine, FIRST, "2026-03-20", PROGRAM)) == {"newborn": "due"}


# --- never together with Nässjö's or Vaggeryd's programme ------------------------------------


def municipality_spellings():
    for name, code in COUNTY.items():
        yield name
        yield code
        yield name.lower()
    yield from ("Nässjö kommun", "Vaggeryds kommun", "Jönköpings kommun", "Habo kommun")


def generated_cases():
    """Every municipality of the county (by name, code, in lower case, as 'X kommun'),
    every first-child answer, with and without a BVC, with and without an identified need
    of support, born before and after the family moved in."""
    births = ["2021-02-15", "2026-03-10"]
    first_childs = [
        {"either_parent": True},
        {"either_parent": False},
        {"either_parent": True, "in_municipality": False},
        {"birthing_parent": True},
        None,
    ]
    for municipality, birth, first, bvc, support, moved in itertools.product(
        municipality_spellings(),
        births,
        first_childs,
        (None, "Exempelby BVC"),
        (None, True, False),
        (False, True),
    ):
        case = {"child": {"birth_date": birth}, "municipality": municipality}
        if first is not None:
            case["first_child"] = first
        if bvc is not None:
            case["listed_bvc"] = bvc
        if support is not None:
            case["needs_support"] = support
        if moved:
            born = dt.date.fromisoformat(birth)
            case["moved_in_on"] = (born + dt.timedelta(days=20)).isoformat()
        yield case


def test_no_family_is_offered_this_and_nassjo_or_vaggeryd():
    nassjo = pytest.importorskip("hembesok_nassjo")
    vaggeryd = pytest.importorskip("hembesok_vaggeryd")
    engine = merged(hembesok_jonkopings_lan, nassjo, vaggeryd)
    seen = {"jonkopings_lan": 0, "nassjo": 0, "vaggeryd": 0}
    checked = 0
    for case in generated_cases():
        for as_of in ("2026-03-20", "2026-12-01"):
            if as_of < case["child"]["birth_date"]:
                continue
            result = engine.evaluate(Case.from_dict(case), dt.date.fromisoformat(as_of))
            eligible = {pid for pid in seen if result.program(pid).decision.status == "eligible"}
            assert not (PROGRAM in eligible and eligible & {"nassjo", "vaggeryd"}), case
            for pid in eligible:
                seen[pid] += 1
            checked += 1
    assert checked > 2000
    # Not vacuous: each program is offered to some of the generated families.
    assert all(count > 50 for count in seen.values()), seen

"""The merged plan across the bundled programs: replacements, joinable visits, references."""

import datetime as dt
import types
from pathlib import Path

import hembesok_goteborg
import hembesok_nassjo
import hembesok_rikshandboken
import hembesok_rinkeby
import hembesok_vaggeryd
import pytest

from hembesok import Case, Engine, hookimpl
from hembesok.authoring.examples import check_examples

ALL = [
    hembesok_rikshandboken,
    hembesok_vaggeryd,
    hembesok_nassjo,
    hembesok_rinkeby,
    hembesok_goteborg,
]
AS_OF = dt.date(2026, 5, 4)
OPALTORGET_IN_SWEDEN = {
    "child": {"birth_date": "2026-03-10"},
    "listed_bvc": "Närhälsan Opaltorget BVC",
    "area": "Västra Göteborg",
    "first_child": {"either_parent": False, "born_in_sweden": True},
}


@pytest.fixture(scope="module")
def engine():
    engine = Engine.from_modules(ALL)
    assert engine.errors == []
    return engine


def plan(engine, case, as_of=AS_OF):
    return engine.evaluate(Case.from_dict(case), as_of)


def test_every_bundled_example_passes(engine):
    results = [r for p in engine.programs.values() for r in check_examples(engine, p)]
    assert len(results) >= 60
    assert [r for r in results if not r.passed] == []


def test_goteborg_first_child_in_sweden_replaces_the_national_home_visits(engine):
    result = plan(engine, OPALTORGET_IN_SWEDEN)
    gbg = result.program("goteborg")
    assert gbg.decision.status == "eligible"
    assert len(gbg.visits) == 6
    assert all(set(v.visit.staff) == {"bhv_sjukskoterska", "foraldrastodjare"} for v in gbg.visits)
    national = {v.visit.id: v for v in result.program("rikshandboken").visits}
    assert national["home_newborn"].status == "replaced"
    assert national["home_newborn"].replaced_by == ("goteborg", "newborn")
    assert national["home_8_months"].replaced_by == ("goteborg", "eight_months")
    refs = [e.ref for e in result.timeline]
    assert ("rikshandboken", "home_newborn") not in refs and (
        "rikshandboken",
        "home_8_months",
    ) not in refs
    newborn = next(e for e in result.timeline if e.ref == ("goteborg", "newborn"))
    assert newborn.replaces == (("rikshandboken", "home_newborn"),)


def test_timeline_is_in_date_order_and_only_offered_programs(engine):
    result = plan(engine, OPALTORGET_IN_SWEDEN)
    dates = [e.visit.target for e in result.timeline]
    assert dates == sorted(dates)
    assert {e.program.program.id for e in result.timeline} == {"goteborg", "rikshandboken"}


def test_visits_in_the_same_week_are_pointed_out(engine):
    result = plan(engine, OPALTORGET_IN_SWEDEN)
    four = next(e for e in result.timeline if e.ref == ("goteborg", "four_months"))
    assert four.join_with == (("rikshandboken", "bvc_3_5_months"),)
    two = next(e for e in result.timeline if e.ref == ("goteborg", "two_months"))
    assert two.join_with == ()  # the national 6–8 week visit is 12 days earlier


def test_a_declined_local_program_replaces_nothing(engine):
    result = plan(engine, {**OPALTORGET_IN_SWEDEN, "declined": ["goteborg"]})
    refs = [e.ref for e in result.timeline]
    assert ("rikshandboken", "home_newborn") in refs and ("goteborg", "newborn") not in refs
    assert result.program("rikshandboken").visits[0].replaced_by is None


def test_a_national_visit_already_done_stays_done(engine):
    case = {
        **OPALTORGET_IN_SWEDEN,
        "visits_done": [
            {"program": "rikshandboken", "visit": "home_newborn", "date": "2026-03-20"}
        ],
    }
    national = plan(engine, case).program("rikshandboken").visits[0]
    assert (national.status, national.replaced_by) == ("done", None)


def test_goteborg_bvc_not_started_yet_names_its_start_date(engine):
    case = {**OPALTORGET_IN_SWEDEN, "child": {"birth_date": "2018-10-31"}}
    decision = plan(engine, case, dt.date(2018, 12, 1)).program("goteborg").decision
    assert decision.status == "not_eligible"
    assert any(
        "2018-11-01" in r.text["sv"] and "2018-11-01" in r.text["en"] for r in decision.reasons
    )


def test_nassjo_need_of_support_without_first_child_is_eligible(engine):
    case = {
        "child": {"birth_date": "2026-03-10"},
        "municipality": "Nässjö",
        "first_child": {"either_parent": False, "in_municipality": False},
        "needs_support": True,
    }
    assert plan(engine, case).program("nassjo").decision.status == "eligible"


@pytest.mark.parametrize(
    ("program", "case", "missing"),
    [
        ("vaggeryd", {"first_child": {"either_parent": True}}, "municipality"),
        ("nassjo", {"first_child": {"in_municipality": True}}, "municipality"),
        ("rinkeby", {"first_child": {"either_parent": True}}, "listed_bvc"),
        ("goteborg", {"first_child": {"either_parent": True}, "area": "Angered"}, "listed_bvc"),
    ],
)
def test_a_missing_site_fact_is_undetermined_and_named(engine, program, case, missing):
    decision = (
        plan(engine, {"child": {"birth_date": "2026-03-10"}, **case}).program(program).decision
    )
    assert decision.status == "undetermined"
    assert missing in decision.missing_facts


def test_misspelt_replaced_visit_is_a_located_error(tmp_path):
    source = Path(hembesok_nassjo.__file__).with_name("program.yaml").read_text()
    assert "visit: home_8_months" in source
    broken = tmp_path / "program.yaml"
    broken.write_text(source.replace("visit: home_8_months", "visit: home_8_month"))
    module = types.ModuleType("broken_nassjo")

    @hookimpl
    def hembesok_programs():
        return [broken]

    module.hembesok_programs = hembesok_programs
    engine = Engine.from_modules([hembesok_rikshandboken, module])
    assert len(engine.errors) == 1
    problem = engine.errors[0].problems[0]
    line = next(
        i for i, text in enumerate(broken.read_text().splitlines(), 1) if "home_8_month" in text
    )
    assert (problem.file, problem.line) == (str(broken), line)
    assert problem.path.endswith(".visit") and "has no visit 'home_8_month'" in problem.message


def test_every_example_plan_across_all_programs_validates_against_the_plan_schema(engine):
    from hembesok.io import schemas as schema_store

    validator = schema_store.validator("plan")
    for program in engine.programs.values():
        for example in program.definition.get("examples", ()):
            result = plan(engine, example["case"], dt.date.fromisoformat(example["as_of"]))
            assert list(validator.iter_errors(result.to_json())) == [], (
                program.id,
                example["name"],
            )


def test_misspelt_same_as_visit_is_a_located_error(tmp_path):
    import hembesok_barnsakert

    source = Path(hembesok_barnsakert.__file__).with_name("program.yaml").read_text()
    broken = tmp_path / "program.yaml"
    broken.write_text(source.replace("visit: bvc_10_months}", "visit: bvc_10_month}"))
    module = types.ModuleType("broken_barnsakert")

    @hookimpl
    def hembesok_programs():
        return [broken]

    module.hembesok_programs = hembesok_programs
    module.hembesok_instruments = hembesok_barnsakert.hembesok_instruments
    engine = Engine.from_modules([hembesok_rikshandboken, module])
    (problem,) = engine.errors[0].problems
    line = next(
        i for i, text in enumerate(broken.read_text().splitlines(), 1) if "bvc_10_month}" in text
    )
    assert (problem.line, problem.message) == (
        line,
        "program 'rikshandboken' has no visit 'bvc_10_month'",
    )

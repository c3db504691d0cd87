"""Sites: where they lie, their data over time, several match facts, the visits they offer.

Each case is planned by the compiled and the interpreting engine, held to the same answer.
"""

import copy
import datetime as dt
from pathlib import Path

import hembesok_rinkeby
import pytest

from hembesok.engine.engine import Engine
from hembesok.io.documents import load_text
from hembesok.language.program import Program
from hembesok.model.case import Case

SOURCE = Path(hembesok_rinkeby.__file__).with_name("program.yaml")
AS_OF = dt.date(2026, 5, 4)


def engines(municipalities):
    """A compiled and an interpreting engine holding Rinkeby with its sites' municipalities."""
    definition = copy.deepcopy(load_text(SOURCE.read_text("utf-8"), str(SOURCE)).data)
    for site, town in zip(definition["sites"]["list"], municipalities, strict=False):
        if town:
            site["municipality"] = town
        else:
            site.pop("municipality", None)
    definition.pop("examples", None)
    out = []
    for interpret in (False, True):
        engine = Engine.from_modules([])
        engine.interpret = interpret
        engine.add(Program.compile(definition))
        out.append(engine)
    return out, len(definition["sites"]["list"])


def decide(engine, case):
    return engine.evaluate(Case.from_dict(case), AS_OF).program("rinkeby").decision


def test_a_family_elsewhere_is_not_eligible_with_the_reason_and_the_same_by_both_paths():
    (compiled, reference), _ = engines(["Stockholm"] * 100)
    case = {
        "child": {"birth_date": "2026-03-10"},
        "municipality": "Vaggeryd",
        "first_child": {"either_parent": True},
    }
    for engine in (compiled, reference):
        decision = decide(engine, case)
        assert (decision.status, decision.missing_facts) == ("not_eligible", ())
        assert decision.reasons[0].text["en"] == (
            "The family lives in Vaggeryd; the programme runs only at BVCs in Stockholm."
        )
    at_home = {**case, "municipality": " stockholm "}
    assert decide(compiled, at_home).status == decide(reference, at_home).status == "undetermined"
    assert decide(compiled, at_home).missing_facts == ("listed_bvc",)
    unknown = {k: v for k, v in case.items() if k != "municipality"}
    assert decide(compiled, unknown).status == "undetermined"


def test_sites_that_do_not_all_say_where_they_lie_settle_nothing():
    (compiled, reference), _ = engines(["Stockholm"] * 1 + [None] * 100)
    case = {
        "child": {"birth_date": "2026-03-10"},
        "municipality": "Vaggeryd",
        "first_child": {"either_parent": True},
    }
    assert decide(compiled, case).status == decide(reference, case).status == "undetermined"


# --- site data over time, several match facts, sites that offer some visits -----------------

SKANE = {
    "id": "skane_test",
    "version": "1.0",
    "title": {"sv": "Test", "en": "Test"},
    "sources": [{"title": "test", "confidence": "U"}],
    "sites": {
        "match": ["listed_bvc", "municipality"],
        "attributes": {
            "cni": {"title": {"sv": "CNI", "en": "CNI"}, "type": "number"},
            "vulnerable": {
                "title": {"sv": "utsatt kommun", "en": "vulnerable municipality"},
                "type": "boolean",
                "default": False,
            },
        },
        "list": [
            {
                "id": "bvc_a",
                "name": "BVC A",
                "municipality": "Malmö",
                "attributes": {
                    "cni": [
                        {"value": 1.42, "from": "2023-01-01", "to": "2023-06-30"},
                        {"value": 1.21, "from": "2023-07-01"},
                    ]
                },
            },
            {"id": "bvc_b", "name": "BVC B", "municipality": "Bjuv", "attributes": {"cni": 1.1}},
            {"id": "bjuv", "name": "Bjuv", "attributes": {"vulnerable": True}},
            {"id": "lund", "name": "Lund", "visits": ["newborn"]},
        ],
    },
    "eligibility": {
        "any": [
            {"fact": "site.cni", "greater_than": 1.3},
            {"fact": "site.vulnerable", "equals": True},
        ]
    },
    "schedule": [
        {
            "id": visit,
            "title": {"sv": visit, "en": visit},
            "age": age,
            "window": {"before": {"days": 0}, "after": {"weeks": 2}},
            "staff": ["bhv_sjukskoterska"],
            "setting": "home",
        }
        for visit, age in (("newborn", {"weeks": 1}), ("eight_months", {"months": 8}))
    ],
}


@pytest.fixture(scope="module")
def skane():
    out = []
    for interpret in (False, True):
        engine = Engine.from_modules([])
        engine.interpret = interpret
        engine.add(Program.compile(copy.deepcopy(SKANE)))
        out.append(engine)
    return out


def both(engines, case, as_of=dt.date(2024, 1, 10)):
    """The program's plan by the compiled and the interpreting engine, held equal."""
    plans = [e.evaluate(Case.from_dict(case), as_of).program("skane_test") for e in engines]
    compiled, reference = plans
    assert compiled.decision == reference.decision
    assert compiled.visits == reference.visits
    return compiled


def test_a_dated_value_is_read_on_the_birth_date(skane):
    before = both(skane, {"child": {"birth_date": "2023-06-30"}, "listed_bvc": "BVC A"})
    after = both(skane, {"child": {"birth_date": "2023-07-01"}, "listed_bvc": "bvc a"})
    assert before.decision.status == "eligible"
    assert after.decision.status == "not_eligible"
    trace = after.decision.trace
    assert trace.children[0].value == 1.21 and trace.children[1].value is False


def test_a_date_without_a_value_and_no_default_leaves_the_test_open(skane):
    early = both(skane, {"child": {"birth_date": "2022-12-31"}, "listed_bvc": "BVC A"})
    # no CNI before 2023, not a vulnerable municipality (default false): undetermined,
    # and no case fact can settle it, so none is asked for
    assert (early.decision.status, early.decision.missing_facts) == ("undetermined", ())


def test_the_bvc_first_then_the_municipality_each_attribute_from_the_first_that_has_it(skane):
    # BVC B has its own CNI (1.1) and lies in Bjuv; the family's municipality Bjuv is vulnerable
    plan = both(
        skane,
        {"child": {"birth_date": "2023-09-01"}, "listed_bvc": "BVC B", "municipality": "Bjuv"},
    )
    assert plan.decision.status == "eligible"
    assert plan.decision.site.id == "bvc_b"  # the first match decides participation
    assert plan.decision.reasons[0].text["en"].startswith("BVC B takes part")
    # an unknown BVC in a listed municipality: the municipality decides
    unknown = both(
        skane,
        {"child": {"birth_date": "2023-09-01"}, "listed_bvc": "BVC Z", "municipality": "Bjuv"},
    )
    assert (unknown.decision.status, unknown.decision.site.id) == ("eligible", "bjuv")


def test_match_facts_not_given_are_the_missing_facts(skane):
    plan = both(skane, {"child": {"birth_date": "2023-09-01"}, "listed_bvc": "BVC Z"})
    assert plan.decision.status == "undetermined"
    assert plan.decision.missing_facts == ("municipality",)
    nothing = both(skane, {"child": {"birth_date": "2023-09-01"}})
    assert nothing.decision.missing_facts == ("listed_bvc", "municipality")
    assert nothing.decision.reasons[0].text["en"] == (
        "No listed BVC or municipality given; the programme runs in certain places only."
    )
    neither = both(
        skane,
        {"child": {"birth_date": "2023-09-01"}, "listed_bvc": "BVC Z", "municipality": "Ystad"},
    )
    assert neither.decision.status == "not_eligible"


def test_a_site_that_offers_one_visit_plans_only_that_one(skane):
    engines = []
    for interpret in (False, True):
        definition = copy.deepcopy(SKANE)
        definition["eligibility"] = {"fact": "site.id", "exists": True}
        engine = Engine.from_modules([])
        engine.interpret = interpret
        engine.add(Program.compile(definition))
        engines.append(engine)
    lund = both(engines, {"child": {"birth_date": "2023-09-01"}, "municipality": "Lund"})
    assert [v.visit.id for v in lund.visits] == ["newborn"]
    bjuv = both(engines, {"child": {"birth_date": "2023-09-01"}, "municipality": "Bjuv"})
    assert [v.visit.id for v in bjuv.visits] == ["newborn", "eight_months"]


def test_site_data_is_part_of_the_program_hash():
    changed = copy.deepcopy(SKANE)
    changed["sites"]["list"][0]["attributes"]["cni"][1]["value"] = 1.35
    assert Program.compile(changed).sha256 != Program.compile(copy.deepcopy(SKANE)).sha256

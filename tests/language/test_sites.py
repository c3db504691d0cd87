"""Sites that say where they lie: a family living elsewhere is not eligible, not undetermined."""

import copy
import datetime as dt
from pathlib import Path

import hembesok_rinkeby

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

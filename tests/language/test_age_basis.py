"""Corrected age: which visits shift, by how much, and the words that say why.

Every plan is made by the compiled and the interpreting engine and held equal.
"""

import datetime as dt
from pathlib import Path

import pytest

from hembesok.engine.engine import Engine
from hembesok.io.loading import load_program
from hembesok.language.age_basis import basis_reason
from hembesok.model.case import Case

PROGRAM = Path(__file__).parents[1] / "data" / "preterm-program.yaml"
BIRTH = "2025-01-01"
AS_OF = dt.date(2025, 6, 1)


@pytest.fixture(scope="module")
def engines():
    out = []
    for interpret in (False, True):
        engine = Engine.from_modules([])
        engine.interpret = interpret
        engine.add(load_program(PROGRAM))
        out.append(engine)
    return out


def planned(engines, gestational=None):
    child = {"birth_date": BIRTH}
    if gestational is not None:
        child["gestational_age"] = gestational
    plans = [
        e.evaluate(Case.from_dict({"child": child}), AS_OF).program("preterm_test") for e in engines
    ]
    assert plans[0].visits == plans[1].visits
    return {v.visit.id: (v.target.isoformat(), v.basis) for v in plans[0].visits}, plans[0]


def test_a_child_born_at_30_weeks_has_its_developmental_visits_by_corrected_age(engines):
    visits, pp = planned(engines, {"weeks": 30, "days": 0})  # 70 days early: term 2025-03-12
    assert visits == {
        "home_newborn": ("2025-01-15", "chronological"),  # not marked: never shifts
        "bvc_6_months": ("2025-09-12", "corrected"),
        "bvc_18_months": ("2026-09-12", "corrected"),
        "bvc_30_months": ("2027-07-01", "chronological"),  # past `until` (2 years)
    }
    # vaccinations always by chronological age
    assert {d.dose.id: d.target.isoformat() for d in pp.vaccinations} == {
        "rota_1": "2025-02-12",
        "mpr_1": "2026-07-01",
    }


@pytest.mark.parametrize(
    "gestational",
    [None, {"weeks": 37}, {"weeks": 40}, {"weeks": 42, "days": 3}],
    ids=["not given", "at the limit", "at term", "after term"],
)
def test_nothing_shifts_without_a_gestational_age_before_the_limit(engines, gestational):
    visits, _ = planned(engines, gestational)
    assert visits["bvc_6_months"] == ("2025-07-01", "chronological")


def test_a_day_before_the_limit_shifts_by_the_days_early(engines):
    visits, _ = planned(engines, {"weeks": 36, "days": 6})  # 22 days early
    assert visits["bvc_6_months"] == ("2025-07-23", "corrected")


def test_explain_says_why_for_each_basis(engines):
    _, pp = planned(engines, {"weeks": 30})
    by_id = {v.visit.id: v for v in pp.visits}
    program = pp.program

    def why(visit_id, gestational, lang="en"):
        v = by_id[visit_id]
        return basis_reason(program, v.visit, v.basis, gestational)[lang]

    assert why("bvc_6_months", {"weeks": 30}).startswith(
        "Corrected age: born at 30+0 weeks, 70 days before term (40+0)"
    )
    assert why("home_newborn", {"weeks": 30}) == (
        "Birth date: the visit always counts from the birth date."
    )
    assert why("bvc_30_months", {"weeks": 30}).startswith("Birth date: the visit falls at 2 years")
    assert "no gestational age at birth given" in why("bvc_6_months", None)
    v = by_id["bvc_6_months"]
    assert basis_reason(program, v.visit, "chronological", {"weeks": 38, "days": 2})["sv"] == (
        "Födelsedatum: född i vecka 38+2, inte före vecka 37+0."
    )

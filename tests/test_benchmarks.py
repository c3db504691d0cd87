"""benchmarks/: the generator is seeded and valid, and the hand-written Vaggeryd rules
agree with the engine on thousands of generated families (correctness, not speed)."""

import datetime as dt
import importlib.util
import io
import json
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from hembesok.engine.engine import Engine
from hembesok.io import schemas as schema_store
from hembesok.model.case import Case

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"


def load(name):
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = load("generate")
handwritten = load("handwritten")
ENGINE = Engine.from_installed(env={})


@pytest.mark.parametrize(
    ("seed", "as_of", "count"),
    [(1, dt.date(2026, 5, 4), 2500), (7, dt.date(2028, 3, 1), 1500)],  # 2028: leap-day births
)
def test_hand_written_vaggeryd_agrees_with_the_engine(seed, as_of, count):
    decisions = set()
    for case in generate.families(count, seed, as_of, ENGINE):
        plan = ENGINE.evaluate(Case.from_dict(case), as_of, ["vaggeryd"]).program("vaggeryd")
        engine_answer = (
            plan.decision.status,
            plan.decision.missing_facts,
            {v.visit.id: v.status for v in plan.visits},
        )
        assert handwritten.vaggeryd(case, as_of) == engine_answer, case["case_ref"]
        decisions.add(plan.decision.status)
    assert decisions == {"eligible", "not_eligible", "undetermined"}


def test_generated_families_are_valid_cases_and_the_same_for_the_same_seed():
    first = list(generate.families(300, 3, dt.date(2026, 5, 4), ENGINE))
    again = list(generate.families(300, 3, dt.date(2026, 5, 4), ENGINE))
    other = list(generate.families(300, 4, dt.date(2026, 5, 4), ENGINE))
    assert first == again and first != other
    validator = schema_store.validator("case")
    assert all(validator.is_valid(case) for case in first)
    assert sum("responses" in case for case in first) > 100
    assert sum("visits_done" in case for case in first) > 150
    assert {case.get("municipality") for case in first} >= {"Vaggeryd", "Nässjö", "Göteborg"}


def test_corrupted_records_are_listed_and_invalid(tmp_path):
    out, listing = tmp_path / "cases.ndjson", tmp_path / "bad.txt"
    with redirect_stdout(io.StringIO()):
        generate.main(
            ["--count", "400", "--corrupt", "12", "--corrupted-list", str(listing), "-o", str(out)]
        )
    bad = [int(n) for n in listing.read_text().split()]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 400 and len(bad) == 12
    validator = schema_store.validator("case")
    for number, line in enumerate(lines, 1):
        try:
            valid = validator.is_valid(json.loads(line))
        except json.JSONDecodeError:
            valid = False
        assert valid == (number not in bad), number

"""The quick schema check: it never accepts what jsonschema rejects, and the problems and
plans are the same with it or without it."""

import copy
import datetime as dt
import importlib.util
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hembesok.engine.engine import Engine
from hembesok.io import schemas as schema_store
from hembesok.io import validation as fast_validation
from hembesok.io.documents import parse_json

ENGINE = Engine.from_installed(env={})
SLOW = schema_store.validator("case")
QUICK = schema_store.fast_check("case")
AS_OF = dt.date(2026, 5, 4)


def families(count):
    """Valid cases from the benchmark's generator (benchmarks/ is not a package)."""
    path = Path(__file__).parents[2] / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("benchmarks_generate_for_fast", path)
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    return list(generate.families(count, 11, AS_OF, ENGINE))


SEEDS = families(60)
TRICKY = st.sampled_from(
    [
        "",
        "x",
        "2024-02-30",
        "2024-02-29",
        "2023-02-29",
        "20240101",
        "2024-01-01\n",
        "2024-1-01",
        "abc\n",
        "Abc",
        "a b",
        "a" * 201,
        "٢٠٢٤-٠١-٠١",
        "epds",
        "yes",
        "no",
        "0665",
        "1e3",
        "ja",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 100),
    st.floats(allow_nan=False),
    TRICKY,
    st.text(max_size=5),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TRICKY, inner, max_size=3),
    max_leaves=6,
)


def paths(node, base=()):
    yield base
    if isinstance(node, dict):
        for key, value in node.items():
            yield from paths(value, (*base, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from paths(value, (*base, index))


@st.composite
def mutated_cases(draw):
    case = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(list(paths(case))[1:]))
        parent = case
        for part in where[:-1]:
            parent = parent[part]
        action = draw(st.sampled_from(["set", "delete", "add"]))
        if action == "delete":
            del parent[where[-1]]
        elif action == "set":
            parent[where[-1]] = draw(VALUES)
        elif isinstance(parent, dict):
            parent[draw(TRICKY)] = draw(VALUES)
        if not isinstance(case, dict) or not case:
            break
    return case


@pytest.mark.skipif(QUICK is None, reason="jsonschema-rs is not installed")
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_cases())
def test_the_quick_check_accepts_only_what_jsonschema_accepts(case):
    if QUICK(case):
        assert SLOW.is_valid(case)


@pytest.mark.skipif(QUICK is None, reason="jsonschema-rs is not installed")
def test_the_quick_check_accepts_the_valid_families():
    assert all(QUICK(case) for case in SEEDS)


CASES = [
    '{"child": {"birth_date": "2026-03-10"}, "municipality": "Vaggeryd"}',
    '{"child": {"birth_date": "2026-02-30"},\n "municipality": 7, "x": 1}',
    '{"child": {"birth_date": "2026-06-01"}}',
    '{"child": {"birth_date": "2026-03-10"}, "visits_done": [{"program": "vaggeryd", "visit": "newborn", "date": "2026-02-01"}]}',
    json.dumps(SEEDS[0]),
]


@pytest.mark.parametrize("text", CASES)
def test_problems_are_the_same_with_and_without_the_quick_check(text, monkeypatch):
    quick = fast_validation.case_problems(parse_json(text, "c.json"), AS_OF)
    monkeypatch.setattr(schema_store, "fast_check", lambda name: None)
    without = fast_validation.case_problems(parse_json(text, "c.json"), AS_OF)
    assert quick == without

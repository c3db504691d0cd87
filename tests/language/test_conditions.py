"""The condition language: operators, three-valued combination, traces and missing facts."""

import datetime as dt

import pytest

from hembesok.language.condition_code import compile_parts
from hembesok.language.conditions import OPERATORS, compile_condition
from hembesok.model.truth import Truth, all_of

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
AS_OF = dt.date(2026, 6, 1)


def as_case(facts):
    """Flat facts as the case document the compiled code reads (the birth date apart)."""
    data = {}
    for name, value in facts.items():
        if name == "child.birth_date":
            continue
        *parents, last = name.split(".")
        node = data
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return data, facts.get("child.birth_date")


def evaluate_both(cond, facts):
    """The truth of a condition by interpretation and by generated code, which must agree,
    down to the facts they say are missing."""
    trace = cond.explain(facts, AS_OF)
    compiled = compile_parts(cond, "test")
    data, birth = as_case(facts)
    parts = compiled.parts(data, birth, AS_OF, {})
    truth = all_of(parts)
    assert truth is trace.truth
    if truth is U:
        assert compiled.missing(data, birth, AS_OF, {}) == trace.missing_facts()
    return truth


def run(spec, **facts):
    return evaluate_both(compile_condition(spec), facts)


@pytest.mark.parametrize(
    ("spec", "value", "expected"),
    [
        ({"fact": "m", "equals": "Vaggeryd"}, "Vaggeryd", T),
        ({"fact": "m", "equals": "Vaggeryd"}, " vaggeryd ", T),
        ({"fact": "m", "equals": "Vaggeryd"}, "Nässjö", F),
        ({"fact": "m", "equals": True}, True, T),
        ({"fact": "m", "equals": True}, False, F),
        ({"fact": "m", "equals": True}, "true", U),  # wrong type: undetermined, never false
        ({"fact": "m", "equals": 1}, True, U),
        ({"fact": "m", "not_equals": "A"}, "B", T),
        ({"fact": "m", "not_equals": "A"}, "a", F),
        ({"fact": "m", "in": ["A", "B"]}, "b", T),
        ({"fact": "m", "in": ["A", "B"]}, "C", F),
        ({"fact": "m", "at_least": 3}, 3, T),
        ({"fact": "m", "at_least": 3}, 2.5, F),
        ({"fact": "m", "at_most": 3}, 3, T),
        ({"fact": "m", "greater_than": 3}, 3, F),
        ({"fact": "m", "less_than": 3}, 2, T),
        ({"fact": "m", "less_than": 3}, "2", U),
        ({"fact": "m", "on_or_after": "2020-09-01"}, dt.date(2020, 9, 1), T),
        ({"fact": "m", "on_or_after": "2020-09-01"}, "2020-08-31", F),
        ({"fact": "m", "on_or_before": "2020-09-01"}, "2020-09-01", T),
        ({"fact": "m", "before": "2020-09-01"}, "2020-09-01", F),
        ({"fact": "m", "after": "2020-09-01"}, "2020-09-02", T),
        ({"fact": "m", "after": "2020-09-01"}, "not a date", U),
        ({"fact": "m", "exists": True}, "x", T),
        ({"fact": "m", "exists": False}, "x", F),
    ],
)
def test_operators(spec, value, expected):
    assert run(spec, m=value) is expected


def test_every_operator_is_tested_above():
    tested = {
        "equals",
        "not_equals",
        "in",
        "at_least",
        "at_most",
        "greater_than",
        "less_than",
        "on_or_after",
        "on_or_before",
        "before",
        "after",
        "exists",
    }
    assert set(OPERATORS) == tested


@pytest.mark.parametrize("op", [o for o in OPERATORS if o != "exists"])
def test_missing_fact_is_unknown_for_every_operator(op):
    operand = {
        "in": ["A"],
        "on_or_after": "2020-01-01",
        "on_or_before": "2020-01-01",
        "before": "2020-01-01",
        "after": "2020-01-01",
    }.get(op, 1)
    assert run({"fact": "m", op: operand}) is U


def test_exists_is_decided_even_when_missing():
    assert run({"fact": "m", "exists": False}) is T
    assert run({"fact": "m", "exists": True}) is F


def test_age_at_as_of_and_at_a_fact():
    spec = {"age": {"at_least": {"months": 1}, "under": {"months": 18}}}
    assert run(spec, **{"child.birth_date": dt.date(2026, 4, 30)}) is T  # 1 month on 30 May
    assert run(spec, **{"child.birth_date": dt.date(2026, 5, 2)}) is F
    assert run(spec, **{"child.birth_date": dt.date(2024, 12, 1)}) is F  # 18 months on 1 June 2026
    assert run(spec) is U
    on = {"age": {"on": "moved_in_on", "under": {"months": 5}}}
    assert (
        run(on, **{"child.birth_date": dt.date(2026, 1, 1), "moved_in_on": dt.date(2026, 6, 1)})
        is F
    )
    assert (
        run(on, **{"child.birth_date": dt.date(2026, 1, 1), "moved_in_on": dt.date(2026, 5, 31)})
        is T
    )
    assert run(on, **{"child.birth_date": dt.date(2026, 1, 1)}) is U


TREE = {
    "all": [
        {"fact": "municipality", "equals": "Nässjö"},
        {
            "any": [
                {"fact": "first_child.in_municipality", "equals": True},
                {"fact": "needs_support", "equals": True},
            ]
        },
    ]
}


def test_tree_three_valued_and_missing_facts():
    cond = compile_condition(TREE)
    facts = {"municipality": "Nässjö", "first_child.in_municipality": False}
    trace = cond.explain(facts, AS_OF)
    assert trace.truth is U and evaluate_both(cond, facts) is U
    assert trace.missing_facts() == ["needs_support"]

    facts = {"first_child.in_municipality": True}
    assert cond.explain(facts, AS_OF).missing_facts() == ["municipality"]

    # A false part settles an `all`: nothing is missing then.
    facts = {"municipality": "Vaggeryd"}
    trace = cond.explain(facts, AS_OF)
    assert trace.truth is F and trace.missing_facts() == []


def test_not_inverts_three_valued():
    cond = compile_condition({"not": {"fact": "needs_support", "equals": True}})
    assert evaluate_both(cond, {"needs_support": True}) is F
    assert evaluate_both(cond, {}) is U


def test_trace_paths_point_into_the_program_file():
    trace = compile_condition(TREE).explain({}, AS_OF)
    assert trace.children[1].children[1].path == "$.eligibility.all[1].any[1]"
    assert trace.children[0].fact == "municipality" and trace.children[0].value is None


def test_facts_used_are_collected_at_compile_time():
    assert compile_condition(TREE).facts_used == {
        "municipality",
        "first_child.in_municipality",
        "needs_support",
    }

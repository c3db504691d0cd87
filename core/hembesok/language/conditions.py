"""The condition language: a program's `eligibility` as a tree, and its interpretation.

A condition is a tree of `all` / `any` / `not` nodes over leaf tests of one fact
(`fact: municipality, equals: Vaggeryd`) or of the child's age. The schema has already
checked every operator and operand, so building the tree cannot meet an unknown
operator. Evaluation is three-valued: a leaf over a missing fact is UNKNOWN.

This module interprets the tree node by node and records a `Trace` with the facts'
values: that is what `hembesok explain` shows, and the reference the compiled
evaluator (hembesok.language.compiled) is tested against. Plans are made by the
compiled evaluator; a trace is built only when one is asked for.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hembesok.model import ages
from hembesok.model.truth import Truth, all_of, any_of

Facts = Mapping[str, Any]

AS_OF = "as_of"
BIRTH_DATE = "child.birth_date"


@dataclass(frozen=True)
class Trace:
    """How one node of a condition came out, for explanations."""

    kind: str  # all | any | not | fact | age
    truth: Truth
    spec: Mapping[str, Any]
    path: str  # JSON path of the node in the program file
    fact: str | None = None
    value: Any = None
    children: tuple[Trace, ...] = ()

    def missing_facts(self) -> list[str]:
        """Facts whose absence makes this node undetermined (empty unless UNKNOWN)."""
        if self.truth is not Truth.UNKNOWN:
            return []
        if not self.children:
            return [self.fact] if self.fact and self.value is None else []
        found: list[str] = []
        for child in self.children:
            for name in child.missing_facts():
                if name not in found:
                    found.append(name)
        return found


#: A leaf's test of a present value: TRUE, FALSE, or UNKNOWN for a value of the wrong kind.
Predicate = Callable[[Any], Truth]


@dataclass(frozen=True)
class Condition:
    """One node of a condition tree, as written in the program file at `path`."""

    kind: str  # all | any | not | fact | age
    spec: Mapping[str, Any]
    path: str
    children: tuple[Condition, ...] = ()
    fact: str | None = None  # the fact a leaf reads (for an age: the date it is taken on)
    operator: str | None = None  # a fact leaf's operator
    check: Predicate | None = field(default=None, repr=False, compare=False)  # its operand bound
    facts_used: frozenset[str] = field(default_factory=frozenset)

    def explain(self, facts: Facts, as_of: dt.date) -> Trace:
        """Evaluate this node over flat `facts`, recording every node's outcome and value."""
        if self.children:
            traces = tuple(child.explain(facts, as_of) for child in self.children)
            if self.kind == "all":
                truth = all_of(t.truth for t in traces)
            elif self.kind == "any":
                truth = any_of(t.truth for t in traces)
            else:
                truth = ~traces[0].truth
            return Trace(self.kind, truth, self.spec, self.path, children=traces)
        if self.kind == "age":
            truth = age_truth(self.spec["age"], facts.get(BIRTH_DATE), facts, as_of)
            return Trace("age", truth, self.spec, self.path, self.fact, facts.get(self.fact or ""))
        assert self.fact is not None and self.check is not None
        value = facts.get(self.fact)
        if self.operator == "exists":
            truth = Truth.of((self.fact in facts) == self.spec["exists"])
        elif value is None:
            truth = Truth.UNKNOWN
        else:
            truth = self.check(value)
        return Trace("fact", truth, self.spec, self.path, self.fact, value)


def compile_condition(spec: Mapping[str, Any], path: str = "$.eligibility") -> Condition:
    """The tree of a schema-valid condition; each node knows its place in the file."""
    if "all" in spec or "any" in spec:
        kind = "all" if "all" in spec else "any"
        children = tuple(
            compile_condition(child, f"{path}.{kind}[{i}]") for i, child in enumerate(spec[kind])
        )
        used = frozenset().union(*(c.facts_used for c in children))
        return Condition(kind, spec, path, children, facts_used=used)
    if "not" in spec:
        inner = compile_condition(spec["not"], f"{path}.not")
        return Condition("not", spec, path, (inner,), facts_used=inner.facts_used)
    if "age" in spec:
        on_fact = spec["age"].get("on")
        used = frozenset({BIRTH_DATE} | ({on_fact} if on_fact else set()))
        return Condition("age", spec, path, fact=on_fact or BIRTH_DATE, facts_used=used)
    name: str = spec["fact"]
    op = operator_of(spec)
    return Condition(
        "fact",
        spec,
        path,
        fact=name,
        operator=op,
        check=predicate(op, spec[op]),
        facts_used=frozenset({name}),
    )


def operator_of(spec: Mapping[str, Any]) -> str:
    return next(key for key in spec if key not in ("fact", "label"))


def age_truth(age: Mapping[str, Any], birth: Any, facts: Facts, as_of: dt.date) -> Truth:
    """An age rule: the child's age on `as_of`, or on the date fact `age.on`."""
    on_fact = age.get("on")
    on = as_of if on_fact is None else as_date(facts.get(on_fact))
    if not isinstance(birth, dt.date) or on is None:
        return Truth.UNKNOWN
    if "at_least" in age and not ages.age_reached(
        birth, ages.Duration.from_mapping(age["at_least"]), on
    ):
        return Truth.FALSE
    if "under" in age and ages.age_reached(birth, ages.Duration.from_mapping(age["under"]), on):
        return Truth.FALSE
    return Truth.TRUE


# --- operators: each takes the operand once and returns a predicate over a present value.
# A value of the wrong kind for the operator is undetermined, never false.


def normalise_text(value: str) -> str:
    """Strings compare without regard to case, surrounding space or Unicode composition."""
    return unicodedata.normalize("NFC", value).strip().casefold()


def _norm(value: Any) -> Any:
    return normalise_text(value) if isinstance(value, str) else value


def same_kind(value: Any, operand: Any) -> bool:
    """Whether `equals` can compare `value` with `operand` (booleans only with booleans)."""
    if isinstance(operand, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(operand, bool)
    if isinstance(operand, int | float):
        return isinstance(value, int | float)
    return isinstance(value, str)


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _equals(operand: Any) -> Predicate:
    expected = _norm(operand)

    def test(value: Any) -> Truth:
        if not same_kind(value, operand):
            return Truth.UNKNOWN
        return Truth.of(_norm(value) == expected)

    return test


def _not_equals(operand: Any) -> Predicate:
    equals = _equals(operand)
    return lambda value: ~equals(value)


def _in(operand: Sequence[Any]) -> Predicate:
    expected = {_norm(item) for item in operand}

    def test(value: Any) -> Truth:
        if not isinstance(value, str | int | float):
            return Truth.UNKNOWN
        return Truth.of(_norm(value) in expected)

    return test


def _number(compare: Callable[[float, float], bool]) -> Callable[[Any], Predicate]:
    def make(operand: Any) -> Predicate:
        def test(value: Any) -> Truth:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return Truth.UNKNOWN
            return Truth.of(compare(value, operand))

        return test

    return make


def _date(compare: Callable[[dt.date, dt.date], bool]) -> Callable[[Any], Predicate]:
    def make(operand: Any) -> Predicate:
        limit = dt.date.fromisoformat(operand)

        def test(value: Any) -> Truth:
            day = as_date(value)
            return Truth.UNKNOWN if day is None else Truth.of(compare(day, limit))

        return test

    return make


PREDICATES: dict[str, Callable[[Any], Predicate]] = {
    "equals": _equals,
    "not_equals": _not_equals,
    "in": _in,
    "at_least": _number(lambda a, b: a >= b),
    "at_most": _number(lambda a, b: a <= b),
    "greater_than": _number(lambda a, b: a > b),
    "less_than": _number(lambda a, b: a < b),
    "on_or_after": _date(lambda a, b: a >= b),
    "on_or_before": _date(lambda a, b: a <= b),
    "before": _date(lambda a, b: a < b),
    "after": _date(lambda a, b: a > b),
    "exists": lambda operand: lambda value: Truth.TRUE,  # decided by presence, see explain
}

OPERATORS = tuple(PREDICATES)


def predicate(operator: str, operand: Any) -> Predicate:
    return PREDICATES[operator](operand)

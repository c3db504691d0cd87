"""The condition language, compiled once per program into plain closures.

A program's `eligibility` is a tree of `all` / `any` / `not` nodes over leaf tests
of one fact (`fact: municipality, equals: Vaggeryd`) or of the child's age. The
schema has already checked every operator and operand, so compiling cannot meet an
unknown operator. Evaluation is three-valued: a leaf over a missing fact is
UNKNOWN, and `explain` names the facts that would settle an UNKNOWN result.
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
Test = Callable[[Facts, dt.date], Truth]

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


@dataclass(frozen=True)
class Condition:
    """A compiled condition node: `test` is the fast path, `explain` builds a Trace."""

    kind: str
    spec: Mapping[str, Any]
    path: str
    test: Test
    children: tuple[Condition, ...] = ()
    fact: str | None = None
    facts_used: frozenset[str] = field(default_factory=frozenset)

    def explain(self, facts: Facts, as_of: dt.date) -> Trace:
        if self.children:
            traces = tuple(child.explain(facts, as_of) for child in self.children)
            if self.kind == "all":
                truth = all_of(t.truth for t in traces)
            elif self.kind == "any":
                truth = any_of(t.truth for t in traces)
            else:
                truth = ~traces[0].truth
            return Trace(self.kind, truth, self.spec, self.path, children=traces)
        value = facts.get(self.fact) if self.fact else None
        return Trace(self.kind, self.test(facts, as_of), self.spec, self.path, self.fact, value)


def compile_condition(spec: Mapping[str, Any], path: str = "$.eligibility") -> Condition:
    if "all" in spec or "any" in spec:
        kind = "all" if "all" in spec else "any"
        children = tuple(
            compile_condition(child, f"{path}.{kind}[{i}]") for i, child in enumerate(spec[kind])
        )
        combine = all_of if kind == "all" else any_of
        tests = tuple(child.test for child in children)

        def test_many(facts: Facts, as_of: dt.date) -> Truth:
            return combine(t(facts, as_of) for t in tests)

        used = frozenset().union(*(c.facts_used for c in children))
        return Condition(kind, spec, path, test_many, children, facts_used=used)
    if "not" in spec:
        inner = compile_condition(spec["not"], f"{path}.not")
        inner_test = inner.test
        return Condition(
            "not",
            spec,
            path,
            lambda facts, as_of: ~inner_test(facts, as_of),
            (inner,),
            facts_used=inner.facts_used,
        )
    if "age" in spec:
        return _compile_age(spec, path)
    return _compile_fact(spec, path)


def _compile_age(spec: Mapping[str, Any], path: str) -> Condition:
    age = spec["age"]
    on_fact = age.get("on")
    at_least = ages.Duration.from_mapping(age["at_least"]) if "at_least" in age else None
    under = ages.Duration.from_mapping(age["under"]) if "under" in age else None

    def test(facts: Facts, as_of: dt.date) -> Truth:
        birth = facts.get(BIRTH_DATE)
        on = as_of if on_fact is None else _as_date(facts.get(on_fact))
        if not isinstance(birth, dt.date) or on is None:
            return Truth.UNKNOWN
        if at_least is not None and not ages.age_reached(birth, at_least, on):
            return Truth.FALSE
        if under is not None and ages.age_reached(birth, under, on):
            return Truth.FALSE
        return Truth.TRUE

    used = frozenset({BIRTH_DATE} | ({on_fact} if on_fact else set()))
    return Condition("age", spec, path, test, fact=on_fact or BIRTH_DATE, facts_used=used)


def _compile_fact(spec: Mapping[str, Any], path: str) -> Condition:
    name: str = spec["fact"]
    op = next(key for key in spec if key not in ("fact", "label"))
    operand = spec[op]
    predicate = _PREDICATES[op](operand)

    if op == "exists":

        def test(facts: Facts, as_of: dt.date) -> Truth:
            return Truth.of((name in facts) == operand)

    else:

        def test(facts: Facts, as_of: dt.date) -> Truth:
            value = facts.get(name)
            if value is None:
                return Truth.UNKNOWN
            result = predicate(value)
            return Truth.UNKNOWN if result is None else Truth.of(result)

    return Condition("fact", spec, path, test, fact=name, facts_used=frozenset({name}))


def operator_of(spec: Mapping[str, Any]) -> str:
    return next(key for key in spec if key not in ("fact", "label"))


# --- operators: each takes the operand once and returns a predicate over the value.
# A predicate returns None when the value has the wrong type for the operator, which
# counts as undetermined rather than false.

Predicate = Callable[[Any], "bool | None"]


def _norm(value: Any) -> Any:
    """Strings compare without regard to case, surrounding space or Unicode composition."""
    return normalise_text(value) if isinstance(value, str) else value


def normalise_text(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip().casefold()


def _equals(operand: Any) -> Predicate:
    expected = _norm(operand)
    return lambda value: _norm(value) == expected if _same_kind(value, operand) else None


def _not_equals(operand: Any) -> Predicate:
    eq = _equals(operand)

    def predicate(value: Any) -> bool | None:
        result = eq(value)
        return None if result is None else not result

    return predicate


def _in(operand: Sequence[Any]) -> Predicate:
    expected = {_norm(item) for item in operand}
    return lambda value: _norm(value) in expected if isinstance(value, str | int | float) else None


def _same_kind(value: Any, operand: Any) -> bool:
    if isinstance(operand, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(operand, bool)
    if isinstance(operand, int | float):
        return isinstance(value, int | float)
    return isinstance(value, str)


def _number(compare: Callable[[float, float], bool]) -> Callable[[Any], Predicate]:
    def make(operand: Any) -> Predicate:
        def predicate(value: Any) -> bool | None:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return None
            return compare(value, operand)

        return predicate

    return make


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _date(compare: Callable[[dt.date, dt.date], bool]) -> Callable[[Any], Predicate]:
    def make(operand: Any) -> Predicate:
        limit = dt.date.fromisoformat(operand)

        def predicate(value: Any) -> bool | None:
            day = _as_date(value)
            return None if day is None else compare(day, limit)

        return predicate

    return make


_PREDICATES: dict[str, Callable[[Any], Predicate]] = {
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
    "exists": lambda operand: lambda value: True,
}

OPERATORS = tuple(_PREDICATES)

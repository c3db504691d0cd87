"""A condition tree compiled into plain Python: the fast path of every decision.

`compile_parts` turns a program's eligibility into two generated functions over the
case document itself (no flattening, no trace):

- `parts(data, birth, as_of, derived)`: the truth of each top-level part, evaluated
  with short circuits as a person would write the rule by hand;
- `missing(data, birth, as_of, derived)`: for an undetermined result only, the facts
  whose absence left it open, in the order `Trace.missing_facts` gives.

`derived` holds facts derived for this case (the built-in ages and first-child facts,
and any a plugin derives); the case's own value always wins. Three-valued logic costs
nothing while every fact is present: a leaf is UNKNOWN only when its value is missing
or of the wrong kind. The interpretation in hembesok.language.conditions is the
reference these functions are tested against.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from hembesok.language.codegen import Namespace, define
from hembesok.language.conditions import BIRTH_DATE, Condition, as_date, normalise_text
from hembesok.model import ages
from hembesok.model.truth import Truth

#: Case keys that never become facts (hembesok.model.case), at whatever depth they stand.
HIDDEN_KEYS = frozenset(
    {
        "identifier",
        "case_ref",
        "$schema",
        "visits_done",
        "declined",
        "responses",
        "vaccinations_done",
        "vaccinations_declined",
    }
)
#: Facts the case holds as dates.
DATE_FACTS = frozenset({"moved_in_on"})
#: How many distinct strings a compiled program remembers the normal form of.
MEMO_LIMIT = 4096

Parts = Callable[[Mapping[str, Any], dt.date, dt.date, Mapping[str, Any]], tuple[Truth, ...]]
Missing = Callable[[Mapping[str, Any], dt.date, dt.date, Mapping[str, Any]], list[str]]


@dataclass(frozen=True)
class CompiledCondition:
    parts: Parts
    missing: Missing
    split: bool  # the root is an unlabelled `all` whose children are the parts


class _Normaliser:
    """`normalise_text` with a bounded memory: journals send the same few names over and over."""

    def __init__(self) -> None:
        self.known: dict[str, str] = {}

    def __call__(self, value: str) -> str:
        found = self.known.get(value)
        if found is None:
            found = normalise_text(value)
            if len(self.known) < MEMO_LIMIT:
                self.known[value] = found
        return found


def split_parts(root: Condition) -> tuple[Condition, ...]:
    """The parts a decision gives one reason each: an unlabelled `all`'s children, else the root."""
    if root.kind == "all" and "label" not in root.spec:
        return root.children
    return (root,)


def compile_parts(root: Condition, label: str) -> CompiledCondition:
    ns = Namespace(T=Truth.TRUE, F=Truth.FALSE, U=Truth.UNKNOWN, isinstance=isinstance)
    parts = split_parts(root)
    gen = _Generator(ns)
    body: list[str] = []
    names = [gen.node(part, body, 1, short=True) for part in parts]
    fast = [
        "def parts(data, birth, as_of, derived):",
        *body,
        f"    return ({', '.join(names)},)",
    ]
    gen_all = _Generator(ns)
    body = []
    top = [gen_all.node(part, body, 1, short=False) for part in parts]
    collect: list[str] = []
    for part, name in zip(parts, top, strict=True):
        gen_all.collect(part, name, collect, 1)
    slow = [
        "def missing(data, birth, as_of, derived):",
        *body,
        "    out = []",
        *collect,
        "    return out",
    ]
    return CompiledCondition(
        define("parts", fast, ns, label=label),
        define("missing", slow, ns, label=label),
        split=len(parts) != 1 or parts[0] is not root,
    )


class _Generator:
    """Emits the statements of one function; remembers each node's truth and value names."""

    def __init__(self, ns: Namespace) -> None:
        self.ns = ns
        self.count = 0
        self.truths: dict[int, str] = {}
        self.values: dict[int, str] = {}

    def _new(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def node(self, cond: Condition, out: list[str], depth: int, *, short: bool) -> str:
        pad = "    " * depth
        t = self._new("t")
        self.truths[id(cond)] = t
        if cond.kind in ("all", "any"):
            stop, stop_is = ("F", "F") if cond.kind == "all" else ("T", "T")
            start = "T" if cond.kind == "all" else "F"
            out.append(f"{pad}{t} = {start}")
            if short:
                out.append(f"{pad}while True:")
                for child in cond.children:
                    c = self.node(child, out, depth + 1, short=True)
                    out.append(f"{pad}    if {c} is {stop_is}:")
                    out.append(f"{pad}        {t} = {stop}")
                    out.append(f"{pad}        break")
                    out.append(f"{pad}    if {c} is U:")
                    out.append(f"{pad}        {t} = U")
                out.append(f"{pad}    break")
            else:
                for child in cond.children:
                    c = self.node(child, out, depth, short=False)
                    out.append(f"{pad}if {c} is {stop_is}:")
                    out.append(f"{pad}    {t} = {stop}")
                    out.append(f"{pad}elif {c} is U and {t} is not {stop}:")
                    out.append(f"{pad}    {t} = U")
            return t
        if cond.kind == "not":
            c = self.node(cond.children[0], out, depth, short=short)
            out.append(f"{pad}{t} = F if {c} is T else (T if {c} is F else U)")
            return t
        if cond.kind == "age":
            self._age(cond, t, out, pad)
            return t
        self._fact(cond, t, out, pad)
        return t

    # --- reading a fact -----------------------------------------------------------------

    def _read(self, fact: str, v: str, out: list[str], pad: str) -> None:
        """`v` = the case's own value of `fact`, else the derived one."""
        key = self.ns.bind(fact)
        if fact == BIRTH_DATE:
            out.append(f"{pad}{v} = birth")
            return
        parts = fact.split(".")
        if HIDDEN_KEYS.intersection(parts):
            out.append(f"{pad}{v} = None")
        elif len(parts) == 1:
            out.append(f"{pad}{v} = data.get({key})")
        else:
            out.append(f"{pad}{v} = data")
            for part in parts:
                name = self.ns.bind(part)
                out.append(f"{pad}{v} = {v}.get({name}) if isinstance({v}, dict) else None")
        if fact in DATE_FACTS:
            out.append(f"{pad}if {v} is not None:")
            out.append(f"{pad}    {v} = {self.ns.bind(as_date)}({v})")
        else:
            # A nested object is not a fact (the case's facts are its scalar values).
            out.append(f"{pad}if isinstance({v}, dict):")
            out.append(f"{pad}    {v} = None")
        out.append(f"{pad}if {v} is None:")
        out.append(f"{pad}    {v} = derived.get({key})")

    def _fact(self, cond: Condition, t: str, out: list[str], pad: str) -> None:
        assert cond.fact is not None and cond.operator is not None
        v = self._new("v")
        self.values[id(cond)] = v
        self._read(cond.fact, v, out, pad)
        op, operand = cond.operator, cond.spec[cond.operator]
        if op == "exists":
            key = self.ns.bind(cond.fact)
            want = "True" if operand else "False"
            out.append(
                f"{pad}{t} = T if (({v} is not None) or ({key} in derived)) is {want} else F"
            )
            return
        if op in ("equals", "not_equals"):
            yes, no = ("T", "F") if op == "equals" else ("F", "T")
            if isinstance(operand, bool):
                c = self.ns.bind(operand)
                out.append(f"{pad}if {v} is None or {v}.__class__ is not bool:")
                out.append(f"{pad}    {t} = U")
                out.append(f"{pad}else:")
                out.append(f"{pad}    {t} = {yes} if {v} is {c} else {no}")
                return
            if isinstance(operand, str):
                norm = self.ns.bind(_Normaliser())
                c = self.ns.bind(normalise_text(operand))
                out.append(f"{pad}if isinstance({v}, str) and {v}.__class__ is not bool:")
                out.append(f"{pad}    {t} = {yes} if {norm}({v}) == {c} else {no}")
                out.append(f"{pad}else:")
                out.append(f"{pad}    {t} = U")
                return
        if op == "in" and all(isinstance(item, str) for item in cond.spec["in"]):
            norm = self.ns.bind(_Normaliser())
            c = self.ns.bind(frozenset(normalise_text(item) for item in cond.spec["in"]))
            out.append(f"{pad}if isinstance({v}, str):")
            out.append(f"{pad}    {t} = T if {norm}({v}) in {c} else F")
            out.append(f"{pad}elif isinstance({v}, (int, float)):")
            out.append(f"{pad}    {t} = T if {v} in {c} else F")
            out.append(f"{pad}else:")
            out.append(f"{pad}    {t} = U")
            return
        check = self.ns.bind(cond.check)
        out.append(f"{pad}{t} = U if {v} is None else {check}({v})")

    def _age(self, cond: Condition, t: str, out: list[str], pad: str) -> None:
        age = cond.spec["age"]
        at_least = ages.Duration.from_mapping(age["at_least"]) if "at_least" in age else None
        under = ages.Duration.from_mapping(age["under"]) if "under" in age else None

        def test(birth: Any, on: dt.date | None) -> Truth:
            if not isinstance(birth, dt.date) or on is None:
                return Truth.UNKNOWN
            if at_least is not None and not ages.age_reached(birth, at_least, on):
                return Truth.FALSE
            if under is not None and ages.age_reached(birth, under, on):
                return Truth.FALSE
            return Truth.TRUE

        fn = self.ns.bind(test)
        if "on" not in age:
            self.values[id(cond)] = "birth"
            out.append(f"{pad}{t} = {fn}(birth, as_of)")
            return
        v = self._new("v")
        self.values[id(cond)] = v
        self._read(age["on"], v, out, pad)
        out.append(f"{pad}{t} = {fn}(birth, {self.ns.bind(as_date)}({v}))")

    # --- collecting missing facts (only for an undetermined result) ---------------------

    def collect(self, cond: Condition, t: str, out: list[str], depth: int) -> None:
        pad = "    " * depth
        if cond.children:
            out.append(f"{pad}if {t} is U:")
            for child in cond.children:
                self.collect(child, self.truths[id(child)], out, depth + 1)
            out.append(f"{pad}    pass")
            return
        v = self.values.get(id(cond))
        if v is None or cond.fact is None:
            return
        key = self.ns.bind(cond.fact)
        out.append(f"{pad}if {t} is U and {v} is None and {key} not in out:")
        out.append(f"{pad}    out.append({key})")

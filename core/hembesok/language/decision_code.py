"""A program's whole decision compiled into one generated Python function.

`compile_decision` writes, for one program, the function a person would write by hand
for it: read the site facts and ask the program's site table (hembesok.language.sites)
whether the site takes part and what it gives as `site.*` facts; compare the
birth date with the program's validity; test each part of the eligibility rule (the code
of hembesok.language.condition_code); pick the prepared reason of each outcome; and
return the `Decision` tuple. Nothing is dispatched, interpreted or formatted per case.
The facts missing from an undetermined decision are collected by a second function,
called only then.

As everywhere in generated code, every value (a fact name, a date, a reason) is bound in
the function's namespace; the source holds only names made up here (codegen.define).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from hembesok.language.codegen import Namespace, define
from hembesok.language.condition_code import _Generator, compile_parts, split_parts
from hembesok.language.conditions import Condition
from hembesok.language.sites import SiteTable
from hembesok.model.plan import ELIGIBLE, NOT_ELIGIBLE, UNDETERMINED, Decision, Reason
from hembesok.model.truth import Truth

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN

#: decide(data, birth, as_of, derived, moved_in_on, declined, explain) -> Decision
Decide = Callable[..., Decision]


def compile_decision(
    eligibility: Condition,
    part_reasons: Sequence[Mapping[Truth, Reason]],
    sites: SiteTable | None,
    valid_from: dt.date | None,
    valid_to: dt.date | None,
    before: Reason | None,
    after: Reason | None,
    label: str,
) -> Decide:
    ns = Namespace(
        T=T,
        F=F,
        U=U,
        isinstance=isinstance,
        NEW=tuple.__new__,
        DECISION=Decision,
        STATUS={T: ELIGIBLE, F: NOT_ELIGIBLE, U: UNDETERMINED},
    )
    missing = compile_parts(eligibility, label).missing

    def all_missing(
        data: Mapping[str, Any],
        birth: dt.date,
        as_of: dt.date,
        derived: Mapping[str, Any],
        site_missing: tuple[str, ...],
        rule_unknown: bool,
    ) -> tuple[str, ...]:
        found = list(site_missing)
        if rule_unknown:
            for name in missing(data, birth, as_of, derived):
                # site.* facts come from the program's own site list, never from a case
                if name not in found and not name.startswith("site."):
                    found.append(name)
        return tuple(found)

    out = ["def decide(data, birth, as_of, derived, moved, declined, explain):"]
    pad = "    "
    if sites is not None:
        names = []
        for index, fact in enumerate(sites.facts):
            key = ns.bind(fact)
            name = f"s{index}"
            names.append(name)
            out += [
                f"{pad}{name} = data.get({key})",
                f"{pad}if {name} is None:",
                f"{pad}    {name} = derived.get({key})",
            ]
        town = "None"
        if sites.municipalities is not None:
            key = ns.bind("municipality")
            town = "m"
            out += [
                f"{pad}m = data.get({key})",
                f"{pad}if m is None:",
                f"{pad}    m = derived.get({key})",
            ]
        day = "as_of" if sites.by_visit else "birth"
        values = f"({', '.join(names)},)"
        out.append(f"{pad}sv = {values}")
        out.append(f"{pad}st, sr, ss, site, sf = {ns.bind(sites.check)}(sv, {town}, {day})")
        if sites.reads_facts:
            out += [
                f"{pad}if sf:",
                f"{pad}    derived = {{**derived, **sf}}",
                f"{pad}    explain = (explain[0], {ns.bind(WithSiteFacts)}(explain[1], sf))",
            ]
    validity = []
    if valid_from is not None:
        validity.append((f"birth < {ns.bind(valid_from)}", ns.bind(before)))
    if valid_to is not None:
        validity.append((f"birth > {ns.bind(valid_to)}", ns.bind(after)))
    if validity:
        for index, (test, reason) in enumerate(validity):
            out.append(f"{pad}{'if' if index == 0 else 'elif'} {test}:")
            out.append(f"{pad}    vr = {reason}")
        out += [f"{pad}else:", f"{pad}    vr = None"]
    gen = _Generator(ns)
    parts = split_parts(eligibility)
    truths = [gen.node(part, out, 1, short=True) for part in parts]
    any_f = " or ".join(f"{t} is F" for t in truths)
    any_u = " or ".join(f"{t} is U" for t in truths)
    out += [
        f"{pad}if {any_f}:",
        f"{pad}    rt = F",
        f"{pad}elif {any_u}:",
        f"{pad}    rt = U",
        f"{pad}else:",
        f"{pad}    rt = T",
    ]
    false = ["rt is F"]
    unknown = ["rt is U"]
    if sites is not None:
        false.insert(0, "st is F")
        unknown.insert(0, "st is U")
    if validity:
        false.append("vr is not None")
    out += [
        f"{pad}if {' or '.join(false)}:",
        f"{pad}    tr = F",
        f"{pad}elif {' or '.join(unknown)}:",
        f"{pad}    tr = U",
        f"{pad}else:",
        f"{pad}    tr = T",
    ]
    rules = [f"{ns.bind(table)}[{t}]" for table, t in zip(part_reasons, truths, strict=True)]
    head = ["sr"] if sites is not None else []
    if validity:
        out += [
            f"{pad}if vr is None:",
            f"{pad}    reasons = ({', '.join([*head, *rules])},)",
            f"{pad}else:",
            f"{pad}    reasons = ({', '.join([*head, 'vr', *rules])},)",
        ]
    else:
        out.append(f"{pad}reasons = ({', '.join([*head, *rules])},)")
    site_missing = f"{ns.bind(sites.missing_facts)}(sv) if st is U else ()" if sites else "()"
    out += [
        f"{pad}if tr is U:",
        f"{pad}    missing = {ns.bind(all_missing)}(data, birth, as_of, derived, {site_missing}, rt is U)",
        f"{pad}else:",
        f"{pad}    missing = ()",
        f"{pad}enrolment = birth",
        f"{pad}if moved is not None and moved > enrolment:",
        f"{pad}    enrolment = moved",
    ]
    if sites is not None and sites.by_visit:
        out += [f"{pad}if ss is not None and ss > enrolment:", f"{pad}    enrolment = ss"]
    found = "site" if sites is not None else "None"
    out.append(
        f"{pad}return NEW(DECISION, (STATUS[tr], reasons, missing, explain, enrolment, declined, {found}))"
    )
    return define("decide", out, ns, label=label)


class WithSiteFacts:
    """A case's facts with its site's facts, made only if someone reads a `Decision.trace`."""

    __slots__ = ("_base", "_site", "as_of")

    def __init__(self, base: Any, site: Mapping[str, Any]) -> None:
        self._base, self._site, self.as_of = base, site, base.as_of

    @property
    def facts(self) -> Mapping[str, Any]:
        return {**self._base.facts, **self._site}

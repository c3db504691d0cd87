"""A program's whole decision compiled into one generated Python function.

`compile_decision` writes, for one program, the function a person would write by hand
for it: read the site fact and look the site up in a table normalised once; compare the
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
from hembesok.language.reasons import SiteTable
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
    site_fact = sites.fact if sites is not None else None

    def all_missing(
        data: Mapping[str, Any],
        birth: dt.date,
        as_of: dt.date,
        derived: Mapping[str, Any],
        site_unknown: bool,
        rule_unknown: bool,
    ) -> tuple[str, ...]:
        found = [site_fact] if site_unknown and site_fact is not None else []
        if rule_unknown:
            for name in missing(data, birth, as_of, derived):
                if name not in found:
                    found.append(name)
        return tuple(found)

    out = ["def decide(data, birth, as_of, derived, moved, declined, explain):"]
    pad = "    "
    if sites is not None:
        key = ns.bind(sites.fact)
        day = "as_of" if sites.by_visit else "birth"
        out += [
            f"{pad}v = data.get({key})",
            f"{pad}if v is None:",
            f"{pad}    v = derived.get({key})",
            f"{pad}if v is None:",
            f"{pad}    st = U",
            f"{pad}    sr = {ns.bind(sites.missing)}",
            f"{pad}    ss = None",
        ]
        if sites.municipalities is not None:
            town = ns.bind("municipality")
            out += [
                f"{pad}    m = data.get({town})",
                f"{pad}    if m is None:",
                f"{pad}        m = derived.get({town})",
                f"{pad}    if m is not None:",
                f"{pad}        away = {ns.bind(sites.elsewhere)}(m)",
                f"{pad}        if away is not None:",
                f"{pad}            st = F",
                f"{pad}            sr = away",
            ]
        out += [
            f"{pad}else:",
            f"{pad}    e = {ns.bind(sites.seen)}.get(v) if v.__class__ is str else None",
            f"{pad}    if e is None:",
            f"{pad}        e = {ns.bind(sites.entry)}(v)",
            f"{pad}    if e[0] is None:",
            f"{pad}        st = F",
            f"{pad}        sr = e[1]",
            f"{pad}        ss = None",
            f"{pad}    else:",
            f"{pad}        ss = e[3]" if sites.by_visit else f"{pad}        ss = None",
            f"{pad}        if e[2]:",
            f"{pad}            st = F",
            f"{pad}            sr = e[5]",
            f"{pad}        elif e[3] is not None and {day} < e[3]:",
            f"{pad}            st = F",
            f"{pad}            sr = e[6]",
            f"{pad}        elif e[4] is not None and {day} > e[4]:",
            f"{pad}            st = F",
            f"{pad}            sr = e[7]",
            f"{pad}        else:",
            f"{pad}            st = T",
            f"{pad}            sr = e[8]",
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
    site_unknown = "st is U" if sites is not None else "False"
    out += [
        f"{pad}if tr is U:",
        f"{pad}    missing = {ns.bind(all_missing)}(data, birth, as_of, derived, {site_unknown}, rt is U)",
        f"{pad}else:",
        f"{pad}    missing = ()",
        f"{pad}enrolment = birth",
        f"{pad}if moved is not None and moved > enrolment:",
        f"{pad}    enrolment = moved",
    ]
    if sites is not None and sites.by_visit:
        out += [f"{pad}if ss is not None and ss > enrolment:", f"{pad}    enrolment = ss"]
    out.append(
        f"{pad}return NEW(DECISION, (STATUS[tr], reasons, missing, explain, enrolment, declined))"
    )
    return define("decide", out, ns, label=label)

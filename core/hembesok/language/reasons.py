"""The words of every decision, written once per program: rules and validity.

A reason depends on the rule and how it came out, never on the case (sites' reasons are
hembesok.language.sites).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

from hembesok.language.conditions import Condition, Trace
from hembesok.language.describe import describe_rule
from hembesok.model.plan import Reason
from hembesok.model.texts import LANGS, Text
from hembesok.model.truth import Truth

if TYPE_CHECKING:
    from hembesok.language.program import Program

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN


def frozen_text(text: Mapping[str, str]) -> Text:
    return MappingProxyType(dict(text))


def rule_reason(node: Condition | Trace, truth: Truth) -> Reason:
    """The reason a top-level rule gives when it comes out `truth`: its words and facts."""
    text = frozen_text({lang: describe_rule(node, lang) for lang in LANGS})
    return Reason(node.path, truth, text, tuple(sorted(facts_in(node))))


def facts_in(node: Condition | Trace) -> set[str]:
    found = {node.fact} if node.fact else set()
    for child in node.children:
        found |= facts_in(child)
    return found


def validity_reasons(program: Program) -> tuple[Reason | None, Reason | None]:
    """The reasons of a birth before `valid_from` and after `valid_to`."""
    before = after = None
    if program.valid_from is not None:
        day = program.valid_from.isoformat()
        before = Reason(
            "$.valid_from",
            F,
            frozen_text(
                {
                    "sv": f"Programmet gäller barn födda från {day}.",
                    "en": f"The programme applies to children born on or after {day}.",
                }
            ),
            ("child.birth_date",),
        )
    if program.valid_to is not None:
        day = program.valid_to.isoformat()
        after = Reason(
            "$.valid_to",
            F,
            frozen_text(
                {
                    "sv": f"Programmet gäller barn födda till och med {day}.",
                    "en": f"The programme applies to children born on or before {day}.",
                }
            ),
            ("child.birth_date",),
        )
    return before, after

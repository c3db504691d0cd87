"""Why a visit was counted from the age it was: the words `hembesok explain` gives.

The dates themselves are worked out by the program's evaluator (hembesok.language.
evaluator); this says, for one visit and one child, which rule chose the basis.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from hembesok.model import ages
from hembesok.model.plan import CORRECTED
from hembesok.model.texts import Text

if TYPE_CHECKING:
    from hembesok.language.program import Program, Visit


def pregnancy(weeks: int, days: int) -> str:
    return f"{weeks}+{days}"


def basis_reason(program: Program, visit: Visit, basis: str, gestational: Any) -> Text:
    """The reason `visit` was counted from `basis` for a child born at `gestational`
    ({weeks, days} from the case, or None)."""
    limit = program.corrected_age
    below = pregnancy(limit.below.weeks, limit.below.days)
    until_sv, until_en = limit.until.describe("sv"), limit.until.describe("en")
    if not visit.corrected:
        return {
            "sv": "Födelsedatum: besöket räknas alltid från födelsedatum.",
            "en": "Birth date: the visit always counts from the birth date.",
        }
    if not isinstance(gestational, Mapping) or not isinstance(gestational.get("weeks"), int):
        return {
            "sv": "Födelsedatum: graviditetslängd vid födseln saknas (child.gestational_age), "
            "så ingen korrigerad ålder kan räknas.",
            "en": "Birth date: no gestational age at birth given (child.gestational_age), "
            "so no corrected age can be counted.",
        }
    weeks, days = gestational["weeks"], gestational.get("days", 0)
    born = pregnancy(weeks, days)
    if basis == CORRECTED:
        early = ages.days_early(weeks, days)
        return {
            "sv": f"Korrigerad ålder: född i vecka {born}, {early} dagar före fullgången tid "
            f"(40+0); programmet räknar detta besök från korrigerad ålder för barn födda "
            f"före vecka {below}, till {until_sv}.",
            "en": f"Corrected age: born at {born} weeks, {early} days before term (40+0); the "
            f"programme counts this visit from corrected age for children born before "
            f"{below} weeks, until {until_en}.",
        }
    if weeks * 7 + days >= limit.below.total_days:
        return {
            "sv": f"Födelsedatum: född i vecka {born}, inte före vecka {below}.",
            "en": f"Birth date: born at {born} weeks, not before {below} weeks.",
        }
    return {
        "sv": f"Födelsedatum: besöket ligger vid {until_sv} eller senare, då korrigerad ålder "
        "inte längre används.",
        "en": f"Birth date: the visit falls at {until_en} or later, when corrected age is no "
        "longer used.",
    }

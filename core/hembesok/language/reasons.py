"""The words of every decision, written once per program: rules, sites and validity.

A reason depends on the rule and how it came out, never on the case, with one
exception: a site the program does not know is named in its reason, so those reasons are
made per name (and remembered, since journals send the same few names over and over).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from hembesok.language.condition_code import MEMO_LIMIT
from hembesok.language.conditions import Condition, Trace, normalise_text
from hembesok.language.describe import describe_rule
from hembesok.model.plan import Reason
from hembesok.model.texts import LANGS, Text
from hembesok.model.truth import Truth

if TYPE_CHECKING:
    from hembesok.language.program import Program, Site

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
SiteEntry = tuple[Any, ...]


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


NO_SITE_FACT: dict[str, Text] = {
    "listed_bvc": {
        "sv": "Uppgift om listad BVC saknas; programmet ges bara vid vissa BVC.",
        "en": "No listed BVC given; the programme runs at certain BVCs only.",
    },
    "municipality": {
        "sv": "Uppgift om hemkommun saknas; programmet ges bara i vissa kommuner.",
        "en": "No municipality given; the programme runs in certain municipalities only.",
    },
    "area": {
        "sv": "Uppgift om bostadsområde saknas; programmet ges bara i vissa områden.",
        "en": "No residential area given; the programme runs in certain areas only.",
    },
}


class SiteTable:
    """A program's sites, normalised once, with the reason each outcome gives."""

    def __init__(self, program: Program) -> None:
        sites = program.sites
        assert sites is not None
        self.fact = sites.match
        self.by_visit = sites.applies_by == "visit_date"
        self.by_key: dict[str, Site] = {}
        for site in sites.sites:
            for key in site.keys:
                self.by_key.setdefault(key, site)
        self.names = ", ".join(s.name for s in sites.sites if not s.planned)
        self.missing = Reason("$.sites", U, frozen_text(NO_SITE_FACT[self.fact]), (self.fact,))
        self.seen: dict[str, SiteEntry] = {}
        # Where the sites lie, when every one says: a family living elsewhere is not
        # covered even when its site is unknown.
        places = [s.municipality for s in sites.sites]
        self.municipalities: frozenset[str] | None = (
            frozenset(normalise_text(m) for m in places if m)
            if self.fact != "municipality" and all(places)
            else None
        )
        self.places = ", ".join(dict.fromkeys(m for m in places if m))
        self._elsewhere: dict[str, Reason | None] = {}
        self.reasons: dict[tuple[str, str], Reason] = {}
        for site in sites.sites:
            self.reasons[(site.id, "planned")] = self._reason(
                F,
                {
                    "sv": f"{site.name} är planerad men har inte startat programmet.",
                    "en": f"{site.name} is planned but has not started the programme.",
                },
            )
            if site.start is not None:
                start = site.start.isoformat()
                text = (
                    {
                        "sv": f"{site.name} börjar med programmet {start}.",
                        "en": f"{site.name} starts the programme on {start}.",
                    }
                    if self.by_visit
                    else {
                        "sv": f"{site.name} startade programmet {start}, efter barnets födelse.",
                        "en": f"{site.name} started the programme on {start}, after the child was born.",
                    }
                )
                self.reasons[(site.id, "before")] = self._reason(F, text, dated=True)
            if site.end is not None:
                end = site.end.isoformat()
                text = (
                    {
                        "sv": f"{site.name} avslutade programmet {end}.",
                        "en": f"{site.name} ended the programme on {end}.",
                    }
                    if self.by_visit
                    else {
                        "sv": f"{site.name} avslutade programmet {end}, före barnets födelse.",
                        "en": f"{site.name} ended the programme on {end}, before the child was born.",
                    }
                )
                self.reasons[(site.id, "after")] = self._reason(F, text, dated=True)
            since = f" sedan {site.start.isoformat()}" if site.start else ""
            since_en = f" since {site.start.isoformat()}" if site.start else ""
            self.reasons[(site.id, "in")] = self._reason(
                T,
                {
                    "sv": f"{site.name} ingår i programmet{since}.",
                    "en": f"{site.name} takes part in the programme{since_en}.",
                },
            )

    def _reason(self, truth: Truth, text: Text, dated: bool = False) -> Reason:
        facts = (self.fact, "child.birth_date") if dated else (self.fact,)
        return Reason("$.sites", truth, frozen_text(text), facts)

    def _not_taking_part(self, value: Any) -> Reason:
        text = {
            "sv": f"{value} ingår inte i programmet (deltagande: {self.names}).",
            "en": f"{value} does not take part in the programme (taking part: {self.names}).",
        }
        return Reason("$.sites", F, frozen_text(text), (self.fact,))

    def elsewhere(self, municipality: Any) -> Reason | None:
        """The reason a family living outside every site's municipality gives, or None
        when it may live in one (or the sites do not say where they lie)."""
        if self.municipalities is None or not isinstance(municipality, str):
            return None
        found = self._elsewhere.get(municipality, False)
        if found is False:
            found = None
            if normalise_text(municipality) not in self.municipalities:
                text = {
                    "sv": f"Familjen bor i {municipality}; programmet ges bara vid BVC i {self.places}.",
                    "en": f"The family lives in {municipality}; the programme runs only at BVCs in {self.places}.",
                }
                found = Reason("$.sites", F, frozen_text(text), ("municipality", self.fact))
            if len(self._elsewhere) >= MEMO_LIMIT:
                self._elsewhere.clear()
            self._elsewhere[municipality] = found
        return found  # type: ignore[return-value]

    def entry(self, value: Any) -> SiteEntry:
        """What a site value leads to, remembered for text (the same few names recur):
        (site, the reason a name outside the program gives, planned, start, end, and the
        reasons of planned, not yet started, ended and taking part)."""
        if not isinstance(value, str):
            return (None, self._not_taking_part(value), False, None, None, None, None, None, None)
        found = self.seen.get(value)
        if found is None:
            site = self.by_key.get(normalise_text(value))
            if site is None:
                found = (
                    None,
                    self._not_taking_part(value),
                    False,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                )
            else:
                r = self.reasons
                found = (
                    site,
                    None,
                    site.planned,
                    site.start,
                    site.end,
                    r[(site.id, "planned")],
                    r.get((site.id, "before")),
                    r.get((site.id, "after")),
                    r[(site.id, "in")],
                )
            if len(self.seen) >= MEMO_LIMIT:
                self.seen.clear()
            self.seen[value] = found
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

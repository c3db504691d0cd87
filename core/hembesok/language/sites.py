"""Where a program runs: the case's site looked up, gated by date, and read as facts.

A program's `sites.match` names the case facts that name a site, tried in order (a BVC,
else the municipality). The first value that names a listed site decides whether the
family is covered: the site must be active on the date sites apply by (the birth date, or
the as-of date for programs that apply by visit date). That date also picks each
attribute's value in effect (`site.cni`), read from the first matched site that has one,
so a BVC's own value wins over its municipality's.

Both the compiled decision (hembesok.language.decision_code) and the declarative default
(hembesok.plugins.declarative) ask this table, so the words of every site reason are
written once per program, and the reasons for names outside the program once per name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from hembesok.language.conditions import normalise_text
from hembesok.language.reasons import frozen_text
from hembesok.model.plan import Reason
from hembesok.model.texts import Text
from hembesok.model.truth import Truth

if TYPE_CHECKING:
    from hembesok.language.program import Program, Site

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
#: How many distinct site values a program remembers the outcome of.
MEMO_LIMIT = 4096
#: The facts every matched site gives, besides its declared attributes.
BUILT_IN_SITE_FACTS = ("site.id", "site.municipality", "site.district")

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
_FACT_WORDS: dict[str, Text] = {
    "listed_bvc": {"sv": "listad BVC", "en": "listed BVC"},
    "municipality": {"sv": "hemkommun", "en": "municipality"},
    "area": {"sv": "bostadsområde", "en": "residential area"},
}


class Found(NamedTuple):
    """What one site value leads to (remembered per value)."""

    site: Site | None
    outside: Reason | None  # the value names no listed site
    planned: Reason | None = None
    before: Reason | None = None
    after: Reason | None = None
    within: Reason | None = None


class SiteCheck(NamedTuple):
    """The outcome for one case: covered or not, why, and what the site gives."""

    truth: Truth
    reason: Reason
    start: dt.date | None  # the site's start, for programs that apply by visit date
    site: Site | None
    facts: Mapping[str, Any] | None  # site.* facts (only for programs that read them)


class SiteTable:
    """A program's sites, normalised once, with the reason each outcome gives."""

    def __init__(self, program: Program) -> None:
        sites = program.sites
        assert sites is not None
        self.facts = sites.match
        self.by_visit = sites.applies_by == "visit_date"
        self.attributes = sites.attributes
        self.by_key: dict[str, Site] = {}
        for site in sites.sites:
            for key in site.keys:
                self.by_key.setdefault(key, site)
        self.names = ", ".join(s.name for s in sites.sites if not s.planned)
        self.missing = self._missing_reason(self.facts)
        self._missing_some: dict[tuple[str, ...], Reason] = {self.facts: self.missing}
        self.seen: dict[str, Found] = {}
        #: Whether any rule reads a site.* fact: only then are they worked out per case.
        used = program.eligibility.facts_used
        self.reads_facts = any(name.startswith("site.") for name in used)
        # Where the sites lie, when every one says: a family living elsewhere is not
        # covered even when its site is unknown.
        places = [s.municipality for s in sites.sites]
        self.municipalities: frozenset[str] | None = (
            frozenset(normalise_text(m) for m in places if m)
            if "municipality" not in self.facts and all(places)
            else None
        )
        self.places = ", ".join(dict.fromkeys(m for m in places if m))
        self._elsewhere: dict[str, Reason | None] = {}
        self.reasons: dict[tuple[str, str], Reason] = {}
        for site in sites.sites:
            self._site_reasons(site)

    # --- the reasons, written once -----------------------------------------------------

    def _site_reasons(self, site: Site) -> None:
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
        facts = (*self.facts, "child.birth_date") if dated else self.facts
        return Reason("$.sites", truth, frozen_text(text), facts)

    def _missing_reason(self, facts: Sequence[str]) -> Reason:
        if len(facts) == 1:
            text = NO_SITE_FACT[facts[0]]
        else:
            text = {
                lang: (
                    f"Uppgift om {' eller '.join(_FACT_WORDS[f]['sv'] for f in facts)} saknas; "
                    "programmet ges bara på vissa platser."
                    if lang == "sv"
                    else f"No {' or '.join(_FACT_WORDS[f]['en'] for f in facts)} given; "
                    "the programme runs in certain places only."
                )
                for lang in ("sv", "en")
            }
        return Reason("$.sites", U, frozen_text(text), tuple(facts))

    def _not_taking_part(self, value: Any) -> Reason:
        text = {
            "sv": f"{value} ingår inte i programmet (deltagande: {self.names}).",
            "en": f"{value} does not take part in the programme (taking part: {self.names}).",
        }
        return Reason("$.sites", F, frozen_text(text), self.facts)

    def prepared(self) -> list[Reason]:
        """Every reason made once for this program (a writer may prepare their JSON)."""
        return [self.missing, *self.reasons.values()]

    # --- per case ----------------------------------------------------------------------

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
                found = Reason("$.sites", F, frozen_text(text), ("municipality", *self.facts))
            if len(self._elsewhere) >= MEMO_LIMIT:
                self._elsewhere.clear()
            self._elsewhere[municipality] = found
        return found  # type: ignore[return-value]

    def entry(self, value: Any) -> Found:
        """What one site value leads to, remembered for text (the same few names recur)."""
        if not isinstance(value, str):
            return Found(None, self._not_taking_part(value))
        found = self.seen.get(value)
        if found is None:
            site = self.by_key.get(normalise_text(value))
            if site is None:
                found = Found(None, self._not_taking_part(value))
            else:
                r = self.reasons
                found = Found(
                    site,
                    None,
                    r[(site.id, "planned")],
                    r.get((site.id, "before")),
                    r.get((site.id, "after")),
                    r[(site.id, "in")],
                )
            if len(self.seen) >= MEMO_LIMIT:
                self.seen.clear()
            self.seen[value] = found
        return found

    def check(self, values: Sequence[Any], municipality: Any, day: dt.date) -> SiteCheck:
        """Whether the case's site takes part on `day`. `values`: the case's value of each
        `match` fact, in order (None where not given); `municipality`: its municipality."""
        first: Found | None = None
        matched: list[Site] = []
        outside: Found | None = None
        for value in values:
            if value is None:
                continue
            found = self.entry(value)
            if found.site is None:
                outside = outside or found
                continue
            if first is None:
                first = found
            matched.append(found.site)
        if first is not None:
            site = first.site
            assert site is not None
            if site.planned:
                truth, reason = F, first.planned
            elif site.start is not None and day < site.start:
                truth, reason = F, first.before
            elif site.end is not None and day > site.end:
                truth, reason = F, first.after
            else:
                truth, reason = T, first.within
            assert reason is not None
            facts = self.site_facts(matched, day) if self.reads_facts else None
            return SiteCheck(truth, reason, site.start if self.by_visit else None, site, facts)
        if any(value is None for value in values):
            away = self.elsewhere(municipality)
            if away is not None:
                return SiteCheck(F, away, None, None, None)
            return SiteCheck(U, self._missing(values), None, None, None)
        assert outside is not None and outside.outside is not None
        return SiteCheck(F, outside.outside, None, None, None)

    def missing_facts(self, values: Sequence[Any]) -> tuple[str, ...]:
        """The match facts a case did not give (for an undetermined site)."""
        return tuple(f for f, v in zip(self.facts, values, strict=True) if v is None)

    def _missing(self, values: Sequence[Any]) -> Reason:
        absent = self.missing_facts(values)
        found = self._missing_some.get(absent)
        if found is None:
            found = self._missing_some[absent] = self._missing_reason(absent)
        return found

    def site_facts(self, matched: Sequence[Site], day: dt.date) -> dict[str, Any]:
        """`site.*` facts on `day`: the first matched site's id, municipality and district,
        and each attribute from the first matched site with a value then (else its
        declared default)."""
        site = matched[0]
        out: dict[str, Any] = {"site.id": site.id}
        if site.municipality is not None:
            out["site.municipality"] = site.municipality
        if site.district is not None:
            out["site.district"] = site.district
        for name, attribute in self.attributes.items():
            value = None
            for candidate in matched:
                value = candidate.value_on(name, day)
                if value is not None:
                    break
            if value is None:
                value = attribute.default
            if value is not None:
                out[f"site.{name}"] = value
        return out

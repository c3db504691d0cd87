"""One program compiled for planning: its decision and its visits for a case, fast.

Everything that depends on the program alone is done here once: the condition becomes
generated Python (hembesok.language.condition_code), every reason's words are written
for each way its rule can come out, the site table is normalised, and visit dates are
remembered per birth date (they depend on nothing else, see docs/dates.md). Per case
only what varies is worked out: which facts hold, which reasons apply, each visit's
status on the as-of date.

The built-in declarative plugin (hembesok.plugins.declarative) answers the same
questions by interpreting the program with a full trace; tests hold the two to the same
answers on generated cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from hembesok.language.condition_code import compile_parts, split_parts
from hembesok.language.conditions import Condition, Trace, normalise_text
from hembesok.language.describe import describe_rule
from hembesok.model import ages
from hembesok.model.ages import Window
from hembesok.model.plan import ELIGIBLE, NOT_ELIGIBLE, UNDETERMINED, Decision, PlannedVisit, Reason
from hembesok.model.texts import LANGS, Text
from hembesok.model.truth import Truth

if TYPE_CHECKING:
    from hembesok.language.program import Program, Site, Visit

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
STATUS = {T: ELIGIBLE, F: NOT_ELIGIBLE, U: UNDETERMINED}
#: Birth dates whose visit dates a program remembers (about six years of children).
DATES_REMEMBERED = 4096

#: A visit with its target date and window for one birth date, and where its record is found.
Dated = tuple["Visit", dt.date, Window, tuple[str, str], "tuple[str, str] | None"]
#: (program id, visit id) -> the date the visit was made.
DoneVisits = Mapping[tuple[str, str], dt.date]
_tuple_new = tuple.__new__


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

    def outcome(
        self, value: Any, birth: dt.date, as_of: dt.date
    ) -> tuple[Truth, Reason, Site | None]:
        """Whether the case's site takes part: by the child's birth date, or by `as_of` for
        programs whose sites apply by visit date (see docs/dates.md)."""
        if value is None:
            return U, self.missing, None
        site = self.by_key.get(normalise_text(value)) if isinstance(value, str) else None
        if site is None:
            text = {
                "sv": f"{value} ingår inte i programmet (deltagande: {self.names}).",
                "en": f"{value} does not take part in the programme (taking part: {self.names}).",
            }
            return F, Reason("$.sites", F, text, (self.fact,)), None
        if site.planned:
            return F, self.reasons[(site.id, "planned")], site
        day = as_of if self.by_visit else birth
        if site.start is not None and day < site.start:
            return F, self.reasons[(site.id, "before")], site
        if site.end is not None and day > site.end:
            return F, self.reasons[(site.id, "after")], site
        return T, self.reasons[(site.id, "in")], site


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


class ProgramEvaluator:
    """Decides and plans one program for a case: the compiled form of `Program`."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.id = program.id
        compiled = compile_parts(program.eligibility, label=f"program {program.id}")
        self._parts = compiled.parts
        self._missing = compiled.missing
        self._split = compiled.split
        self._part_reasons = tuple(
            {truth: rule_reason(part, truth) for truth in (T, F, U)}
            for part in split_parts(program.eligibility)
        )
        self._sites = SiteTable(program) if program.sites is not None else None
        self._valid_from = program.valid_from
        self._valid_to = program.valid_to
        self._before, self._after = validity_reasons(program)
        self._dates: dict[dt.date, tuple[Dated, ...]] = {}

    def prepared_reasons(self) -> list[Reason]:
        """Every reason made once for this program (a writer may prepare their JSON too)."""
        found = [r for table in self._part_reasons for r in table.values()]
        if self._sites is not None:
            found += [self._sites.missing, *self._sites.reasons.values()]
        found += [r for r in (self._before, self._after) if r is not None]
        return found

    # --- the decision ----------------------------------------------------------------

    def decide(
        self,
        data: Mapping[str, Any],
        birth: dt.date,
        as_of: dt.date,
        derived: Mapping[str, Any],
        *,
        moved_in_on: dt.date | None,
        declined: bool,
        explain: Callable[[], Trace] | None = None,
    ) -> Decision:
        """Eligible, not eligible or undetermined, with its reasons and missing facts."""
        reasons: list[Reason] = []
        truth = T
        site_start = None
        site_truth = T
        sites = self._sites
        if sites is not None:
            value = data.get(sites.fact)
            if value is None:
                value = derived.get(sites.fact)
            site_truth, reason, site = sites.outcome(value, birth, as_of)
            if site is not None and sites.by_visit:
                site_start = site.start
            reasons.append(reason)
            truth = site_truth
        if self._valid_from is not None and birth < self._valid_from:
            reasons.append(self._before)  # type: ignore[arg-type]
            truth = F
        elif self._valid_to is not None and birth > self._valid_to:
            reasons.append(self._after)  # type: ignore[arg-type]
            truth = F
        parts = self._parts(data, birth, as_of, derived)
        rule_truth = T
        for index, part in enumerate(parts):
            reasons.append(self._part_reasons[index][part])
            if part is F:
                rule_truth = F
            elif part is U and rule_truth is T:
                rule_truth = U
        if not self._split:
            rule_truth = parts[0]
        if rule_truth is F or truth is F:
            truth = F
        elif rule_truth is U:
            truth = U
        missing: tuple[str, ...] = ()
        if truth is U:
            found = [sites.fact] if sites is not None and site_truth is U else []
            if rule_truth is U:
                for name in self._missing(data, birth, as_of, derived):
                    if name not in found:
                        found.append(name)
            missing = tuple(found)
        enrolment = birth
        if moved_in_on is not None and moved_in_on > enrolment:
            enrolment = moved_in_on
        if site_start is not None and site_start > enrolment:
            enrolment = site_start
        return Decision(
            STATUS[truth], tuple(reasons), missing, None, enrolment, declined, explain=explain
        )

    # --- the visits --------------------------------------------------------------------

    def dates(self, birth: dt.date) -> tuple[Dated, ...]:
        """Each visit's target date and window for a child born on `birth` (remembered),
        with where its record is found: (its program, its id) and its `same_as`."""
        found = self._dates.get(birth)
        if found is None:
            pid = self.id
            found = tuple(
                (
                    visit,
                    target,
                    ages.window_around(target, visit.before, visit.after),
                    (pid, visit.id),
                    visit.same_as,
                )
                for visit in self.program.schedule
                for target in (ages.add(birth, visit.age),)
            )
            if len(self._dates) >= DATES_REMEMBERED:
                self._dates.clear()
            self._dates[birth] = found
        return found

    def visits(
        self,
        birth: dt.date,
        as_of: dt.date,
        done: DoneVisits,
        enrolment: dt.date,
        declined: bool,
    ) -> tuple[PlannedVisit, ...]:
        """Every visit's dates and status on `as_of`: see docs/dates.md for the rules."""
        out = []
        for visit, target, window, own, same_as in self.dates(birth):
            done_on = done.get(own) if done else None
            if done_on is None and same_as is not None and done:
                done_on = done.get(same_as)
            if done_on is not None:
                status = "done"
            elif declined:
                status = "declined"
            elif window[1] < enrolment:
                status = "not_offered"
            elif as_of < window[0]:
                status = "upcoming"
            elif as_of <= target:
                status = "due"
            elif as_of <= window[1]:
                status = "overdue"
            else:
                status = "missed"
            out.append(_tuple_new(PlannedVisit, (visit, target, window, status, done_on, None)))
        return tuple(out)

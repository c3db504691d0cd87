"""One program compiled for planning: its decision and its visits for a case, fast.

Everything that depends on the program alone is done here once: the decision becomes
generated Python (hembesok.language.decision_code), every reason's words are written for
each way its rule can come out (hembesok.language.reasons), the site table is
normalised, and visit dates are remembered per birth date (they depend on nothing else,
see docs/dates.md). Per case
only what varies is worked out: which facts hold, which reasons apply, each visit's
status on the as-of date.

The built-in declarative plugin (hembesok.plugins.declarative) answers the same
questions by interpreting the program with a full trace; tests hold the two to the same
answers on generated cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from hembesok.language.condition_code import split_parts
from hembesok.language.decision_code import Decide, compile_decision
from hembesok.language.reasons import rule_reason, validity_reasons
from hembesok.language.sites import SiteTable
from hembesok.model import ages
from hembesok.model.ages import Window
from hembesok.model.plan import CHRONOLOGICAL, CORRECTED, PlannedDose, PlannedVisit, Reason
from hembesok.model.truth import Truth

if TYPE_CHECKING:
    from hembesok.language.program import Dose, Program, Site, Visit

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
#: Birth dates whose visit dates a program remembers (about six years of children).
DATES_REMEMBERED = 4096

#: A visit with its target date and window for one birth date, where its record is found,
#: and from which age its dates were counted.
Dated = tuple["Visit", dt.date, Window, tuple[str, str], "tuple[str, str] | None", str]
#: (program id, visit id) -> the date the visit was made.
DoneVisits = Mapping[tuple[str, str], dt.date]
#: (vaccine, dose number) -> the date the dose was given.
GivenDoses = Mapping[tuple[str, int], dt.date]
_tuple_new = tuple.__new__


class ProgramEvaluator:
    """Decides and plans one program for a case: the compiled form of `Program`."""

    def __init__(self, program: Program) -> None:
        self.program = program
        self.id = program.id
        self._part_reasons = tuple(
            {truth: rule_reason(part, truth) for truth in (T, F, U)}
            for part in split_parts(program.eligibility)
        )
        self.sites = self._sites = SiteTable(program) if program.sites is not None else None
        self._before, self._after = validity_reasons(program)
        #: decide(data, birth, as_of, derived, moved_in_on, declined, explain) -> Decision:
        #: eligible, not eligible or undetermined, with its reasons and missing facts.
        self.decide: Decide = compile_decision(
            program.eligibility,
            self._part_reasons,
            self._sites,
            program.valid_from,
            program.valid_to,
            self._before,
            self._after,
            label=f"program {program.id}",
        )
        self._dates: dict[tuple[dt.date, int], tuple[Dated, ...]] = {}
        self._doses: dict[dt.date, tuple[tuple[Dose, dt.date, Window], ...]] = {}
        #: Whether any visit counts from corrected age (only then is gestational age read).
        self.corrects = any(v.corrected for v in program.schedule)
        below = program.corrected_age.below
        self._below_days = below.total_days  # weeks and days of pregnancy (schema: no months)

    def prepared_reasons(self) -> list[Reason]:
        """Every reason made once for this program (a writer may prepare their JSON too)."""
        found = [r for table in self._part_reasons for r in table.values()]
        if self._sites is not None:
            found += self._sites.prepared()
        found += [r for r in (self._before, self._after) if r is not None]
        return found

    # --- the visits --------------------------------------------------------------------

    def early(self, gestational: Any) -> int:
        """Days before term that corrected visits are shifted by for a child born at
        `gestational` ({weeks, days} from the case, or None): 0 unless born before the
        program's `corrected_age.below`."""
        if not self.corrects or not isinstance(gestational, Mapping):
            return 0
        weeks, days = gestational.get("weeks"), gestational.get("days", 0)
        if not isinstance(weeks, int) or not isinstance(days, int):
            return 0
        if weeks * 7 + days >= self._below_days:
            return 0
        return ages.days_early(weeks, days)

    def dates(self, birth: dt.date, early: int = 0) -> tuple[Dated, ...]:
        """Each visit's target date and window for a child born on `birth`, `early` days
        before term (remembered), with where its record is found: (its program, its id)
        and its `same_as`, and the age it was counted from (docs/dates.md)."""
        found = self._dates.get((birth, early))
        if found is None:
            pid = self.id
            until = ages.add(birth, self.program.corrected_age.until)
            out = []
            for visit in self.program.schedule:
                target = ages.add(birth, visit.age)
                basis = CHRONOLOGICAL
                if early and visit.corrected and target < until:
                    target = ages.corrected_add(birth, early, visit.age)
                    basis = CORRECTED
                window = ages.window_around(target, visit.before, visit.after)
                out.append((visit, target, window, (pid, visit.id), visit.same_as, basis))
            found = tuple(out)
            if len(self._dates) >= DATES_REMEMBERED:
                self._dates.clear()
            self._dates[(birth, early)] = found
        return found

    def visits(
        self,
        birth: dt.date,
        as_of: dt.date,
        done: DoneVisits,
        enrolment: dt.date,
        declined: bool,
        early: int = 0,
        site: Site | None = None,
    ) -> tuple[PlannedVisit, ...]:
        """Every visit's dates and status on `as_of`: see docs/dates.md for the rules.
        A site that offers only some visits (`sites.list[].visits`) leaves the others out."""
        offered = site.visits if site is not None else None
        out = []
        for visit, target, window, own, same_as, basis in self.dates(birth, early):
            if offered is not None and visit.id not in offered:
                continue
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
            elif as_of <= window[1]:
                status = "due"  # never late while the window is open
            else:
                status = "missed"
            out.append(
                _tuple_new(PlannedVisit, (visit, target, window, status, done_on, None, basis))
            )
        return tuple(out)

    # --- the vaccinations --------------------------------------------------------------

    def dose_dates(self, birth: dt.date) -> tuple[tuple[Dose, dt.date, Window], ...]:
        """Each dose's target date and window: by chronological age, always."""
        found = self._doses.get(birth)
        if found is None:
            found = tuple(
                (dose, target, ages.window_around(target, dose.before, dose.after))
                for dose in self.program.vaccinations
                for target in (ages.add(birth, dose.age),)
            )
            if len(self._doses) >= DATES_REMEMBERED:
                self._doses.clear()
            self._doses[birth] = found
        return found

    def doses(
        self,
        birth: dt.date,
        as_of: dt.date,
        given: GivenDoses,
        declined: Collection[str],
        all_declined: bool,
    ) -> tuple[PlannedDose, ...]:
        """Every dose's dates and status on `as_of` (docs/dates.md#vaccinations): a dose
        not given when its window has closed is `missed`, whenever the family came, so
        that a nurse sees every dose the child lacks; a dose whose course was not started
        (its `course_start` dose missed) is `not_started`."""
        out: list[PlannedDose] = []
        for dose, target, window in self.dose_dates(birth):
            given_on = given.get((dose.vaccine, dose.number)) if given else None
            if given_on is not None:
                status = "done"
            elif all_declined or dose.vaccine in declined:
                status = "declined"
            elif dose.course_start is not None and _course_not_started(out, dose.course_start):
                status = "not_started"
            elif as_of < window[0]:
                status = "upcoming"
            elif as_of <= window[1]:
                status = "due"
            else:
                status = "missed"
            out.append(_tuple_new(PlannedDose, (dose, target, window, status, given_on)))
        return tuple(out)


def _course_not_started(planned: Sequence[PlannedDose], start: str) -> bool:
    """Whether the dose `start` (listed before, so already planned) was missed, or was
    itself not started: then the course it starts was never begun."""
    for d in planned:
        if d.dose.id == start:
            return d.status in ("missed", "not_started")
    return False

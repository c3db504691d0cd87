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
from collections.abc import Mapping
from typing import TYPE_CHECKING

from hembesok.language.condition_code import split_parts
from hembesok.language.decision_code import Decide, compile_decision
from hembesok.language.reasons import SiteTable, rule_reason, validity_reasons
from hembesok.model import ages
from hembesok.model.ages import Window
from hembesok.model.plan import PlannedVisit, Reason
from hembesok.model.truth import Truth

if TYPE_CHECKING:
    from hembesok.language.program import Program, Visit

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN
#: Birth dates whose visit dates a program remembers (about six years of children).
DATES_REMEMBERED = 4096

#: A visit with its target date and window for one birth date, and where its record is found.
Dated = tuple["Visit", dt.date, Window, tuple[str, str], "tuple[str, str] | None"]
#: (program id, visit id) -> the date the visit was made.
DoneVisits = Mapping[tuple[str, str], dt.date]
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
        self._sites = SiteTable(program) if program.sites is not None else None
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
        self._dates: dict[dt.date, tuple[Dated, ...]] = {}

    def prepared_reasons(self) -> list[Reason]:
        """Every reason made once for this program (a writer may prepare their JSON too)."""
        found = [r for table in self._part_reasons for r in table.values()]
        if self._sites is not None:
            found += [self._sites.missing, *self._sites.reasons.values()]
        found += [r for r in (self._before, self._after) if r is not None]
        return found

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
            elif as_of <= window[1]:
                status = "due"  # never late while the window is open
            else:
                status = "missed"
            out.append(_tuple_new(PlannedVisit, (visit, target, window, status, done_on, None)))
        return tuple(out)

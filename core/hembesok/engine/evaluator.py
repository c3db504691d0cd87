"""Evaluation: compiled programs plus a case and an as-of date give a plan. Nothing else.

`Evaluator.evaluate` reads no clock, does no I/O and keeps no state between calls, so
a journal may call it any day and get the same answer for the same inputs. (A program
remembers visit dates per birth date and the normal form of names it has compared:
both are pure functions of their input, bounded in size.)

Each program is planned by its compiled evaluator, with no plugin dispatch, unless an
installed plugin implements a decision hook: then that hook is called through pluggy for
the programs the plugin answers for (all of them, unless it names them in
`HEMBESOK_ANSWERS_FOR`), with the built-in declarative plugin as the default it wraps
or falls back to. Building an engine from installed plugins is hembesok.engine.engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pluggy

from hembesok.engine.guard import Guard, HookFailure
from hembesok.engine.occasions import screening_occasions
from hembesok.engine.references import reference_problems
from hembesok.engine.timeline import apply_replacements, merge
from hembesok.io.documents import Document
from hembesok.io.problems import Problem
from hembesok.language.program import Program
from hembesok.language.scoring import Scorer
from hembesok.model import ages
from hembesok.model.case import Case
from hembesok.model.instrument import Instrument
from hembesok.model.plan import NOT_ELIGIBLE, Decision, Plan, PlannedDose, PlannedVisit, ProgramPlan
from hembesok.model.screening import Response, ScreeningResult
from hembesok.plugins.manager import BUILTIN_NAME, LoadedPlugins
from hembesok.version import __version__

#: A plugin module may list the facts its `hembesok_case_facts` derives (authoring.lint
#: reads it too).
DERIVED_FACTS_ATTRIBUTE = "HEMBESOK_DERIVED_FACTS"
#: A plugin module may name the program and instrument ids its decision hooks answer for;
#: the others are planned without dispatch. Without it, it answers for every one.
ANSWERS_FOR_ATTRIBUTE = "HEMBESOK_ANSWERS_FOR"
ALL = None  # every program: a plugin that does not say which it answers for

#: Dates (visits done) an evaluator keeps read, as text to date: about 27 years of days.
DAYS_REMEMBERED = 10_000
_AGE_FACTS = frozenset({"child.age_days", "child.age_months"})
_FIRST_CHILD_FACTS = frozenset(
    {
        "first_child.either_parent",
        "first_child.both_parents",
        "first_child.birthing_parent",
        "first_child.in_municipality",
    }
)


class Evaluator:
    """The installed programs and instruments, and how to plan a case with them."""

    def __init__(
        self,
        loaded: LoadedPlugins,
        programs: dict[str, Program] | None = None,
        instruments: dict[str, Instrument] | None = None,
        *,
        interpret: bool = False,
    ) -> None:
        self.loaded = loaded
        self.programs: dict[str, Program] = programs if programs is not None else {}
        self.instruments: dict[str, Instrument] = instruments if instruments is not None else {}
        #: Every program through the hooks, the declarative default interpreting each rule
        #: with its trace: the reference the compiled path is tested against.
        self.interpret = interpret
        self._prepared: _Dispatch | None = None
        self._guard = Guard(loaded, loaded.hook_seconds)
        self._scorers: dict[str, Scorer] = {}
        self._days: dict[str, dt.date] = {}

    # --- what is dispatched ----------------------------------------------------------

    def _dispatch(self) -> _Dispatch:
        interpret = self.interpret or self.loaded.traced
        key = (id(self.programs), len(self.programs), interpret)
        if self._prepared is None or self._prepared.key != key:
            self._prepared = _Dispatch(self.loaded.manager, self.programs, interpret)
            self._prepared.key = key
        return self._prepared

    def dispatched(self, program_id: str) -> bool:
        """Whether `program_id` is decided through the plugin hooks rather than compiled code."""
        d = self._dispatch()
        return program_id in d.eligibility or program_id in d.schedule

    # --- evaluation ------------------------------------------------------------------

    def evaluate(self, case: Case, as_of: dt.date, programs: Iterable[str] | None = None) -> Plan:
        """The plan for one case on `as_of`, for every installed program or the chosen ones."""
        d, chosen, case, derived, failed = self._prepare(case, as_of, programs)
        data = case.data
        birth = case.birth_date
        done = done_visits(data, self._days)
        declined_ids = data.get("declined") or ()
        moved = case.moved_in_on
        facts = CaseFacts(case, derived, as_of)
        score = self.screen
        by_hooks = d.eligibility or d.schedule
        gestational = data["child"].get("gestational_age")
        given: dict[tuple[str, int], dt.date] | None = None
        plans = []
        for program in chosen:
            pid = program.id
            evaluator = program.evaluator
            try:
                failure = failed.get(pid)
                if failure is not None:
                    raise failure
                if by_hooks and pid in d.eligibility:
                    decision: Decision = self._guard.call(
                        "hembesok_eligibility",
                        Decision,
                        program=program,
                        case=self._for_plugins(case),
                        as_of=as_of,
                    )
                else:
                    decision = evaluator.decide(
                        data,
                        birth,
                        as_of,
                        derived,
                        moved,
                        pid in declined_ids,
                        (program.eligibility, facts),
                    )
                if by_hooks and pid in d.schedule:
                    visits = self._scheduled(program, case, decision, as_of)
                elif decision.status == NOT_ELIGIBLE:
                    visits = ()
                else:
                    visits = evaluator.visits(
                        birth,
                        as_of,
                        done,
                        decision.enrolment_date or birth,
                        decision.declined,
                        evaluator.early(gestational) if evaluator.corrects else 0,
                        decision.site,
                    )
                occasions = (
                    screening_occasions(program, visits, case.responses, score)
                    if program.screening and visits
                    else ()
                )
            except HookFailure as failure:
                plans.append(ProgramPlan(program, failure.decision(), (), (), failure.error()))
                continue
            doses: tuple[PlannedDose, ...] = ()
            if program.vaccinations and decision.status != NOT_ELIGIBLE:
                if given is None:
                    given = given_doses(data, self._days)
                doses = evaluator.doses(
                    birth,
                    as_of,
                    given,
                    data.get("vaccinations_declined") or (),
                    decision.declined,
                )
            plans.append(ProgramPlan(program, decision, visits, occasions, None, doses))
        merged = apply_replacements(plans) if d.replacing else tuple(plans)
        return Plan(
            as_of,
            merged,
            __version__,
            case.case_ref,
            lambda: merge(merged),
            child_identifier=case.child_identifier,
        )

    def decide(
        self, case: Case, as_of: dt.date, programs: Iterable[str] | None = None
    ) -> dict[str, Decision]:
        """Only the decisions, by program id: offered or not, why, and the facts missing.

        For a journal that asks "is this family offered anything?" without planning visits.
        Each decision is the one `evaluate` would give.
        """
        d, chosen, case, derived, failed = self._prepare(case, as_of, programs)
        data = case.data
        birth = case.birth_date
        declined_ids = data.get("declined") or ()
        moved = case.moved_in_on
        facts = CaseFacts(case, derived, as_of)
        out: dict[str, Decision] = {}
        for program in chosen:
            pid = program.id
            if pid in failed:
                out[pid] = failed[pid].decision()
            elif pid in d.eligibility:
                try:
                    out[pid] = self._guard.call(
                        "hembesok_eligibility",
                        Decision,
                        program=program,
                        case=self._for_plugins(case),
                        as_of=as_of,
                    )
                except HookFailure as failure:
                    out[pid] = failure.decision()
            else:
                out[pid] = program.evaluator.decide(
                    data,
                    birth,
                    as_of,
                    derived,
                    moved,
                    pid in declined_ids,
                    (program.eligibility, facts),
                )
        return out

    def _prepare(
        self, case: Case, as_of: dt.date, programs: Iterable[str] | None
    ) -> tuple[_Dispatch, list[Program], Case, dict[str, Any], dict[str, HookFailure]]:
        """What `evaluate` and `decide` both start from: the dispatch, the chosen programs,
        the case with derived facts, the derived facts, and the programs a plugin failed."""
        d = self._dispatch()
        chosen = (
            [self.programs[p] for p in programs]
            if programs is not None
            else list(self.programs.values())
        )
        failed: dict[str, HookFailure] = {}
        if d.case_facts:
            derived, case = self._derived_by_hooks(case, as_of, failed)
        else:
            derived = builtin_facts(
                case.data, case.birth_date, as_of, d.needs_ages, d.needs_first_child
            )
        return d, chosen, case, derived, failed

    def reference_problems(
        self, doc: Document, as_of: dt.date | None = None, base: tuple[str | int, ...] = ()
    ) -> list[Problem]:
        """What a schema-valid case names that these programs and instruments do not have."""
        data: Any = doc.data
        for key in base:
            data = data[key]
        return reference_problems(doc, data, base, as_of, self.programs, self.instruments)

    def _for_plugins(self, case: Case) -> Case:
        """The case as plugins see it: without the child's identity number, unless the
        engine was built to show it (HEMBESOK_PLUGINS_SEE_IDENTIFIERS=1)."""
        return case if self.loaded.identifiers else case.without_identifier()

    def _derived_by_hooks(
        self, case: Case, as_of: dt.date, failed: dict[str, HookFailure]
    ) -> tuple[dict[str, Any], Case]:
        """Every plugin's derived facts, each plugin on its own; a plugin that fails fails
        the programs it answers for (its HEMBESOK_ANSWERS_FOR, else those reading one of its
        HEMBESOK_DERIVED_FACTS, else every program)."""
        derived, failures = self._guard.derived_facts(self._for_plugins(case), as_of)
        for plugin, failure in failures:
            for pid in self._answered_by(plugin):
                failed.setdefault(pid, failure)
        return derived, case.with_facts(derived)

    def _answered_by(self, plugin: object) -> list[str]:
        named = getattr(plugin, ANSWERS_FOR_ATTRIBUTE, ALL)
        if named is not ALL:
            return [named] if isinstance(named, str) else list(named)
        facts = getattr(plugin, DERIVED_FACTS_ATTRIBUTE, None)
        if facts:
            given = {facts} if isinstance(facts, str) else set(facts)
            return [p.id for p in self.programs.values() if p.eligibility.facts_used & given]
        return list(self.programs)

    def _scheduled(
        self, program: Program, case: Case, decision: Decision, as_of: dt.date
    ) -> tuple[PlannedVisit, ...]:
        visits = self._guard.call(
            "hembesok_visit_schedule",
            None,
            program=program,
            case=self._for_plugins(case),
            decision=decision,
            as_of=as_of,
        )
        planned = tuple(visits or ())
        if not all(isinstance(v, PlannedVisit) for v in planned):
            raise HookFailure(
                self._guard.plugins("hembesok_visit_schedule"),
                "hembesok_visit_schedule",
                "returned something other than planned visits",
            )
        return planned

    def _score(self, response: Response, history: Sequence[Response] = ()) -> ScreeningResult:
        """`screen` where no plugin scores: the instrument's prepared scorer."""
        instrument = self.instruments[response.instrument]
        scorer = self._scorers.get(instrument.id)
        if scorer is None or scorer.instrument is not instrument:
            scorer = self._scorers[instrument.id] = Scorer(instrument)
        return scorer.score(response, history)

    def screen(self, response: Response, history: Sequence[Response] = ()) -> ScreeningResult:
        """Score one response of an installed instrument, followed against `history`.

        A plugin that scores the instrument and fails raises HookFailure (naming the
        plugin, never its message); in a plan it fails only its program."""
        instrument = self.instruments[response.instrument]
        d = self._dispatch()
        if instrument.id in d.screening:  # HookFailure if the plugin fails
            result: ScreeningResult = self._guard.call(
                "hembesok_screening",
                ScreeningResult,
                instrument=instrument,
                response=response,
                history=list(history),
            )
            return result
        return self._score(response, history)


class CaseFacts:
    """A case's facts with the derived ones, made only if someone reads a `Decision.trace`."""

    __slots__ = ("_case", "_derived", "_facts", "as_of")

    def __init__(self, case: Case, derived: Mapping[str, Any], as_of: dt.date) -> None:
        self._case, self._derived, self.as_of = case, derived, as_of
        self._facts: Mapping[str, Any] | None = None

    @property
    def facts(self) -> Mapping[str, Any]:
        if self._facts is None:
            self._facts = self._case.with_facts(self._derived).facts
        return self._facts


def builtin_facts(
    data: Mapping[str, Any], birth: dt.date, as_of: dt.date, ages_needed: bool, first_child: bool
) -> dict[str, Any]:
    """The facts the built-in plugin derives (`declarative.hembesok_case_facts`, which
    tests hold this to), only those some program reads."""
    out: dict[str, Any] = {}
    if ages_needed:
        out["child.age_days"] = ages.age_in_days(birth, as_of)
        out["child.age_months"] = ages.completed_months(birth, as_of)
    if first_child:
        given = data.get("first_child")
        given = given if isinstance(given, dict) else {}
        either = given.get("either_parent")
        both = given.get("both_parents")
        birthing = given.get("birthing_parent")
        if both is True or birthing is True:
            out["first_child.either_parent"] = True
            if either is None:
                either = True
        if both is True:
            out["first_child.birthing_parent"] = True
        if either is False:
            out["first_child.both_parents"] = False
            out["first_child.birthing_parent"] = False
        if birthing is False:
            out["first_child.both_parents"] = False
        if either is False or data.get("moved_in_on") is not None:
            out["first_child.in_municipality"] = False
        elif either is True:
            out["first_child.in_municipality"] = True
    return out


def done_visits(
    data: Mapping[str, Any], days: dict[str, dt.date] | None = None
) -> dict[tuple[str, str], dt.date]:
    """The case's visits already made, by (program, visit); a later record of one wins.

    `days` remembers dates already read (visits are made on the same days over and over).
    """
    given = data.get("visits_done")
    if not given:
        return {}
    if days is None:
        return {(v["program"], v["visit"]): dt.date.fromisoformat(v["date"]) for v in given}
    return {(v["program"], v["visit"]): remembered_day(v["date"], days) for v in given}


def remembered_day(text: str, days: dict[str, dt.date] | None) -> dt.date:
    """A date read from text, remembered in `days` (bounded) when given."""
    if days is None:
        return dt.date.fromisoformat(text)
    day = days.get(text)
    if day is None:
        if len(days) >= DAYS_REMEMBERED:
            days.clear()
        day = days[text] = dt.date.fromisoformat(text)
    return day


def given_doses(
    data: Mapping[str, Any], days: dict[str, dt.date] | None = None
) -> dict[tuple[str, int], dt.date]:
    """The case's vaccine doses given, by (vaccine, dose number); a later record of one wins."""
    given = data.get("vaccinations_done")
    if not given:
        return {}
    return {(v["vaccine"], v["dose"]): remembered_day(v["date"], days) for v in given}


class Answered:
    """The ids a hook is answered for by a plugin: some, or every one."""

    def __init__(self, every: bool = False, ids: Iterable[str] = ()) -> None:
        self.every = every
        self.ids = frozenset(ids)

    def __contains__(self, item: object) -> bool:
        return self.every or item in self.ids

    def __bool__(self) -> bool:
        return self.every or bool(self.ids)

    def among(self, ids: frozenset[str]) -> frozenset[str]:
        return ids if self.every else self.ids & ids


class _Dispatch:
    """Which hooks an installed plugin implements, and for which programs, worked out once."""

    def __init__(
        self, manager: pluggy.PluginManager, programs: Mapping[str, Program], interpret: bool
    ) -> None:
        self.key: tuple[int, int, bool] = (0, 0, False)
        hook = manager.hook
        every = Answered(every=True)
        ids = frozenset(programs)
        self.case_facts = every if interpret else _answered(hook.hembesok_case_facts)
        # Program ids as plain sets: looked up for every program of every case.
        self.eligibility = ids if interpret else _answered(hook.hembesok_eligibility).among(ids)
        self.schedule = ids if interpret else _answered(hook.hembesok_visit_schedule).among(ids)
        self.screening = every if interpret else _answered(hook.hembesok_screening)
        used = frozenset().union(*(p.eligibility.facts_used for p in programs.values()))
        self.needs_ages = bool(used & _AGE_FACTS)
        #: Whether any program replaces another's visits (else replacements are skipped).
        self.replacing = any(p.replaces for p in programs.values())
        self.needs_first_child = bool(used & _FIRST_CHILD_FACTS)


def _answered(caller: Any) -> Answered:
    """The ids a hook is answered for by a plugin other than the built-in one."""
    found: set[str] = set()
    for impl in caller.get_hookimpls():
        if impl.plugin_name == BUILTIN_NAME:
            continue
        named = getattr(impl.plugin, ANSWERS_FOR_ATTRIBUTE, ALL)
        if named is ALL:
            return Answered(every=True)
        found.update((named,) if isinstance(named, str) else named)
    return Answered(ids=found)

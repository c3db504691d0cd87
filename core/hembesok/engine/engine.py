"""The engine: installed programs plus a case and an as-of date give a plan. Nothing else.

`Engine.evaluate` reads no clock, does no I/O and keeps no state between calls, so
a journal may call it any day and get the same answer for the same inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from hembesok.engine.occasions import screening_occasions
from hembesok.engine.timeline import apply_replacements, merge
from hembesok.io.documents import DocumentError
from hembesok.io.loading import load_instrument, load_program, read_document
from hembesok.io.problems import InvalidDocument, Problem, json_path
from hembesok.model.case import Case
from hembesok.model.instrument import Instrument
from hembesok.model.plan import Decision, Plan, ProgramPlan
from hembesok.model.program import Program
from hembesok.model.screening import Response, ScreeningResult
from hembesok.plugins.manager import LoadedPlugins, PluginError, make_plugin_manager
from hembesok.version import __version__


@dataclass
class ProgramLoadError:
    """A registered program file that failed validation; the engine runs without it."""

    distribution: str
    problems: list[Problem]


def _located(program: Program, path: tuple[str | int, ...], message: str) -> Problem:
    """A problem at a place in a loaded program's file (read again only on this error path)."""
    try:
        doc = read_document(program.source)
    except DocumentError:
        return Problem(program.source, 1, 1, json_path(path), message)
    pos = doc.locate(path)
    return Problem(program.source, pos.line, pos.column, json_path(path), message)


@dataclass
class Engine:
    loaded: LoadedPlugins
    programs: dict[str, Program] = field(default_factory=dict)
    instruments: dict[str, Instrument] = field(default_factory=dict)
    errors: list[ProgramLoadError] = field(default_factory=list)

    @classmethod
    def from_installed(cls, env: Mapping[str, str] | None = None) -> Engine:
        """An engine with every installed plugin (subject to HEMBESOK_* variables)."""
        return cls.from_plugins(make_plugin_manager(env=env))

    @classmethod
    def from_modules(cls, modules: Sequence[ModuleType | object]) -> Engine:
        """An engine with exactly these plugin modules (plus the built-in default)."""
        return cls.from_plugins(make_plugin_manager(modules=modules, env={}))

    @classmethod
    def from_plugins(cls, loaded: LoadedPlugins) -> Engine:
        engine = cls(loaded)
        for impl in loaded.manager.hook.hembesok_programs.get_hookimpls():
            dist = loaded.distribution_of(impl.plugin)
            sources: Iterable[Any] = impl.function() or ()  # type: ignore[assignment]
            for source in sources:
                try:
                    program = load_program(source, distribution=dist)
                except InvalidDocument as exc:
                    engine.errors.append(ProgramLoadError(dist, exc.problems))
                    continue
                engine.add(program)
        for impl in loaded.manager.hook.hembesok_instruments.get_hookimpls():
            dist = loaded.distribution_of(impl.plugin)
            instrument_sources: Iterable[Any] = impl.function() or ()  # type: ignore[assignment]
            for source in instrument_sources:
                try:
                    instrument = load_instrument(source, distribution=dist)
                except InvalidDocument as exc:
                    engine.errors.append(ProgramLoadError(dist, exc.problems))
                    continue
                engine.add_instrument(instrument)
        engine.errors.extend(engine.check_references())
        return engine

    def add_instrument(self, instrument: Instrument) -> None:
        existing = self.instruments.get(instrument.id)
        if existing is not None:
            raise PluginError(
                f"instrument id '{instrument.id}' is registered twice: by "
                f"{existing.distribution or existing.source} and by "
                f"{instrument.distribution or instrument.source}"
            )
        self.instruments[instrument.id] = instrument

    def screen(self, response: Response, history: Sequence[Response] = ()) -> ScreeningResult:
        """Score one response of an installed instrument, followed against `history`."""
        instrument = self.instruments[response.instrument]
        result: ScreeningResult = self.loaded.manager.hook.hembesok_screening(
            instrument=instrument, response=response, history=list(history)
        )
        return result

    def check_references(self) -> list[ProgramLoadError]:
        """`replaces` entries naming a visit that an installed program does not have.

        A replaced program that is not installed is fine (a region may not use the
        baseline); a misspelt visit of an installed one would silently double a visit.
        """
        out = []
        for program in self.programs.values():
            found = []
            for index, rep in enumerate(program.replaces):
                target = self.programs.get(rep.program)
                if target is not None and rep.visit not in {v.id for v in target.schedule}:
                    known = ", ".join(v.id for v in target.schedule)
                    found.append(
                        _located(
                            program,
                            ("replaces", index, "visit"),
                            f"program '{rep.program}' has no visit '{rep.visit}'; its visits are: {known}",
                        )
                    )
            for index, visit in enumerate(program.schedule):
                if visit.same_as is None or visit.same_as[0] not in self.programs:
                    continue
                other, other_visit = visit.same_as
                if other_visit not in {v.id for v in self.programs[other].schedule}:
                    found.append(
                        _located(
                            program,
                            ("schedule", index, "same_as", "visit"),
                            f"program '{other}' has no visit '{other_visit}'",
                        )
                    )
            for index, entry in enumerate(program.screening):
                if entry.instrument not in self.instruments:
                    installed = ", ".join(sorted(self.instruments)) or "none"
                    found.append(
                        _located(
                            program,
                            ("screening", index, "instrument"),
                            f"no installed plugin registers instrument '{entry.instrument}'; installed: {installed}",
                        )
                    )
            if found:
                out.append(ProgramLoadError(program.distribution or program.source, found))
        return out

    def add(self, program: Program) -> None:
        existing = self.programs.get(program.id)
        if existing is not None:
            raise PluginError(
                f"program id '{program.id}' is registered twice: by {existing.distribution or existing.source} "
                f"and by {program.distribution or program.source}; uninstall one or disable it with "
                "HEMBESOK_DISABLED_PLUGINS"
            )
        self.programs[program.id] = program

    def evaluate(
        self,
        case: Case,
        as_of: dt.date,
        programs: Iterable[str] | None = None,
    ) -> Plan:
        """The plan for one case on `as_of`, for every installed program or the chosen ones."""
        hook = self.loaded.manager.hook
        chosen = (
            [self.programs[p] for p in programs]
            if programs is not None
            else list(self.programs.values())
        )
        derived: dict[str, Any] = {}
        for facts in hook.hembesok_case_facts(case=case, as_of=as_of):
            if facts:
                derived.update({k: v for k, v in facts.items() if k not in derived})
        case = case.with_facts(derived)
        plans = []
        for program in chosen:
            decision: Decision = hook.hembesok_eligibility(program=program, case=case, as_of=as_of)
            visits = hook.hembesok_visit_schedule(
                program=program, case=case, decision=decision, as_of=as_of
            )
            planned = tuple(visits or ())
            occasions = (
                screening_occasions(program, planned, case, self.screen)
                if program.screening
                else ()
            )
            plans.append(ProgramPlan(program, decision, planned, occasions))
        merged = apply_replacements(plans)
        return Plan(as_of, merged, __version__, case.case_ref, merge(merged))

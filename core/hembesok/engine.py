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

from hembesok import __version__
from hembesok.case import Case
from hembesok.loader import load_program
from hembesok.plan import Decision, Plan, ProgramPlan
from hembesok.plugins import LoadedPlugins, PluginError, make_plugin_manager
from hembesok.problems import InvalidDocument, Problem
from hembesok.program import Program


@dataclass
class ProgramLoadError:
    """A registered program file that failed validation; the engine runs without it."""

    distribution: str
    problems: list[Problem]


@dataclass
class Engine:
    loaded: LoadedPlugins
    programs: dict[str, Program] = field(default_factory=dict)
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
        return engine

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
            plans.append(ProgramPlan(program, decision, tuple(visits or ())))
        return Plan(as_of, tuple(plans), __version__, case.case_ref)

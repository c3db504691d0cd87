"""Helpers for testing program plugins: build an engine, plan a case, check examples.

Plugin test suites import these so they test their package as installed, through
the same hooks the command line uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import ModuleType
from typing import Any

from hembesok.api import plan
from hembesok.authoring.examples import ExampleCheck, check_examples
from hembesok.engine.engine import Engine
from hembesok.model.plan import ProgramPlan


def engine_with(*modules: ModuleType | object) -> Engine:
    """An engine with exactly these plugins (plus the built-in default); fails on any invalid program."""
    engine = Engine.from_modules(list(modules))
    if engine.errors:
        raise AssertionError("\n".join(str(p) for e in engine.errors for p in e.problems))
    return engine


def plan_for(
    engine: Engine, case: Mapping[str, Any], as_of: str | dt.date, program: str
) -> ProgramPlan:
    """Plan one case dict (as a journal would send it) for one program."""
    return plan(case, as_of, programs=[program], engine=engine).program(program)


def statuses(plan: ProgramPlan) -> dict[str, str]:
    return {v.visit.id: v.status for v in plan.visits}


def failing_examples(engine: Engine, program: str) -> list[ExampleCheck]:
    """The examples of a program file whose expectation does not hold (empty when all pass)."""
    return [c for c in check_examples(engine, engine.programs[program]) if not c.passed]

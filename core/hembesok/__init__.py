"""hembesok: a declarative rules engine for Swedish child health programmes.

The public API is what this module exports; everything else may change between
minor versions (see the README's versioning policy). The names are imported on first
use (PEP 562), so a command that needs only a few of them starts quickly.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from hembesok.version import __version__

#: Each public name and the module that defines it.
_EXPORTS = {
    "Pipeline": "hembesok.api",
    "UnknownProgram": "hembesok.api",
    "decide_case": "hembesok.api",
    "check_case": "hembesok.api",
    "json_schema": "hembesok.api",
    "list_programs": "hembesok.api",
    "plan_case": "hembesok.api",
    "read_case": "hembesok.api",
    "Case": "hembesok.model.case",
    "Engine": "hembesok.engine.engine",
    "hookimpl": "hembesok.plugins.hookspecs",
    "Instrument": "hembesok.model.instrument",
    "load_case": "hembesok.io.validation",
    "load_instrument": "hembesok.io.loading",
    "load_program": "hembesok.io.loading",
    "load_responses": "hembesok.io.loading",
    "Decision": "hembesok.model.plan",
    "Plan": "hembesok.model.plan",
    "PlannedVisit": "hembesok.model.plan",
    "PlannedDose": "hembesok.model.plan",
    "ProgramPlan": "hembesok.model.plan",
    "InvalidDocument": "hembesok.io.problems",
    "Problem": "hembesok.io.problems",
    "Program": "hembesok.language.program",
    "DomainResult": "hembesok.model.screening",
    "Response": "hembesok.model.screening",
    "ScreeningResult": "hembesok.model.screening",
}

__all__ = [
    "Case",
    "Decision",
    "DomainResult",
    "Engine",
    "Instrument",
    "InvalidDocument",
    "Pipeline",
    "Plan",
    "PlannedDose",
    "PlannedVisit",
    "Problem",
    "Program",
    "ProgramPlan",
    "Response",
    "ScreeningResult",
    "UnknownProgram",
    "__version__",
    "check_case",
    "decide_case",
    "hookimpl",
    "json_schema",
    "list_programs",
    "load_case",
    "load_instrument",
    "load_program",
    "load_responses",
    "plan_case",
    "read_case",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'hembesok' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return __all__


if TYPE_CHECKING:
    from hembesok.api import (
        Pipeline,
        UnknownProgram,
        check_case,
        decide_case,
        json_schema,
        list_programs,
        plan_case,
        read_case,
    )
    from hembesok.engine.engine import Engine
    from hembesok.io.loading import load_instrument, load_program, load_responses
    from hembesok.io.problems import InvalidDocument, Problem
    from hembesok.io.validation import load_case
    from hembesok.language.program import Program
    from hembesok.model.case import Case
    from hembesok.model.instrument import Instrument
    from hembesok.model.plan import Decision, Plan, PlannedVisit, ProgramPlan
    from hembesok.model.screening import DomainResult, Response, ScreeningResult
    from hembesok.plugins.hookspecs import hookimpl

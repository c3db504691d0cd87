"""hembesok: a declarative rules engine for Swedish child health programmes.

The public API is what this module exports; everything else may change between
minor versions (see the README's versioning policy).
"""

__version__ = "0.1.0"

from hembesok.api import (
    UnknownProgram,
    check_case,
    json_schema,
    list_programs,
    plan_case,
    read_case,
)
from hembesok.case import Case
from hembesok.engine import Engine
from hembesok.hookspecs import hookimpl
from hembesok.instrument import Instrument
from hembesok.loader import load_case, load_instrument, load_program, load_responses
from hembesok.plan import Decision, Plan, PlannedVisit, ProgramPlan
from hembesok.problems import InvalidDocument, Problem
from hembesok.program import Program
from hembesok.screening import DomainResult, Response, ScreeningResult

__all__ = [
    "Case",
    "Decision",
    "DomainResult",
    "Engine",
    "Instrument",
    "InvalidDocument",
    "Plan",
    "PlannedVisit",
    "Problem",
    "Program",
    "ProgramPlan",
    "Response",
    "ScreeningResult",
    "UnknownProgram",
    "__version__",
    "check_case",
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

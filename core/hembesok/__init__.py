"""hembesok: a declarative rules engine for Swedish child health programmes.

The public API is what this module exports; everything else may change between
minor versions (see the README's versioning policy).
"""

__version__ = "0.1.0"

from hembesok.case import Case  # noqa: E402
from hembesok.engine import Engine  # noqa: E402
from hembesok.hookspecs import hookimpl  # noqa: E402
from hembesok.loader import load_case, load_program  # noqa: E402
from hembesok.plan import Decision, Plan, PlannedVisit, ProgramPlan  # noqa: E402
from hembesok.problems import InvalidDocument, Problem  # noqa: E402
from hembesok.program import Program  # noqa: E402

__all__ = [
    "Case",
    "Decision",
    "Engine",
    "InvalidDocument",
    "Plan",
    "PlannedVisit",
    "Problem",
    "Program",
    "ProgramPlan",
    "__version__",
    "hookimpl",
    "load_case",
    "load_program",
]

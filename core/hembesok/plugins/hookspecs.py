"""The hooks a hembesok plugin may implement. docs/hooks.md shows each with an example.

Registration hooks are called on every plugin and their results collected.
Decision hooks are `firstresult`: the first non-None answer wins, and the built-in
declarative plugin (hembesok.plugins.declarative) answers last, so a plugin can
take over one program by answering for it and returning None for the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, TypeAlias

import pluggy

from hembesok.language.program import Program
from hembesok.model.case import Case
from hembesok.model.instrument import Instrument
from hembesok.model.plan import Decision, PlannedVisit
from hembesok.model.screening import Response, ScreeningResult

PROJECT = "hembesok"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

ProgramSource: TypeAlias = Traversable | Path | str


@hookspec
def hembesok_programs() -> Iterable[ProgramSource]:
    """Register program definitions: paths or packaged resources of program YAML files.

    Example::

        @hookimpl
        def hembesok_programs():
            return [resources.files(__name__) / "program.yaml"]
    """


@hookspec
def hembesok_instruments() -> Iterable[ProgramSource]:
    """Register screening instrument definitions (questionnaires), as for programs.

    Example::

        @hookimpl
        def hembesok_instruments():
            return [resources.files(__name__) / "instrument.yaml"]
    """


@hookspec
def hembesok_case_facts(case: Case, as_of: dt.date) -> Mapping[str, Any] | None:
    """Derive facts from a case, e.g. an area from a lookup table of addresses.

    The returned names become facts that conditions may test; a fact the case
    itself carries wins over a derived one. Never return identity numbers.

    Example::

        @hookimpl
        def hembesok_case_facts(case, as_of):
            area = AREAS.get(case.facts.get("facts.postnummer"))
            return {"area": area} if area else None
    """


@hookspec(firstresult=True)
def hembesok_eligibility(program: Program, case: Case, as_of: dt.date) -> Decision | None:
    """Decide whether the family is offered `program`; return None to let others decide.

    Example (a plugin that adds a rule YAML cannot say, for its own program only)::

        @hookimpl(wrapper=True)
        def hembesok_eligibility(program, case, as_of):
            decision = yield
            if program.id != "myprogram":
                return decision
            return adjust(decision, case)
    """


@hookspec(firstresult=True)
def hembesok_visit_schedule(
    program: Program, case: Case, decision: Decision, as_of: dt.date
) -> Sequence[PlannedVisit] | None:
    """Plan the visits of `program` for an eligible or undetermined family.

    Example::

        @hookimpl
        def hembesok_visit_schedule(program, case, decision, as_of):
            if program.id != "myprogram":
                return None
            return my_own_schedule(program, case, as_of)
    """


@hookspec(firstresult=True)
def hembesok_screening(
    instrument: Instrument, response: Response, history: Sequence[Response]
) -> ScreeningResult | None:
    """Score a questionnaire response, given the same child's earlier responses.

    The declarative default scores each domain by the instrument file's rules and
    compares it with the same respondent's latest earlier response.

    Example (a licensed form whose scoring a YAML rule cannot express)::

        @hookimpl
        def hembesok_screening(instrument, response, history):
            if instrument.id != "my_form":
                return None
            return score_my_form(instrument, response, history)
    """

"""The ways a plan can be written, by name: one table for the library, the command line
and the service.

Each format is a function `(plan, state) -> bytes`, imported only when first used, so a
format whose library is an optional extra (`hembesok[fhir]`) costs nothing to those who
do not ask for it. `RenderState` (render/state.py) is what one
pipeline's writers keep between plans.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from hembesok.render.state import RenderState

if TYPE_CHECKING:  # this table is read by every command's help: it imports nothing heavy
    from hembesok.model.plan import Plan

JSON = "application/json"


Write = Callable[["Plan", RenderState], bytes]


class MissingExtra(Exception):
    """A format whose library is not installed: `pip install 'hembesok[EXTRA]'`."""

    def __init__(self, fmt: str, extra: str) -> None:
        super().__init__(f"format {fmt} needs the optional extra: pip install 'hembesok[{extra}]'")
        self.format, self.extra = fmt, extra


@dataclass(frozen=True)
class PlanFormat:
    name: str
    media_type: str
    summary: str  # one line for help texts and the OpenAPI document
    load: Callable[[], Write] = field(repr=False)  # imports the writer when first used
    extra: str | None = None  # the optional extra its library comes with, if any

    def writer(self) -> Write:
        """The format's writer; MissingExtra when its optional library is not installed."""
        try:
            return self.load()
        except ImportError:
            if self.extra is None:
                raise
            raise MissingExtra(self.name, self.extra) from None


def _json() -> Write:
    def write(plan: Plan, state: RenderState) -> bytes:
        return state.writer.plan(plan)

    return write


def _compact() -> Write:
    from hembesok.io.json_text import dumps
    from hembesok.render.compact import compact

    def write(plan: Plan, state: RenderState) -> bytes:
        return dumps(compact(plan, state.dates))

    return write


def _ics() -> Write:
    from hembesok.render.ics import write_ics

    return write_ics


def _html() -> Write:
    from hembesok.render.plan_html import write_html

    return write_html


def _fhir() -> Write:
    from hembesok.render.fhir import write

    return write


#: Every format by name (read-only: a new format is a new entry here and a module).
PLAN_FORMATS: Mapping[str, PlanFormat] = MappingProxyType(
    {
        f.name: f
        for f in (
            PlanFormat("json", JSON, "the full plan (schema plan)", _json),
            PlanFormat(
                "compact", JSON, "the compact plan, without texts (schema compact-plan)", _compact
            ),
            PlanFormat(
                "ics", "text/calendar", "the visits offered as iCalendar events", _ics, extra="ics"
            ),
            PlanFormat(
                "html",
                "text/html",
                "the visits offered drawn on a time axis, a self-contained page",
                _html,
            ),
            PlanFormat(
                "fhir",
                "application/fhir+json",
                "an HL7 FHIR R4 Bundle, one CarePlan per program offered (docs/fhir.md)",
                _fhir,
                extra="fhir",
            ),
        )
    }
)

"""The one case pipeline: a case as text, bytes or a mapping, validated once, planned, written.

Every shell calls it: the command line, the HTTP service, batch and the authoring tools.
So there is one validator (a quick yes, then located problems only for a case that
fails), one date parser and one error for an unknown program.

    case (text | bytes | mapping | Document)
      -> Document (parsed; positions only when a problem needs one)
      -> Case     (hembesok.io.validation: schema and dates, never quoting a value)
      -> Plan     (Engine.evaluate: compiled programs, plugin hooks where one answers)
      -> output   (Plan object, JSON data, JSON bytes, the compact form)

`Pipeline` keeps what is worth keeping between cases (the engine and its JSON writer);
the module functions are the same steps for one call. See docs/api.md.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from hembesok.engine.engine import Engine
from hembesok.io import schemas as schema_store
from hembesok.io.dates import InvalidDate, parse_date
from hembesok.io.documents import Document, DocumentError, Position, parse_json
from hembesok.io.problems import InvalidDocument, Problem, from_document_error, sort_problems
from hembesok.io.redact import shown_key
from hembesok.io.validation import case_problems, checked_case
from hembesok.model.case import Case
from hembesok.model.plan import Decision, Plan
from hembesok.render.compact import compact as compact_plan
from hembesok.render.formats import PLAN_FORMATS, MissingExtra
from hembesok.render.state import RenderState

CaseInput = Mapping[str, Any] | str | bytes | Document

#: The JSON forms of a plan: the full plan, and the compact one with no texts.
#: The names of the plan formats (hembesok.render.formats.PLAN_FORMATS).
FORMATS = tuple(PLAN_FORMATS)


class UnknownProgram(ValueError):
    """A program id that no installed plugin registers."""


class UnknownInstrument(ValueError):
    """An instrument id that no installed plugin registers."""


def as_of_date(value: dt.date | str) -> dt.date:
    """An as-of date, strictly YYYY-MM-DD; ValueError (InvalidDate) names what is right."""
    try:
        return parse_date(value)
    except InvalidDate as exc:
        raise InvalidDate(f"as_of {exc}") from None


def case_document(case: CaseInput, source: str = "<case>") -> Document:
    """A case parsed into a Document; InvalidDocument for text that is not JSON."""
    if isinstance(case, Document):
        return case
    if isinstance(case, bytes):
        try:
            case = case.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidDocument(
                [Problem(source, 1, exc.start + 1, "$", "is not UTF-8 text")]
            ) from None
    if isinstance(case, str):
        try:
            return parse_json(case, source)
        except DocumentError as exc:
            raise InvalidDocument([from_document_error(exc)]) from None
    return Document(source, case, {(): Position(1, 1)})


def check_programs(engine: Engine, programs: Iterable[str] | None) -> list[str] | None:
    """The chosen program ids, or None for all; raises UnknownProgram naming the installed ones."""
    if programs is None:
        return None
    chosen = list(programs)
    unknown = [p for p in chosen if p not in engine.programs]
    if unknown:
        installed = ", ".join(sorted(engine.programs)) or "none"
        named = ", ".join(p if shown_key(p) else "(an id not shown)" for p in unknown)
        raise UnknownProgram(f"unknown program {named}; installed: {installed}")
    return chosen


class Pipeline:
    """One engine and what it writes with: the path every shell sends a case along."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        #: what the plan writers keep between this pipeline's plans
        self.state = RenderState()

    def read(
        self,
        case: CaseInput,
        as_of: dt.date | None = None,
        *,
        source: str = "<case>",
        base: tuple[str | int, ...] = (),
    ) -> Case:
        """A valid Case (at `base` within the document), or InvalidDocument with every problem:
        the schema's, the dates', and what the case names that the engine does not have."""
        doc = case_document(case, source)
        parsed = checked_case(doc, as_of, base)
        found = self.engine.reference_problems(doc, as_of, base)
        if found:
            raise InvalidDocument(sort_problems(found))
        return parsed

    def plan(
        self,
        case: CaseInput | Case,
        as_of: dt.date,
        programs: Iterable[str] | None = None,
        *,
        source: str = "<case>",
    ) -> Plan:
        chosen = check_programs(self.engine, programs)
        parsed = case if isinstance(case, Case) else self.read(case, as_of, source=source)
        return self.engine.evaluate(parsed, as_of, chosen)

    def decide(
        self,
        case: CaseInput | Case,
        as_of: dt.date,
        programs: Iterable[str] | None = None,
        *,
        source: str = "<case>",
    ) -> dict[str, Decision]:
        chosen = check_programs(self.engine, programs)
        parsed = case if isinstance(case, Case) else self.read(case, as_of, source=source)
        return self.engine.decide(parsed, as_of, chosen)

    def render(self, plan: Plan, fmt: str = "json") -> bytes:
        """A plan written in one of `PLAN_FORMATS` (hembesok.render.formats): `json` the full
        plan, `compact` the compact one, and those optional extras add. ValueError for a
        name that is none of them; MissingExtra when its library is not installed."""
        found = PLAN_FORMATS.get(fmt)
        if found is None:
            raise ValueError(f"unknown format {fmt!r}; known: {', '.join(PLAN_FORMATS)}")
        return found.writer()(plan, self.state)


# --- the same steps, one call each ---------------------------------------------------


def check_case(
    case: CaseInput,
    as_of: dt.date | str | None = None,
    *,
    source: str = "<case>",
    engine: Engine | None = None,
) -> list[Problem]:
    """Every problem of a case, located and without its values; empty when it is valid.

    With `as_of`, dates are also checked against it (no birth, visit or answer after it).
    With `engine`, also what the case names: programs, visits, instruments, items,
    answers and occasions the engine must have.
    """
    try:
        doc = case_document(case, source)
    except InvalidDocument as exc:
        return exc.problems
    day = as_of_date(as_of) if as_of is not None else None
    found = case_problems(doc, day)
    if not found and engine is not None:
        found = sort_problems(engine.reference_problems(doc, day))
    return found


def read_case(
    case: CaseInput, as_of: dt.date | str | None = None, *, source: str = "<case>"
) -> Case:
    """A validated Case for `Engine.evaluate`; raises InvalidDocument with every problem."""
    return checked_case(
        case_document(case, source), as_of_date(as_of) if as_of is not None else None
    )


def plan(
    case: CaseInput,
    as_of: dt.date | str,
    *,
    programs: Iterable[str] | None = None,
    engine: Engine | None = None,
    source: str = "<case>",
) -> Plan:
    """The plan of a case as objects. Without `engine`, one is built from the installed
    plugins on every call: build it once with `Engine.from_installed()` for many cases."""
    pipeline = Pipeline(engine if engine is not None else Engine.from_installed())
    return pipeline.plan(case, as_of_date(as_of), programs, source=source)


def plan_case(
    case: CaseInput,
    as_of: dt.date | str,
    *,
    programs: Iterable[str] | None = None,
    engine: Engine | None = None,
    source: str = "<case>",
    compact: bool = False,
) -> dict[str, Any]:
    """The plan of a case as JSON data (schema `urn:hembesok:schema:plan:1`, or with
    `compact` `urn:hembesok:schema:compact-plan:1`).

    Raises InvalidDocument for a case with problems and UnknownProgram for a program
    id that is not installed.
    """
    result = plan(case, as_of, programs=programs, engine=engine, source=source)
    return compact_plan(result) if compact else result.to_json()


def decide_case(
    case: CaseInput,
    as_of: dt.date | str,
    *,
    programs: Iterable[str] | None = None,
    engine: Engine | None = None,
    source: str = "<case>",
) -> dict[str, dict[str, Any]]:
    """Only the decisions, by program id, as JSON data: no visits are planned."""
    pipeline = Pipeline(engine if engine is not None else Engine.from_installed())
    decisions = pipeline.decide(case, as_of_date(as_of), programs, source=source)
    return {pid: decision.to_json() for pid, decision in decisions.items()}


def list_programs(engine: Engine) -> list[dict[str, Any]]:
    """The installed programs: id, version, titles, distribution, visit ids and hash."""
    return [
        {
            "id": p.id,
            "version": p.version,
            "title": dict(p.title),
            "distribution": p.distribution,
            "visits": [v.id for v in p.schedule],
            "sha256": p.sha256,
        }
        for p in engine.programs.values()
    ]


def fhir_questionnaire(instrument_id: str, *, engine: Engine | None = None) -> dict[str, Any]:
    """An installed instrument as an HL7 FHIR R4 Questionnaire (JSON data, validated), for a
    journal to show the form and send its QuestionnaireResponse to `screen`
    (docs/fhir.md). UnknownInstrument for an id not installed; MissingExtra without the
    optional extra `fhir`."""
    engine = engine if engine is not None else Engine.from_installed()
    instrument = engine.instruments.get(instrument_id)
    if instrument is None:
        installed = ", ".join(sorted(engine.instruments)) or "none"
        named = instrument_id if shown_key(instrument_id) else "(an id not shown)"
        raise UnknownInstrument(f"unknown instrument {named}; installed: {installed}")
    try:
        from hembesok.render.fhir_questionnaire import questionnaire
    except ImportError:
        raise MissingExtra("fhir", "fhir") from None
    return questionnaire(instrument)


def json_schema(name: str) -> dict[str, Any]:
    """A copy of one of the shipped JSON Schemas (`case`, `plan`, `program`, ...)."""
    return copy.deepcopy(schema_store.schema(name))

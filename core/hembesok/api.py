"""The embedding API: check a case, plan it, list the programs, read a schema.

A journal system hands over a case as the JSON it already has (text, bytes or a
parsed mapping) and gets back the plan as JSON data, after exactly the checks the
command line makes. JSON text gives problems with line and column; a mapping gives
the JSON path only. See docs/api.md.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from hembesok.engine.engine import Engine
from hembesok.io import schemas as schema_store
from hembesok.io.documents import Document, DocumentError, Position, parse_json
from hembesok.io.problems import InvalidDocument, Problem, from_document_error
from hembesok.io.validation import case_problems
from hembesok.model.case import Case

CaseInput = Mapping[str, Any] | str | bytes


class UnknownProgram(ValueError):
    """A program id that no installed plugin registers."""


def check_case(
    case: CaseInput, as_of: dt.date | str | None = None, *, source: str = "<case>"
) -> list[Problem]:
    """Every problem of a case, located and without its values; empty when it is valid.

    With `as_of`, dates are also checked against it (no birth or visit after it).
    """
    try:
        doc = _document(case, source)
    except InvalidDocument as exc:
        return exc.problems
    return case_problems(doc, _day(as_of) if as_of is not None else None)


def read_case(
    case: CaseInput, as_of: dt.date | str | None = None, *, source: str = "<case>"
) -> Case:
    """A validated Case for `Engine.evaluate`; raises InvalidDocument with every problem."""
    return case_from_document(_document(case, source), _day(as_of) if as_of is not None else None)


def plan_case(
    case: CaseInput,
    as_of: dt.date | str,
    *,
    programs: Iterable[str] | None = None,
    engine: Engine | None = None,
    source: str = "<case>",
) -> dict[str, Any]:
    """The plan of a case as JSON data (schema `urn:hembesok:schema:plan:1`).

    Raises InvalidDocument for a case with problems and UnknownProgram for a program
    id that is not installed. Without `engine`, one is built from the installed
    plugins on every call: build it once with `Engine.from_installed()` for many cases.
    """
    day = _day(as_of)
    engine = engine if engine is not None else Engine.from_installed()
    chosen = check_programs(engine, programs)
    parsed = case_from_document(_document(case, source), day)
    return engine.evaluate(parsed, day, chosen).to_json()


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


def json_schema(name: str) -> dict[str, Any]:
    """A copy of one of the shipped JSON Schemas (`case`, `plan`, `program`, ...)."""
    return copy.deepcopy(schema_store.schema(name))


def check_programs(engine: Engine, programs: Iterable[str] | None) -> list[str] | None:
    """The chosen program ids, or None for all; raises UnknownProgram naming the installed ones."""
    if programs is None:
        return None
    chosen = list(programs)
    unknown = [p for p in chosen if p not in engine.programs]
    if unknown:
        installed = ", ".join(sorted(engine.programs)) or "none"
        raise UnknownProgram(f"unknown program {', '.join(unknown)}; installed: {installed}")
    return chosen


def case_from_document(doc: Document, as_of: dt.date | None) -> Case:
    """Validate a parsed case document and build the Case (internal to hembesok)."""
    found = case_problems(doc, as_of)
    if found:
        raise InvalidDocument(found)
    return Case.from_dict(doc.data)


def _document(case: CaseInput, source: str) -> Document:
    if isinstance(case, bytes):
        try:
            case = case.decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidDocument([Problem(source, 1, 1, "$", "is not UTF-8 text")]) from None
    if isinstance(case, str):
        try:
            return parse_json(case, source)
        except DocumentError as exc:
            raise InvalidDocument([from_document_error(exc)]) from None
    return Document(source, case, {(): Position(1, 1)})


def _day(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ValueError("as_of must be a date or a string written YYYY-MM-DD") from None

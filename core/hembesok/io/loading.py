"""Loading program and case documents: parse safely, validate, compile, or say where it is wrong."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from hembesok.io import problems as P
from hembesok.io.documents import Document, DocumentError, Position, load_file, load_text
from hembesok.io.schemas import surely_valid
from hembesok.language.program import Program
from hembesok.model.instrument import Instrument
from hembesok.model.screening import Response


def read_document(source: str | Path | Traversable) -> Document:
    """A file path, or a packaged resource (a plugin's program.yaml)."""
    if isinstance(source, str | Path):
        return load_file(source)
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DocumentError(
            str(source), Position(1, 1), f"cannot read: {type(exc).__name__}"
        ) from None
    return load_text(text, str(source))


def _checked(
    doc: Document, schema_name: str, semantics: Callable[[Document], list[P.Problem]]
) -> list[P.Problem]:
    """Schema problems, then (only on a schema-valid document) the checks a schema cannot make."""
    if not doc.duplicate_keys and surely_valid(schema_name, doc.data):
        found: list[P.Problem] = []
    else:
        found = P.validate(doc, schema_name, redact=False)
    if found or not isinstance(doc.data, Mapping):
        return found
    return P.sort_problems(found + semantics(doc))


def _read_valid(
    source: str | Path | Traversable, problems: Callable[[Document], list[P.Problem]]
) -> Document:
    """A document with no error, or InvalidDocument carrying every problem found."""
    try:
        doc = read_document(source)
    except DocumentError as exc:
        raise P.InvalidDocument([P.from_document_error(exc)]) from None
    found = problems(doc)
    if any(p.severity == "error" for p in found):
        raise P.InvalidDocument(found)
    return doc


def program_problems(doc: Document) -> list[P.Problem]:
    """Schema problems plus the checks a schema cannot express."""
    return _checked(doc, "program", _program_semantics)


def _program_semantics(doc: Document) -> list[P.Problem]:
    data = doc.data
    out: list[P.Problem] = []
    ids: dict[str, int] = {}
    for i, visit in enumerate(data["schedule"]):
        if visit["id"] in ids:
            out.append(
                P.problem_at(
                    doc,
                    ("schedule", i, "id"),
                    f"visit id '{visit['id']}' is used twice (first at schedule[{ids[visit['id']]}])",
                )
            )
        ids.setdefault(visit["id"], i)
    if "valid_from" in data and "valid_to" in data and data["valid_to"] < data["valid_from"]:
        out.append(P.problem_at(doc, ("valid_to",), "must not be before valid_from"))
    for i, site in enumerate(data.get("sites", {}).get("list", ())):
        if "start" in site and "end" in site and site["end"] < site["start"]:
            out.append(
                P.problem_at(
                    doc, ("sites", "list", i, "end"), "must not be before the site's start"
                )
            )
    for i, entry in enumerate(data.get("screening", ())):
        for k, visit_id in enumerate(entry["at"]):
            if visit_id not in ids:
                out.append(
                    P.problem_at(
                        doc,
                        ("screening", i, "at", k),
                        f"names no visit of this program: '{visit_id}'; visits are: {', '.join(ids)}",
                    )
                )
    for i, rep in enumerate(data.get("replaces", ())):
        if rep["by"] not in ids:
            out.append(
                P.problem_at(
                    doc,
                    ("replaces", i, "by"),
                    f"names no visit of this program; visits are: {', '.join(ids)}",
                )
            )
    for i, example in enumerate(data.get("examples", ())):
        for visit_id in example["expect"].get("visits", {}):
            if visit_id not in ids:
                out.append(
                    P.problem_at(
                        doc,
                        ("examples", i, "expect", "visits", visit_id),
                        f"names no visit of this program; visits are: {', '.join(ids)}",
                        key=True,
                    )
                )
    return out


def load_program(source: str | Path | Traversable, distribution: str = "") -> Program:
    """Read, validate and compile one program file; raise InvalidDocument with every problem."""
    doc = _read_valid(source, program_problems)
    return Program.compile(doc.data, source=doc.path, distribution=distribution)


def instrument_problems(doc: Document) -> list[P.Problem]:
    """Schema problems of an instrument plus cross-references a schema cannot check."""
    return _checked(doc, "instrument", _instrument_semantics)


def _instrument_semantics(doc: Document) -> list[P.Problem]:
    data = doc.data
    out: list[P.Problem] = []
    items: dict[str, int] = {}
    for i, item in enumerate(data["items"]):
        if item["id"] in items:
            out.append(
                P.problem_at(
                    doc,
                    ("items", i, "id"),
                    f"item id '{item['id']}' is used twice (first at items[{items[item['id']]}])",
                )
            )
        items.setdefault(item["id"], i)
        values = [o["value"] for o in item["answer"].get("options", ())]
        for j, value in enumerate(values):
            if value in values[:j]:
                out.append(
                    P.problem_at(
                        doc,
                        ("items", i, "answer", "options", j, "value"),
                        f"option value {value!r} is used twice in this item",
                    )
                )
    used: set[str] = set()
    domain_ids: set[str] = set()
    for d, domain in enumerate(data["domains"]):
        if domain["id"] in domain_ids:
            out.append(
                P.problem_at(doc, ("domains", d, "id"), f"domain id '{domain['id']}' is used twice")
            )
        domain_ids.add(domain["id"])
        for k, item_id in enumerate(domain["items"]):
            used.add(item_id)
            if item_id not in items:
                known = ", ".join(items)
                out.append(
                    P.problem_at(
                        doc,
                        ("domains", d, "items", k),
                        f"names no item of this instrument: '{item_id}'; items are: {known}",
                    )
                )
    for item_id, i in items.items():
        if item_id not in used:
            out.append(
                P.problem_at(
                    doc,
                    ("items", i, "id"),
                    f"item '{item_id}' belongs to no domain, so its answer is never scored",
                    severity="warning",
                )
            )
    return out


def load_instrument(source: str | Path | Traversable, distribution: str = "") -> Instrument:
    """Read, validate and compile one instrument file; raise InvalidDocument with every problem."""
    doc = _read_valid(source, instrument_problems)
    return Instrument.compile(doc.data, source=doc.path, distribution=distribution)


def response_problems(
    doc: Document, instruments: Mapping[str, Instrument], base: tuple[str | int, ...] = ()
) -> list[P.Problem]:
    """Problems of a response (or a list of them): never quoting an answer."""
    data = doc.data
    if isinstance(data, list) and not base:
        found: list[P.Problem] = []
        for index, _ in enumerate(data):
            found += _one_response_problems(doc, instruments, (index,))
        return P.sort_problems(found)
    return _one_response_problems(doc, instruments, base)


def _one_response_problems(
    doc: Document, instruments: Mapping[str, Instrument], base: tuple[str | int, ...]
) -> list[P.Problem]:
    data: Any = doc.data
    for key in base:
        data = data[key]
    found = P.validate(doc, "response", redact=True, base=base)
    return found + answer_problems(doc, data, instruments, base)


def answer_problems(
    doc: Document, data: Any, instruments: Mapping[str, Instrument], base: tuple[str | int, ...]
) -> list[P.Problem]:
    """A response's instrument is installed, each item is one of its items and each answer
    one the item allows; never quoting an answer. Parts the schema rejected are skipped."""
    if not (isinstance(data, Mapping) and isinstance(data.get("answers"), Mapping)):
        return []
    if not isinstance(data.get("instrument"), str):
        return []
    instrument = instruments.get(data["instrument"])
    if instrument is None:
        known = ", ".join(sorted(instruments)) or "none installed"
        return [
            P.problem_at(
                doc, (*base, "instrument"), f"names no installed instrument; installed: {known}"
            )
        ]
    found: list[P.Problem] = []
    for item_id, answer in data["answers"].items():
        item = instrument.items.get(item_id)
        if item is None:
            found.append(
                P.problem_at(
                    doc,
                    (*base, "answers", item_id),
                    f"'{item_id}' is not an item of instrument '{instrument.id}'",
                    key=True,
                )
            )
        elif answer is not None and not item.accepts(answer):
            found.append(
                P.problem_at(
                    doc,
                    (*base, "answers", item_id),
                    f"is not an allowed answer to '{item_id}' ({_allowed(item)})",
                )
            )
    return found


def _allowed(item: Any) -> str:
    if item.type == "yes_no":
        return "yes or no"
    if item.type == "choice":
        return "one of " + ", ".join(repr(v) for v in item.scores)
    bounds = [
        f"at least {item.minimum}" if item.minimum is not None else "",
        f"at most {item.maximum}" if item.maximum is not None else "",
    ]
    return "a number" + (" " + " and ".join(b for b in bounds if b) if any(bounds) else "")


def load_responses(doc: Document, instruments: Mapping[str, Instrument]) -> list[Response]:
    """One response or a JSON list of them, validated; raise InvalidDocument otherwise."""
    found = response_problems(doc, instruments)
    if found:
        raise P.InvalidDocument(found)
    items = doc.data if isinstance(doc.data, list) else [doc.data]
    return [Response.from_dict(item) for item in items]

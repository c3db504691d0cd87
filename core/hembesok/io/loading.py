"""Loading program and case documents: parse safely, validate, compile, or say where it is wrong."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from hembesok.io import problems as P
from hembesok.io.documents import Document, DocumentError, JsonPath, Position, load_file, load_text
from hembesok.io.fhir_response import is_questionnaire_response, native_response
from hembesok.io.redact import quoted
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
    doses = _dose_ids(doc, ids, out)
    out += _site_data_problems(doc, ids)
    for i, example in enumerate(data.get("examples", ())):
        expect = example["expect"]
        for key, known, what in (
            ("visits", ids, "visit"),
            ("age_basis", ids, "visit"),
            ("vaccinations", doses, "vaccine dose"),
        ):
            for name in expect.get(key, {}):
                if name not in known:
                    out.append(
                        P.problem_at(
                            doc,
                            ("examples", i, "expect", key, name),
                            f"names no {what} of this program; they are: "
                            f"{', '.join(known) or 'none'}",
                            key=True,
                        )
                    )
    return out


def _dose_ids(doc: Document, visits: Mapping[str, int], out: list[P.Problem]) -> dict[str, int]:
    """The program's dose ids, with a problem for each dose that names what is not there."""
    data = doc.data
    vaccines = data.get("vaccines", {})
    ids: dict[str, int] = {}
    numbers: dict[tuple[str, int], int] = {}
    for i, dose in enumerate(data.get("vaccinations", ())):
        where = ("vaccinations", i)
        if dose["id"] in ids or dose["id"] in visits:
            out.append(
                P.problem_at(
                    doc,
                    (*where, "id"),
                    f"id '{dose['id']}' is already used by a visit or dose of this program",
                )
            )
        ids.setdefault(dose["id"], i)
        if dose["vaccine"] not in vaccines:
            known = ", ".join(vaccines) or "none: add the vaccine under `vaccines`"
            out.append(
                P.problem_at(
                    doc, (*where, "vaccine"), f"names no vaccine of `vaccines`; they are: {known}"
                )
            )
        key = (dose["vaccine"], dose["dose"])
        if key in numbers:
            out.append(
                P.problem_at(
                    doc,
                    (*where, "dose"),
                    f"dose {key[1]} of '{key[0]}' is listed twice "
                    f"(first at vaccinations[{numbers[key]}])",
                )
            )
        numbers.setdefault(key, i)
        if "given_at" in dose and dose["given_at"] not in visits:
            out.append(
                P.problem_at(
                    doc,
                    (*where, "given_at"),
                    f"names no visit of this program; visits are: {', '.join(visits)}",
                )
            )
        start = dose.get("course_start")
        earlier = [d for d, at in ids.items() if at < i]
        if start is not None and start not in earlier:
            out.append(
                P.problem_at(
                    doc,
                    (*where, "course_start"),
                    "names no dose listed before this one; "
                    f"they are: {', '.join(earlier) or 'none'}",
                )
            )
    return ids


_ATTRIBUTE_TYPES: dict[str, tuple[type, ...]] = {
    "number": (int, float),
    "boolean": (bool,),
    "text": (str,),
}


def _site_data_problems(doc: Document, visits: Mapping[str, int]) -> list[P.Problem]:
    """Site attributes must be declared, of their declared type, with periods that do not
    overlap; the visits a site offers must be the program's."""
    sites = doc.data.get("sites")
    if not sites:
        return []
    declared = sites.get("attributes", {})
    out: list[P.Problem] = []
    for i, site in enumerate(sites["list"]):
        for k, visit_id in enumerate(site.get("visits", ())):
            if visit_id not in visits:
                out.append(
                    P.problem_at(
                        doc,
                        ("sites", "list", i, "visits", k),
                        f"names no visit of this program; visits are: {', '.join(visits)}",
                    )
                )
        for name, value in site.get("attributes", {}).items():
            where: JsonPath = ("sites", "list", i, "attributes", name)
            spec = declared.get(name)
            if spec is None:
                known = ", ".join(declared) or "none: declare it under sites.attributes"
                out.append(
                    P.problem_at(
                        doc,
                        where,
                        f"attribute '{name}' is not declared; declared: {known}",
                        key=True,
                    )
                )
                continue
            out += _attribute_value_problems(doc, where, name, spec["type"], value)
    return out


def _attribute_value_problems(
    doc: Document, where: JsonPath, name: str, kind: str, value: Any
) -> list[P.Problem]:
    periods = value if isinstance(value, list) else [{"value": value}]
    paths = (
        [(*where, j, "value") for j in range(len(periods))] if isinstance(value, list) else [where]
    )
    wanted = _ATTRIBUTE_TYPES[kind]
    out: list[P.Problem] = []
    spans: list[tuple[str, str, int]] = []
    for j, (period, path) in enumerate(zip(periods, paths, strict=True)):
        v = period["value"]
        if not isinstance(v, wanted) or (kind == "number" and isinstance(v, bool)):
            out.append(
                P.problem_at(doc, path, f"'{name}' is declared as {kind}: write {_AN[kind]}")
            )
        start, end = period.get("from", "0000-00-00"), period.get("to", "9999-99-99")
        if end < start:
            out.append(P.problem_at(doc, (*where, j), "its `to` must not be before its `from`"))
        spans.append((start, end, j))
    spans.sort()
    for (_, end, j), (start, _, k) in itertools.pairwise(spans):
        if start <= end:
            out.append(
                P.problem_at(
                    doc,
                    (*where, k),
                    f"the periods {name}[{j}] and {name}[{k}] overlap: each date must have one value",
                )
            )
    return out


_AN = {"number": "a number", "boolean": "true or false", "text": "text"}


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
                    f"{quoted(item_id)} is not an item of instrument '{instrument.id}'",
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
    """One response or a JSON list of them, validated; raise InvalidDocument otherwise.

    Each response may be hembesok's own or a FHIR R4 QuestionnaireResponse
    (hembesok.io.fhir_response), told apart by its `resourceType`.
    """
    data = doc.data
    parts: list[tuple[JsonPath, Any]] = (
        [((i,), item) for i, item in enumerate(data)] if isinstance(data, list) else [((), data)]
    )
    if not any(is_questionnaire_response(item) for _, item in parts):
        found = response_problems(doc, instruments)
        if found:
            raise P.InvalidDocument(found)
        return [Response.from_dict(item) for _, item in parts]
    found = []
    natives: list[Any] = []
    for base, item in parts:
        if is_questionnaire_response(item):
            native, problems = native_response(doc, instruments, base)
            found += problems
            natives.append(native)
        else:
            found += _one_response_problems(doc, instruments, base)
            natives.append(item)
    if found:
        raise P.InvalidDocument(P.sort_problems(found))
    return [Response.from_dict(item) for item in natives]

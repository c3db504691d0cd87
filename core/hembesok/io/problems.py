"""Schema errors turned into located, readable problems: file:line:column: $.path: message.

Messages say what would be right. For case documents they are built without the
offending value (`redact=True`), because a case holds health and social data
about a child; program files are public rules and may quote their own values.
Derivative errors (a `oneOf` failing only because of an unknown key the user
already hears about) are dropped, so one mistake gives one message.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from hembesok.io import limits, schemas
from hembesok.io.documents import Document, DocumentError, JsonPath, too_deep
from hembesok.io.redact import NOT_SHOWN, shown_key

if TYPE_CHECKING:  # jsonschema is imported when a document first needs its problems
    from jsonschema.exceptions import ValidationError

_JSON_TYPES = {
    dict: "object",
    list: "array",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: int
    path: str
    message: str
    severity: str = "error"
    schema_path: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}: {self.path}: "
        tail = f" [{self.schema_path}]" if self.schema_path else ""
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{where}{prefix}{self.message}{tail}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class InvalidDocument(Exception):
    """A document that failed validation; `problems` says where and why."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)


def json_path(path: Iterable[str | int]) -> str:
    """`$.responses[0].answers.epds_1`; a key that does not look like a field name (a
    value put where a key belongs) stands as `[…]` (io.redact)."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not shown_key(part):
            out += f"[{NOT_SHOWN}]"
        elif part.replace("_", "").isalnum() and not part[:1].isdigit():
            out += f".{part}"
        else:
            out += f"[{part!r}]"
    return out


def from_document_error(error: DocumentError) -> Problem:
    return Problem(error.path, error.position.line, error.position.column, "$", error.message)


def problem_at(
    doc: Document, path: JsonPath, message: str, *, key: bool = False, severity: str = "error"
) -> Problem:
    pos = doc.locate(path, key=key)
    return Problem(doc.path, pos.line, pos.column, json_path(path), message, severity)


def validate(
    doc: Document, schema_name: str, *, redact: bool, base: JsonPath = ()
) -> list[Problem]:
    """Every schema problem of a document (or of the part at `base`), one per mistake."""
    problems = [
        problem_at(doc, p, "duplicate key: the later value would silently win", key=True)
        for p in doc.duplicate_keys
        if p[: len(base)] == base
    ]
    data = doc.data
    for key in base:
        data = data[key]
    deep = too_deep(data)
    if deep is not None:  # no schema walk over what could exhaust the stack
        where = (*base, *deep)
        problems.append(
            problem_at(doc, where, f"is nested more than {limits.MAX_DEPTH} levels deep")
        )
        return sort_problems(problems)
    errors = list(schemas.validator(schema_name).iter_errors(data))
    for error in _without_derivatives(errors):
        problems.append(_to_problem(doc, error, schema_name, redact, base))
    return sort_problems(problems)


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    unique = {(p.file, p.path, p.message): p for p in reversed(list(problems))}  # first one wins
    return sorted(
        unique.values(), key=lambda p: (p.file, p.severity != "error", p.line, p.column, p.path)
    )


def _without_derivatives(errors: list[ValidationError]) -> list[ValidationError]:
    unknown_key_paths = {
        tuple(e.absolute_path) for e in errors if e.validator == "additionalProperties"
    }
    kept = []
    for error in errors:
        if (
            error.validator in ("oneOf", "anyOf", "dependentSchemas")
            and tuple(error.absolute_path) in unknown_key_paths
        ):
            continue
        kept.append(error)
    return kept


def _to_problem(
    doc: Document, error: ValidationError, schema_name: str, redact: bool, base: JsonPath = ()
) -> Problem:
    path: JsonPath = (*base, *error.absolute_path)
    key = False
    if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
        allowed = _schema_of(error).get("properties", {})
        extra = [k for k in error.instance if k not in allowed]
        if extra:
            path = (*path, extra[0])
            key = True
    if error.validator == "propertyNames":
        bad = _bad_property_name(error)
        if bad is not None:
            path, key = (*path, bad), True
    pos = doc.locate(path, key=key)
    if key and redact and not shown_key(str(path[-1])):
        path = path[:-1]  # located by line and column; the key itself is not repeated
    return Problem(
        doc.path,
        pos.line,
        pos.column,
        json_path(path),
        message(error, redact=redact),
        "error",
        _schema_location(schema_name, error),
    )


def _schema_of(error: ValidationError) -> Mapping[str, Any]:
    return error.schema if isinstance(error.schema, Mapping) else {}


def _bad_property_name(error: ValidationError) -> str | None:
    for sub in error.context or ():
        if isinstance(sub.instance, str):
            return sub.instance
    return None


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def message(error: ValidationError, *, redact: bool) -> str:
    """What is wrong and what would be right, without the value when redacting."""
    v: str = str(error.validator)
    instance: Any = error.instance
    value: Any = error.validator_value
    schema: Any = error.schema
    custom: str | None = schema.get("x-message") if isinstance(schema, Mapping) else None
    shown = "" if redact else f" (got {instance!r})"
    if v == "required":
        missing = [name for name in value if isinstance(instance, Mapping) and name not in instance]
        names = ", ".join(f"'{n}'" for n in missing) or "a required field"
        return f"missing required {'field' if len(missing) < 2 else 'fields'} {names}"
    if v == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = [k for k in instance if k not in schema.get("properties", {})]
        name = str(extra[0]) if extra else "?"
        guess = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"; did you mean '{guess[0]}'?" if guess else f"; allowed here: {', '.join(allowed)}"
        if redact and not shown_key(name):  # a value put where a key belongs
            return f"an unknown key (not shown: it does not look like a field name){hint}"
        return f"unknown key '{name}'{hint}"
    if v == "type":
        expected = " or ".join(value) if isinstance(value, list) else value
        return f"must be {_article(expected)}{expected}, not {_article(_json_type(instance))}{_json_type(instance)}"
    if v == "enum":
        options = ", ".join(repr(o) for o in value)
        return f"must be one of {options}{shown}"
    if v in ("pattern", "format"):
        if custom:
            return f"{custom}{shown}"
        return f"does not match the expected {'format ' + value if v == 'format' else 'pattern'}{shown}"
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        words = {
            "minimum": "at least",
            "maximum": "at most",
            "exclusiveMinimum": "more than",
            "exclusiveMaximum": "less than",
        }
        return f"must be {words[v]} {value}{shown}"
    if v in ("minItems", "maxItems"):
        return f"must have {'at least' if v == 'minItems' else 'at most'} {value} item{'s' if value != 1 else ''}"
    if v in ("minLength", "maxLength"):
        return (
            "must not be empty"
            if v == "minLength" and value == 1
            else f"must have {'at least' if v == 'minLength' else 'at most'} {value} characters"
        )
    if v == "minProperties":
        return f"must have at least {value} key{'s' if value != 1 else ''}" + (
            f": {', '.join(sorted(schema.get('properties', {})))}"
            if schema.get("properties")
            else ""
        )
    if v == "uniqueItems":
        return "items must be unique"
    if v == "dependentRequired":
        needs = [
            f"'{k}' needs '{d}'"
            for k, deps in value.items()
            if k in instance
            for d in deps
            if d not in instance
        ]
        return "; ".join(needs) or "a field needs another field"
    if v == "propertyNames":
        sub = error.context[0] if error.context else None
        inner = (
            sub.schema.get("x-message")
            if sub is not None and isinstance(sub.schema, Mapping)
            else None
        )
        return f"key {inner or 'is not an allowed name'}"
    if v in ("oneOf", "anyOf", "dependentSchemas"):
        if custom:
            return custom
        if v == "dependentSchemas":
            for sub_error in error.context or ():
                sub_msg = (
                    sub_error.schema.get("x-message")
                    if isinstance(sub_error.schema, Mapping)
                    else None
                )
                if sub_msg:
                    return str(sub_msg)
        return "does not match any of the allowed forms"
    if custom:
        return custom
    return f"fails the '{v}' check" if redact else error.message


def _article(word: str) -> str:
    return "an " if word[:1] in "aeiou" else "a "


def _schema_location(schema_name: str, error: ValidationError) -> str:
    """The schema path as a reader can find it, restarted at the last $ref followed.

    jsonschema leaves `$ref` hops out of `schema_path`, so the walk follows a node's
    `$ref` whenever the next step is not found in the node itself.
    """
    uri = schemas.schema_id(schema_name)
    root: Any = schemas.schema(schema_name)
    node: Any = root
    parts: list[str] = []
    for token in error.schema_path:
        while isinstance(node, Mapping) and token not in node and "$ref" in node:
            target_uri, _, fragment = node["$ref"].partition("#")
            if target_uri:
                uri, root = target_uri, _schema_by_id(target_uri)
            node, parts = root, []
            for piece in (p for p in fragment.split("/") if p):
                node = node[piece]
                parts.append(piece)
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            node = None
        parts.append(str(token))
    return f"{uri}#/{'/'.join(parts)}"


def _schema_by_id(uri: str) -> Any:
    for name in schemas.NAMES:
        if schemas.schema_id(name) == uri:
            return schemas.schema(name)
    return {}

"""The JSON Schemas shipped inside the wheel, read with importlib.resources.

They are the contract with program authors, editors and journal vendors, so they
are loaded from the package data exactly as `hembesok schema NAME` prints them. The
functions here are cached for the process: the shipped schemas never change, and there
are seven of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema is imported only when a document needs located problems
    from jsonschema.protocols import Validator
    from referencing import Registry

NAMES = ("program", "case", "plan", "compact-plan", "instrument", "response", "screening")


class UnknownSchema(KeyError):
    pass


@cache
def schema_text(name: str) -> str:
    if name not in NAMES:
        raise UnknownSchema(name)
    return (resources.files("hembesok.schemas") / f"{name}.schema.json").read_text("utf-8")


@cache
def schema(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(schema_text(name))
    return loaded


def schema_id(name: str) -> str:
    return str(schema(name)["$id"])


@cache
def registry() -> Registry:
    from referencing import Registry, Resource

    resources_ = [(schema_id(n), Resource.from_contents(schema(n))) for n in NAMES]
    return Registry().with_resources(resources_)


@cache
def validator(name: str) -> Validator:
    """jsonschema's validator: slow, but it explains every mistake (hembesok.io.problems)."""
    from jsonschema import Draft202012Validator

    return Draft202012Validator(
        schema(name),
        registry=registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


Check = Callable[[Any], bool]


@cache
def fast_check(name: str) -> Check | None:
    """A quick yes/no validity test of a shipped schema (jsonschema-rs), or None without it.

    Built once per schema for the process (the shipped schemas never change), offline: no
    reference is ever fetched. Its "no" is never reported as such: a document it rejects
    gets jsonschema's located problems, so the answers do not depend on it
    (docs/decisions/0015-fast-validation.md).
    """
    try:
        import jsonschema_rs
    except ImportError:
        return None
    registry = jsonschema_rs.Registry([(schema_id(n), schema(n)) for n in NAMES])
    validator = jsonschema_rs.Draft202012Validator(
        schema(name), registry=registry, validate_formats=True, offline=True
    )
    check: Check = validator.is_valid
    return check


def surely_valid(name: str, data: Any) -> bool:
    """True only when the quick check is installed and accepts `data`; False means "look closer"."""
    check = fast_check(name)
    if check is None:
        return False
    try:
        return check(data)
    except (ValueError, TypeError):  # data it cannot take (a key that is not text): look closer
        return False

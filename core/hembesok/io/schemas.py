"""The JSON Schemas shipped inside the wheel, read with importlib.resources.

They are the contract with program authors, editors and journal vendors, so they
are loaded from the package data exactly as `hembesok schema NAME` prints them.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.protocols import Validator
from referencing import Registry, Resource

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
    resources_ = [(schema_id(n), Resource.from_contents(schema(n))) for n in NAMES]
    return Registry().with_resources(resources_)


@cache
def validator(name: str) -> Validator:
    return Draft202012Validator(
        schema(name),
        registry=registry(),
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )

"""Skåne's Växa tryggt: six home visits for first-time mothers at BVCs with a Care Need
Index above 1.3 or in particularly vulnerable municipalities (the sites are placeholders)."""

from importlib import resources
from importlib.resources.abc import Traversable

from hembesok import hookimpl


@hookimpl
def hembesok_programs() -> list[Traversable]:
    return [resources.files(__name__) / "program.yaml"]

"""Rinkeby's extended home visits (BHV nurse + föräldrarådgivare) for first-time parents."""

from importlib import resources
from importlib.resources.abc import Traversable

from hembesok import hookimpl


@hookimpl
def hembesok_programs() -> list[Traversable]:
    return [resources.files(__name__) / "program.yaml"]

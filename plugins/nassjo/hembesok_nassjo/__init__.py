"""The Nässjö model: extended joint home visits (BHV nurse + kurator) in Nässjö municipality."""

from importlib import resources
from importlib.resources.abc import Traversable

from hembesok import hookimpl


@hookimpl
def hembesok_programs() -> list[Traversable]:
    return [resources.files(__name__) / "program.yaml"]

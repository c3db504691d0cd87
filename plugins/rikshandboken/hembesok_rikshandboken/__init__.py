"""The national child health programme (Rikshandboken barnhälsovård): the baseline schedule.

Regions vary this schedule; it is data in program.yaml, not code.
"""

from importlib import resources
from importlib.resources.abc import Traversable

from hembesok import hookimpl


@hookimpl
def hembesok_programs() -> list[Traversable]:
    return [resources.files(__name__) / "program.yaml"]


@hookimpl
def hembesok_instruments() -> list[Traversable]:
    return [resources.files(__name__) / "epds.instrument.yaml"]

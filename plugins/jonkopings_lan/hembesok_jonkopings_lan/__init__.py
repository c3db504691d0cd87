"""Region Jönköpings län, the most common model of the municipalities other than Nässjö and
Vaggeryd: one joint home visit (BHV nurse + family-centre kurator) for first-time parents,
when the child is newborn or 8 months, depending on the municipality."""

from importlib import resources
from importlib.resources.abc import Traversable

from hembesok import hookimpl


@hookimpl
def hembesok_programs() -> list[Traversable]:
    return [resources.files(__name__) / "program.yaml"]

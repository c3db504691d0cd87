"""BarnSäkert (Region Västernorrland), the Swedish SEEK model: a questionnaire at six
ordinary BVC visits, each flagged domain turned into a conversation and a voluntary
offer of support.

The bundled questionnaire (instrument.yaml) is a representative item set written for
this project, not the licensed form. A region that holds the licence loads its own
file instead by naming it in the environment variable HEMBESOK_BARNSAKERT_INSTRUMENT;
that file is read as data and validated against schemas/instrument.schema.json like
any instrument. Nothing in it is executed.
"""

import os
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from hembesok import hookimpl

#: Names a YAML or JSON instrument file to use in place of the bundled instrument.yaml.
INSTRUMENT_VARIABLE = "HEMBESOK_BARNSAKERT_INSTRUMENT"


@hookimpl
def hembesok_programs() -> list[Traversable]:
    return [resources.files(__name__) / "program.yaml"]


@hookimpl
def hembesok_instruments() -> list[Traversable | Path]:
    return [instrument_source()]


def instrument_source(env: Mapping[str, str] | None = None) -> Traversable | Path:
    """The licensed form named by HEMBESOK_BARNSAKERT_INSTRUMENT, else the bundled set.

    The path is passed on unread: the engine loads and validates it like any
    instrument, so a missing or invalid file is reported at load time as an error
    of this plugin, located at its line.
    """
    named = (os.environ if env is None else env).get(INSTRUMENT_VARIABLE, "").strip()
    if named:
        return Path(named).expanduser()
    return resources.files(__name__) / "instrument.yaml"

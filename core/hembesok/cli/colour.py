"""The one place that decides whether the command colours its output.

Colour goes to a terminal only: click.echo strips it from a pipe or a file unless told
otherwise, and `choice` tells it otherwise only as the environment asks: NO_COLOR with
any non-empty value turns colour off even on a terminal (https://no-color.org), and
FORCE_COLOR or CLICOLOR_FORCE (non-empty, not 0) turns it on in a pipe too (for a CI
log that shows colour). Colour only marks what the words already say (an error, a
failure, all passed), so nothing is lost without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import click

#: What a mark means -> its colour.
COLOURS: Mapping[str, str] = MappingProxyType({"error": "red", "warning": "yellow", "ok": "green"})


def _set(value: str | None) -> bool:
    return bool(value) and value != "0"


def choice(env: Mapping[str, str]) -> bool | None:
    """False: never colour; True: always; None: click's own choice, a terminal only."""
    if env.get("NO_COLOR"):
        return False
    if _set(env.get("FORCE_COLOR")) or _set(env.get("CLICOLOR_FORCE")):
        return True
    return None


def paint(text: str, mark: str) -> str:
    """`text` in the colour of `mark` (error, warning, ok); click.echo removes the colour
    again where `choice` says there is none."""
    return click.style(text, fg=COLOURS[mark], bold=True if mark == "error" else None)

"""Help texts that list what a registry holds, made when the help is shown.

A command whose help names the service's endpoints or the shipped schemas reads them
from the registry itself (`hembesok.service.routes.ROUTES`, `hembesok.io.schemas.NAMES`),
so the help cannot fall behind when an entry is added. The list is made only when that
command's own help is shown: `hembesok --help` and every command run cost nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import click

#: A listing: its heading and its rows (what, what it is).
Listing = tuple[str, Sequence[tuple[str, str]]]


class ListedCommand(click.Command):
    """A command whose help ends with a list its `listing` function makes when shown."""

    def __init__(self, *args: Any, listing: Callable[[], Listing], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.listing = listing

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_help_text(ctx, formatter)
        heading, rows = self.listing()
        with formatter.section(heading):
            formatter.write_dl(list(rows))

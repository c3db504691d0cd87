"""Shell completion of the ids a command takes (click's own protocol, bash, zsh and fish).

Click completes file paths (every file argument is a `click.Path`) and choices itself;
these callbacks add the installed program and instrument ids. They run on every press
of Tab, so they say nothing and never fail: a plugin that does not load, or anything
else going wrong, gives no suggestions rather than an error in the middle of a command
line being typed.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable

import click
from click.shell_completion import CompletionItem


def _installed(kind: str) -> list[str]:
    """The ids of the installed programs or instruments, sorted; none if anything fails."""
    try:
        # Loading a plugin may print; a completion's output must hold only its items.
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            from hembesok.engine.engine import Engine

            engine = Engine.from_installed()
            found = engine.programs if kind == "program" else engine.instruments
            return sorted(found)
    except Exception:  # completion must never break a command line being typed
        return []


def _ids(kind: str) -> Callable[[click.Context, click.Parameter, str], list[CompletionItem]]:
    def complete(
        ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        return [
            CompletionItem(ident, help=kind)
            for ident in _installed(kind)
            if ident.startswith(incomplete)
        ]

    complete.__doc__ = f"The installed {kind} ids starting with what has been typed."
    return complete


program_ids = _ids("program")
instrument_ids = _ids("instrument")


@click.command("completion")
@click.argument("shell", metavar="SHELL", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def completion_command(ctx: click.Context, shell: str) -> None:
    """Print the shell's completion script for hembesok.

    Load it in the shell's start-up file, for bash: eval "$(hembesok completion bash)"
    (or eval "$(_HEMBESOK_COMPLETE=bash_source hembesok)", which click answers itself).
    File arguments complete as paths, --program as the installed program ids, --format
    and other choices as their names (docs/cli.md).
    """
    from click.shell_completion import get_completion_class

    root = ctx.find_root()
    script = get_completion_class(shell)
    assert script is not None  # the three shells click ships
    source = script(root.command, {}, root.info_name or "hembesok", "_HEMBESOK_COMPLETE").source()
    click.echo(source)

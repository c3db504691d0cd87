"""The `hembesok` command: thin click shells over the library, one module per group of commands."""

from __future__ import annotations

import os
import signal
import sys

import click

from hembesok.cli import colour
from hembesok.cli.author import new_plugin, test
from hembesok.cli.batch import batch
from hembesok.cli.common import EXIT_INTERNAL, EXIT_INTERRUPTED
from hembesok.cli.completion import completion_command
from hembesok.cli.fhir import fhir
from hembesok.cli.info import plugins, programs, schema
from hembesok.cli.plan import explain, plan
from hembesok.cli.report import report
from hembesok.cli.screen import screen
from hembesok.cli.serve import serve
from hembesok.cli.validate import validate
from hembesok.version import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hembesok")
@click.pass_context
def main(ctx: click.Context) -> None:
    """hembesok: child health programme rules (eligibility, visits, screening) from declarative plugins.

    Every command that prints data takes --format (text for people, json for machines;
    --json is the same as --format json). Colour only on a terminal; NO_COLOR turns it
    off. Conventions, exit codes and shell completion: docs/cli.md.
    """
    ctx.color = colour.choice(os.environ)


for _command in (
    plugins,
    programs,
    validate,
    plan,
    explain,
    schema,
    screen,
    fhir,
    new_plugin,
    test,
    batch,
    report,
    serve,
    completion_command,
):
    main.add_command(_command)


class _Interrupted(BaseException):
    """Ctrl-C outside a command that handles it (click would print "Aborted!" and exit 1)."""


def _interrupt(signum: int, frame: object) -> None:
    raise _Interrupted


def run() -> None:
    """Entry point: click's own handling, plus a last guard so no traceback reaches a user.

    Ctrl-C ends any command with exit 130, as the shell counts a SIGINT (`batch` and
    `serve` put their own handlers in place to stop cleanly first).
    """
    signal.signal(signal.SIGINT, _interrupt)
    try:
        main.main(standalone_mode=True)
    except SystemExit:
        raise
    except _Interrupted:
        click.echo("hembesok: avbrutet / interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # pragma: no cover - exercised through a test that injects a fault
        if os.environ.get("HEMBESOK_DEBUG"):
            raise
        click.echo(
            f"hembesok: internal error ({type(exc).__name__}); please report it. Set HEMBESOK_DEBUG=1 to see the details.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)

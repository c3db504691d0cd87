"""What every command shares: exit codes, failures without tracebacks, the engine, reading files.

Exit codes (also in the README):
  0  success
  1  invalid input: a program, case or other document has problems (each printed with its location)
  2  usage error: unknown option, missing argument
  3  plugin or installation error: a misspelt hook, two plugins claiming one id,
     an installed program file that does not validate
  4  internal error: a bug in hembesok; no traceback is shown unless HEMBESOK_DEBUG=1
  5  `batch` could not go on reading its input or writing its output (a full disk, a
     failing device): the output's whole lines are kept and the run can be resumed
  130  stopped by Ctrl-C (SIGINT); 143 `batch` stopped by SIGTERM; 141 `batch` writing to a
     pipe that was closed (see docs/batch.md: an interrupted batch can be resumed)
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

import click

if TYPE_CHECKING:
    from hembesok.api import Pipeline
    from hembesok.engine.engine import Engine
    from hembesok.io.documents import Document
    from hembesok.io.problems import Problem
    from hembesok.model.case import Case
    from hembesok.plugins.manager import LoadedPlugins


EXIT_INVALID, EXIT_USAGE, EXIT_PLUGINS, EXIT_INTERNAL = 1, 2, 3, 4
EXIT_IO = 5
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


class Failure(click.ClickException):
    """An expected failure: a message for the user and an exit code, never a traceback."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it on the class

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


def fail_with_problems(found: Sequence[Problem], as_json: bool = False) -> NoReturn:
    """Exit 1 with every problem: one per line, or (`as_json`) one RFC 9457 document on one line."""
    if as_json:
        from hembesok.render.problem_details import invalid_case

        raise Failure(json.dumps(invalid_case(found), ensure_ascii=False), EXIT_INVALID)
    raise Failure("\n".join(str(p) for p in found), EXIT_INVALID)


def engine(strict: bool = False, warn: bool = True) -> Engine:
    """The installed plugins' engine. A plugin that fails to import, or a program file that
    does not load, is named on standard error and left out; every other program plans.
    `strict` (for commands that check the files themselves) makes an invalid program file
    an installation error instead (exit 3)."""
    from hembesok.engine.engine import Engine
    from hembesok.plugins.manager import PluginError

    try:
        engine = Engine.from_installed()
    except PluginError as exc:
        raise Failure(f"hembesok: plugin error: {exc}", EXIT_PLUGINS) from None
    for failure in engine.loaded.failures:
        click.echo(
            f"hembesok: warning: plugin '{failure.name}' ({failure.distribution}) failed to load and was skipped: {failure.error}",
            err=True,
        )
    lines = [
        f"hembesok: the program file of {e.distribution} is invalid:"
        + "".join(f"\n  {p}" for p in e.problems)
        for e in engine.errors
    ]
    if lines and strict:
        raise Failure("\n".join(lines), EXIT_PLUGINS)
    if lines and warn:
        click.echo(
            "\n".join(lines) + "\nhembesok: warning: planning without those programs", err=True
        )
    return engine


def read(path: str, as_json: bool = False) -> Document:
    from hembesok.io.documents import DocumentError, load_file, load_text
    from hembesok.io.problems import from_document_error

    try:
        if path == "-":
            return load_text(sys.stdin.read(), "-")
        return load_file(path)
    except DocumentError as exc:
        fail_with_problems([from_document_error(exc)], as_json)


def case(pipeline: Pipeline, path: str, as_of: dt.date, as_json: bool = False) -> Case:
    """The valid case in a file (or standard input), or exit 1 with every problem."""
    from hembesok.io.problems import InvalidDocument

    doc = read(path, as_json)
    try:
        return pipeline.read(doc, as_of)
    except InvalidDocument as exc:
        fail_with_problems(exc.problems, as_json)


def today() -> dt.date:
    """The CLI's default as-of date; the library itself never reads the clock."""
    return dt.date.today()


def lint_plugins() -> LoadedPlugins:
    """The installed plugins, whose hooks examples run with; the built-in one alone if broken."""
    from hembesok.plugins.manager import PluginError, make_plugin_manager

    try:
        return make_plugin_manager()
    except PluginError as exc:
        click.echo(
            f"hembesok: warning: plugin error, examples run without installed plugins: {exc}",
            err=True,
        )
        return make_plugin_manager(modules=[], env={})


def choose(engine: Engine, ids: Sequence[str]) -> list[str] | None:
    """The `--program` ids, all installed ones when none is given; a usage error (exit 2)
    for an id no installed plugin registers."""
    from hembesok.api import UnknownProgram, check_programs

    try:
        return check_programs(engine, ids or None)
    except UnknownProgram as exc:
        raise click.BadParameter(str(exc), param_hint="--program") from None


def signal_name(signum: int) -> str:
    """A signal's name for a message (SIGTERM), or its number when it has none."""
    import signal

    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def report_stop(why: str, counts: str, ends: str, hint: str) -> None:
    """The two lines of a batch that ended early: why and what it did, then where its
    output ends and the command that goes on from there."""
    click.echo(f"hembesok batch: {why}: {counts}", err=True)
    click.echo(f"hembesok batch: {ends}; to go on: {hint}", err=True)

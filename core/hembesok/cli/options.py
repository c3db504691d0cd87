"""Options shared by the command modules (kept apart so none imports cli.py).

`output_format` is the one `--format` of every command that prints data: `text` for
people by default, `json` for machines, and `--json` as an alias of `--format json`
(docs/cli.md). It imports nothing heavy: every command's help reads it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import click
from click.core import ParameterSource

from hembesok.cli.completion import program_ids

Command = TypeVar("Command", bound=Callable[..., Any])

TEXT, JSON = "text", "json"

#: What `text` and `json` say in a command's help unless the command says otherwise.
COMMON_FORMATS: Mapping[str, str] = {TEXT: "for people", JSON: "for machines"}


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """A `--as-of` style option: a date written YYYY-MM-DD, or a usage error (exit 2)."""
    from hembesok.io.dates import InvalidDate, parse_date

    if value is None:
        return None
    try:
        return parse_date(value)
    except InvalidDate as exc:
        raise click.BadParameter(str(exc)) from None


def chosen_format(
    given: str | None, as_json: bool, default: str, aliases: Mapping[str, str]
) -> str:
    """The format `--format` and `--json` name together; a usage error (exit 2) when they
    name two different ones, since one of the two would be silently ignored."""
    named = aliases.get(given, given) if given is not None else None
    if as_json and named not in (None, JSON):
        raise click.UsageError(
            f"--json is --format json, and --format says {given}: give one of them"
        )
    if as_json:
        return JSON
    return named if named is not None else default


def output_format(
    formats: Mapping[str, str] = COMMON_FORMATS,
    *,
    default: str = TEXT,
    aliases: Mapping[str, str] | None = None,
) -> Callable[[Command], Command]:
    """`--format` with this command's `formats` (name -> what it is, for the help) and
    `--json`, its alias for `--format json`. The command gets one argument, `fmt`: the name
    chosen (an alias, such as plan's old `table`, is given as the name it stands for)."""
    names = list(formats)
    aka = dict(aliases or {})
    shown = "; ".join(
        f"{name}{''.join(f' (or {old})' for old, new in aka.items() if new == name)}: {summary}"
        for name, summary in formats.items()
    )

    def decorate(command: Command) -> Command:
        @functools.wraps(command)
        def run(*args: Any, fmt: str, as_json: bool, **kwargs: Any) -> Any:
            source = click.get_current_context().get_parameter_source("fmt")
            given = None if source is ParameterSource.DEFAULT else fmt
            return command(*args, fmt=chosen_format(given, as_json, default, aka), **kwargs)

        with_json = click.option(
            "--json", "as_json", is_flag=True, help="The same as --format json."
        )(run)
        with_format = click.option(
            "--format",
            "fmt",
            type=click.Choice([*names, *aka]),
            default=default,
            show_default=True,
            help=f"{shown}.",
        )(with_json)
        return with_format  # type: ignore[return-value]  # the same command, one option more

    return decorate


def as_of_option(
    help: str = "Plan as of this date (YYYY-MM-DD); default today.",
) -> Callable[[Command], Command]:
    """`--as-of DATE`, read by the one date parser (the command gets `as_of`)."""
    return click.option("--as-of", callback=iso_date, metavar="DATE", help=help)


def programs_option(
    help: str = "Only this program (repeatable).",
) -> Callable[[Command], Command]:
    """`--program ID`, repeatable, completing installed program ids (`program_ids`)."""
    return click.option(
        "--program",
        "program_ids",
        multiple=True,
        metavar="ID",
        shell_complete=program_ids,
        help=help,
    )


def lang_option(
    choices: tuple[str, ...] = ("sv", "en"),
    default: str = "sv",
    help: str = "The language of the table.",
) -> Callable[[Command], Command]:
    """`--lang`: which of a text's languages to show (the command gets `lang`)."""
    return click.option(
        "--lang", type=click.Choice(list(choices)), default=default, show_default=True, help=help
    )

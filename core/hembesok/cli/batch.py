"""`hembesok batch`: plan a file of cases (NDJSON or CSV), one JSON line per record.

The command is a thin shell over `hembesok.batch.runner`: it opens the files, checks a CSV
header once, draws a progress bar when standard error is a terminal (never in a pipe
or a log), and ends with a summary whose counts add up. Exit code 0 when every record
was planned, 1 when any record had problems, 4 when any hit a bug in hembesok.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import stat
import sys
from collections.abc import Callable, Iterator
from typing import IO, Any

import click

from hembesok.cli.common import EXIT_INTERNAL, EXIT_INVALID, choose, fail_with_problems, today
from hembesok.cli.common import engine as engine_
from hembesok.cli.options import iso_date


@click.command()
@click.argument("input_file", metavar="INPUT")
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Where to write the JSON lines (- for standard output).",
)
@click.option(
    "--as-of", callback=iso_date, help="Plan as of this date (YYYY-MM-DD); default today."
)
@click.option("--program", "program_ids", multiple=True, help="Only this program (repeatable).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "ndjson", "csv"]),
    default="auto",
    show_default=True,
    help="The input's format; auto: by suffix (.csv, .ndjson/.jsonl), else by its first byte.",
)
@click.option(
    "--compact",
    is_flag=True,
    help="Write compact plans: decisions, missing facts, visit dates and statuses, "
    "screening flags; no texts (schema compact-plan).",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Worker processes; 2 uses both cores of a two-core machine.",
)
def batch(
    input_file: str,
    output: str,
    as_of: dt.date | None,
    program_ids: tuple[str, ...],
    fmt: str,
    compact: bool,
    workers: int,
) -> None:
    """Plan every case of INPUT (NDJSON or CSV, - for standard input), one JSON line each.

    A line is {"record": N, "plan": {...}} or, for a bad record, {"record": N, "line": L,
    "error": {...}} naming the field at fault. The summary on standard error counts records
    in, plans out and errors. Column mapping and line format: docs/batch.md.
    """
    from hembesok.batch import (
        COMPACT,
        CSV,
        FULL,
        Settings,
        chunked,
        csv_reader,
        csv_records,
        detect_format,
        ndjson_records,
        run,
    )
    from hembesok.engine.engine import Engine
    from hembesok.io.csv_cases import CsvLayout
    from hembesok.io.problems import InvalidDocument

    day = as_of or today()
    engine = engine_()
    chosen = choose(engine, program_ids)
    source = input_file
    with _open_input(input_file) as stream:
        kind = detect_format(source, stream) if fmt == "auto" else fmt
        layout = None
        if kind == CSV:
            reader, header = csv_reader(stream)
            try:
                layout = CsvLayout.from_header(header, source)
            except InvalidDocument as exc:
                fail_with_problems(exc.problems)
            records = csv_records(reader)
        else:
            records = ndjson_records(stream)
        settings = Settings(
            day,
            source,
            tuple(chosen) if chosen else None,
            layout,
            Engine.from_installed,
            COMPACT if compact else FULL,
        )
        with _open_output(output) as out, _Progress(stream) as progress:
            summary = run(
                chunked(records),
                settings,
                out,
                workers=workers,
                engine=engine,
                on_chunk=lambda result: progress(result.records, result.messages),
            )
    click.echo(f"hembesok batch: {summary}", err=True)
    if summary.internal:
        sys.exit(EXIT_INTERNAL)
    if summary.errors:
        sys.exit(EXIT_INVALID)


def _open_input(path: str) -> Any:
    from hembesok.io.problems import Problem

    if path == "-":
        stdin: Any = sys.stdin.buffer
        return _Unclosed(stdin if hasattr(stdin, "peek") else io.BufferedReader(stdin))
    try:
        return open(path, "rb")
    except OSError as exc:
        reason = "file not found" if isinstance(exc, FileNotFoundError) else exc.strerror
        fail_with_problems([Problem(path, 1, 1, "$", f"cannot read file: {reason}")])


def _open_output(path: str) -> Any:
    if path == "-":
        return _Unclosed(sys.stdout.buffer)
    try:
        return open(path, "wb")
    except OSError as exc:
        raise click.BadParameter(f"cannot write {path}: {exc.strerror}", param_hint="-o") from None


class _Unclosed:
    """Standard input or output in a with-block, flushed but left open at its end."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream

    def __enter__(self) -> IO[bytes]:
        return self.stream

    def __exit__(self, *exc: object) -> None:
        self.stream.flush()


def _unknown_length() -> Iterator[int]:
    """An iterable without a length, so click's bar counts instead of showing a percentage."""
    yield from ()


class _Progress:
    """A progress bar on standard error when it is a terminal; otherwise only the messages.

    Over a regular file the bar runs by bytes read; over a pipe it counts records.
    """

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.bar: Any = None
        self.size = _size(stream)

    def __enter__(self) -> Callable[[int, tuple[str, ...]], None]:
        if sys.stderr.isatty():
            if self.size is not None:
                self.bar = click.progressbar(
                    length=self.size, label="planning", file=sys.stderr, show_eta=True
                )
            else:
                self.bar = click.progressbar(
                    _unknown_length(), label="planning (records)", file=sys.stderr, show_pos=True
                )
            self.bar.__enter__()
        return self.update

    def update(self, records: int, messages: tuple[str, ...]) -> None:
        for message in messages:
            click.echo(message, err=True)
        if self.bar is None:
            return
        if self.size is None:
            self.bar.update(records)
        else:
            position = _position(self.stream)
            if position is not None:
                self.bar.update(position - self.bar.pos)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _size(stream: Any) -> int | None:
    try:
        info = os.fstat(stream.fileno())
    except (OSError, AttributeError, ValueError):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def _position(stream: Any) -> int | None:
    try:
        return int(stream.tell())
    except (OSError, ValueError):
        return None

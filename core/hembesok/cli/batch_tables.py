"""`hembesok batch INPUT --to parquet|csv OUT_DIR`: the run written as the three flat tables.

The table side of `hembesok batch` (hembesok.cli.batch reads the options and the input):
it owns the output directory (never replacing parts without --force), goes on from a
manifest with --resume, and on a stop or a failing worker closes the part it is writing,
so the directory holds whole parts only. Bad records go to `OUT_DIR/problems/` as the same
error lines NDJSON output gives them, and to standard error as always. The layout is in
hembesok.batch.tables and docs/batch.md.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from hembesok.batch.planning import Settings, Summary
from hembesok.batch.records import RawRecord, chunked, skip_to
from hembesok.batch.running import Stop, WorkerFailed, run
from hembesok.batch.tables import (
    MANIFEST,
    PARQUET,
    PROBLEMS,
    NotTableOutput,
    TableSink,
    existing_parts,
    read_manifest,
    remove_parts,
)
from hembesok.cli.common import (
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_IO,
    EXIT_PLUGINS,
    EXIT_USAGE,
    Failure,
    report_stop,
    signal_name,
)
from hembesok.engine.engine import Engine
from hembesok.io.limits import MAX_LINE_BYTES
from hembesok.version import __version__

#: The optional extra that brings pyarrow.
ARROW_EXTRA = "arrow"


def _usage(message: str) -> Failure:
    return Failure(f"hembesok batch: {message}", EXIT_USAGE)


def run_settings(
    settings: Settings, engine: Engine, kind: str, max_line_bytes: int
) -> dict[str, Any]:
    """What a resumed run must share with the run it goes on from (kept in the manifest)."""
    ids = settings.programs if settings.programs is not None else tuple(engine.programs)
    return {
        "input": settings.source,
        "input_format": kind,
        "as_of": settings.as_of.isoformat(),
        "programs": list(settings.programs) if settings.programs is not None else None,
        "max_line_bytes": max_line_bytes,
        "engine": [[p, engine.programs[p].version, engine.programs[p].sha256] for p in ids],
        "hembesok": __version__,
    }


def write_tables(
    records: Iterator[RawRecord],
    settings: Settings,
    engine: Engine,
    *,
    directory: str,
    to: str,
    kind: str,
    fmt: str,
    max_line_bytes: int,
    program_ids: tuple[str, ...],
    workers: int,
    resume: bool,
    force: bool,
    stop: Stop,
    progress: Callable[[], Any],
) -> int:
    """Plan every record into the tables of `directory`; the exit code (docs/batch.md)."""
    out = Path(directory)
    if out.exists() and not out.is_dir():
        raise _usage(f"--to {to} writes a directory, and {directory} is not one")
    run_info = run_settings(settings, engine, kind, max_line_bytes)
    start, first_part = Summary(), 0
    if resume:
        try:
            resumed = read_manifest(out, to, run_info)
        except NotTableOutput as exc:
            raise _usage(
                f"{directory} cannot be gone on from ({exc}); --resume goes on only from "
                "the tables of an interrupted run with the same input and options"
            ) from None
        if resumed is None:
            click.echo(
                f"hembesok batch: {directory} holds no tables: planning from the first record",
                err=True,
            )
        else:
            start, first_part = resumed.summary, resumed.parts
            remove_parts(out, first_part)  # what a hard kill left after the last whole part
            if skip_to(records, start.last_record) is None:
                raise _usage(
                    f"the tables end at record {start.last_record}, but the input has fewer "
                    "records: is it the input of the run that wrote them?"
                )
    elif (out / MANIFEST).exists() or any(existing_parts(out)):
        if not force:
            raise _usage(
                f"{directory} holds tables: --force replaces them, "
                "--resume goes on from where an interrupted run left them"
            )
        remove_parts(out, 0)
    try:
        sink = TableSink(out, to, run_info, summary=start, first_part=first_part)
    except ImportError:
        raise Failure(
            f"hembesok: --to {to} needs the optional extra: pip install 'hembesok[{ARROW_EXTRA}]'",
            EXIT_PLUGINS,
        ) from None
    hint = _resume_command(settings, directory, to, fmt, program_ids, max_line_bytes)
    resumed_note = (
        f" (records 1-{start.last_record} from the run resumed)" if start.last_record else ""
    )
    try:
        with progress() as update:
            summary = run(
                chunked(records),
                settings,
                sink,
                workers=workers,
                engine=engine,
                on_chunk=lambda result: update(result.records, result.messages),
                stop=stop,
                summary=start,
            )
    except WorkerFailed as exc:
        sink.finish()
        click.echo(f"hembesok batch: {exc}; please report it", err=True)
        _report_end(exc.summary, resumed_note, hint, "stopped")
        return EXIT_INTERNAL
    except OSError as exc:
        sink.abandon()
        click.echo(
            f"hembesok batch: stopped: reading or writing failed ({exc.strerror or exc}); "
            f"the tables' whole parts are kept; when it is fixed, go on: {hint}",
            err=True,
        )
        return EXIT_IO
    except BaseException:
        sink.abandon()
        raise
    sink.finish()
    if summary.stopped is not None:
        _report_end(summary, resumed_note, hint, f"interrupted by {signal_name(summary.stopped)}")
        return 128 + summary.stopped
    where = f"tables in {directory}"
    if summary.errors:
        where += f", the bad records in {Path(directory) / PROBLEMS}"
    click.echo(f"hembesok batch: {summary}{resumed_note}; {where}", err=True)
    if summary.internal:
        return EXIT_INTERNAL
    return EXIT_INVALID if summary.errors else 0


def _report_end(summary: Summary, resumed_note: str, hint: str, why: str) -> None:
    ends = (
        f"the tables' whole parts end with record {summary.last_record}"
        if summary.last_record
        else "the tables hold no record yet"
    )
    report_stop(why, f"{summary}{resumed_note}", ends, hint)


def _resume_command(
    settings: Settings,
    directory: str,
    to: str,
    fmt: str,
    program_ids: tuple[str, ...],
    max_line_bytes: int,
) -> str:
    words = ["hembesok", "batch", settings.source, "--to", to, directory, "--resume"]
    words += ["--as-of", settings.as_of.isoformat()]
    for program in program_ids:
        words += ["--program", program]
    if fmt != "auto":
        words += ["--format", fmt]
    if max_line_bytes != MAX_LINE_BYTES:
        words += ["--max-line-bytes", str(max_line_bytes)]
    command = shlex.join(words)
    if settings.source == "-":
        command += " (the same input on standard input)"
    return command


__all__ = ["ARROW_EXTRA", "PARQUET", "run_settings", "write_tables"]

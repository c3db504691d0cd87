"""`hembesok batch`: plan a file of cases (NDJSON or CSV), one JSON line per record.

The command is a thin shell over `hembesok.batch`: it opens the files (never overwriting
an output without `--force`), checks a CSV header once, goes on from an interrupted
output with `--resume`, draws a progress bar when standard error is a terminal (never in
a pipe or a log), stops cleanly on SIGINT and SIGTERM, and ends with a summary whose
counts add up. Exit codes: 0 every record planned, 1 any record had problems, 2 usage
(also an output it will not overwrite or cannot resume), 4 any record hit a bug in
hembesok; 130 and 143 stopped by SIGINT or SIGTERM (128 + the signal's number), 141 the
reader of standard output went away (as a process ended by SIGPIPE).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import os
import shlex
import signal
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click

from hembesok.cli.common import (
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_IO,
    EXIT_USAGE,
    Failure,
    choose,
    fail_with_problems,
    report_stop,
    signal_name,
    today,
)
from hembesok.cli.common import engine as engine_
from hembesok.cli.options import as_of_option, programs_option
from hembesok.io.limits import MAX_LINE_BYTES

if TYPE_CHECKING:
    from hembesok.batch import Summary

#: The reader of standard output went away: 128 + SIGPIPE, as the shell reports a process
#: ended by it (`hembesok batch ... | head`).
EXIT_BROKEN_PIPE = 128 + 13


@click.command()
@click.argument("input_file", metavar="INPUT", type=click.Path(allow_dash=True))
@click.argument("out_dir", metavar="[OUT_DIR]", required=False, type=click.Path())
@click.option(
    "-o",
    "--output",
    type=click.Path(allow_dash=True),
    default="-",
    show_default=True,
    help="Where to write the JSON lines (- for standard output); an existing file is "
    "not overwritten without --force.",
)
@as_of_option()
@programs_option()
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
@click.option(
    "--resume",
    is_flag=True,
    help="Go on from where the output file (-o) of an interrupted run ends, with the same "
    "input and options; a partial last line is dropped.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option(
    "--to",
    type=click.Choice(["ndjson", "parquet", "csv"]),
    default="ndjson",
    show_default=True,
    help="ndjson: one JSON line per record; parquet or csv: the flat tables decisions, "
    "visits and screenings in the directory OUT_DIR (parquet needs hembesok[arrow]).",
)
@click.option(
    "--max-line-bytes",
    type=click.IntRange(min=1),
    default=MAX_LINE_BYTES,
    show_default=True,
    help="The longest record (NDJSON line or CSV row); a longer one is that record's error.",
)
def batch(
    input_file: str,
    out_dir: str | None,
    output: str,
    as_of: dt.date | None,
    program_ids: tuple[str, ...],
    fmt: str,
    compact: bool,
    workers: int,
    resume: bool,
    force: bool,
    max_line_bytes: int,
    to: str,
) -> None:
    """Plan every case of INPUT (NDJSON or CSV, - for standard input), one JSON line each.

    A line is {"record": N, "plan": {...}} or, for a bad record, {"record": N, "line": L,
    "error": {...}} naming the field at fault. The summary on standard error counts records
    in, plans out and errors. SIGINT or SIGTERM stops after the last whole chunk (exit 130,
    143) and says how to go on with --resume. With --to parquet or csv the plans go to
    OUT_DIR as three flat tables and the bad records to OUT_DIR/problems. Column mapping,
    line format, tables, resuming: docs/batch.md.
    """
    directory = _table_directory(to, out_dir, output, compact)
    if resume and force:
        _usage("--resume goes on with the output and --force overwrites it: give one of them")
    if resume and output == "-" and to == "ndjson":
        _usage("--resume needs the output file of the interrupted run: -o FILE")
    # From here a signal ends the command at once, until the run begins (hembesok.batch.Stop).
    early = _Early()
    try:
        day = as_of or today()
        code = early.run(
            lambda stop: _batch(
                input_file,
                output,
                day,
                program_ids,
                fmt,
                compact,
                workers,
                resume,
                force,
                max_line_bytes,
                stop,
                to,
                directory,
            )
        )
    finally:
        early.restore()
    sys.exit(code)


class _Stopped(BaseException):
    """SIGINT or SIGTERM before the batch machinery is loaded."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _Early:
    """SIGINT and SIGTERM raise _Stopped while armed: before the batch machinery is loaded."""

    def __init__(self) -> None:
        self.armed = True
        self.previous: dict[int, Any] = {}
        if threading.current_thread() is threading.main_thread():
            self.previous = {s: signal.signal(s, self) for s in (signal.SIGINT, signal.SIGTERM)}

    def __call__(self, signum: int, frame: object) -> None:
        if self.armed:
            raise _Stopped(signum)

    def restore(self) -> None:
        self.armed = False
        for signum, handler in self.previous.items():
            signal.signal(signum, handler)

    def run(self, command: Callable[[Any], int]) -> int:
        """Run the command; a stop before its run begins ends it with 128 + the signal's number."""
        try:
            from hembesok.batch import Interrupted, Stop, on_signals

            stop = Stop(interruptible=True)
            with on_signals(stop):
                code = command(stop)
                self.armed = False  # on_signals puts this handler back: let it be harmless
                return code
        except _Stopped as exc:
            return _stopped_early(exc.signum)
        except Interrupted as exc:  # bound: a stop while importing is a _Stopped
            return _stopped_early(exc.signum)
        finally:
            self.armed = False


def _stopped_early(signum: int) -> int:
    click.echo(
        f"hembesok batch: interrupted by {signal_name(signum)} before any record was "
        "planned; nothing was written",
        err=True,
    )
    return 128 + signum


def _batch(
    input_file: str,
    output: str,
    day: dt.date,
    program_ids: tuple[str, ...],
    fmt: str,
    compact: bool,
    workers: int,
    resume: bool,
    force: bool,
    max_line_bytes: int,
    stop: Any,
    to: str = "ndjson",
    directory: str | None = None,
) -> int:
    from hembesok.batch import (
        COMPACT,
        CSV,
        FLAT,
        FLAT_ARROW,
        FULL,
        ChunkPlanner,
        NotBatchOutput,
        OutputClosed,
        Settings,
        Summary,
        WorkerFailed,
        Written,
        check_resume,
        chunked,
        csv_reader,
        csv_records,
        detect_format,
        ndjson_records,
        read_output,
        run,
        skip_to,
    )
    from hembesok.engine.engine import Engine
    from hembesok.io.csv_cases import CsvLayout
    from hembesok.io.problems import InvalidDocument

    engine = engine_()
    chosen = choose(engine, program_ids)
    written: Written | None = None
    if output != "-" and directory is None:
        written = _check_output(input_file, output, resume, force, read_output, NotBatchOutput)
    source = input_file
    with _open_input(input_file) as stream:
        kind = detect_format(source, stream) if fmt == "auto" else fmt
        layout = None
        if kind == CSV:
            try:
                reader, header = csv_reader(stream, max_line_bytes, source=source)
                layout = CsvLayout.from_header(header, source)
            except InvalidDocument as exc:
                fail_with_problems(exc.problems)
            records = csv_records(reader)
        else:
            records = ndjson_records(stream, max_line_bytes)
        settings = Settings(
            day,
            source,
            tuple(chosen) if chosen else None,
            layout,
            Engine.from_installed,
            (FLAT_ARROW if to == "parquet" else FLAT)
            if directory is not None
            else COMPACT
            if compact
            else FULL,
        )
        if directory is not None:
            from hembesok.cli.batch_tables import write_tables

            return write_tables(
                records,
                settings,
                engine,
                directory=directory,
                to=to,
                kind=kind,
                fmt=fmt,
                max_line_bytes=max_line_bytes,
                program_ids=program_ids,
                workers=workers,
                resume=resume,
                force=force,
                stop=stop,
                progress=lambda: _Progress(stream),
            )
        start = Summary()
        if written is not None:
            start = dataclasses.replace(written.summary)
            kept = skip_to(records, start.last_record)
            if kept is None:
                _usage(
                    f"the output ends at record {start.last_record}, but the input has fewer "
                    "records: is it the input of the run that wrote the output?"
                )
            wrong = check_resume(written, kept, ChunkPlanner(settings, engine))
            if wrong is not None:
                _usage(wrong)
        resume_hint = _resume_command(
            input_file, output, day, program_ids, fmt, compact, max_line_bytes
        )
        try:
            with _open_output(output, written) as out, _Progress(stream) as progress:
                summary = run(
                    chunked(records),
                    settings,
                    out,
                    workers=workers,
                    engine=engine,
                    on_chunk=lambda result: progress(result.records, result.messages),
                    stop=stop,
                    summary=start,
                )
        except OutputClosed:
            _quiet_stdout()
            return EXIT_BROKEN_PIPE
        except WorkerFailed as exc:
            click.echo(f"hembesok batch: {exc}; please report it", err=True)
            _report_end(exc.summary, written, resume_hint, "stopped")
            return EXIT_INTERNAL
        except OSError as exc:  # the disk filled up, the input's device failed, ...
            click.echo(
                f"hembesok batch: stopped: reading or writing failed ({exc.strerror or exc}); "
                f"the output's whole lines are kept; when it is fixed, go on: {resume_hint}",
                err=True,
            )
            return EXIT_IO
    if summary.stopped is not None:
        name = signal_name(summary.stopped)
        _report_end(summary, written, resume_hint, f"interrupted by {name}")
        return 128 + summary.stopped
    click.echo(f"hembesok batch: {summary}{_resumed(written)}", err=True)
    if summary.internal:
        return EXIT_INTERNAL
    if summary.errors:
        return EXIT_INVALID
    return 0


def _table_directory(to: str, out_dir: str | None, output: str, compact: bool) -> str | None:
    """The directory of the flat tables (--to parquet|csv), or None for NDJSON lines."""
    if to == "ndjson":
        if out_dir is not None:
            _usage(f"OUT_DIR ({out_dir}) is for --to parquet or csv; JSON lines go to -o FILE")
        return None
    if out_dir is not None and output not in ("-", out_dir):
        _usage("give the tables' directory once: OUT_DIR or -o, not both")
    directory = out_dir if out_dir is not None else output
    if directory == "-":
        _usage(f"--to {to} writes a directory: hembesok batch INPUT --to {to} OUT_DIR")
    if compact:
        _usage(f"--compact is a form of JSON lines; --to {to} writes the flat tables")
    return directory


def _usage(message: str) -> NoReturn:
    raise Failure(f"hembesok batch: {message}", EXIT_USAGE)


def _check_output(
    input_file: str, output: str, resume: bool, force: bool, read_output: Any, not_batch: Any
) -> Any:
    """What an output file to resume holds (None for a fresh run); refuses to overwrite."""
    try:
        info = os.stat(output)
    except FileNotFoundError:
        if resume:
            click.echo(
                f"hembesok batch: {output} does not exist: nothing to resume, "
                "planning from the first record",
                err=True,
            )
        return None
    except OSError as exc:
        raise click.BadParameter(
            f"cannot write {output}: {exc.strerror}", param_hint="-o"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        if resume:
            _usage(f"--resume needs a regular file, and {output} is not one")
        return None  # a device or a pipe (/dev/null): nothing to overwrite
    if input_file != "-" and os.path.exists(input_file) and os.path.samefile(input_file, output):
        _usage("the output file is the input file")
    if not resume:
        if info.st_size and not force:
            _usage(
                f"{output} exists: --force overwrites it, "
                "--resume goes on from where an interrupted run left it"
            )
        return None
    try:
        with open(output, "rb") as stream:
            return read_output(stream)
    except not_batch as exc:
        _usage(
            f"{output} is not the output of hembesok batch ({exc}); "
            "--resume goes on only from an output it wrote"
        )
    except OSError as exc:
        _usage(f"cannot read {output}: {exc.strerror}")


def _resumed(written: Any) -> str:
    if written is None or not written.summary.last_record:
        return ""
    return f" (records 1-{written.summary.last_record} from the run resumed)"


def _report_end(summary: Summary, written: Any, resume_hint: str, why: str) -> None:
    """The summary of a run that ended early: where its output ends, and how to go on."""
    ends = (
        f"the output ends with record {summary.last_record}, a whole line"
        if summary.last_record
        else "the output holds no record yet"
    )
    report_stop(why, f"{summary}{_resumed(written)}", ends, resume_hint)


def _resume_command(
    input_file: str,
    output: str,
    day: dt.date,
    program_ids: tuple[str, ...],
    fmt: str,
    compact: bool,
    max_line_bytes: int,
) -> str:
    """The command that goes on from where this run's output ends."""
    words = ["hembesok", "batch", input_file, "-o", "FILE" if output == "-" else output]
    words += ["--resume", "--as-of", day.isoformat()]
    for program in program_ids:
        words += ["--program", program]
    if fmt != "auto":
        words += ["--format", fmt]
    if compact:
        words.append("--compact")
    if max_line_bytes != MAX_LINE_BYTES:
        words += ["--max-line-bytes", str(max_line_bytes)]
    command = shlex.join(words)
    if output == "-":
        command += " (FILE: where standard output went)"
    if input_file == "-":
        command += " (the same input on standard input)"
    return command


def _quiet_stdout() -> None:
    """Standard output's reader has gone: point it at /dev/null so nothing more complains."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        pass


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


def _open_output(path: str, written: Any = None) -> Any:
    """The output: standard output, a new file, or (resume) the file after its whole lines."""
    if path == "-":
        return _Unclosed(sys.stdout.buffer)
    try:
        if written is not None:
            stream = open(path, "r+b")  # noqa: SIM115 - closed by the caller's with-block
            stream.truncate(written.end)  # a partial last line, left by a hard kill, goes
            stream.seek(written.end)
            return stream
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
        with contextlib.suppress(BrokenPipeError):  # its reader has gone: the exit code says so
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

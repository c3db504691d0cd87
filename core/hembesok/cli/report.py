"""`hembesok report`: worklists, coverage and screening counts over a batch's flat tables.

SOURCE is the output directory of `hembesok batch --to parquet|csv`, or a file of cases
(NDJSON or CSV), which is planned here through the one pipeline into the same tables, in
memory. Exit codes: 0 written, 1 the source is not readable as tables or a case had
problems (the report is still written from the others), 2 usage, 3 the optional
libraries (`hembesok[report]`) are missing. docs/report.md.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import click

from hembesok.cli.common import EXIT_INVALID, EXIT_PLUGINS, EXIT_USAGE, Failure, today
from hembesok.cli.common import engine as engine_
from hembesok.cli.options import iso_date


def _week(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    from hembesok.report.weeks import IsoWeek

    if value is None:
        return None
    try:
        return IsoWeek.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.argument("source", metavar="SOURCE")
@click.option(
    "--week",
    callback=_week,
    help="The ISO week of the worklists, YYYY-Www (2026-W20); default the week after the as-of date's.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "json", "csv"]),
    default="html",
    show_default=True,
    help="html: one self-contained page; json: one document; csv: one file per table in --out.",
)
@click.option(
    "-o",
    "--out",
    default=None,
    help="Where to write: a file (- for standard output, the default for html and json), "
    "or for csv a directory.",
)
@click.option(
    "--min-count",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Counts from 1 to this minus one are suppressed in every aggregate (1: none).",
)
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option(
    "--as-of",
    callback=iso_date,
    help="Count statuses as of this date (YYYY-MM-DD); default: the date the tables were "
    "planned as of, or today for a cases file.",
)
@click.option(
    "--missed-days",
    type=click.IntRange(0, 366),
    default=28,
    show_default=True,
    help="A worklist names a missed visit whose window closed this many days before the week.",
)
@click.option("--force", is_flag=True, help="Overwrite an existing output.")
def report(
    source: str,
    week: Any,
    fmt: str,
    out: str | None,
    min_count: int,
    lang: str,
    as_of: dt.date | None,
    missed_days: int,
    force: bool,
) -> None:
    """Worklists for a week, coverage per programme and BVC, screening counts, and charts,
    from SOURCE: the output directory of `hembesok batch --to parquet|csv`, or a cases file.

    Every count below --min-count is suppressed so no child can be singled out; the
    worklists name cases by case_ref only. Definitions: docs/report.md.
    """
    if fmt == "csv" and out in (None, "-"):
        raise click.BadParameter(
            "csv writes one file per table: give a directory", param_hint="--out"
        )
    target = Path(out) if out not in (None, "-") else None
    if (
        target is not None
        and target.exists()
        and not force
        and not (fmt == "csv" and target.is_dir() and not any(target.iterdir()))
    ):
        raise Failure(f"hembesok report: {target} exists: --force overwrites it", EXIT_USAGE)
    try:
        from hembesok.render.arrow_tables import arrow_table
        from hembesok.report import html, machine, queries, sources, tables
        from hembesok.report.queries import QueryError
        from hembesok.report.weeks import IsoWeek
    except ImportError as exc:
        raise Failure(
            f"hembesok report: needs the optional libraries ({exc.name}): "
            "python -m pip install 'hembesok[report]'",
            EXIT_PLUGINS,
        ) from None
    code = 0
    try:
        if os.path.isdir(source):
            con = sources.open_directory(Path(source))
        else:
            day = as_of or today()
            arrow, code = _plan_cases(source, day, arrow_table)
            con = sources.open_arrow(arrow)
        if week is None:
            planned = as_of or queries.as_of_range(con)[1] or today()
            week = IsoWeek.of(planned).next()
        built = tables.build(con, week, as_of=as_of, min_count=min_count, missed_days=missed_days)
    except (sources.SourceError, QueryError) as exc:
        raise Failure(f"hembesok report: {exc}", EXIT_INVALID) from None
    if fmt == "html":
        _write(target, html.render(built, lang))
    elif fmt == "json":
        _write(target, machine.json_text(built))
    else:
        assert target is not None
        target.mkdir(parents=True, exist_ok=True)
        for table in built.tables:
            _write(target / f"{table.name}.csv", machine.csv_text(table, min_count))
    sys.exit(code)


def _write(path: Path | None, text: str) -> None:
    if path is None:
        click.echo(text, nl=False)
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise Failure(f"hembesok report: cannot write {path}: {exc.strerror}", EXIT_USAGE) from None


def _plan_cases(path: str, day: dt.date, arrow_table: Any) -> tuple[dict[str, Any], int]:
    """The flat tables of a cases file, planned here; bad records are named and left out."""
    from hembesok.batch import (
        CSV,
        FLAT,
        ChunkPlanner,
        Settings,
        chunked,
        csv_reader,
        csv_records,
        detect_format,
        ndjson_records,
    )
    from hembesok.engine.engine import Engine
    from hembesok.io.csv_cases import CsvLayout
    from hembesok.io.problems import InvalidDocument
    from hembesok.render.flat import TABLES, PlanRows

    engine = engine_()
    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        reason = "file not found" if isinstance(exc, FileNotFoundError) else exc.strerror
        raise Failure(f"hembesok report: cannot read {path}: {reason}", EXIT_INVALID) from None
    with stream:
        layout = None
        if detect_format(path, stream) == CSV:
            try:
                reader, header = csv_reader(stream, source=path)
                layout = CsvLayout.from_header(header, path)
            except InvalidDocument as exc:
                raise Failure("\n".join(str(p) for p in exc.problems), EXIT_INVALID) from None
            records: Any = csv_records(reader)
        else:
            records = ndjson_records(stream)
        settings = Settings(day, path, None, layout, Engine.from_installed, FLAT)
        planner = ChunkPlanner(settings, engine)
        rows = PlanRows([], [], [])
        errors = 0
        for chunk in chunked(records):
            result = planner.plan_chunk(chunk)
            for message in result.messages:
                click.echo(message, err=True)
            errors += result.errors
            if result.tables is not None:
                for name in TABLES:
                    getattr(rows, name).extend(getattr(result.tables, name))
    tables = {name: arrow_table(name, getattr(rows, name)) for name in TABLES}
    return tables, EXIT_INVALID if errors else 0

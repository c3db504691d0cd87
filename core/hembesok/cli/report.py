"""`hembesok report`: worklists, coverage and screening counts over a batch's flat tables.

SOURCE is the output directory of `hembesok batch --to parquet|csv`, or a file of cases
(NDJSON, CSV, a JSON list of cases or one case), which is planned here through the one
pipeline into the same tables, in memory (cli/report_cases.py). Exit codes: 0 written, 1 the source is not readable as tables or a case had
problems (the report is still written from the others), 2 usage, 3 the optional
libraries (`hembesok[report]`) are missing. docs/report.md.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from hembesok.cli.common import EXIT_INVALID, EXIT_PLUGINS, EXIT_USAGE, Failure, choose, today
from hembesok.cli.common import engine as engine_
from hembesok.cli.options import as_of_option, lang_option, output_format, programs_option

if TYPE_CHECKING:
    from hembesok.engine.engine import Engine


def _week(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    from hembesok.report.weeks import IsoWeek

    if value is None:
        return None
    try:
        return IsoWeek.parse(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command()
@click.argument("source", metavar="SOURCE", type=click.Path())
@click.option(
    "--week",
    callback=_week,
    help="The ISO week of the worklists, YYYY-Www (2026-W20); default the week after the as-of date's.",
)
@output_format(
    {
        "html": "one self-contained page",
        "json": "one document (schema report)",
        "csv": "one file per table in --out",
    },
    default="html",
)
@click.option(
    "-o",
    "--out",
    default=None,
    type=click.Path(allow_dash=True),
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
@lang_option(help="The language of the page and of the titles in JSON.")
@as_of_option(
    "Count statuses as of this date (YYYY-MM-DD); default: the date the tables were "
    "planned as of, or today for a cases file."
)
@click.option(
    "--missed-days",
    type=click.IntRange(0, 366),
    default=28,
    show_default=True,
    help="A worklist names a missed visit whose window closed this many days before the week.",
)
@click.option(
    "--bvc",
    "bvc_names",
    multiple=True,
    metavar="NAME",
    help="Only this BVC's worklist and rows of counts (repeatable; case and spaces do not "
    "matter); counts stay suppressed as on the whole region's page.",
)
@programs_option("Only this programme (repeatable).")
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
    bvc_names: tuple[str, ...],
    program_ids: tuple[str, ...],
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
        from hembesok.cli.report_cases import plan_cases
        from hembesok.report import html, machine, queries, sources, tables
        from hembesok.report.choice import UnknownBvc, match_bvcs
        from hembesok.report.queries import QueryError
        from hembesok.report.titles import Titles
        from hembesok.report.weeks import IsoWeek
    except ImportError as exc:
        raise Failure(
            f"hembesok report: needs the optional libraries ({exc.name}): "
            "python -m pip install 'hembesok[report]'",
            EXIT_PLUGINS,
        ) from None
    code = 0
    programs = list(program_ids) or None
    try:
        if os.path.isdir(source):
            con = sources.open_directory(Path(source))
            engine = _engine_for_titles()
            if programs is not None:
                _check_programs(programs, queries.programs(con))
        else:
            engine = engine_()
            programs = choose(engine, program_ids)
            arrow, errors = plan_cases(source, as_of or today(), engine, programs)
            code = EXIT_INVALID if errors else 0
            con = sources.open_arrow(arrow)
        try:
            bvcs = match_bvcs(bvc_names, queries.bvcs(con)) if bvc_names else None
        except UnknownBvc as exc:
            raise click.BadParameter(str(exc), param_hint="--bvc") from None
        if week is None:
            planned = as_of or queries.as_of_range(con)[1] or today()
            week = IsoWeek.of(planned).next()
        built = tables.build(
            con,
            week,
            as_of=as_of,
            min_count=min_count,
            missed_days=missed_days,
            bvcs=bvcs,
            programs=programs,
        )
    except (sources.SourceError, QueryError) as exc:
        raise Failure(f"hembesok report: {exc}", EXIT_INVALID) from None
    titles = Titles.of(engine) if engine is not None else Titles()
    if fmt == "html":
        _write(target, html.render(built, lang, titles))
    elif fmt == "json":
        _write(target, machine.json_text(built, titles))
    else:
        assert target is not None
        target.mkdir(parents=True, exist_ok=True)
        for table in built.tables:
            _write(target / f"{table.name}.csv", machine.csv_text(table, min_count))
    sys.exit(code)


def _engine_for_titles() -> Engine | None:
    """The installed engine, for the titles of what the tables name; without one (a broken
    plugin) the report shows ids, as it does for a program not installed here."""
    try:
        return engine_(warn=False)
    except Failure as exc:
        click.echo(f"{exc.format_message()}\nhembesok report: showing ids, not titles", err=True)
        return None


def _check_programs(asked: list[str], held: list[str]) -> None:
    """A usage error for a `--program` the tables hold no decisions of."""
    unknown = [p for p in asked if p not in held]
    if unknown:
        raise click.BadParameter(
            f"the tables hold no program {unknown[0]!r}; they hold: {', '.join(held) or '(none)'}",
            param_hint="--program",
        )


def _write(path: Path | None, text: str) -> None:
    if path is None:
        click.echo(text, nl=False)
        return
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise Failure(f"hembesok report: cannot write {path}: {exc.strerror}", EXIT_USAGE) from None

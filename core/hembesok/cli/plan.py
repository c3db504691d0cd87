"""`hembesok plan` and `hembesok explain`: one case's plan, and why a decision came out as it did."""

from __future__ import annotations

import datetime as dt
import json

import click

from hembesok.cli.common import case as _case
from hembesok.cli.common import choose as _choose
from hembesok.cli.common import engine as _engine
from hembesok.cli.common import today as _today
from hembesok.cli.options import iso_date


@click.command()
@click.argument("case_file", metavar="CASE")
@click.option(
    "--as-of", callback=iso_date, help="Plan as of this date (YYYY-MM-DD); default today."
)
@click.option("--program", "program_ids", multiple=True, help="Only this program (repeatable).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "compact"]),
    default="table",
    show_default=True,
    help="table: for people; json: the full plan (schema plan); compact: one line without "
    "texts (schema compact-plan).",
)
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="In the table, show the programs the family is not offered in full too, instead "
    "of one line each.",
)
def plan(
    case_file: str,
    as_of: dt.date | None,
    program_ids: tuple[str, ...],
    fmt: str,
    lang: str,
    everything: bool,
) -> None:
    """Plan a case (a JSON file, or - for standard input): decisions and visits with statuses.

    With --format json or compact, a case with problems is reported on standard error as
    one line of JSON (an RFC 9457 problem document with the located problems), exit code 1.
    """
    from hembesok.api import Pipeline
    from hembesok.render.text import plan_text

    as_of = as_of or _today()
    pipeline = Pipeline(_engine())
    chosen = _choose(pipeline.engine, program_ids)
    case = _case(pipeline, case_file, as_of, as_json=fmt != "table")
    result = pipeline.plan(case, as_of, chosen)
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    elif fmt == "compact":
        click.echo(pipeline.render(result, "compact").decode("utf-8"))
    else:
        text = plan_text(
            result, lang, everything=everything, instruments=pipeline.engine.instruments
        )
        click.echo(text, nl=False)


@click.command()
@click.argument("case_file", metavar="CASE")
@click.option("--program", "program_id", required=True, help="The program to explain.")
@click.option("--as-of", callback=iso_date, help="As of this date (YYYY-MM-DD); default today.")
@click.option("--lang", type=click.Choice(["sv", "en", "both"]), default="both", show_default=True)
def explain(case_file: str, program_id: str, as_of: dt.date | None, lang: str) -> None:
    """Say why a case is or is not eligible for a program: every rule, its facts and outcome."""
    from hembesok.api import Pipeline
    from hembesok.render.text import explain_text

    as_of = as_of or _today()
    pipeline = Pipeline(_engine())
    chosen = _choose(pipeline.engine, (program_id,))
    case = _case(pipeline, case_file, as_of)
    result = pipeline.plan(case, as_of, chosen)
    langs = ("sv", "en") if lang == "both" else (lang,)
    gestational = case.data["child"].get("gestational_age")
    click.echo(explain_text(result.programs[0], langs, gestational), nl=False)

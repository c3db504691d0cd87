"""`hembesok plan` and `hembesok explain`: one case's plan, and why a decision came out as it did."""

from __future__ import annotations

import datetime as dt
import json

import click

from hembesok.cli.common import EXIT_PLUGINS, Failure
from hembesok.cli.common import case as _case
from hembesok.cli.common import choose as _choose
from hembesok.cli.common import engine as _engine
from hembesok.cli.common import today as _today
from hembesok.cli.completion import program_ids
from hembesok.cli.options import as_of_option, lang_option, output_format, programs_option
from hembesok.render.formats import PLAN_FORMATS


@click.command()
@click.argument("case_file", metavar="CASE", type=click.Path(allow_dash=True))
@as_of_option()
@programs_option()
@output_format(
    {"text": "a table for people", **{f.name: f.summary for f in PLAN_FORMATS.values()}},
    aliases={"table": "text"},
)
@lang_option()
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
    """Plan a case (a JSON file, or - for standard input): decisions, visits and doses with
    statuses, screening occasions, and one timeline across the programs.

    With any --format but text, a case with problems is reported on standard error as
    one line of JSON (an RFC 9457 problem document with the located problems), exit code 1.
    """
    from hembesok.api import Pipeline
    from hembesok.render.formats import MissingExtra
    from hembesok.render.text import plan_text

    as_of = as_of or _today()
    pipeline = Pipeline(_engine())
    chosen = _choose(pipeline.engine, program_ids)
    case = _case(pipeline, case_file, as_of, as_json=fmt != "text")
    result = pipeline.plan(case, as_of, chosen)
    if fmt == "json":  # for a reader too: indented
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    elif fmt != "text":
        try:
            written = pipeline.render(result, fmt)
        except MissingExtra as exc:
            raise Failure(f"hembesok: {exc}", EXIT_PLUGINS) from None
        click.echo(written.decode("utf-8"), nl=not written.endswith(b"\n"))
    else:
        text = plan_text(
            result, lang, everything=everything, instruments=pipeline.engine.instruments
        )
        click.echo(text, nl=False)


@click.command()
@click.argument("case_file", metavar="CASE", type=click.Path(allow_dash=True))
@click.option(
    "--program",
    "program_id",
    required=True,
    metavar="ID",
    shell_complete=program_ids,
    help="The program to explain.",
)
@as_of_option("As of this date (YYYY-MM-DD); default today.")
@lang_option(("sv", "en", "both"), "both", "The language of the text (JSON holds both).")
@output_format(
    {
        "text": "for people",
        "json": "the decision, the condition trace node by node and the age basis of "
        "each visit, as JSON data",
    }
)
def explain(case_file: str, program_id: str, as_of: dt.date | None, lang: str, fmt: str) -> None:
    """Say why a case (a JSON file, or - for standard input) is or is not eligible for a
    program: every rule, its facts and outcome.

    Also says from which age (birth or corrected) each visit that may count from
    corrected age is counted. With --format json, a case with problems is reported on
    standard error as one line of JSON (an RFC 9457 problem document), exit code 1.
    """
    from hembesok.api import Pipeline

    as_of = as_of or _today()
    pipeline = Pipeline(_engine())
    chosen = _choose(pipeline.engine, (program_id,))
    case = _case(pipeline, case_file, as_of, as_json=fmt == "json")
    result = pipeline.plan(case, as_of, chosen)
    gestational = case.data["child"].get("gestational_age")
    if fmt == "json":
        from hembesok.render.explanation import explanation_json

        data = explanation_json(result.programs[0], as_of, gestational)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from hembesok.render.text import explain_text

    langs = ("sv", "en") if lang == "both" else (lang,)
    click.echo(explain_text(result.programs[0], langs, gestational), nl=False)

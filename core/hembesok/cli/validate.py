"""`hembesok validate`: program, case, instrument and response files against their schemas."""

from __future__ import annotations

import json
import sys

import click

from hembesok.cli.colour import paint
from hembesok.cli.common import EXIT_INVALID
from hembesok.cli.common import engine as _engine
from hembesok.cli.common import lint_plugins as _lint_plugins
from hembesok.cli.options import output_format


def _looks_like_responses(data: object) -> bool:
    items = data if isinstance(data, list) else [data]
    return bool(items) and all(isinstance(i, dict) and "answers" in i for i in items)


@click.command()
@click.argument(
    "files", metavar="FILE...", nargs=-1, required=True, type=click.Path(allow_dash=True)
)
@output_format(
    {
        "text": "each problem on a line of its own, then a summary",
        "json": "{valid, files, problems} with each problem located",
    }
)
@click.option(
    "--schema",
    "kind",
    type=click.Choice(["auto", "program", "case", "instrument", "response"]),
    default="auto",
    show_default=True,
    help="What the files are; auto: a document with a 'child' key is a case, one with "
    "'items' and 'domains' an instrument, one with 'answers' (or a list of such) a "
    "questionnaire response, any other a program.",
)
@click.option("--strict", is_flag=True, help="Count warnings as errors.")
def validate(files: tuple[str, ...], fmt: str, kind: str, strict: bool) -> None:
    """Check program, case, instrument and response files (- for standard input) against
    their schemas; exit 1 if any has an error.

    Program files also get the checks of hembesok.authoring.lint (facts, roles, age order,
    windows, texts, sites, and their examples run with the installed plugins).
    """
    from hembesok.authoring.lint import lint_program
    from hembesok.authoring.lint import strict as strict_problems
    from hembesok.io.documents import DocumentError, load_file, load_text
    from hembesok.io.loading import instrument_problems, program_problems, response_problems
    from hembesok.io.problems import Problem, from_document_error, sort_problems
    from hembesok.io.validation import case_problems
    from hembesok.plugins.manager import LoadedPlugins

    found: list[Problem] = []
    lint_plugins: LoadedPlugins | None = None
    for path in files:
        try:
            doc = load_text(sys.stdin.read(), "-") if path == "-" else load_file(path)
        except DocumentError as exc:
            found.append(from_document_error(exc))
            continue
        is_case = kind == "case" or (
            kind == "auto" and isinstance(doc.data, dict) and "child" in doc.data
        )
        if is_case:
            found.extend(case_problems(doc))
            continue
        if kind == "instrument" or (
            kind == "auto"
            and isinstance(doc.data, dict)
            and {"items", "domains"} <= doc.data.keys()
        ):
            found.extend(instrument_problems(doc))
            continue
        if kind == "response" or (kind == "auto" and _looks_like_responses(doc.data)):
            found.extend(response_problems(doc, _engine().instruments))
            continue
        own = program_problems(doc)
        lint_plugins = lint_plugins or _lint_plugins()
        found.extend(sort_problems(own + lint_program(doc, own, lint_plugins)))
    if strict:
        found = strict_problems(found)
    errors = [p for p in found if p.severity == "error"]
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "valid": not errors,
                    "files": list(files),
                    "problems": [p.to_json() for p in found],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for p in found:
            click.echo(str(p))
        summary = f"{len(files)} file(s) checked, {len(errors)} error(s)"
        shown = paint(summary, "error") if errors else paint(f"{summary}: valid", "ok")
        click.echo(shown, err=bool(errors))
    if errors:
        sys.exit(EXIT_INVALID)

"""`hembesok screen`: score a questionnaire response, followed against earlier ones."""

from __future__ import annotations

import json

import click

from hembesok.cli.common import EXIT_PLUGINS, Failure, fail_with_problems, read
from hembesok.cli.common import engine as engine_
from hembesok.cli.options import lang_option, output_format


@click.command()
@click.argument("response_file", metavar="RESPONSE", type=click.Path(allow_dash=True))
@click.option(
    "--history",
    "history_file",
    type=click.Path(),
    metavar="FILE",
    help="A JSON list of the child's earlier responses.",
)
@output_format(
    {
        "text": "a table for people",
        "json": "the screening result (schema screening), a list for several responses",
    },
    aliases={"table": "text"},
)
@lang_option()
def screen(response_file: str, history_file: str | None, fmt: str, lang: str) -> None:
    """Score a questionnaire response (a JSON file, or - for standard input) per domain.

    With --history, each domain is compared with the same respondent's latest earlier
    response: new, persisting or resolved. Answers are never printed.
    """
    from hembesok.engine.guard import HookFailure
    from hembesok.io.loading import load_responses
    from hembesok.io.problems import InvalidDocument
    from hembesok.render.screening_text import screening_text

    engine = engine_()
    as_json = fmt == "json"  # a machine gets its errors as JSON too (RFC 9457, on stderr)
    try:
        responses = load_responses(read(response_file, as_json), engine.instruments)
        history = (
            load_responses(read(history_file, as_json), engine.instruments) if history_file else []
        )
    except InvalidDocument as exc:
        fail_with_problems(exc.problems, as_json)
    try:
        results = [engine.screen(response, history) for response in responses]
    except HookFailure as failure:
        raise Failure(
            f"hembesok: the plugin {', '.join(failure.plugins)} failed "
            f"({failure.hook}: {failure.how}); contact whoever maintains it",
            EXIT_PLUGINS,
        ) from None
    if fmt == "json":
        payload = results[0].to_json() if len(results) == 1 else [r.to_json() for r in results]
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        click.echo("\n".join(screening_text(r, lang) for r in results), nl=False)

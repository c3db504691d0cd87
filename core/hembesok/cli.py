"""The `hembesok` command: a thin shell over the library.

Exit codes (also in the README):
  0  success
  1  invalid input: a program, case or other document has problems (each printed with its location)
  2  usage error: unknown option, missing argument
  3  plugin or installation error: a misspelt hook, two plugins claiming one id,
     an installed program file that does not validate
  4  internal error: a bug in hembesok; no traceback is shown unless HEMBESOK_DEBUG=1
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import click

from hembesok import __version__
from hembesok import schema_store as schemas
from hembesok.case import Case
from hembesok.cli_options import iso_date
from hembesok.documents import Document, DocumentError, load_file, load_text
from hembesok.engine import Engine
from hembesok.lint import lint_program
from hembesok.lint import strict as strict_problems
from hembesok.loader import case_problems, instrument_problems, program_problems, response_problems
from hembesok.plugins import LoadedPlugins, PluginError, make_plugin_manager
from hembesok.problems import Problem, from_document_error, sort_problems
from hembesok.render import explain_text, plan_text

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_PLUGINS, EXIT_INTERNAL = 0, 1, 2, 3, 4


class Failure(click.ClickException):
    """An expected failure: a message for the user and an exit code, never a traceback."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it on the class

    def show(self, file: Any = None) -> None:
        click.echo(self.format_message(), err=True)


def _fail_with_problems(found: Sequence[Problem], as_json: bool = False) -> NoReturn:
    """Exit 1 with every problem: one per line, or (`as_json`) one RFC 9457 document on one line."""
    if as_json:
        from hembesok.problem_details import invalid_case

        raise Failure(json.dumps(invalid_case(found), ensure_ascii=False), EXIT_INVALID)
    raise Failure("\n".join(str(p) for p in found), EXIT_INVALID)


def _engine(strict: bool = True) -> Engine:
    try:
        engine = Engine.from_installed()
    except PluginError as exc:
        raise Failure(f"hembesok: plugin error: {exc}", EXIT_PLUGINS) from None
    for failure in engine.loaded.failures:
        click.echo(
            f"hembesok: warning: plugin '{failure.name}' ({failure.distribution}) failed to load and was skipped: {failure.error}",
            err=True,
        )
    if engine.errors and strict:
        lines = [
            f"hembesok: the program file of {e.distribution} is invalid:"
            + "".join(f"\n  {p}" for p in e.problems)
            for e in engine.errors
        ]
        raise Failure("\n".join(lines), EXIT_PLUGINS)
    return engine


def _read(path: str, as_json: bool = False) -> Document:
    try:
        if path == "-":
            return load_text(sys.stdin.read(), "-")
        return load_file(path)
    except DocumentError as exc:
        _fail_with_problems([from_document_error(exc)], as_json)


def _case(path: str, as_of: dt.date, as_json: bool = False) -> Case:
    doc = _read(path, as_json)
    found = case_problems(doc, as_of)
    if found:
        _fail_with_problems(found, as_json)
    return Case.from_dict(doc.data)


def _today() -> dt.date:
    """The CLI's default as-of date; the library itself never reads the clock."""
    return dt.date.today()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="hembesok")
def main() -> None:
    """hembesok: child health programme rules (eligibility, visits, screening) from declarative plugins."""


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def plugins(as_json: bool) -> None:
    """List the plugins found, with their distributions and hooks."""
    engine = _engine(strict=False)
    loaded = engine.loaded
    if as_json:
        out = {
            "plugins": [
                {
                    "name": i.name,
                    "distribution": i.distribution,
                    "version": i.version,
                    "module": i.module,
                    "builtin": i.builtin,
                    "hooks": list(i.hooks),
                }
                for i in loaded.plugins
            ],
            "failed": [
                {"name": f.name, "distribution": f.distribution, "error": f.error}
                for f in loaded.failures
            ],
            "skipped": loaded.skipped,
            "invalid_programs": [
                {"distribution": e.distribution, "problems": [p.to_json() for p in e.problems]}
                for e in engine.errors
            ],
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for i in loaded.plugins:
        kind = " (built in)" if i.builtin else ""
        click.echo(f"{i.name}  {i.distribution} {i.version}{kind}  hooks: {', '.join(i.hooks)}")
    for f in loaded.failures:
        click.echo(f"{f.name}  {f.distribution}  FAILED TO LOAD: {f.error}")
    for name in loaded.skipped:
        click.echo(f"{name}  skipped by HEMBESOK_LOAD_PLUGINS / HEMBESOK_DISABLED_PLUGINS")
    for e in engine.errors:
        click.echo(
            f"{e.distribution}  INVALID PROGRAM FILE: {len(e.problems)} problem(s); run 'hembesok validate' on it"
        )


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
def programs(as_json: bool, lang: str) -> None:
    """List the installed programs."""
    from hembesok.api import list_programs  # the same rows the library and the service give

    rows = list_programs(_engine())
    if as_json:
        click.echo(json.dumps({"programs": rows}, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(
            f"{row['id']}  {row['version']}  {row['title'][lang]}  ({row['distribution']}; visits: {', '.join(row['visits'])})"
        )


def _looks_like_responses(data: object) -> bool:
    items = data if isinstance(data, list) else [data]
    return bool(items) and all(isinstance(i, dict) and "answers" in i for i in items)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
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
    """Check program or case files against the schemas; exit 1 if any has an error.

    Program files also get the checks of hembesok.lint (facts, roles, age order,
    windows, texts, sites, and their examples run with the installed plugins).
    """
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
        click.echo(summary if errors else f"{summary}: valid", err=bool(errors))
    if errors:
        sys.exit(EXIT_INVALID)


@main.command()
@click.argument("case_file", metavar="CASE")
@click.option(
    "--as-of", callback=iso_date, help="Plan as of this date (YYYY-MM-DD); default today."
)
@click.option("--program", "program_ids", multiple=True, help="Only this program (repeatable).")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True
)
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
def plan(
    case_file: str, as_of: dt.date | None, program_ids: tuple[str, ...], fmt: str, lang: str
) -> None:
    """Plan a case (a JSON file, or - for standard input): decisions and visits with statuses.

    With --format json, a case with problems is reported on standard error as one line
    of JSON (an RFC 9457 problem document with the located problems), exit code 1.
    """
    as_of = as_of or _today()
    engine = _engine()
    chosen = _choose(engine, program_ids)
    case = _case(case_file, as_of, as_json=fmt == "json")
    result = engine.evaluate(case, as_of, chosen)
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        click.echo(plan_text(result, lang), nl=False)


@main.command()
@click.argument("case_file", metavar="CASE")
@click.option("--program", "program_id", required=True, help="The program to explain.")
@click.option("--as-of", callback=iso_date, help="As of this date (YYYY-MM-DD); default today.")
@click.option("--lang", type=click.Choice(["sv", "en", "both"]), default="both", show_default=True)
def explain(case_file: str, program_id: str, as_of: dt.date | None, lang: str) -> None:
    """Say why a case is or is not eligible for a program: every rule, its facts and outcome."""
    as_of = as_of or _today()
    engine = _engine()
    chosen = _choose(engine, (program_id,))
    case = _case(case_file, as_of)
    result = engine.evaluate(case, as_of, chosen)
    langs = ("sv", "en") if lang == "both" else (lang,)
    click.echo(explain_text(result.programs[0], langs), nl=False)


def _lint_plugins() -> LoadedPlugins:
    """The installed plugins, whose hooks examples run with; the built-in one alone if broken."""
    try:
        return make_plugin_manager()
    except PluginError as exc:
        click.echo(
            f"hembesok: warning: plugin error, examples run without installed plugins: {exc}",
            err=True,
        )
        return make_plugin_manager(modules=[], env={})


def _choose(engine: Engine, ids: Sequence[str]) -> list[str] | None:
    if not ids:
        return None
    unknown = [i for i in ids if i not in engine.programs]
    if unknown:
        known = ", ".join(sorted(engine.programs)) or "none"
        raise click.BadParameter(
            f"unknown program {', '.join(unknown)}; installed: {known}", param_hint="--program"
        )
    return list(ids)


@main.command()
@click.argument("name", type=click.Choice(list(schemas.NAMES)))
def schema(name: str) -> None:
    """Print a JSON Schema: program, case or plan."""
    click.echo(schemas.schema_text(name), nl=False)


def run() -> None:
    """Entry point: click's own handling, plus a last guard so no traceback reaches a user."""
    try:
        main.main(standalone_mode=True)
    except SystemExit:
        raise
    except Exception as exc:  # pragma: no cover - exercised through a test that injects a fault
        if os.environ.get("HEMBESOK_DEBUG"):
            raise
        click.echo(
            f"hembesok: internal error ({type(exc).__name__}); please report it. Set HEMBESOK_DEBUG=1 to see the details.",
            err=True,
        )
        sys.exit(EXIT_INTERNAL)


from hembesok.cli_screening import screen  # noqa: E402

main.add_command(screen)

from hembesok.author_cli import new_plugin, test  # noqa: E402

main.add_command(new_plugin)
main.add_command(test)

from hembesok.cli_batch import batch  # noqa: E402

main.add_command(batch)

from hembesok.cli_serve import serve  # noqa: E402

main.add_command(serve)

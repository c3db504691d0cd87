"""The commands for program authors: `hembesok new-plugin` and `hembesok test`.

Thin shells over hembesok.authoring.scaffold, hembesok.authoring.examples and hembesok.authoring.coverage;
exit codes as in the README (0 all well, 1 an example fails, 2 usage, 3 plugins).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from hembesok.cli.colour import paint
from hembesok.cli.completion import program_ids
from hembesok.cli.options import output_format

if TYPE_CHECKING:
    from hembesok.authoring.coverage import Coverage
    from hembesok.authoring.examples import ExampleCheck
    from hembesok.engine.engine import Engine
    from hembesok.io.documents import Document
    from hembesok.language.program import Program


EXIT_FAILED = 1


# --- new-plugin ------------------------------------------------------------------------


@click.command("new-plugin")
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where to create the package folder hembesok-NAME.",
)
@click.option(
    "--municipality",
    "municipalities",
    multiple=True,
    help="A municipality the program runs in (repeatable); default: NAME capitalised.",
)
@click.option(
    "--schema-ref",
    help="Path or URL of the program schema for the editor lines; default: a copy of the "
    "program schema written beside program.yaml.",
)
def new_plugin(
    name: str, directory: str, municipalities: tuple[str, ...], schema_ref: str | None
) -> None:
    """Create an installable plugin package hembesok-NAME whose own tests pass at once."""
    from hembesok.authoring.scaffold import ScaffoldError, create_plugin

    try:
        made = create_plugin(name, directory, municipalities, schema_ref)
    except ScaffoldError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"Created {made.root}:")
    for path in made.files:
        click.echo(f"  {path.relative_to(made.root)}")
    click.echo(
        "\nNext:\n"
        f"  python -m pip install -e '{made.root}[test]'\n"
        f"  hembesok validate {made.root / f'hembesok_{name}' / 'program.yaml'}\n"
        f"  hembesok test {name}\n"
        f"  python -m pytest {made.root}"
    )


# --- test --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgramResult:
    program: Program
    checks: tuple[ExampleCheck, ...]
    coverage: Coverage
    doc: Document | None
    package_version: str = ""  # the version of the distribution that registered it

    @property
    def versions(self) -> str:
        """The program's version and its package's, each named (hembesok.cli.info)."""
        from hembesok.cli.info import versions_shown

        p = self.program
        return versions_shown([("program", p.id, p.version)], p.distribution, self.package_version)

    @property
    def failed(self) -> tuple[ExampleCheck, ...]:
        return tuple(c for c in self.checks if not c.passed)


def select_programs(engine: Engine, names: Sequence[str]) -> list[Program]:
    """Programs named by id, plugin (entry-point) name or distribution; all when none named."""

    if not names:
        return list(engine.programs.values())
    by_plugin = {}
    for info in engine.loaded.plugins:
        by_plugin[info.name] = info.distribution
        by_plugin[info.distribution] = info.distribution
    chosen: list[Program] = []
    unknown = []
    for name in names:
        if name in engine.programs:
            found = [engine.programs[name]]
        else:
            dist = by_plugin.get(name)
            found = [p for p in engine.programs.values() if dist and p.distribution == dist]
        if not found:
            unknown.append(name)
        chosen += [p for p in found if p not in chosen]
    if unknown:
        known = sorted(engine.programs) + sorted(
            i.name for i in engine.loaded.plugins if not i.builtin
        )
        raise click.BadParameter(
            f"no installed program or plugin named {', '.join(unknown)}; "
            f"installed: {', '.join(dict.fromkeys(known)) or 'none'}",
            param_hint="PLUGIN_OR_PROGRAM_ID",
        )
    return chosen


def run_program(engine: Engine, program: Program) -> ProgramResult:
    from hembesok.authoring.coverage import coverage
    from hembesok.authoring.examples import check_examples
    from hembesok.cli.info import package_versions
    from hembesok.io.documents import DocumentError
    from hembesok.io.loading import read_document

    try:
        doc: Document | None = read_document(program.source)
    except DocumentError:
        doc = None
    checks = tuple(check_examples(engine, program, doc))
    package = package_versions(engine.loaded).get(program.distribution, "")
    return ProgramResult(program, checks, coverage(program, checks), doc, package)


@click.command("test")
@click.argument("names", nargs=-1, metavar="[PLUGIN_OR_PROGRAM_ID]...", shell_complete=program_ids)
@output_format(
    {
        "text": "a diff per failing example, coverage gaps, a summary",
        "json": "each program's examples, diffs and coverage, located",
    }
)
def test(names: tuple[str, ...], fmt: str) -> None:
    """Run the examples of the installed programs (or the named ones) as tests.

    Prints a diff per failing example, a summary, and what the examples leave untested:
    conditions never true or never false, `any` branches never deciding, visits with no
    expected status. Exit 1 if any example fails.
    """
    from hembesok.cli.common import engine as _engine

    engine = _engine(strict=True)
    results = [run_program(engine, p) for p in select_programs(engine, names)]
    if fmt == "json":
        click.echo(json.dumps(_json(results), ensure_ascii=False, indent=2))
    else:
        click.echo(_text(results), nl=False)
    if any(r.failed for r in results):
        sys.exit(EXIT_FAILED)


def _summary(results: Sequence[ProgramResult]) -> dict[str, int]:
    total = sum(len(r.checks) for r in results)
    failed = sum(len(r.failed) for r in results)
    return {
        "programs": len(results),
        "examples": total,
        "passed": total - failed,
        "failed": failed,
    }


def _json(results: Sequence[ProgramResult]) -> dict[str, Any]:

    return {
        "passed": not any(r.failed for r in results),
        "summary": _summary(results),
        "programs": [
            {
                "id": r.program.id,
                "program_version": r.program.version,
                "distribution": r.program.distribution,
                "package_version": r.package_version,
                "source": r.program.source,
                "examples": [
                    {
                        "index": c.index,
                        "name": c.name,
                        "passed": c.passed,
                        "where": _where(r, ("examples", c.index)),
                        "diffs": [
                            {
                                "field": d.field,
                                "expected": d.expected,
                                "got": d.got,
                                "where": _where(r, ("examples", c.index, *d.path)),
                            }
                            for d in c.diffs
                        ],
                        "problems": [p.to_json() for p in c.problems],
                    }
                    for c in r.checks
                ],
                "coverage": r.coverage.to_json(),
            }
            for r in results
        ],
    }


def _where(result: ProgramResult, path: Sequence[str | int]) -> str:
    if result.doc is None:
        return result.program.source
    pos = result.doc.locate(tuple(path))
    return f"{result.program.source}:{pos.line}:{pos.column}"


_PATH_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def path_parts(json_path: str) -> tuple[str | int, ...]:
    """'$.eligibility.any[1]' -> ('eligibility', 'any', 1)."""
    return tuple(
        int(index) if index else key for key, index in _PATH_PART.findall(json_path.lstrip("$"))
    )


def _show(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def _text(results: Sequence[ProgramResult]) -> str:
    from hembesok.render.table import table

    lines: list[str] = []
    for r in results:
        lines.append(
            f"{r.versions}: {len(r.checks)} example(s), "
            f"{len(r.checks) - len(r.failed)} passed, {len(r.failed)} failed"
        )
        for check in r.failed:
            lines.append(f"  {paint('FAIL', 'error')} [{check.index}] {check.name}")
            lines.append(f"       {_where(r, ('examples', check.index))}")
            lines += [f"       {problem}" for problem in check.problems]
            if check.diffs:
                rows = [("field", "expected", "got")] + [
                    (d.field, _show(d.expected), _show(d.got)) for d in check.diffs
                ]
                lines += table(rows, "       ")
        lines += _coverage_lines(r)
        lines.append("")
    s = _summary(results)
    verdict = (
        paint("all passed", "ok") if not s["failed"] else paint(f"{s['failed']} failed", "error")
    )
    lines.append(
        f"{s['programs']} program(s), {s['examples']} example(s): {s['passed']} passed, "
        f"{s['failed']} failed — {verdict}"
    )
    return "\n".join(lines) + "\n"


def _coverage_lines(r: ProgramResult) -> list[str]:

    cov = r.coverage
    if not r.checks:
        return ["  no examples: add cases with their expected answer under `examples`"]
    if cov.complete:
        parts = [f"every condition ({len(cov.conditions)}) came out true and false"]
        if cov.branches:
            parts.append(f"every `any` branch ({len(cov.branches)}) decided an example")
        parts.append(f"every visit ({len(cov.visits)}) has an expected status")
        return ["  coverage: " + ", ".join(parts)]
    out = [f"  coverage gaps ({cov.examples_run} example(s) run):"]
    groups = (
        ("conditions never true", cov.never_true),
        ("conditions never false", cov.never_false),
        ("`any` branches never the deciding one", cov.never_deciding),
    )
    for title, paths in groups:
        if paths:
            out.append(f"    {title}:")
            out += [f"      {path}  ({_where(r, path_parts(path))})" for path in paths]
    if cov.visits_unstated:
        out.append("    visits no example states an expected status for:")
        out += [
            f"      {visit}  ({_where(r, ('schedule', i))})"
            for i, visit in enumerate(cov.visits)
            if visit in cov.visits_unstated
        ]
    return out

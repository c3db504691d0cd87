"""`hembesok plugins`, `programs` and `schema`: what is installed and what the contracts are.

A plugin package and the program and instrument files inside it each carry a version of
their own (`hembesok-nassjo` 1.0.0 holds program `nassjo` 1.1.0); every command that
shows one says which it is, with `versions_shown`, and the JSON names them
`package_version`, `program_version` and `instrument_version`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from hembesok.cli.colour import paint
from hembesok.cli.common import engine as _engine
from hembesok.cli.listing import ListedCommand, Listing
from hembesok.cli.options import output_format
from hembesok.io import schemas

if TYPE_CHECKING:
    from hembesok.engine.engine import Engine
    from hembesok.plugins.manager import LoadedPlugins, PluginInfo

#: What a plugin registers: (kind, id, version), kind "program" or "instrument".
Registered = tuple[str, str, str]


def versions_shown(items: Sequence[Registered], package: str, package_version: str) -> str:
    """Each program or instrument with its own version, then the package with its version:
    `nassjo 1.1.0 (program), package hembesok-nassjo 1.0.0`. One version when a single
    item has the package's: `vaggeryd 1.0.0 (program and package hembesok-vaggeryd)`.
    A bare number beside a package name would leave the reader guessing whose it is."""
    if len(items) == 1 and package and items[0][2] == package_version:
        kind, ident, version = items[0]
        return f"{ident} {version} ({kind} and package {package})"
    parts = [f"{ident} {version} ({kind})" for kind, ident, version in items]
    if package:
        parts.append(" ".join(part for part in ("package", package, package_version) if part))
    return ", ".join(parts)


def package_versions(loaded: LoadedPlugins) -> dict[str, str]:
    """Distribution name -> its installed version ('' when not known, as for a module a
    test registers)."""
    out: dict[str, str] = {}
    for info in loaded.plugins:
        out.setdefault(info.distribution, info.version)
    return out


def registered_by(engine: Engine, distribution: str) -> list[Registered]:
    """The programs, then the instruments, a distribution registers, each by id."""
    programs = [
        ("program", p.id, p.version)
        for p in sorted(engine.programs.values(), key=lambda p: p.id)
        if p.distribution == distribution
    ]
    instruments = [
        ("instrument", i.id, i.version)
        for i in sorted(engine.instruments.values(), key=lambda i: i.id)
        if i.distribution == distribution
    ]
    return programs + instruments


def _plugin_json(engine: Engine, info: PluginInfo) -> dict[str, Any]:
    """A plugin for machines: each version under a name that says whose it is."""
    items = registered_by(engine, info.distribution)
    return {
        "name": info.name,
        "distribution": info.distribution,
        "package_version": info.version,
        "module": info.module,
        "builtin": info.builtin,
        "hooks": list(info.hooks),
        "programs": [
            {"id": ident, "program_version": version}
            for kind, ident, version in items
            if kind == "program"
        ],
        "instruments": [
            {"id": ident, "instrument_version": version}
            for kind, ident, version in items
            if kind == "instrument"
        ],
    }


def _plugin_line(engine: Engine, info: PluginInfo) -> str:
    """A plugin in one line: its name, what it registers with their versions, its hooks."""
    if info.builtin:
        shown = f"package {info.distribution} {info.version} (built in)"
    else:
        shown = versions_shown(
            registered_by(engine, info.distribution), info.distribution, info.version
        )
    return f"{info.name}  {shown}  hooks: {', '.join(info.hooks)}"


@click.command()
@output_format()
def plugins(fmt: str) -> None:
    """List the plugins found: their packages, the programs and instruments each registers
    (each with its version), their hooks, and the speed-ups."""
    from hembesok.io.speedups import SPEEDUPS, speedups

    engine = _engine(warn=False)  # it lists what failed itself
    loaded = engine.loaded
    if fmt == "json":
        out = {
            "plugins": [_plugin_json(engine, i) for i in loaded.plugins],
            "failed": [
                {"name": f.name, "distribution": f.distribution, "error": f.error}
                for f in loaded.failures
            ],
            "skipped": loaded.skipped,
            "invalid_programs": [
                {"distribution": e.distribution, "problems": [p.to_json() for p in e.problems]}
                for e in engine.errors
            ],
            "speedups": speedups(),
        }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    for i in loaded.plugins:
        click.echo(_plugin_line(engine, i))
    for f in loaded.failures:
        click.echo(f"{f.name}  {f.distribution}  {paint('FAILED TO LOAD', 'error')}: {f.error}")
    for name in loaded.skipped:
        click.echo(f"{name}  skipped by HEMBESOK_LOAD_PLUGINS / HEMBESOK_DISABLED_PLUGINS")
    for e in engine.errors:
        click.echo(
            f"{e.distribution}  {paint('INVALID PROGRAM FILE', 'error')}: {len(e.problems)} "
            "problem(s); run 'hembesok validate' on it"
        )
    for name, version in speedups().items():
        if version is None:
            click.echo(
                f"speed-up {name} is not installed: {SPEEDUPS[name]} is slower, the answers "
                "are the same (pip install " + name + ")"
            )
        else:
            click.echo(f"speed-up {name} {version}: {SPEEDUPS[name]}")


@click.command()
@output_format()
@click.option("--lang", type=click.Choice(["sv", "en"]), default="sv", show_default=True)
def programs(fmt: str, lang: str) -> None:
    """List the installed programs: id, program and package versions, title and visits."""
    from hembesok.api import list_programs  # the same rows the library and the service give

    engine = _engine()
    rows = list_programs(engine)
    if fmt == "json":
        click.echo(json.dumps({"programs": rows}, ensure_ascii=False, indent=2))
        return
    packages = package_versions(engine.loaded)
    for row in rows:
        shown = versions_shown(
            [("program", row["id"], row["version"])],
            row["distribution"],
            packages.get(row["distribution"], ""),
        )
        click.echo(f"{shown}  {row['title'][lang]}  (visits: {', '.join(row['visits'])})")


def schema_names() -> Listing:
    """Every shipped schema by name, with the first sentence of its own description."""
    rows = []
    for name in schemas.NAMES:
        described = str(schemas.schema(name).get("description", ""))
        rows.append((name, described.split(". ")[0].rstrip(".")))
    return "Schemas", rows


@click.command(
    cls=ListedCommand,
    listing=schema_names,
    short_help="Print a shipped JSON Schema, or its bundled form.",
)
@click.argument("name", metavar="NAME", type=click.Choice(list(schemas.NAMES)))
@click.option(
    "--bundle",
    "--self-contained",
    "bundle",
    is_flag=True,
    help="With the schemas it refers to embedded, every reference inside the one file: "
    "for check-jsonschema, an editor, or the copy beside a program file "
    "(hembesok new-plugin writes one).",
)
def schema(name: str, bundle: bool) -> None:
    """Print the shipped JSON Schema NAME (one of those listed below); with --bundle, the
    form any tool resolves offline (check-jsonschema, editors), as committed in schemas/bundled/."""
    if bundle:
        from hembesok.io.schema_bundles import bundled_text

        click.echo(bundled_text(name), nl=False)
        return
    click.echo(schemas.schema_text(name), nl=False)

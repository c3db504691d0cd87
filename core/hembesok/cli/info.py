"""`hembesok plugins`, `programs` and `schema`: what is installed and what the contracts are."""

from __future__ import annotations

import json

import click

from hembesok.cli.common import engine as _engine
from hembesok.io import schemas


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def plugins(as_json: bool) -> None:
    """List the plugins found, with their distributions and hooks, and the speed-ups."""
    from hembesok.io.speedups import SPEEDUPS, speedups

    engine = _engine(warn=False)  # it lists what failed itself
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
            "speedups": speedups(),
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
    for name, version in speedups().items():
        if version is None:
            click.echo(
                f"speed-up {name} is not installed: {SPEEDUPS[name]} is slower, the answers "
                "are the same (pip install " + name + ")"
            )
        else:
            click.echo(f"speed-up {name} {version}: {SPEEDUPS[name]}")


@click.command()
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


@click.command()
@click.argument("name", type=click.Choice(list(schemas.NAMES)))
def schema(name: str) -> None:
    """Print a JSON Schema: program, case or plan."""
    from hembesok.io import schemas

    click.echo(schemas.schema_text(name), nl=False)

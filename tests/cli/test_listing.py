"""Help texts that list a registry list all of it, and `hembesok --help` stays light."""

import subprocess
import sys

from click.testing import CliRunner

from hembesok import cli
from hembesok.io import schemas
from hembesok.render.formats import PLAN_FORMATS
from hembesok.service.ops import OPS_ROUTES
from hembesok.service.routes import ROUTES


def help_of(*command):
    result = CliRunner().invoke(cli.main, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    return " ".join(result.stdout.split())  # click wraps lines: compare words


def test_serve_help_lists_every_endpoint_with_its_summary():
    shown = help_of("serve")
    for endpoint in (*ROUTES, *OPS_ROUTES):
        assert f"{endpoint.method} {endpoint.path} {' '.join(endpoint.summary.split())}" in shown
    assert "GET /openapi.json" in shown
    assert "GET /docs" in shown


def test_schema_help_lists_every_schema_name():
    shown = help_of("schema")
    section = shown.split("Schemas:")[1].split("Options:")[0]
    for name in schemas.NAMES:
        assert f" {name} " in f" {section}"


def test_plan_help_lists_every_format_with_its_summary():
    shown = help_of("plan")
    for fmt in PLAN_FORMATS.values():
        assert f"{fmt.name}: {' '.join(fmt.summary.split())}" in shown


def test_every_command_says_what_it_does_in_its_short_help():
    listing = help_of()
    for name, command in cli.main.commands.items():
        assert name in listing
        assert command.get_short_help_str(200).strip()
        assert "listed below" not in command.get_short_help_str(200)


def _imported_by(*args):
    code = (
        "import sys\nfrom hembesok.cli import main\n"
        f"try:\n    main.main({list(args)!r}, prog_name='hembesok')\n"
        "except SystemExit:\n    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stderr.split())


def test_the_overall_help_imports_neither_the_engine_nor_the_service():
    loaded = _imported_by("--help")
    assert "hembesok.service.routes" not in loaded
    assert "hembesok.engine.engine" not in loaded
    assert "hembesok.api" not in loaded


def test_serve_help_reads_the_routes_but_not_the_web_framework():
    loaded = _imported_by("serve", "--help")
    assert "hembesok.service.routes" in loaded
    assert "starlette" not in loaded and "uvicorn" not in loaded

"""The shared options: `--as-of` (a date, or a usage error saying what is right), and
`--format` with its alias `--json` on every command that prints data."""

import datetime as dt
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from hembesok import cli
from hembesok.cli.options import chosen_format, iso_date


def test_iso_date():
    assert iso_date(None, None, "2026-02-28") == dt.date(2026, 2, 28)
    assert iso_date(None, None, None) is None
    with pytest.raises(click.BadParameter, match="YYYY-MM-DD"):
        iso_date(None, None, "2026-02-30")


# --------------------------------------------------------------- --format and --json

ROOT = Path(__file__).parents[2]
CASE = str(ROOT / "examples" / "vaggeryd-first-child.json")
RESPONSE = str(ROOT / "examples" / "barnsakert-response.json")

#: Every command that prints data, with the arguments it needs.
DATA_COMMANDS = {
    "plugins": [],
    "programs": [],
    "validate": [CASE],
    "plan": [CASE, "--as-of", "2026-05-04", "--program", "vaggeryd"],
    "explain": [CASE, "--as-of", "2026-05-04", "--program", "vaggeryd"],
    "screen": [RESPONSE],
    "test": ["vaggeryd"],
}


def run(*args):
    return CliRunner().invoke(cli.main, list(args), env={"HEMBESOK_DISABLED_PLUGINS": ""})


@pytest.mark.parametrize("command", sorted(DATA_COMMANDS))
def test_every_data_command_takes_format_json_and_json_as_its_alias(command):
    args = DATA_COMMANDS[command]
    long = run(command, *args, "--format", "json")
    short = run(command, *args, "--json")
    both = run(command, *args, "--json", "--format", "json")
    assert long.exit_code == short.exit_code == both.exit_code == 0, long.output
    assert long.stdout == short.stdout == both.stdout
    json.loads(long.stdout)  # data for a machine
    text = run(command, *args)  # text for people is the default
    assert text.exit_code == 0
    assert text.stdout != long.stdout


@pytest.mark.parametrize("command", sorted(DATA_COMMANDS))
def test_json_and_another_format_together_are_a_usage_error(command):
    result = run(command, *DATA_COMMANDS[command], "--format", "text", "--json")
    assert result.exit_code == 2
    assert "--json is --format json" in result.stderr
    assert "Traceback" not in result.output


def test_plugins_format_json_is_no_longer_a_usage_error():
    result = run("plugins", "--format", "json")
    assert result.exit_code == 0
    assert {"plugins", "failed", "speedups"} <= json.loads(result.stdout).keys()


def test_plan_and_screen_keep_table_as_the_old_name_of_text():
    for command in ("plan", "screen"):
        args = DATA_COMMANDS[command]
        assert run(command, *args, "--format", "table").stdout == run(command, *args).stdout
    assert run("plan", CASE, "--format", "compact", "--json").exit_code == 2


def test_chosen_format_rules():
    aliases = {"table": "text"}
    assert chosen_format(None, False, "text", aliases) == "text"
    assert chosen_format(None, True, "text", aliases) == "json"
    assert chosen_format("json", True, "text", aliases) == "json"
    assert chosen_format("table", False, "text", aliases) == "text"
    with pytest.raises(click.UsageError):
        chosen_format("table", True, "text", aliases)


def test_report_takes_json_as_its_alias_too():
    # report's default is a page (html), not text; the alias rules are the same
    args = ["report", CASE, "--as-of", "2026-05-04", "--week", "2026-W20"]
    long, short = run(*args, "--format", "json"), run(*args, "--json")
    assert long.exit_code == short.exit_code == 0, long.output
    assert json.loads(long.stdout) == json.loads(short.stdout)
    clash = run(*args, "--format", "html", "--json")
    assert clash.exit_code == 2
    assert "--json is --format json" in clash.stderr

"""Colour on a terminal only, and never with NO_COLOR (https://no-color.org)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from hembesok import cli
from hembesok.cli.colour import choice, paint

ESC = "\x1b["
ROOT = Path(__file__).parents[2]
BAD_PROGRAM = str(ROOT / "tests" / "data" / "three-mistakes.yaml")
GOOD_CASE = str(ROOT / "examples" / "vaggeryd-first-child.json")
QUIET = {"HEMBESOK_DISABLED_PLUGINS": "", "NO_COLOR": "", "FORCE_COLOR": "", "CLICOLOR_FORCE": ""}


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, None),
        ({"NO_COLOR": ""}, None),  # empty: as if unset
        ({"NO_COLOR": "1"}, False),
        ({"NO_COLOR": "0"}, False),  # any non-empty value
        ({"FORCE_COLOR": "1"}, True),
        ({"FORCE_COLOR": "0"}, None),
        ({"CLICOLOR_FORCE": "1"}, True),
        ({"NO_COLOR": "yes", "FORCE_COLOR": "1"}, False),  # NO_COLOR wins
    ],
)
def test_choice(env, expected):
    assert choice(env) is expected


def test_paint_marks_with_a_colour():
    assert paint("FAIL", "error").startswith(ESC) and "FAIL" in paint("FAIL", "error")


def run(*args, color, **env):
    return CliRunner().invoke(cli.main, list(args), env={**QUIET, **env}, color=color)


@pytest.mark.parametrize(
    "args",
    [
        ("test", "vaggeryd"),
        ("validate", BAD_PROGRAM),
        ("validate", GOOD_CASE),
    ],
)
def test_a_terminal_gets_colour_and_no_color_turns_it_off(args):
    on_terminal = run(*args, color=True)  # CliRunner's color=True: as on a terminal
    assert ESC in on_terminal.output
    assert ESC not in run(*args, color=True, NO_COLOR="1").output
    piped = run(*args, color=False)  # as into a pipe or a file
    assert ESC not in piped.output
    assert piped.output == run(*args, color=True, NO_COLOR="1").output


def test_force_color_colours_a_pipe():
    assert ESC in run("test", "vaggeryd", color=False, FORCE_COLOR="1").output


def test_json_has_no_colour_even_when_forced():
    result = run("validate", "--json", BAD_PROGRAM, color=True, FORCE_COLOR="1")
    assert result.exit_code == 1 and ESC not in result.output


def test_a_real_pipe_gets_no_colour():
    hembesok = os.path.join(os.path.dirname(sys.executable), "hembesok")
    env = {**os.environ, **QUIET}
    done = subprocess.run([hembesok, "validate", BAD_PROGRAM], capture_output=True, env=env)
    assert done.returncode == 1 and b"error(s)" in done.stderr
    assert b"\x1b[" not in done.stdout + done.stderr

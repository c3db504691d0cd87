"""The README's main-job commands run as written, from the repository root."""

import glob
import os
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from hembesok import cli

ROOT = Path(__file__).parents[2]
SECTION = re.search(r"## The main job\n(.*?)\n## ", (ROOT / "README.md").read_text(), re.S).group(1)
COMMANDS = [
    line
    for block in re.findall(r"```\n(.*?)```", SECTION, re.S)
    for line in block.splitlines()
    if line.startswith("hembesok ")
]
EXPECTED_TO_FAIL = {"tests/data/three-mistakes.yaml": 1}  # shown on purpose: a file with errors


def test_the_main_job_has_commands():
    assert len(COMMANDS) >= 10


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_runs(command, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = []
    for word in shlex.split(command)[1:]:
        args.extend(sorted(glob.glob(word)) if any(c in word for c in "*?[") else [word])
    result = CliRunner().invoke(
        cli.main, args, env={k: v for k, v in os.environ.items() if not k.startswith("HEMBESOK_")}
    )
    expected = next((code for name, code in EXPECTED_TO_FAIL.items() if name in command), 0)
    assert result.exit_code == expected, result.output
    assert "Traceback" not in result.output

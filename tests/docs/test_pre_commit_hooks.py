"""The pre-commit hook, run the way pre-commit runs it on a sample repository's files.

pre-commit selects the tracked files whose path matches the hook's `files` regex
(re.search), then runs `entry` + `args` + the file names and fails on a non-zero exit.
This test does the same steps, without pre-commit itself or a download.
"""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hembesok.authoring.scaffold import create_plugin

ROOT = Path(__file__).parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def hook():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return hook


def test_the_hook_is_declared_as_pre_commit_expects(hook):
    assert hook["id"] == "hembesok-validate"
    assert hook["language"] == "python"
    assert hook["entry"] == "hembesok validate"
    assert set(hook) <= {"id", "name", "description", "entry", "language", "files", "args"}


@pytest.mark.parametrize(
    ("path", "selected"),
    [
        ("program.yaml", True),
        ("hembesok_eksjo/program.yaml", True),
        ("programs/eksjo.program.yml", True),
        ("hembesok_eksjo/instrument.yaml", True),
        ("hembesok_eksjo/instrument-epds.yml", True),
        ("hembesok_riks/epds.instrument.yaml", True),
        ("docs/myprogram.yaml", False),
        ("docs/myinstrument.yaml", False),
        ("instruments/notes.yaml", False),
        ("examples/case.json", False),
        ("hembesok_eksjo/program.schema.json", False),
    ],
)
def test_files_selects_program_and_instrument_files_only(hook, path, selected):
    assert bool(re.search(hook["files"], path)) is selected


def bundled_yaml_files():
    """Every YAML file of the bundled plugins, with its kind read from its content."""
    for path in sorted(ROOT.glob("plugins/*/hembesok_*/*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kind = "instrument" if {"items", "domains"} <= data.keys() else "program"
        yield path.relative_to(ROOT).as_posix(), kind


def test_files_selects_every_bundled_program_and_instrument_file(hook):
    found = list(bundled_yaml_files())
    kinds = {kind for _, kind in found}
    assert kinds == {"program", "instrument"}  # both kinds are there to be selected
    assert [path for path, _ in found if not re.search(hook["files"], path)] == []


def git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def run_hook(hook, repo):
    """Select the tracked files as pre-commit does and run the hook's entry on them."""
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.split()
    files = [f for f in tracked if re.search(hook["files"], f)]
    command = [*shlex.split(hook["entry"]), *hook.get("args", ()), *files]
    command[0] = str(BIN / command[0])  # the hook's own environment has hembesok installed
    result = subprocess.run(command, cwd=repo, capture_output=True, text=True)
    return files, result


def test_the_hook_validates_a_sample_repositorys_program_files(hook, tmp_path):
    repo = tmp_path / "region"
    repo.mkdir()
    create_plugin("eksjo", repo, ["Eksjö"])
    broken = repo / "drafts" / "habo.program.yaml"
    broken.parent.mkdir()
    shutil.copy(ROOT / "tests" / "data" / "five-mistakes.yaml", broken)
    (repo / "notes.yaml").write_text("not: a program\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")

    files, result = run_hook(hook, repo)
    assert files == ["drafts/habo.program.yaml", "hembesok-eksjo/hembesok_eksjo/program.yaml"]
    assert result.returncode == 1
    located = [line for line in result.stdout.splitlines() if line.startswith("drafts/")]
    assert len(located) == 5
    assert located[0].startswith("drafts/habo.program.yaml:13:39: $.sites.list[0].start: ")
    assert "hembesok-eksjo" not in result.stdout

    git(repo, "rm", "-q", "--cached", "drafts/habo.program.yaml")
    files, result = run_hook(hook, repo)
    assert files == ["hembesok-eksjo/hembesok_eksjo/program.yaml"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 file(s) checked, 0 error(s): valid" in result.stdout


def test_the_hook_checks_an_instrument_file(hook, tmp_path):
    repo = tmp_path / "region"
    folder = repo / "hembesok_eksjo"
    folder.mkdir(parents=True)
    text = (ROOT / "tests" / "data" / "mini-instrument.yaml").read_text(encoding="utf-8")
    assert "  - id: smoke\n" in text
    (folder / "instrument.yaml").write_text(text.replace("  - id: smoke\n", "  - id: Smoke\n"))
    git(repo, "init", "-q")
    git(repo, "add", ".")

    files, result = run_hook(hook, repo)
    assert files == ["hembesok_eksjo/instrument.yaml"]
    assert result.returncode == 1
    located = [line for line in result.stdout.splitlines() if line.startswith("hembesok_eksjo/")]
    assert len(located) == 1
    assert located[0].startswith("hembesok_eksjo/instrument.yaml:6:9: $.items[0].id: ")

"""docs/writing-a-plugin.md, run as written: every command in a fresh virtual environment.

Markers in the doc (HTML comments, invisible when rendered) say what to do with the
block that follows:

  <!-- tutorial: run -->            a ```console block: `$ ` lines are commands, the lines
                                    after one are output that must appear (`…` skips
                                    lines, `*` matches anything within a line)
  <!-- tutorial: write PATH -->     write the block to PATH
  <!-- tutorial: write PATH below its editor lines -->  keep PATH's first lines that name
                                    its schema, replace the rest
"""

import fnmatch
import itertools
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "writing-a-plugin.md"
STEP = re.compile(r"<!-- tutorial: (.+?) -->\n```[a-z]*\n(.*?)```", re.DOTALL)


def steps(text):
    """(action, argument, block) for each marked block, in order."""
    out = []
    for marker, block in STEP.findall(text):
        if marker == "run":
            out.append(("run", None, block))
        elif marker.startswith("write ") and marker.endswith(" below its editor lines"):
            out.append(("rewrite", marker[6:].removesuffix(" below its editor lines"), block))
        elif marker.startswith("write "):
            out.append(("write", marker[6:], block))
        else:
            raise AssertionError(f"unknown tutorial marker: {marker}")
    return out


def commands(block):
    """(command, expected output lines) for each `$ ` line of a console block."""
    out = []
    for line in block.splitlines():
        if line.startswith("$ "):
            out.append((line[2:], []))
        elif out:
            out[-1][1].append(line)
    return out


def shows(expected, actual):
    """Every shown line appears in the output, in order; `…` allows lines between."""
    lines = [line.rstrip() for line in actual.splitlines()]
    at = 0
    gap = True  # output may start with lines the doc does not show
    for want in expected:
        want = want.rstrip()
        if want == "…":
            gap = True
            continue
        pattern = want.replace("[", "[[]") if "*" in want else None
        found = next(
            (
                i
                for i in range(at, len(lines) if gap else min(at + 1, len(lines)))
                if (fnmatch.fnmatchcase(lines[i], pattern) if pattern else lines[i] == want)
            ),
            None,
        )
        if found is None:
            return False
        at, gap = found + 1, False
    return True


def test_the_doc_has_the_steps_of_the_issue():
    actions = steps(DOC.read_text(encoding="utf-8"))
    run = [c for a, _, block in actions if a == "run" for c, _ in commands(block)]
    assert run[0].startswith("hembesok new-plugin eksjo")
    for wanted in ("hembesok validate", "pip install", "hembesok plugins", "hembesok test"):
        assert any(c.startswith(wanted) or wanted in c for c in run), wanted
    assert any(a == "rewrite" for a, _, _ in actions)  # the program is edited


def test_shows_matches_in_order_with_gaps():
    out = "a\nb\nc\n12 passed in 0.3s\n"
    assert shows(["a", "b"], out) and shows(["…", "c"], out) and shows(["12 passed in *"], out)
    assert not shows(["b", "a"], out) and not shows(["a", "c"], out)


@pytest.mark.slow
def test_the_tutorial_runs_as_written(tmp_path, fresh_venv):
    bindir = fresh_venv()
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}
    env.pop("PYTHONPATH", None)
    for action, path, block in steps(DOC.read_text(encoding="utf-8")):
        if action == "write":
            (work / path).write_text(block, encoding="utf-8")
        elif action == "rewrite":
            lines = (work / path).read_text(encoding="utf-8").splitlines()
            kept = list(itertools.takewhile(lambda line: "$schema" in line, lines))
            assert kept[0].startswith("# yaml-language-server: $schema="), kept
            (work / path).write_text("\n".join([*kept, block]), encoding="utf-8")
        else:
            for command, expected in commands(block):
                result = subprocess.run(
                    command, shell=True, cwd=work, env=env, capture_output=True, text=True
                )
                said = result.stdout + result.stderr
                assert result.returncode == 0, f"$ {command}\n{said}"
                assert shows(expected, result.stdout), f"$ {command}\n{result.stdout}"

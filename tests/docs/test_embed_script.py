"""examples/embed.sh: a shell script with curl and jq plans a case through the command and
through HTTP and gets the same JSON (run when jq and curl are installed; .ci/run installs jq)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
SCRIPT = ROOT / "examples" / "embed.sh"


@pytest.mark.skipif(
    shutil.which("jq") is None or shutil.which("curl") is None, reason="needs jq and curl"
)
@pytest.mark.parametrize(
    "case", ["vaggeryd-first-child.json", "goteborg-first-child-opaltorget.json"]
)
def test_the_command_and_http_give_the_same_plan(case):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run(
        ["sh", str(SCRIPT), str(ROOT / "examples" / case), "2026-05-04"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("same plan through the command and HTTP")
    assert "vaggeryd 1.0.0:" in result.stdout

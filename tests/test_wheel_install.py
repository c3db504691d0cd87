"""A plugin's built wheel, installed with plain pip beside the core wheel in a fresh
virtual environment, is discovered through its entry point."""

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def run(*args, **kwargs):
    return subprocess.run(
        [str(a) for a in args], check=True, capture_output=True, text=True, **kwargs
    )


@pytest.mark.slow
def test_plugin_wheel_is_discovered_in_a_fresh_venv(tmp_path):
    wheels = tmp_path / "wheels"
    for project in (ROOT, ROOT / "plugins" / "vaggeryd"):
        # --no-build-isolation: build with the dev environment's setuptools, no download.
        run(
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            wheels,
            project,
            cwd=tmp_path,
        )
    built = sorted(p.name for p in wheels.glob("*.whl"))
    assert (
        len(built) == 2
        and built[0].startswith("hembesok-0")
        and built[1].startswith("hembesok_vaggeryd-")
    )

    env_dir = tmp_path / "fresh"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    py = bindir / "python"
    run(py, "-m", "pip", "install", "--quiet", *sorted(wheels.glob("*.whl")), cwd=tmp_path)

    listed = json.loads(run(bindir / "hembesok", "plugins", "--json", cwd=tmp_path).stdout)
    names = {p["name"]: p["distribution"] for p in listed["plugins"]}
    assert names.get("vaggeryd") == "hembesok-vaggeryd"
    assert listed["failed"] == [] and listed["invalid_programs"] == []

    # The schemas ship inside the core wheel and the program file inside the plugin's.
    assert (
        "urn:hembesok:schema:plan:1"
        in run(bindir / "hembesok", "schema", "plan", cwd=tmp_path).stdout
    )
    plan = run(
        bindir / "hembesok",
        "plan",
        ROOT / "examples" / "vaggeryd-first-child.json",
        "--as-of",
        "2026-05-04",
        "--format",
        "json",
        cwd=tmp_path,
    )
    statuses = [v["status"] for v in json.loads(plan.stdout)["programs"][0]["visits"]]
    assert statuses == ["done", "due", "upcoming"]

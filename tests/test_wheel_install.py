"""A plugin's built wheel, installed with plain pip beside the core wheel in a fresh
virtual environment, is discovered through its entry point."""

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def run(*args, **kwargs):
    return subprocess.run(
        [str(a) for a in args], check=True, capture_output=True, text=True, **kwargs
    )


@pytest.mark.slow
def test_plugin_wheel_is_discovered_in_a_fresh_venv(
    tmp_path, core_wheel, fresh_venv, wheel_builder
):
    assert core_wheel.name.startswith("hembesok-0")
    plugin_wheel = wheel_builder(ROOT / "plugins" / "vaggeryd", tmp_path)
    assert plugin_wheel.name.startswith("hembesok_vaggeryd-")
    bindir = fresh_venv(plugin_wheel)

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

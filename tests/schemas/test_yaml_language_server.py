"""The bundled schemas in an editor: yaml-language-server (VS Code's YAML extension, and the
editors that use its server) run for real over stdio, reading each file's editor line.

CI installs the server with npm into .ci/node (.ci/run); elsewhere set
HEMBESOK_YAML_LANGUAGE_SERVER to its bin/yaml-language-server, or the test is skipped
(and fails under CI=true, where it must run).
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from hembesok.io.documents import load_file
from hembesok.io.loading import program_problems

ROOT = Path(__file__).parents[2]
DRIVER = Path(__file__).with_name("yaml_language_server.js")
INSTALLED = ROOT / ".ci" / "node" / "node_modules" / "yaml-language-server" / "bin"
VAGGERYD = ROOT / "plugins" / "vaggeryd" / "hembesok_vaggeryd"


def server():
    named = os.environ.get("HEMBESOK_YAML_LANGUAGE_SERVER")
    found = Path(named) if named else INSTALLED / "yaml-language-server"
    node = shutil.which("node")
    if node and found.is_file():
        return node, found
    if os.environ.get("CI"):
        pytest.fail(f"yaml-language-server is not installed at {found} (.ci/run installs it)")
    pytest.skip(
        "yaml-language-server not installed: npm install --prefix .ci/node yaml-language-server"
    )


def diagnostics(documents):
    """What the server publishes for each (path, text): the path need not exist, its
    folder is where the editor line's relative path starts."""
    node, found = server()
    result = subprocess.run(
        [node, str(DRIVER), str(found)],
        input=json.dumps([{"path": str(p), "text": t} for p, t in documents]),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return {Path(p): found for p, found in json.loads(result.stdout).items()}


def test_every_bundled_program_and_instrument_file_is_clean_in_the_editor():
    files = sorted(ROOT.glob("plugins/*/hembesok_*/*.y*ml"))
    found = diagnostics([(p, p.read_text(encoding="utf-8")) for p in files])
    assert found == {p: [] for p in files}


def test_the_editor_shows_the_three_mistakes_where_hembesok_does():
    three = ROOT / "tests" / "data" / "three-mistakes.yaml"
    line = "# yaml-language-server: $schema=../../../schemas/bundled/program.schema.json\n"
    place = VAGGERYD / "three-mistakes.yaml"  # beside a real program: the same relative path
    (shown,) = diagnostics([(place, line + three.read_text(encoding="utf-8"))]).values()
    ours = {p.line + 1 for p in program_problems(load_file(three))}  # below the editor line
    assert len(ours) == 3
    assert ours <= {d["line"] for d in shown}, shown
    assert not any("Problems loading" in d["message"] for d in shown)
    text = " ".join(d["message"] for d in shown)
    assert '"title"' in text and "equal" in text and "minimum of 0" in text


def test_the_editor_checks_an_example_case_with_the_embedded_case_schema():
    text = (VAGGERYD / "program.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    birth = data["examples"][0]["case"]["child"]["birth_date"]
    quoted = f'birth_date: "{birth}"'
    assert quoted in text
    lines = text.splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if quoted in line)
    lines[number] = lines[number].replace(quoted, f"birth_date: {birth.replace('-', '')}")
    canonical = lines[0].replace("schemas/bundled/", "schemas/")
    found = diagnostics(
        [
            (VAGGERYD / "broken.yaml", "".join(lines)),
            (VAGGERYD / "canonical.yaml", "".join([canonical, *lines[1:]])),
        ]
    )
    assert [(d["line"], d["message"]) for d in found[VAGGERYD / "broken.yaml"]] == [
        (number + 1, 'Incorrect type. Expected "string".')
    ]
    # Why the bundles exist: the canonical schema's `urn:` reference is not loaded.
    assert any(
        "Problems loading reference 'urn:hembesok:schema:case:1'" in d["message"]
        for d in found[VAGGERYD / "canonical.yaml"]
    )

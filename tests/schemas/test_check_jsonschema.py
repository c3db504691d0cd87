"""The shipped files as any tool sees them: the real check-jsonschema CLI, offline, with the
bundled schemas alone (docs/decisions/0025-schemas-in-any-tool.md).

Each file's kind is read from its content, as `hembesok validate` reads it, so a new plugin
or example is checked without a list to keep. No network: `--no-cache`, bundles without a
remote reference, and every proxy pointed at a closed loopback port.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hembesok.authoring.scaffold import create_plugin
from hembesok.io import schemas
from hembesok.io.documents import load_file
from hembesok.io.loading import program_problems
from hembesok.io.schema_bundles import BUNDLED_FOLDER, bundled_text

ROOT = Path(__file__).parents[2]
BUNDLED = ROOT / BUNDLED_FOLDER
CHECK = Path(sys.executable).parent / "check-jsonschema"  # the dev extra installs it
EDITOR_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def kind_of(data):
    """Which schema a file needs, by what it holds (as `hembesok validate` decides)."""
    if isinstance(data, list):
        return "responses"
    if "child" in data:
        return "case"
    if {"items", "domains"} <= data.keys():
        return "instrument"
    if "answers" in data:
        return "response"
    return "program"


def shipped_files():
    """Every bundled program and instrument file and every example, with its kind."""
    found = []
    for path in sorted(ROOT.glob("plugins/*/hembesok_*/*.y*ml")):
        found.append((path, kind_of(yaml.safe_load(path.read_text(encoding="utf-8")))))
    for path in sorted(ROOT.glob("examples/*.json")):
        found.append((path, kind_of(json.loads(path.read_text(encoding="utf-8")))))
    return found


SHIPPED = shipped_files()


def check_jsonschema(schema, *files, output="text"):
    assert CHECK.is_file(), "check-jsonschema is in the dev extra: pip install -e '.[dev]'"
    closed = "http://127.0.0.1:9"  # nothing listens there: a fetch would fail, not hang
    env = {**os.environ, "HTTP_PROXY": closed, "HTTPS_PROXY": closed, "NO_PROXY": ""}
    return subprocess.run(
        [str(CHECK), "--no-cache", "-o", output, "--schemafile", str(schema), *map(str, files)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_every_kind_is_shipped():
    kinds = {kind for _, kind in SHIPPED}
    assert kinds == {"program", "instrument", "case", "response", "responses"}


@pytest.mark.parametrize("kind", ["program", "instrument", "case", "response"])
def test_check_jsonschema_accepts_every_shipped_file_of_a_kind(kind):
    files = [path for path, k in SHIPPED if k == kind]
    result = check_jsonschema(BUNDLED / f"{kind}.schema.json", *files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_check_jsonschema_accepts_each_response_of_a_history(tmp_path):
    """No schema describes a list of responses; each of its responses is one."""
    files = []
    for path, kind in SHIPPED:
        if kind == "responses":
            for index, response in enumerate(json.loads(path.read_text(encoding="utf-8"))):
                files.append(tmp_path / f"{path.stem}-{index}.json")
                files[-1].write_text(json.dumps(response), encoding="utf-8")
    assert files
    result = check_jsonschema(BUNDLED / "response.schema.json", *files)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_reports_the_three_mistakes_where_hembesok_does():
    three = ROOT / "tests" / "data" / "three-mistakes.yaml"
    result = check_jsonschema(BUNDLED / "program.schema.json", three, output="json")
    assert result.returncode == 1, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["status"] == "fail" and report["parse_errors"] == []
    by_place = {}
    for error in report["errors"]:
        by_place.setdefault(error["path"], []).append(error["message"])
    ours = [p.path for p in program_problems(load_file(three))]
    assert len(ours) == 3
    # The same three places and no other; hembesok points at an unknown key itself,
    # check-jsonschema at the object holding it.
    nearest = {
        o: max((p for p in by_place if o == p or o.startswith((p + ".", p + "["))), key=len)
        for o in ours
    }
    assert sorted(nearest.values()) == sorted(by_place), nearest  # one place per mistake
    assert by_place["$"] == ["'title' is a required property"]
    assert any("'equal' was unexpected" in m for m in by_place["$.eligibility.all[0]"])
    assert by_place["$.schedule[0].age.months"] == ["-2 is less than the minimum of 0"]


def test_the_shipped_schemas_alone_are_what_check_jsonschema_cannot_resolve():
    """Why the bundles exist: the canonical schema's `urn:` reference fails in the tool."""
    vaggeryd = ROOT / "plugins" / "vaggeryd" / "hembesok_vaggeryd" / "program.yaml"
    result = check_jsonschema(ROOT / "schemas" / "program.schema.json", vaggeryd)
    assert result.returncode != 0
    assert "urn:hembesok:schema:case:1" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("path", "kind"),
    [(p, k) for p, k in SHIPPED if k in ("program", "instrument")],
    ids=lambda value: value.relative_to(ROOT).as_posix() if isinstance(value, Path) else value,
)
def test_a_bundled_yaml_files_editor_line_names_the_bundle_of_its_kind(path, kind):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    found = EDITOR_LINE.match(first)
    assert found, f"{path}: the first line names the schema for editors"
    named = (path.parent / found.group(1)).resolve()
    assert named == (BUNDLED / f"{kind}.schema.json").resolve()
    assert named.read_text(encoding="utf-8") == bundled_text(kind)


def test_an_examples_schema_key_names_the_bundle_of_its_kind():
    named = 0
    for path, kind in SHIPPED:
        data = json.loads(path.read_text(encoding="utf-8")) if path.suffix == ".json" else None
        if isinstance(data, dict) and "$schema" in data:
            target = (path.parent / data["$schema"]).resolve()
            assert target == (BUNDLED / f"{kind}.schema.json").resolve(), path
            named += 1
    assert named >= 2


def test_a_new_plugin_moved_anywhere_is_checked_with_the_copy_its_editor_lines_name(tmp_path):
    made = create_plugin("eksjo", tmp_path / "first", ["Eksjö"])
    moved = tmp_path / "elsewhere" / "deeper" / "hembesok-eksjo"
    moved.parent.mkdir(parents=True)
    shutil.move(made.root, moved)
    program = moved / "hembesok_eksjo" / "program.yaml"
    found = EDITOR_LINE.match(program.read_text(encoding="utf-8").splitlines()[0])
    assert found and found.group(1) == "program.schema.json"
    copy = program.parent / found.group(1)
    assert copy.read_text(encoding="utf-8") == bundled_text("program")
    result = check_jsonschema(copy, program)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = program.parent / "broken.program.yaml"
    broken.write_text(
        program.read_text(encoding="utf-8").replace("setting: home", "setting: garden", 1)
    )
    result = check_jsonschema(copy, broken)
    assert result.returncode == 1 and "'garden'" in result.stdout, result.stdout


def test_every_schema_name_has_a_bundle_to_name():
    assert {p.name for p in BUNDLED.glob("*.schema.json")} == {
        f"{n}.schema.json" for n in schemas.NAMES
    }

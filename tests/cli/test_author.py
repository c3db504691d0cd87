"""`hembesok new-plugin` and `hembesok test`: what an author types, what they read, exit codes."""

import json
import types
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from hembesok import cli, hookimpl
from hembesok.cli.author import path_parts

ROOT = Path(__file__).parents[2]
VAGGERYD = ROOT / "plugins" / "vaggeryd" / "hembesok_vaggeryd" / "program.yaml"


def invoke(*args):
    return CliRunner().invoke(cli.main, list(args))


def plugin_with(path: Path, name: str = "hembesok_authored"):
    """A plugin module registering one program file."""
    module = types.ModuleType(name)

    @hookimpl
    def hembesok_programs():
        return [path]

    module.hembesok_programs = hembesok_programs
    return module


@pytest.fixture
def authored(tmp_path, register_plugin):
    """Vaggeryd's program under the id 'authored' with one wrong example, registered for this test."""
    data = yaml.safe_load(VAGGERYD.read_text())
    data["id"] = "authored"
    del data["replaces"]
    for example in data["examples"]:
        for visit in example["case"].get("visits_done", ()):
            visit["program"] = "authored"
        example["case"].pop("declined", None)
    data["examples"] = data["examples"][:3]
    data["examples"][0]["expect"]["visits"]["two_months"] = "missed"  # it is due
    data["examples"][1]["expect"]["decision"] = "undetermined"  # it is eligible
    path = tmp_path / "program.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    register_plugin(plugin_with(path))
    return path


def test_test_passes_for_the_bundled_programs_with_a_summary():
    result = invoke("test", "vaggeryd", "nassjo")
    assert result.exit_code == 0, result.output
    # one version where program and package agree; each named where they differ
    assert result.output.startswith("vaggeryd 1.0.0 (program and package hembesok-vaggeryd): ")
    assert "\nnassjo 1.1.0 (program), package hembesok-nassjo 1.0.0: 22 example(s)" in result.output
    assert result.output.rstrip().endswith("example(s): 35 passed, 0 failed — all passed")
    assert "coverage: every condition (1) came out true and false" in result.output


def test_a_failing_example_prints_a_diff_per_field_and_exits_1(authored):
    result = invoke("test", "authored")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0] == (
        "authored 1.0.0 (program), package hembesok_authored: 3 example(s), 1 passed, 2 failed"
    )
    first = lines.index("  FAIL [0] first child in Vaggeryd, newborn visit done, 2-month visit due")
    assert lines[first + 1].strip().startswith(f"{authored}:")
    assert lines[first + 2].split() == ["field", "expected", "got"]
    assert lines[first + 3].split() == ["visit", "two_months", "missed", "due"]
    second = lines.index(
        "  FAIL [1] municipality given as its code, 2-month visit past its target but still due while its window is open"
    )
    assert lines[second + 3].split() == ["decision", "undetermined", "eligible"]
    assert lines[-1] == "1 program(s), 3 example(s): 1 passed, 2 failed — 2 failed"


def test_coverage_is_reported_beside_the_failures(authored):
    text = invoke("test", "authored").output
    # a first child (twice) and a second child: both outcomes, every visit stated
    assert "  coverage: every condition (1) came out true and false, every visit (3)" in text
    data = json.loads(invoke("test", "authored", "--format", "json").output)
    (program,) = data["programs"]
    assert program["coverage"]["complete"] is True
    assert data["passed"] is False and data["summary"]["failed"] == 2


def test_json_output_names_the_program_version_and_the_package_version():
    data = json.loads(invoke("test", "nassjo", "--format", "json").output)
    (program,) = data["programs"]
    assert {
        k: program[k] for k in ("id", "program_version", "distribution", "package_version")
    } == {
        "id": "nassjo",
        "program_version": "1.1.0",
        "distribution": "hembesok-nassjo",
        "package_version": "1.0.0",
    }
    assert "version" not in program  # whose version it would be is what confused readers


def test_json_output_carries_each_diff_with_its_location(authored):
    result = invoke("test", "authored", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    failing = [e for e in data["programs"][0]["examples"] if not e["passed"]]
    assert failing[0]["diffs"] == [
        {
            "field": "visit two_months",
            "expected": "missed",
            "got": "due",
            "where": failing[0]["diffs"][0]["where"],
        }
    ]
    where = failing[0]["diffs"][0]["where"]
    line = int(where.rsplit(":", 2)[1])
    assert "two_months: missed" in authored.read_text().splitlines()[line - 1]


def test_a_visit_without_expected_status_is_reported(tmp_path, register_plugin):
    data = yaml.safe_load(VAGGERYD.read_text())
    data["id"] = "few"
    del data["replaces"]
    data["examples"] = [data["examples"][2], data["examples"][7]]  # second child; 31 Dec
    path = tmp_path / "few.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    register_plugin(plugin_with(path, "hembesok_few"))
    result = invoke("test", "few")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    at = lines.index("    visits no example states an expected status for:")
    assert lines[at + 1].split()[0] == "newborn" and lines[at + 2].split()[0] == "eight_months"


def test_a_plugin_name_selects_its_programs_and_an_unknown_name_is_a_usage_error():
    assert invoke("test", "hembesok-vaggeryd").output.startswith("vaggeryd ")
    result = invoke("test", "vaggerydd")
    assert result.exit_code == 2
    assert "no installed program or plugin named vaggerydd; installed:" in result.output


def test_path_parts():
    assert path_parts("$.eligibility.any[1].all[0]") == ("eligibility", "any", 1, "all", 0)
    assert path_parts("$") == ()


def test_new_plugin_creates_the_package_and_says_what_next(tmp_path):
    result = invoke("new-plugin", "eksjo", "--dir", str(tmp_path), "--municipality", "Eksjö")
    assert result.exit_code == 0, result.output
    root = tmp_path / "hembesok-eksjo"
    assert (root / "hembesok_eksjo" / "program.yaml").is_file()
    assert f"python -m pip install -e '{root}[test]'" in result.output
    assert "hembesok test eksjo" in result.output
    validated = invoke("validate", "--strict", str(root / "hembesok_eksjo" / "program.yaml"))
    assert validated.exit_code == 0, validated.output


def test_new_plugin_refuses_a_bad_name_and_an_existing_folder(tmp_path):
    bad = invoke("new-plugin", "Eksjö", "--dir", str(tmp_path))
    assert bad.exit_code == 2
    assert "must be lower-case letters, digits and underscores" in bad.output
    assert "Try 'eksjo'" in bad.output
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "hembesok-eksjo").mkdir()
    again = invoke("new-plugin", "eksjo", "--dir", str(tmp_path))
    assert again.exit_code == 2 and "already exists" in again.output

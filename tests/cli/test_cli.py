"""The command line: outputs, located errors, exit codes, and no traceback ever."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from hembesok import cli
from hembesok.io import schemas as schema_store

ROOT = Path(__file__).parents[2]
EXAMPLE = str(ROOT / "examples" / "vaggeryd-first-child.json")
SECOND = str(ROOT / "examples" / "vaggeryd-second-child.json")
DATA = ROOT / "tests" / "data"


def invoke(*args, input=None):
    return CliRunner().invoke(
        cli.main, list(args), input=input, env={"HEMBESOK_DISABLED_PLUGINS": ""}
    )


def test_plugins_lists_vaggeryd():
    result = invoke("plugins")
    assert result.exit_code == 0
    assert (
        "vaggeryd  vaggeryd 1.0.0 (program and package hembesok-vaggeryd)  hooks:" in result.output
    )
    data = json.loads(invoke("plugins", "--json").output)
    assert "vaggeryd" in [p["name"] for p in data["plugins"]]


def test_programs_lists_vaggeryd():
    result = invoke("programs", "--lang", "en")
    assert (
        "vaggeryd 1.0.0 (program and package hembesok-vaggeryd)  Vaggeryd – joint home visits "
        "for first-time parents  (visits: newborn, two_months, eight_months)"
    ) in result.output.splitlines()


def test_plan_table_shows_three_joint_visits_with_dates_windows_and_statuses():
    result = invoke(
        "plan", EXAMPLE, "--as-of", "2026-05-04", "--program", "vaggeryd", "--lang", "en"
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    visits = [line for line in lines if "home visit" in line.lower() and "2026-" in line]
    assert len(visits) == 3
    assert "2026-03-24  2026-03-17 – 2026-03-31" in visits[0] and "done 2026-03-25" in visits[0]
    assert "2026-05-10  2026-04-26 – 2026-05-24" in visits[1]
    assert visits[1].rstrip().endswith("due (20 days left)")
    assert "2026-11-10  2026-10-10 – 2026-12-10" in visits[2] and visits[2].rstrip().endswith(
        "upcoming"
    )
    assert all("BHV nurse, counsellor (family centre)" in v for v in visits)


def test_plan_json_validates_against_the_plan_schema():
    result = invoke("plan", EXAMPLE, "--as-of", "2026-05-04", "--format", "json")
    assert result.exit_code == 0
    plan = json.loads(result.output)
    jsonschema.validate(
        plan,
        schema_store.schema("plan"),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    )
    vag = next(p for p in plan["programs"] if p["program"]["id"] == "vaggeryd")
    assert [v["status"] for v in vag["visits"]] == ["done", "due", "upcoming"]


def test_plan_compact_is_one_line_following_its_schema():
    result = invoke("plan", EXAMPLE, "--as-of", "2026-05-04", "--format", "compact")
    assert result.exit_code == 0 and len(result.output.splitlines()) == 1
    small = json.loads(result.output)
    assert list(schema_store.validator("compact-plan").iter_errors(small)) == []
    vag = next(p for p in small["programs"] if p["id"] == "vaggeryd")
    assert [v["status"] for v in vag["visits"]] == ["done", "due", "upcoming"]


def test_plan_reads_standard_input():
    text = Path(EXAMPLE).read_text()
    result = invoke(
        "plan",
        "-",
        "--as-of",
        "2026-05-04",
        "--format",
        "json",
        "--program",
        "vaggeryd",
        input=text,
    )
    assert json.loads(result.output)["programs"][0]["decision"]["status"] == "eligible"


def test_explain_in_swedish_and_english():
    result = invoke("explain", SECOND, "--program", "vaggeryd", "--as-of", "2026-05-04")
    assert result.exit_code == 0
    assert "[sv] Varför" in result.output and "[en] Why" in result.output
    assert "Beslut: erbjuds inte programmet" in result.output
    assert "Decision: not eligible" in result.output
    assert "first_child.either_parent = no" in result.output
    assert "first_child.either_parent = nej" in result.output


def test_validate_bad_program_exit_1_with_three_located_errors():
    result = invoke("validate", str(DATA / "three-mistakes.yaml"))
    assert result.exit_code == 1
    located = [
        line
        for line in result.output.splitlines()
        if line.startswith(str(DATA / "three-mistakes.yaml") + ":")
    ]
    assert len(located) == 3
    data = json.loads(
        invoke("validate", "--format", "json", str(DATA / "three-mistakes.yaml")).output
    )
    assert data["valid"] is False and len(data["problems"]) == 3


def test_validate_good_files_exit_0():
    result = invoke(
        "validate", str(ROOT / "plugins/vaggeryd/hembesok_vaggeryd/program.yaml"), EXAMPLE
    )
    assert result.exit_code == 0
    assert "2 file(s) checked, 0 error(s): valid" in result.output


def test_validate_missing_file_is_a_located_problem():
    result = invoke("validate", "no-such-file.yaml")
    assert result.exit_code == 1
    assert "no-such-file.yaml:1:1: $: file not found" in result.output


def test_case_with_future_birth_date_and_wrong_types_is_located(tmp_path):
    result = invoke("plan", str(DATA / "bad-case.json"), "--as-of", "2026-05-01")
    assert result.exit_code == 1
    assert "bad-case.json:2:27: $.child.birth_date: is after the as-of date" in result.output
    assert "bad-case.json:3:19: $.municipality: must be a string, not an integer" in result.output
    assert "202601012384" not in result.output


def test_unknown_program_and_bad_date_are_usage_errors():
    assert invoke("plan", EXAMPLE, "--program", "nope").exit_code == 2
    result = invoke("plan", EXAMPLE, "--as-of", "2026-13-01")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output


def test_schema_prints_each_schema():
    for name in schema_store.NAMES:
        assert json.loads(invoke("schema", name).output)["$id"] == schema_store.schema_id(name)


def test_internal_error_has_no_traceback_and_no_data(monkeypatch, capsys):
    def explode(*args, **kwargs):
        raise RuntimeError("secret 202601012384")

    monkeypatch.setattr("hembesok.engine.engine.Engine.evaluate", explode)
    monkeypatch.setattr(sys, "argv", ["hembesok", "plan", EXAMPLE, "--as-of", "2026-05-04"])
    monkeypatch.delenv("HEMBESOK_DEBUG", raising=False)
    with pytest.raises(SystemExit) as info:
        cli.run()
    assert info.value.code == 4
    err = capsys.readouterr().err
    assert "internal error (RuntimeError)" in err
    assert "Traceback" not in err and "202601012384" not in err


def test_real_process_reports_json_syntax_error_without_traceback():
    exe = Path(sys.executable).with_name("hembesok")
    proc = subprocess.run(
        [str(exe), "plan", "-", "--as-of", "2026-05-04"],
        input='{"child": ',
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("-:1:11: $: JSON syntax error")
    assert "Traceback" not in proc.stderr


def test_plan_prints_the_combined_timeline():
    case = str(ROOT / "examples" / "goteborg-first-child-opaltorget.json")
    result = invoke("plan", case, "--as-of", "2026-05-04", "--lang", "en")
    assert result.exit_code == 0
    text = result.output.split("Combined timeline (programs offered)", 1)[1]
    assert "replaces National programme: Newborn home visit (1–3 weeks)" in text
    assert "same week as National programme: BVC visit at 3–5 months: may be joined" in text
    assert "replaced (by Gothenburg: Newborn home visit)" in result.output


def test_validate_recognises_instruments_and_responses():
    files = [
        ROOT / "plugins/rikshandboken/hembesok_rikshandboken/epds.instrument.yaml",
        ROOT / "tests/data/epds-response.json",
        ROOT / "examples/barnsakert-history.json",
    ]
    result = invoke("validate", *map(str, files))
    assert result.exit_code == 0, result.output
    bad = invoke(
        "validate",
        "-",
        input='{"instrument": "epds", "date": "2026-01-01", "answers": {"epds_1": "x9"}}',
    )
    assert bad.exit_code == 1
    assert (
        "-:1:68: $.answers.epds_1: is not an allowed answer" in bad.output
        and "x9" not in bad.output
    )

"""`hembesok plan - --format json` for machines: every example's output follows the plan
schema, carries its schema and versions, and a bad case gives a JSON problem document."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hembesok import cli
from hembesok.engine.engine import Engine
from hembesok.io import schemas as schema_store

ROOT = Path(__file__).parents[2]
EXAMPLE_FILES = [  # the case files; examples/ also holds questionnaire responses
    p for p in sorted((ROOT / "examples").glob("*.json")) if '"child"' in p.read_text("utf-8")
]
VALIDATOR = schema_store.validator("plan")
ENGINE = Engine.from_installed(env={})


@pytest.fixture(autouse=True)
def one_engine(monkeypatch):
    """The installed engine, built once instead of once per command (what each run builds)."""
    monkeypatch.setattr(Engine, "from_installed", classmethod(lambda cls, env=None: ENGINE))


def program_examples():
    for program in ENGINE.programs.values():
        for index, example in enumerate(program.definition.get("examples", ())):
            yield pytest.param(example["case"], example["as_of"], id=f"{program.id}-{index}")


def plan_from_stdin(case_text, as_of):
    result = CliRunner().invoke(
        cli.main,
        ["plan", "-", "--as-of", as_of, "--format", "json"],
        input=case_text,
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize(("case", "as_of"), list(program_examples()))
def test_every_program_example_planned_through_the_command_follows_the_plan_schema(case, as_of):
    plan = plan_from_stdin(json.dumps(case), as_of)
    assert [e.message for e in VALIDATOR.iter_errors(plan)] == []
    assert plan["$schema"] == "urn:hembesok:schema:plan:1"
    assert plan["engine"]["name"] == "hembesok" and plan["engine"]["version"]
    assert all(p["program"]["version"] and p["program"]["sha256"] for p in plan["programs"])


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_every_example_file_planned_through_the_command_follows_the_plan_schema(path):
    plan = plan_from_stdin(path.read_text(encoding="utf-8"), "2026-05-04")
    assert [e.message for e in VALIDATOR.iter_errors(plan)] == []
    assert len(plan["programs"]) >= 5


def test_a_bad_case_gives_one_line_of_problem_json_on_stderr():
    case = '{"child": {"birth_date": "2026-02-30", "identifier": {"system": "p", "value": "191212121212"}},\n "area": 7}'
    result = CliRunner().invoke(
        cli.main, ["plan", "-", "--as-of", "2026-05-04", "--format", "json"], input=case
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    last = result.stderr.strip().splitlines()[-1]
    doc = json.loads(last)
    assert doc["type"] == "urn:hembesok:problem:invalid-case"
    assert [(p["file"], p["line"], p["column"], p["path"]) for p in doc["problems"]] == [
        ("-", 1, 26, "$.child.birth_date"),
        ("-", 2, 10, "$.area"),
    ]
    assert "191212121212" not in result.stderr


def test_a_json_syntax_error_is_json_too_and_text_without_format_json():
    as_json = CliRunner().invoke(
        cli.main, ["plan", "-", "--as-of", "2026-05-04", "--format", "json"], input='{"child": '
    )
    assert as_json.exit_code == 1
    [problem] = json.loads(as_json.stderr.strip().splitlines()[-1])["problems"]
    assert problem["message"].startswith("JSON syntax error")
    as_text = CliRunner().invoke(
        cli.main, ["plan", "-", "--as-of", "2026-05-04"], input='{"child": '
    )
    assert as_text.exit_code == 1
    assert as_text.stderr.startswith("-:1:")

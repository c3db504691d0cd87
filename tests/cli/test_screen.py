"""`hembesok screen`: table and JSON, history, located errors that never quote an answer."""

import json
from pathlib import Path

from click.testing import CliRunner

from hembesok import cli
from hembesok.io import schemas as schema_store

DATA = Path(__file__).parents[1] / "data"
RESPONSE = DATA / "epds-response.json"


def invoke(*args, input=None):
    return CliRunner().invoke(cli.main, ["screen", *map(str, args)], input=input)


def test_table_in_both_languages():
    sv = invoke(RESPONSE)
    assert sv.exit_code == 0, sv.output
    assert "Tecken på depression           flaggat" in sv.output
    en = invoke(RESPONSE, "--lang", "en")
    assert "Signs of depression    flagged" in en.output
    assert "→ Signs of depression:" in en.output


def test_json_validates_against_the_screening_schema():
    result = json.loads(invoke(RESPONSE, "--format", "json").output)
    assert list(schema_store.validator("screening").iter_errors(result)) == []
    assert result["flagged"] == ["depression"]


def test_history_gives_the_change(tmp_path):
    earlier = json.loads(RESPONSE.read_text())
    earlier["date"] = "2026-04-01"
    history = tmp_path / "history.json"
    history.write_text(json.dumps([earlier]))
    result = json.loads(invoke(RESPONSE, "--history", history, "--format", "json").output)
    assert result["compared_with"] == "2026-04-01"
    assert result["domains"][0]["change"] == "persisting"


def test_standard_input():
    result = invoke("-", "--format", "json", input=RESPONSE.read_text())
    assert json.loads(result.output)["instrument"]["id"] == "epds"


def test_bad_answers_are_located_and_never_quoted(tmp_path):
    bad = json.loads(RESPONSE.read_text())
    bad["answers"]["epds_3"] = "secret-answer-7"
    bad["answers"]["epds_99"] = 1
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, indent=2))
    result = invoke(path)
    assert result.exit_code == 1
    assert (
        f"{path}:10:" in result.output
        and "$.answers.epds_3: is not an allowed answer to 'epds_3' (one of 0, 1, 2, 3)"
        in result.output
    )
    assert "$.answers.epds_99: 'epds_99' is not an item of instrument 'epds'" in result.output
    assert "secret-answer-7" not in result.output


def test_unknown_instrument():
    bad = json.loads(RESPONSE.read_text())
    bad["instrument"] = "nope"
    result = invoke("-", input=json.dumps(bad))
    assert result.exit_code == 1
    assert "$.instrument: names no installed instrument" in result.output


def test_json_format_reports_problems_as_json():
    result = invoke(
        "-", "--format", "json", input='{"instrument": "epds", "date": "x", "answers": {}}'
    )
    assert result.exit_code == 1
    problem = json.loads(result.output.strip().splitlines()[-1])
    assert problem["problems"][0]["path"] == "$.date"

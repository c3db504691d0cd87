"""No identity number and no questionnaire answer in a log, an error or an exception."""

import datetime as dt
import io
import json
import logging
from pathlib import Path

import hembesok_rikshandboken
import hembesok_vaggeryd
import pytest
from click.testing import CliRunner

from hembesok import Case, Engine, cli
from hembesok.io.documents import parse_json
from hembesok.io.loading import response_problems
from hembesok.io.problems import InvalidDocument
from hembesok.io.validation import case_problems
from hembesok.plugins.manager import make_plugin_manager

PNR = "201703152384"
ANSWER = "svar-som-aldrig-visas"
RESPONSE = json.loads((Path(__file__).parent / "data" / "epds-response.json").read_text())
CASE = {
    "child": {"birth_date": "2026-03-10", "identifier": {"system": "personnummer", "value": PNR}},
    "municipality": "Vaggeryd",
    "responses": [RESPONSE],
}


def secrets_in(text: str) -> list[str]:
    return [s for s in (PNR, ANSWER) if s in text]


def test_plan_and_explain_never_show_the_identity_number(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE))
    runner = CliRunner()
    for args in (
        ["plan", path, "--as-of", "2026-05-04"],
        ["plan", path, "--as-of", "2026-05-04", "--format", "json"],
        ["explain", path, "--program", "vaggeryd", "--as-of", "2026-05-04"],
    ):
        result = runner.invoke(cli.main, [str(a) for a in args])
        assert result.exit_code == 0 and secrets_in(result.output) == []


def test_errors_about_identity_numbers_and_answers_never_quote_them():
    bad_case = {
        **CASE,
        "child": {"birth_date": PNR, "identifier": {"system": "personnummer", "value": 1}},
    }
    found = case_problems(parse_json(json.dumps(bad_case), "c.json"))
    assert found and secrets_in("\n".join(map(str, found))) == []
    bad_response = {**RESPONSE, "answers": {"epds_1": ANSWER}, "respondent": ANSWER}
    engine = Engine.from_modules([hembesok_rikshandboken])
    found = response_problems(parse_json(json.dumps(bad_response), "r.json"), engine.instruments)
    text = "\n".join(map(str, found))
    assert len(found) == 2 and secrets_in(text) == []
    assert secrets_in(str(InvalidDocument(found))) == []


def test_no_log_record_and_no_trace_line_carries_case_data(caplog):
    trace = io.StringIO()
    loaded = make_plugin_manager(
        modules=[hembesok_vaggeryd, hembesok_rikshandboken],
        env={"HEMBESOK_TRACE_HOOKS": "1"},
        trace_to=trace,
    )
    engine = Engine.from_plugins(loaded)
    with caplog.at_level(logging.DEBUG):
        engine.evaluate(
            Case.from_dict({**CASE, "responses": [{**RESPONSE, "respondent": ANSWER}]}),
            dt.date(2026, 5, 4),
        )
    logged = "\n".join(r.getMessage() for r in caplog.records) + trace.getvalue()
    assert "hembesok_screening" in trace.getvalue()
    assert secrets_in(logged) == [] and "Vaggeryd" not in logged


def test_a_failing_hook_does_not_leak_data_through_the_cli(monkeypatch, capsys, tmp_path):
    import sys

    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE))

    def explode(self, response, history=()):
        raise ValueError(f"bad answer {ANSWER} for {PNR}")

    monkeypatch.setattr(Engine, "screen", explode)
    monkeypatch.setattr(sys, "argv", ["hembesok", "plan", str(path), "--as-of", "2026-05-04"])
    monkeypatch.delenv("HEMBESOK_DEBUG", raising=False)
    with pytest.raises(SystemExit) as info:
        cli.run()
    assert info.value.code == 4
    captured = capsys.readouterr()
    assert secrets_in(captured.out + captured.err) == []

"""`hembesok fhir questionnaire`, `plan --format fhir` and `screen` with a QuestionnaireResponse."""

import json
from pathlib import Path

from click.testing import CliRunner
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from hembesok import cli

ROOT = Path(__file__).parents[2]
CASE = ROOT / "examples" / "goteborg-first-child-opaltorget.json"
RESPONSE = ROOT / "examples" / "barnsakert-response.json"


def invoke(*args):
    return CliRunner().invoke(cli.main, [*map(str, args)])


def test_questionnaire_prints_a_valid_questionnaire_and_an_unknown_id_is_a_usage_error():
    result = invoke("fhir", "questionnaire", "epds")
    assert result.exit_code == 0, result.output
    Questionnaire.model_validate_json(result.output)
    unknown = invoke("fhir", "questionnaire", "nope")
    assert unknown.exit_code == 2
    assert "installed: barnsakert, epds" in unknown.output


def test_plan_format_fhir_is_a_valid_bundle():
    result = invoke("plan", CASE, "--as-of", "2026-09-01", "--format", "fhir")
    assert result.exit_code == 0, result.output
    bundle = Bundle.model_validate_json(result.output)
    assert [e.resource.get_resource_type() for e in bundle.entry] == ["CarePlan", "CarePlan"]


def test_screen_reads_a_questionnaire_response_as_the_native_one(
    tmp_path, as_questionnaire_response
):
    questionnaire = json.loads(invoke("fhir", "questionnaire", "barnsakert").output)
    native = json.loads(RESPONSE.read_text())
    path = tmp_path / "qr.json"
    path.write_text(json.dumps(as_questionnaire_response(native, questionnaire, "barnsakert")))
    fhir = invoke("screen", path, "--format", "json")
    assert fhir.exit_code == 0, fhir.output
    assert json.loads(fhir.output) == json.loads(
        invoke("screen", RESPONSE, "--format", "json").output
    )


def test_a_bad_questionnaire_response_is_invalid_input_without_its_answers(
    tmp_path, as_questionnaire_response
):
    questionnaire = json.loads(invoke("fhir", "questionnaire", "barnsakert").output)
    fhir = as_questionnaire_response(json.loads(RESPONSE.read_text()), questionnaire)
    fhir["item"][0]["answer"] = [{"valueCoding": {"system": "x", "code": "hemligt-svar"}}]
    fhir["item"][1]["linkId"] = "okänd"
    path = tmp_path / "qr.json"
    path.write_text(json.dumps(fhir, indent=1))
    result = invoke("screen", path)
    assert result.exit_code == 1
    assert f"{path}:" in result.output and "$.item[0].answer[0].valueCoding" in result.output
    assert "hemligt" not in result.output and "Traceback" not in result.output

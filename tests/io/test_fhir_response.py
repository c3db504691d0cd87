"""A FHIR QuestionnaireResponse read as a native response: the same scores, located
problems that never quote an answer."""

import json
from pathlib import Path

import pytest

from hembesok.api import fhir_questionnaire
from hembesok.engine.engine import Engine
from hembesok.io.documents import parse_json
from hembesok.io.loading import load_responses
from hembesok.io.problems import InvalidDocument

ROOT = Path(__file__).parents[2]
ENGINE = Engine.from_installed(env={})
NATIVE = {
    "epds": (
        json.loads((ROOT / "tests" / "data" / "epds-response.json").read_text()),
        "rikshandboken",
    ),
    "barnsakert": (
        json.loads((ROOT / "examples" / "barnsakert-response.json").read_text()),
        "barnsakert",
    ),
}


def scored(data):
    doc = parse_json(json.dumps(data, indent=1), "r.json")
    return [ENGINE.screen(r).to_json() for r in load_responses(doc, ENGINE.instruments)]


def variants(native):
    """The response as given, with every answer at its first and at its last option, and
    with half the items unanswered."""
    instrument = ENGINE.instruments[native["instrument"]]
    out = [native]
    for pick in (0, -1):
        answers = {}
        for item_id, item in instrument.items.items():
            options = ["yes", "no"] if item.type == "yes_no" else list(item.scores)
            answers[item_id] = options[pick]
        out.append({**native, "answers": answers})
    half = dict(list(native["answers"].items())[::2])
    out.append({**native, "answers": half})
    return out


def test_every_instrument_has_a_native_response_here():
    assert set(NATIVE) == set(ENGINE.instruments)


@pytest.mark.parametrize("instrument_id", sorted(NATIVE))
def test_a_questionnaire_response_scores_exactly_as_the_native_one(
    instrument_id, as_questionnaire_response
):
    native, program = NATIVE[instrument_id]
    questionnaire = fhir_questionnaire(instrument_id, engine=ENGINE)
    for response in variants(native):
        fhir = as_questionnaire_response(response, questionnaire, program)
        assert scored(fhir) == scored(response)
    # a list of them, as a --history file may be
    both = [as_questionnaire_response(native, questionnaire, program), native]
    assert scored(both) == scored([native, native])


def test_yes_no_may_be_a_boolean_and_choices_an_integer(as_questionnaire_response):
    native, _program = NATIVE["barnsakert"]
    fhir = as_questionnaire_response(native, fhir_questionnaire("barnsakert", engine=ENGINE))
    for item in fhir["item"]:
        if item.get("answer"):
            item["answer"] = [{"valueBoolean": item["answer"][0]["valueCoding"]["code"] == "Y"}]
    assert scored(fhir)[0]["domains"] == scored(native)[0]["domains"]
    epds, _ = NATIVE["epds"]
    fhir = as_questionnaire_response(epds, fhir_questionnaire("epds", engine=ENGINE))
    for item in fhir["item"]:
        item["answer"] = [{"valueInteger": int(item["answer"][0]["valueCoding"]["code"])}]
    assert scored(fhir)[0]["domains"] == scored(epds)[0]["domains"]


def problems_of(data):
    text = json.dumps(data, indent=1)
    with pytest.raises(InvalidDocument) as caught:
        load_responses(parse_json(text, "qr.json"), ENGINE.instruments)
    return caught.value.problems, text


def test_bad_answers_and_unknown_items_are_located_and_never_quoted(as_questionnaire_response):
    native, _ = NATIVE["epds"]
    fhir = as_questionnaire_response(native, fhir_questionnaire("epds", engine=ENGINE))
    fhir["item"][0]["answer"][0]["valueCoding"]["code"] = "hemligt-svar"
    fhir["item"][1]["linkId"] = "no_such_item"
    fhir["item"][2]["answer"] = [{"valueString": "hemligt-svar-2"}]
    fhir["status"] = "entered-in-error"
    found, text = problems_of(fhir)
    by_path = {p.path: p.message for p in found}
    assert set(by_path) == {
        "$.item[0].answer[0].valueCoding",
        "$.item[1].linkId",
        "$.item[2].answer[0].valueString",
        "$.status",
    }
    assert "'no_such_item' is not an item of instrument 'epds'" in by_path["$.item[1].linkId"]
    assert "0, 1, 2, 3" in by_path["$.item[0].answer[0].valueCoding"]
    line = text.splitlines()[found[0].line - 1]
    assert found[0].column >= 1 and line.strip()
    assert not any("hemligt" in str(p) for p in found)


def test_the_questionnaire_date_and_respondent_must_be_usable(as_questionnaire_response):
    native, _ = NATIVE["epds"]
    fhir = as_questionnaire_response(native, fhir_questionnaire("epds", engine=ENGINE))
    fhir["questionnaire"] = "Questionnaire/epds"
    fhir["authored"] = "yesterday"
    fhir["source"]["identifier"]["value"] = "Anna Andersson"
    found, _ = problems_of(fhir)
    assert [p.path for p in found] == ["$.questionnaire", "$.authored", "$.source.identifier.value"]
    assert not any("Anna" in str(p) or "yesterday" in str(p) for p in found)
    fhir["questionnaire"] = "urn:hembesok:instrument:nope|1.0"
    found, _ = problems_of(fhir)
    assert "installed: barnsakert, epds" in found[0].message

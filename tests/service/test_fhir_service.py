"""The service speaks FHIR: `?format=fhir` answers application/fhir+json, and /v1/screen
takes a QuestionnaireResponse sent as application/fhir+json (over loopback, for real)."""

import datetime as dt
import http.client
import json
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from hembesok.api import fhir_questionnaire
from hembesok.engine.engine import Engine
from hembesok.model.screening import Response
from hembesok.service.routes import SCREEN
from hembesok.service.server import create_app

ROOT = Path(__file__).parents[2]
ENGINE = Engine.from_installed(env={})
FHIR = {"content-type": "application/fhir+json"}


@pytest.fixture(scope="module")
def port(serving):
    with serving(create_app(ENGINE, today=lambda: dt.date(2026, 9, 1))) as bound:
        yield bound


def request(port, path, body, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheader("content-type"), response.read()
    finally:
        conn.close()


def test_a_plan_as_fhir_is_a_valid_bundle_with_the_fhir_media_type(port):
    case = (ROOT / "examples" / "goteborg-first-child-opaltorget.json").read_bytes()
    status, media, body = request(
        port, "/v1/plan?as_of=2026-09-01&format=fhir", case, {"content-type": "application/json"}
    )
    assert (status, media) == (200, "application/fhir+json")
    assert len(Bundle.model_validate_json(body).entry) == 2


def test_screen_takes_a_questionnaire_response_as_fhir_json(port, as_questionnaire_response):
    assert "application/fhir+json" in SCREEN.media_types
    native = json.loads((ROOT / "examples" / "barnsakert-response.json").read_text())
    fhir = as_questionnaire_response(
        native, fhir_questionnaire("barnsakert", engine=ENGINE), "barnsakert"
    )
    status, media, body = request(port, "/v1/screen", json.dumps(fhir).encode(), FHIR)
    assert (status, media) == (200, "application/json")
    assert json.loads(body) == ENGINE.screen(Response.from_dict(native)).to_json()
    fhir["item"][0]["answer"] = [{"valueCoding": {"code": "hemligt-svar"}}]
    status, media, body = request(port, "/v1/screen", json.dumps(fhir).encode(), FHIR)
    assert (status, media) == (422, "application/problem+json")
    assert b"hemligt" not in body

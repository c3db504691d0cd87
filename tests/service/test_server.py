"""The HTTP service, started for real on a free loopback port and called over HTTP."""

import datetime as dt
import http.client
import json
from pathlib import Path

import pytest

from hembesok import plan_case
from hembesok.engine.engine import Engine
from hembesok.io import schemas as schema_store
from hembesok.service.routes import ROUTES, Endpoint
from hembesok.service.server import create_app

ROOT = Path(__file__).parents[2]
CASE = (ROOT / "examples" / "vaggeryd-first-child.json").read_bytes()
ENGINE = Engine.from_installed(env={})


@pytest.fixture(scope="module")
def port(serving):
    app = create_app(ENGINE, max_body_bytes=64 * 1024, today=lambda: dt.date(2026, 5, 4))
    with serving(app) as bound:
        yield bound


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.getheader("content-type"), response.read()
    finally:
        conn.close()


JSON = {"content-type": "application/json"}


def test_a_plan_over_http_is_the_plan_of_the_library(port):
    status, media, body = request(port, "POST", "/v1/plan?as_of=2026-05-04", CASE, JSON)
    assert (status, media) == (200, "application/json")
    plan = json.loads(body)
    assert plan == plan_case(CASE, "2026-05-04", engine=ENGINE)
    assert list(schema_store.validator("plan").iter_errors(plan)) == []


def test_programs_can_be_chosen_and_as_of_defaults_to_the_servers_date(port):
    status, _, body = request(
        port, "POST", "/v1/plan?program=vaggeryd&program=rikshandboken", CASE, JSON
    )
    plan = json.loads(body)
    assert status == 200 and plan["as_of"] == "2026-05-04"
    assert [p["program"]["id"] for p in plan["programs"]] == ["vaggeryd", "rikshandboken"]


def test_a_malformed_case_is_a_422_problem_with_located_problems_and_no_values(port):
    case = b'{"child": {"birth_date": "2026-03-10",\n  "identifier": {"system": "pnr", "value": 191212121212}},\n  "municipality": "", "secret": "Hemlis"}'
    status, media, body = request(port, "POST", "/v1/plan?as_of=2026-05-04", case, JSON)
    assert (status, media) == (422, "application/problem+json")
    doc = json.loads(body)
    assert doc["type"] == "urn:hembesok:problem:invalid-case" and doc["status"] == 422
    assert [(p["line"], p["path"]) for p in doc["problems"]] == [
        (2, "$.child.identifier.value"),
        (3, "$.municipality"),
        (3, "$.secret"),
    ]
    assert b"191212121212" not in body and b"Hemlis" not in body


def test_json_that_does_not_parse_is_a_400_problem_at_its_line_and_column(port):
    status, media, body = request(port, "POST", "/v1/plan", b'{"child": {\n  "birth_date": }', JSON)
    doc = json.loads(body)
    assert (status, media, doc["title"]) == (400, "application/problem+json", "Malformed JSON")
    [problem] = doc["problems"]
    assert (problem["line"], problem["column"]) == (2, 17)


def test_bad_query_wrong_media_type_unknown_path_and_method_are_problems(port):
    assert request(port, "POST", "/v1/plan?as_of=May", CASE, JSON)[:2] == (
        400,
        "application/problem+json",
    )
    assert request(port, "POST", "/v1/plan?program=nope", CASE, JSON)[0] == 400
    assert request(port, "POST", "/v1/plan", CASE, {"content-type": "text/plain"})[:2] == (
        415,
        "application/problem+json",
    )
    assert request(port, "GET", "/v1/nothing")[:2] == (404, "application/problem+json")
    assert request(port, "DELETE", "/v1/plan")[:2] == (405, "application/problem+json")


def test_a_50_mb_body_is_refused_with_413_from_its_length_before_it_is_sent(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest("POST", "/v1/plan")
        conn.putheader("content-type", "application/json")
        conn.putheader("content-length", str(50 * 1024 * 1024))
        conn.endheaders()
        conn.send(b"{" + b" " * 8191)  # a first piece only: the answer comes without the rest
        response = conn.getresponse()
        status, media, body = response.status, response.getheader("content-type"), response.read()
    finally:
        conn.close()
    assert (status, media) == (413, "application/problem+json")
    assert json.loads(body)["title"] == "Request body too large"


def test_a_streamed_body_is_cut_off_when_it_passes_the_limit(port):
    def chunks():
        for _ in range(50 * 16):  # up to 50 MB in 64 KiB pieces, without a length
            yield b" " * 65536

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.putrequest("POST", "/v1/plan")
        conn.putheader("content-type", "application/json")
        conn.putheader("transfer-encoding", "chunked")
        conn.endheaders()
        sent = 0
        try:
            for piece in chunks():
                conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
                if sent > 256 * 1024:
                    break
        except (BrokenPipeError, ConnectionResetError):
            pass
        response = conn.getresponse()
        status, body = response.status, response.read()
    finally:
        conn.close()
    assert status == 413
    assert json.loads(body)["status"] == 413


def test_health_programs_and_openapi(port):
    status, _, body = request(port, "GET", "/health")
    health = json.loads(body)
    assert status == 200 and health["status"] == "ok" and "vaggeryd" in health["programs"]
    programs = json.loads(request(port, "GET", "/v1/programs")[2])["programs"]
    assert {p["id"] for p in programs} == set(ENGINE.programs)
    status, media, body = request(port, "GET", "/openapi.json")
    doc = json.loads(body)
    assert (status, media) == (200, "application/json")
    assert set(doc["paths"]) == {r.path for r in ROUTES} | {"/livez", "/readyz"}


def test_a_bug_is_a_500_problem_naming_only_its_type(caplog, serving):
    def broken(call):
        raise ValueError("191212121212 leaked")

    endpoint = Endpoint("GET", "/v1/broken", "broken", "Always fails", broken)
    with serving(create_app(ENGINE, endpoints=(*ROUTES, endpoint))) as bound:
        status, media, body = request(bound, "GET", "/v1/broken")
    assert (status, media) == (500, "application/problem+json")
    assert b"ValueError" in body and b"191212121212" not in body
    assert "191212121212" not in caplog.text


def test_a_response_is_scored_over_http_as_by_the_command(port):
    body = (ROOT / "tests" / "data" / "epds-response.json").read_bytes()
    status, media, answer = request(port, "POST", "/v1/screen", body, JSON)
    assert (status, media) == (200, "application/json")
    result = json.loads(answer)
    assert list(schema_store.validator("screening").iter_errors(result)) == []
    assert result["flagged"] == ["depression"]
    bad = json.loads(body)
    bad["answers"]["epds_1"] = "hemligt-svar"
    status, media, answer = request(port, "POST", "/v1/screen", json.dumps(bad).encode(), JSON)
    assert (status, media) == (422, "application/problem+json")
    assert b"hemligt-svar" not in answer
    assert any(p["path"] == "$.answers.epds_1" for p in json.loads(answer)["problems"])

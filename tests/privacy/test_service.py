"""The HTTP service's error paths: hostile bodies, query strings, paths, methods, headers,
bodies over the limit, too slow or cut off, and bugs. Each answer is a 4xx problem (500
only for a bug) and neither its body, its headers nor any log line holds a marker; the
access log writes method, path and status only.

Most requests go straight to the ASGI application (`create_app`), in this process; the
few that only uvicorn's HTTP parser sees go over a loopback socket to a real server.
"""

import http.client
import json
import socket
import time
from urllib.parse import quote

import pytest

from hembesok.engine.engine import Engine
from hembesok.service.server import _Guard

from .asgi import APP, JSON, LIMIT, app, call
from .hostile import params
from .hostile_cases import CASES, GOOD
from .hostile_responses import RESPONSES
from .markers import ANSWER, NAME, PNR, TEXT, assert_private, leak, one_line, planted

CASE = one_line(planted(child__birth_date=PNR)).encode()  # a 422 with every marker in it


def assert_answered(logs, answer, status, expect, access):
    """The status, a problem document naming `expect`, one access line, and no marker."""
    got, headers, body = answer
    assert got == status, (got, body)
    if status != 499:
        assert "application/problem+json" in headers, headers
        assert expect in body.decode("utf-8"), body
    lines = [r.getMessage() for r in logs.records if r.name == "hembesok.service.access"]
    assert lines == [f"{access} {status}"], lines
    assert_private(headers, body, caplog=logs)


def case_status(case):
    return 400 if case.stage == "parse" else 422


ENDPOINTS = {
    "plan": "/v1/plan?as_of=2026-05-04",
    "decide": "/v1/decide?as_of=2026-05-04",
}


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize("case", params(CASES))
def test_a_hostile_case_is_a_4xx_problem_without_a_marker(logs, case, endpoint):
    answer = call(APP, "POST", ENDPOINTS[endpoint], case.text.encode(), JSON)
    path = ENDPOINTS[endpoint].partition("?")[0]
    assert_answered(logs, answer, case_status(case), case.expect, f"POST {path}")


def screen_status(response):
    return 400 if response.stage == "parse" or response.text.startswith("[") else 422


@pytest.mark.parametrize("response", params(RESPONSES))
def test_a_hostile_response_is_a_4xx_problem_without_a_marker(logs, response):
    answer = call(APP, "POST", "/v1/screen", response.text.encode(), JSON)
    expect = "one response object" if response.text.startswith("[") else response.expect
    assert_answered(logs, answer, screen_status(response), expect, "POST /v1/screen")


def request(name, method, target, status, expect, *, body=CASE, headers=JSON, leaks=None, **kw):
    return pytest.param(
        method,
        target,
        body,
        headers,
        kw,
        status,
        expect,
        id=name,
        marks=[leak(leaks)] if leaks else [],
    )


REQUESTS = [
    # query strings
    request("as_of an identity number", "POST", f"/v1/plan?as_of={PNR}", 400, "Invalid as_of"),
    request("as_of a name", "POST", f"/v1/decide?as_of={quote(NAME)}", 400, "Invalid as_of"),
    request("format free text", "POST", f"/v1/plan?format={quote(TEXT)}", 400, "Unknown format"),
    request(
        "program a name",
        "POST",
        f"/v1/plan?program={quote(NAME)}",
        400,
        "Unknown program",
    ),
    request(
        "program after an identity number",
        "POST",
        f"/v1/decide?program=p{PNR}",
        400,
        "Unknown program",
    ),
    request(
        "unknown parameters holding markers",
        "POST",
        f"/v1/plan?pnr={PNR}&namn={quote(NAME)}&svar={quote(ANSWER)}",
        422,
        "$.child.birth_date",
    ),
    request(
        "markers in the query of an endpoint without a body",
        "GET",
        f"/v1/programs?pnr={PNR}&namn={quote(NAME)}",
        200,
        "",
    ),
    # paths and methods
    request("path after an identity number", "POST", f"/v1/plan/{PNR}", 404, "Not found"),
    request("path a name", "GET", f"/{quote(NAME)}?x={PNR}", 404, "Not found"),
    request("method an identity number", PNR, "/v1/plan", 405, "Method not allowed"),
    request(
        "method not allowed, query holding markers", "DELETE", f"/v1/plan?{PNR}", 405, "Method"
    ),
    # headers
    request(
        "media type after an identity number",
        "POST",
        "/v1/plan",
        415,
        "Unsupported media type",
        headers={"content-type": f"text/{PNR}"},
    ),
    request(
        "charset a name",
        "POST",
        "/v1/plan",
        415,
        "Unsupported media type",
        headers={"content-type": f"application/json; charset={NAME}"},
    ),
    request(
        "content-length holding an identity number",
        "POST",
        "/v1/plan",
        400,
        "Invalid Content-Length",
        headers={**JSON, "content-length": f"{PNR} {NAME}"},
    ),
    request(
        "markers in headers of a good request",
        "POST",
        "/v1/plan?as_of=2026-05-04&program=vaggeryd",
        200,
        "",
        body=GOOD.encode(),
        headers={
            **JSON,
            "x-personnummer": PNR,
            "cookie": f"namn={NAME}",
            "referer": f"http://journal/{PNR}?{TEXT}",
            "user-agent": ANSWER,
        },
    ),
    # bodies
    request("body not UTF-8", "POST", "/v1/plan", 400, "not UTF-8", body=CASE[:-2] + b"\xff}"),
    request(
        "body over the limit by its length",
        "POST",
        "/v1/plan",
        413,
        "too large",
        body=CASE * (LIMIT // len(CASE) + 1),
        headers={**JSON, "content-length": str(LIMIT + 1)},
    ),
    request(
        "body over the limit as it streams",
        "POST",
        "/v1/plan",
        413,
        "too large",
        chunks=[CASE] * (LIMIT // len(CASE) + 2),
    ),
    request(
        "body too slow",
        "POST",
        "/v1/plan",
        408,
        "too slow",
        chunks=[CASE[:100]],
        then="wait",
    ),
    request(
        "client gone before its body ended",
        "POST",
        "/v1/plan",
        499,
        "",
        chunks=[CASE[:100]],
        then="go away",
    ),
]


@pytest.mark.parametrize(
    ("method", "target", "body", "headers", "kw", "status", "expect"), REQUESTS
)
def test_a_hostile_request_is_answered_without_a_marker(
    logs, method, target, body, headers, kw, status, expect
):
    application = app(body_timeout=0.01) if kw.get("then") == "wait" else APP
    answer = call(application, method, target, body, headers, **kw)
    path = target.partition("?")[0]
    shown_path = path if path in ("/v1/plan", "/v1/decide", "/v1/programs") else "-"
    shown_method = method if method in ("GET", "POST", "DELETE") else "-"
    if status == 200:
        got, answer_headers, answer_body = answer
        assert got == 200, answer
        assert_private(answer_headers, answer_body, caplog=logs)
        return
    assert_answered(logs, answer, status, expect, f"{shown_method} {shown_path}")
    if status == 499:
        assert "client disconnected: POST /v1/plan" in logs.text


def raising(*args, **kwargs):
    raise ValueError(f"{PNR} {NAME} {TEXT} {ANSWER}")


def test_a_bug_while_planning_is_a_500_naming_its_type_only(logs, monkeypatch):
    monkeypatch.setattr(Engine, "evaluate", raising)
    answer = call(APP, "POST", "/v1/plan?as_of=2026-05-04", GOOD.encode(), JSON)
    assert_answered(logs, answer, 500, "ValueError", "POST /v1/plan")
    assert "internal error in POST /v1/plan: ValueError" in logs.text


def test_a_bug_outside_the_endpoints_is_a_500_naming_its_type_only(logs):
    async def broken(scope, receive, send):
        raising()

    answer = call(_Guard(broken, {"/v1/plan"}), "POST", f"/v1/plan?{PNR}", CASE, JSON)
    assert_answered(logs, answer, 500, "ValueError", "POST /v1/plan")


# --- what only uvicorn's HTTP parser sees, over a real socket ------------------------------


@pytest.fixture(scope="module")
def port(serving):
    """`hembesok serve` as configured for real, in a thread on a free loopback port."""
    with serving(APP, header_timeout=5) as bound:
        yield bound


def exchange(port, raw):
    """Send raw bytes, read the answer until the server closes the connection."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(raw)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


HEADS = [
    pytest.param(
        f"GET /v1/{NAME} {PNR} HTTP/1.1\r\nHost: x\r\n\r\n".encode(), 400, id="request line"
    ),
    pytest.param(
        f"POST /v1/plan HTTP/1.1\r\nHost: x\r\n{NAME} {PNR}\r\n\r\n".encode(),
        400,
        id="header without a colon",
    ),
    pytest.param(
        ("POST /v1/plan HTTP/1.1\r\nHost: x\r\nX-Case: " + f"{PNR} {TEXT} " * 700).encode(),
        400,
        id="head over 16 KiB",
    ),
    pytest.param(
        f"{PNR} /v1/plan?{PNR} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode(),
        405,
        id="method an identity number",
    ),
]


@pytest.mark.parametrize(("raw", "status"), HEADS)
def test_a_hostile_request_head_is_answered_without_a_marker(port, logs, capfd, raw, status):
    received = exchange(port, raw)
    assert received.startswith(f"HTTP/1.1 {status} ".encode()), received
    out, err = capfd.readouterr()
    assert_private(received, out, err, caplog=logs)


def test_markers_sent_with_a_good_request_reach_no_log(port, logs, capfd):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(
        "POST",
        f"/v1/plan?as_of=2026-05-04&program=vaggeryd&pnr={PNR}",
        body=GOOD.encode(),
        headers={**JSON, "X-Personnummer": PNR, "Cookie": f"svar={quote(ANSWER)}"},
    )
    response = conn.getresponse()
    body = response.read()
    conn.close()
    assert response.status == 200 and json.loads(body)["programs"][0]["program"]["id"] == "vaggeryd"
    # the access line is written once the answer has gone out: wait for it
    out, err = capfd.readouterr()
    deadline = time.monotonic() + 10
    while "POST /v1/plan 200" not in logs.text + err and time.monotonic() < deadline:
        time.sleep(0.02)
        more_out, more_err = capfd.readouterr()
        out, err = out + more_out, err + more_err
    assert "POST /v1/plan 200" in logs.text + err
    assert_private(body, out, err, caplog=logs)

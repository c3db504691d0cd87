"""The service against slow, wrong, impatient and greedy clients, over real loopback sockets.

Timeouts here are short (1 s) so the tests are quick; the defaults are 10 s.
"""

import datetime as dt
import http.client
import json
import logging
import select
import socket
import threading
import time
from pathlib import Path

import pytest

from hembesok.engine.engine import Engine
from hembesok.service.routes import ROUTES, Endpoint
from hembesok.service.server import _Guard, create_app, media_type_accepted

ROOT = Path(__file__).parents[2]
CASE = (ROOT / "examples" / "vaggeryd-first-child.json").read_bytes()
ENGINE = Engine.from_installed(env={})
TIMEOUT = 1.0  # the header and body timeouts of the service under test
SLACK = 1.5  # what the answer may take beyond a timeout on a busy machine
SECRET = "SECRET-191212121212"

#: About 940 kB of a case with 3001 problems: read, parsed and validated in about 0.15 s.
BIG = json.dumps(
    {
        "child": {"birth_date": "2026-03-10"},
        "municipality": "Vaggeryd",
        "visits_done": [{"program": 1, "visit": 2, "date": "x"}] * 1000,
        "notes": "x" * 900_000,
    }
).encode()


@pytest.fixture(scope="module")
def port(serving):
    app = create_app(ENGINE, body_timeout=TIMEOUT, today=lambda: dt.date(2026, 5, 4))
    with serving(app, header_timeout=TIMEOUT) as bound:
        yield bound


def connect(port):
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def answer(sock, timeout=10.0):
    """All the server sends until it closes the connection: (status, headers, body)."""
    sock.settimeout(timeout)
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        data += chunk
    if not data:
        return None, {}, b""
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers, body


def head(path="/v1/plan", length=None, media="application/json", extra=""):
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1"]
    if media is not None:
        lines.append(f"Content-Type: {media}")
    if length is not None:
        lines.append(f"Content-Length: {length}")
    return ("\r\n".join(lines) + "\r\n" + extra + "\r\n").encode()


def post(port, body=CASE, headers=None, path="/v1/plan?as_of=2026-05-04"):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def is_problem(headers, body, status):
    headers = {k.lower(): v for k, v in headers.items()}
    doc = json.loads(body)
    return headers["content-type"] == "application/problem+json" and doc["status"] == status


# Slow clients


def test_a_slow_body_is_408_within_the_body_timeout(port):
    with connect(port) as sock:
        sock.sendall(head(length=1000) + b'{"child": ')  # then nothing more
        started = time.monotonic()
        status, headers, body = answer(sock)
        took = time.monotonic() - started
    assert status == 408 and is_problem(headers, body, 408)
    assert json.loads(body)["title"] == "Request body too slow"
    assert headers["connection"] == "close"
    assert TIMEOUT - 0.2 < took < TIMEOUT + SLACK


def test_a_body_sent_byte_by_byte_is_cut_off_at_the_body_timeout(port):
    with connect(port) as sock:
        sock.sendall(head(length=len(CASE)))
        started = time.monotonic()
        for byte in CASE:  # a byte every 50 ms: the whole case would take minutes
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                break
            if select.select([sock], [], [], 0.05)[0]:
                break
        status, _, _ = answer(sock)
        took = time.monotonic() - started
    assert status == 408 and took < TIMEOUT + SLACK


def test_a_head_sent_byte_by_byte_is_408_within_the_header_timeout(port):
    with connect(port) as sock:
        started = time.monotonic()
        for byte in head(length=len(CASE)):  # every byte would put off uvicorn's own timer
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                break
            if select.select([sock], [], [], 0.1)[0]:
                break
        status, headers, body = answer(sock)
        took = time.monotonic() - started
    assert status == 408 and is_problem(headers, body, 408)
    assert json.loads(body)["title"] == "Request head too slow"
    assert took < TIMEOUT + SLACK


def test_a_connection_that_sends_nothing_is_closed_at_the_header_timeout(port):
    with connect(port) as sock:
        started = time.monotonic()
        status, _, data = answer(sock)
        took = time.monotonic() - started
    assert (status, data) == (None, b"")  # closed without an answer: there was no request
    assert TIMEOUT - 0.2 < took < TIMEOUT + SLACK


def test_the_header_timeout_holds_for_the_next_request_on_a_kept_connection(port):
    with connect(port) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        first = b""
        while b'"programs"' not in first or not first.endswith(b"]}"):
            first += sock.recv(65536)
        assert first.startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: 12")  # and the rest never comes
        started = time.monotonic()
        status, _, _ = answer(sock)
        took = time.monotonic() - started
    assert status == 408 and took < TIMEOUT + SLACK


def test_a_head_that_is_not_http_or_too_large_is_a_400_problem(port):
    with connect(port) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        status, headers, body = answer(sock)
    assert status == 400 and is_problem(headers, body, 400)
    with connect(port) as sock:
        try:
            sock.sendall(head(length=2)[:-2])  # the head goes on and on: 20 kB more
            for _ in range(20):
                sock.sendall(f"X-Padding: {'a' * 1000}\r\n".encode())
        except (BrokenPipeError, ConnectionResetError):
            pass
        status, headers, body = answer(sock)
    assert status == 400 and is_problem(headers, body, 400)


# Media types


@pytest.mark.parametrize(
    "media",
    [
        None,
        "text/plain",
        "application/fhir+json",
        "application/merge-patch+json",
        "application/json; charset=latin-1",
        "application/json; version=2",
        "application/jsonx",
        "",
    ],
)
def test_a_body_not_sent_as_application_json_is_415(port, media):
    headers = {"Content-Type": media} if media is not None else {}
    status, answered, body = post(port, headers=headers)
    assert status == 415 and is_problem(answered, body, 415)
    assert "application/json" in json.loads(body)["detail"]


@pytest.mark.parametrize(
    "media",
    ["application/json", "application/json; charset=utf-8", 'Application/JSON;charset="UTF-8"'],
)
def test_application_json_with_or_without_charset_utf_8_is_accepted(port, media):
    status, _, body = post(port, headers={"Content-Type": media})
    assert status == 200 and json.loads(body)["as_of"] == "2026-05-04"


def test_media_types_are_a_set_per_endpoint():
    fhir = {"application/json", "application/fhir+json"}
    assert media_type_accepted("application/fhir+json; charset=utf-8", fhir)
    assert not media_type_accepted("application/fhir+json", {"application/json"})
    assert not media_type_accepted(None, fhir)


# Clients that go away, and bugs


def wait_for(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_a_client_that_disconnects_is_logged_as_such_without_a_traceback(caplog, capfd, serving):
    def slow(call):
        time.sleep(0.3)
        return {}

    endpoint = Endpoint("POST", "/v1/slow", "slow", "Takes its time", slow, request_schema="case")
    caplog.set_level(logging.INFO, logger="hembesok.service")
    with serving(create_app(ENGINE, endpoints=(*ROUTES, endpoint))) as bound:
        with connect(bound) as sock:  # goes while its body is being read ...
            sock.sendall(head(path=f"/v1/plan?as_of={SECRET}", length=1000) + b'{"child"')
        with connect(bound) as sock:  # ... and while its case is being handled
            sock.sendall(head(path=f"/v1/slow?{SECRET}", length=len(CASE)) + CASE)
            time.sleep(0.1)
        wait_for(lambda: caplog.text.count("client disconnected") == 2)
        wait_for(lambda: "POST /v1/slow 499" in caplog.text)  # logged once the answer is gone
    out, err = capfd.readouterr()
    logged = caplog.text + out + err
    assert "client disconnected: POST /v1/plan" in caplog.text
    assert "client disconnected: POST /v1/slow" in caplog.text
    records = [r for r in caplog.records if "client disconnected" in r.getMessage()]
    assert {r.levelno for r in records} == {logging.INFO}
    assert "POST /v1/plan 499" in caplog.text  # the access log's line: nginx's status for it
    assert "internal error" not in logged and "Traceback" not in logged
    assert "Exception in ASGI" not in logged and SECRET not in logged


def test_an_exception_outside_a_handler_is_a_500_problem_logged_by_its_type(caplog, capfd, serving):
    async def broken(scope, receive, send):
        raise KeyError(SECRET)

    with serving(_Guard(broken, {"/x"})) as bound:
        conn = http.client.HTTPConnection("127.0.0.1", bound, timeout=10)
        conn.request("GET", f"/x?case={SECRET}")
        response = conn.getresponse()
        status, media, body = response.status, response.getheader("content-type"), response.read()
        conn.close()
    out, err = capfd.readouterr()
    logged = caplog.text + out + err
    assert (status, media) == (500, "application/problem+json")
    assert b"KeyError" in body and SECRET.encode() not in body
    assert "internal error in GET /x: KeyError" in logged
    assert SECRET not in logged and "Traceback" not in logged


# Greedy clients


def rss_kib():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def test_beyond_max_concurrent_requests_are_503_at_once_and_memory_stays_bounded(capsys, serving):
    app = create_app(ENGINE, max_concurrent=2, today=lambda: dt.date(2026, 5, 4))
    with serving(app) as bound:
        # Eight heads at once: two take the slots and wait for their bodies; six are 503 at
        # once, before a byte of their body is sent.
        socks = [connect(bound) for _ in range(8)]
        try:
            for sock in socks:
                sock.sendall(head(length=len(BIG), extra="Connection: close\r\n"))
            answered = set()
            deadline = time.monotonic() + 10
            while len(answered) < 6 and time.monotonic() < deadline:
                readable, _, _ = select.select([s for s in socks if s not in answered], [], [], 0.5)
                answered.update(readable)
            busy = [answer(sock) for sock in answered]
            waiting = [sock for sock in socks if sock not in answered]
            for sock in waiting:
                sock.sendall(BIG)
            served = [answer(sock) for sock in waiting]
        finally:
            for sock in socks:
                sock.close()
        assert sorted(status for status, _, _ in busy + served) == [422, 422] + [503] * 6
        for _, headers, body in busy:
            assert is_problem(headers, body, 503)
            assert headers["retry-after"] == "1" and headers["connection"] == "close"

        # Rounds of 16 large invalid bodies sent at once: memory is that of two at a time.
        statuses = []
        before = rss_kib()
        after_rounds = []
        for _ in range(4):
            barrier = threading.Barrier(16)
            results = []

            def send(barrier=barrier, results=results):
                barrier.wait()
                results.append(post(bound, BIG, {"Content-Type": "application/json"})[0])

            threads = [threading.Thread(target=send) for _ in range(16)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            statuses += results
            after_rounds.append(rss_kib())
    assert len(statuses) == 64 and set(statuses) <= {422, 503}
    assert statuses.count(503) > 0 and statuses.count(422) >= 4
    with capsys.disabled():
        print(
            f"\n[memory] VmRSS before the rounds {before / 1024:.1f} MiB, after each round "
            + ", ".join(f"{kib / 1024:.1f}" for kib in after_rounds)
            + f" MiB; statuses 422: {statuses.count(422)}, 503: {statuses.count(503)}"
        )

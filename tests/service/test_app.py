"""`uvicorn --factory hembesok.service.app:create --workers 2`, started for real on loopback.

One server (two worker processes, configured as docs/deploy.md says) serves every check
here; its standard error is a file the checks read. A case carries marker values (an
identity number, a name, a query string) that must never reach a log line.
"""

import datetime as dt
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hembesok import plan_case
from hembesok.engine.engine import Engine

ROOT = Path(__file__).parents[2]
LOG_CONFIG = ROOT / "deploy" / "logging.json"
PNR = "191212121212"  # a test personnummer, planted in cases: never in a log line
NAME = "Hemlis Hemlissonsdotter"
QUERY_MARKER = "QUERYSECRET42"
ACCESS_FIELDS = {"time", "level", "logger", "pid", "message", "request_id", "method", "path"}
ACCESS_FIELDS |= {"status", "duration_ms", "bytes"}
UVICORN = (sys.executable, "-m", "uvicorn", "--factory", "hembesok.service.app:create")
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def wait_for(condition, seconds=60.0):
    deadline = time.monotonic() + seconds
    while True:
        try:
            if condition():
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def complete_lines(written: str) -> list[str]:
    """The lines a writer has finished: a worker may be half way through the last one."""
    return written[: written.rfind("\n") + 1].splitlines()


class Server:
    """uvicorn in a subprocess; `log()` is what it has written to standard error so far."""

    def __init__(self, tmp: Path, *options: str, env=None):
        # The free port is free when asked, not when uvicorn binds it: another process may
        # take it in between, so a start that finds it taken tries a new one.
        for attempt in range(3):
            self.port = free_port()
            self.stderr_path = tmp / f"stderr-{self.port}.log"
            command = [*UVICORN, "--host", "127.0.0.1", "--port", str(self.port), *options]
            with self.stderr_path.open("wb") as stderr:
                self.process = subprocess.Popen(
                    command,
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                    env={**os.environ, **(env or {})},
                    cwd=ROOT,
                )
            try:
                wait_for(self.ready)
                return
            except AssertionError:
                self.stop()
                if attempt == 2 or "address already in use" not in self.log().lower():
                    raise

    def ready(self):
        assert self.process.poll() is None, self.log()
        return request(self.port, "GET", "/readyz")[0] == 200

    def log(self):
        return self.stderr_path.read_text("utf-8")

    def lines(self):
        return [json.loads(line) for line in complete_lines(self.log())]

    def access_lines(self):
        return [e for e in self.lines() if e["logger"] == "hembesok.service.access"]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(
        tmp_path_factory.mktemp("uvicorn"),
        *("--workers", "2", "--http", "hembesok.service.app:h11", "--no-access-log"),
        *("--log-config", str(LOG_CONFIG), "--lifespan", "off", "--no-server-header"),
        env={"HEMBESOK_MAX_BODY_BYTES": "65536", "HEMBESOK_BODY_TIMEOUT": "5"},
    )
    yield running
    running.stop()


def marked_case():
    case = json.loads((ROOT / "examples" / "vaggeryd-first-child.json").read_text("utf-8"))
    system = "http://electronichealth.se/identifier/personnummer"
    case["child"]["identifier"] = {"system": system, "value": PNR}
    return case


JSON = {"content-type": "application/json"}


def test_two_workers_each_build_the_engine_once_and_serve_the_librarys_plan(server):
    case = marked_case()
    body = json.dumps(case).encode()
    for _ in range(4):
        status, headers, answer = request(
            server.port, "POST", "/v1/plan?as_of=2026-05-04", body, JSON
        )
        assert status == 200 and headers["content-type"] == "application/json"
        assert json.loads(answer) == plan_case(case, "2026-05-04", engine=Engine.from_installed())
    started = [e for e in server.lines() if e["logger"] == "hembesok.service.app"]
    assert len(started) == 2 and len({e["pid"] for e in started}) == 2
    assert server.process.pid not in {e["pid"] for e in started}  # the workers, not the parent
    assert all(
        "8 programs, body limit 65536 bytes, body timeout 5 s" in e["message"] for e in started
    )


def test_the_request_id_sent_is_echoed_and_one_is_made_when_none_or_a_bad_one_is_sent(server):
    status, headers, _ = request(server.port, "GET", "/livez", headers={"X-Request-ID": "abc-123"})
    assert status == 200 and headers["x-request-id"] == "abc-123"
    made = request(server.port, "GET", "/livez")[1]["x-request-id"]
    assert UUID4.fullmatch(made)
    for bad in ("a" * 129, "two words", "semi;colon", f"{PNR}\u00e5"):
        sent = bad.encode("utf-8").decode("latin-1")  # http.client sends headers as latin-1
        replaced = request(server.port, "GET", "/livez", headers={"X-Request-ID": sent})[1]
        assert UUID4.fullmatch(replaced["x-request-id"]), bad
    status, headers, body = request(
        server.port, "GET", "/nowhere", headers={"X-Request-ID": "r-404"}
    )
    assert (status, headers["x-request-id"], json.loads(body)["request_id"]) == (
        404,
        "r-404",
        "r-404",
    )
    wait_for(lambda: any(e["request_id"] == "r-404" for e in server.access_lines()), 10)
    [line] = [e for e in server.access_lines() if e["request_id"] == "r-404"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "-", 404)


def test_access_lines_are_json_with_their_fields_and_no_case_data(server):
    case = marked_case()
    case["secret_name"] = NAME  # not in the schema: 422, and the name must not be echoed
    body = json.dumps(case).encode()
    path = f"/v1/plan?as_of=2026-05-04&note={QUERY_MARKER}"
    status, headers, answer = request(
        server.port, "POST", path, body, {**JSON, "X-Request-ID": "r-422"}
    )
    assert status == 422 and json.loads(answer)["request_id"] == "r-422"
    assert headers["x-request-id"] == "r-422"
    assert NAME.encode() not in answer and PNR.encode() not in answer
    wait_for(lambda: any(e["request_id"] == "r-422" for e in server.access_lines()), 10)
    entries = server.lines()  # every line of standard error is one JSON object
    access = server.access_lines()
    assert access and all(set(e) == ACCESS_FIELDS for e in access)
    [line] = [e for e in access if e["request_id"] == "r-422"]
    assert (line["method"], line["path"], line["status"]) == ("POST", "/v1/plan", 422)
    assert line["bytes"] == len(answer) and line["duration_ms"] >= 0
    assert dt.datetime.fromisoformat(line["time"]).tzinfo is not None
    logged = server.log()
    for marker in (PNR, NAME, QUERY_MARKER, "as_of=", "Vaggeryd", "example-vaggeryd-1"):
        assert marker not in logged, marker
    assert not any("HTTP/1.1" in e["message"] for e in entries)  # uvicorn's own access line


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        self.links += [value for name, value in attrs if name in ("src", "href") and value]


def test_docs_load_swagger_ui_from_the_service_only(server):
    status, headers, page = request(server.port, "GET", "/docs")
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in headers["content-security-policy"]
    parser = Links()
    parser.feed(page.decode("utf-8"))
    assert len(parser.links) >= 4
    for link in parser.links:
        assert link.startswith("/") and not link.startswith("//"), link
    assert b"http" not in page
    media = {
        ".js": "text/javascript",
        ".css": "text/css",
        ".png": "image/png",
        ".json": "application/json",
    }
    for link in parser.links:
        status, headers, body = request(server.port, "GET", link)
        assert status == 200 and body, link
        assert headers["content-type"].startswith(media[Path(link).suffix]), link
    initializer = request(server.port, "GET", "/docs/swagger-initializer.js")[2]
    assert b'url: "/openapi.json"' in initializer and b"validatorUrl: null" in initializer
    assert b"http" not in initializer
    document = json.loads(request(server.port, "GET", "/openapi.json")[2])
    assert {"/livez", "/readyz", "/v1/plan"} <= set(document["paths"])


def test_liveness_and_readiness(server):
    status, _, body = request(server.port, "GET", "/livez")
    assert (status, json.loads(body)) == (200, {"status": "ok"})
    status, _, body = request(server.port, "GET", "/readyz")
    ready = json.loads(body)
    assert status == 200 and ready["status"] == "ready" and "vaggeryd" in ready["programs"]
    assert request(server.port, "GET", "/health")[0] == 200


def test_sigterm_stops_the_workers_and_the_parent_cleanly(server):
    workers = {e["pid"] for e in server.lines() if e["logger"] == "hembesok.service.app"}
    assert server.stop() == 0
    for pid in workers:
        assert (
            not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text()
        )
    assert "Traceback" not in server.log()


def test_a_bad_setting_stops_the_server_with_a_json_line_naming_it(tmp_path):
    port = free_port()
    stderr = tmp_path / "stderr.log"
    with stderr.open("wb") as out:
        process = subprocess.run(
            [*UVICORN, "--port", str(port), "--workers", "2", "--log-config", str(LOG_CONFIG)],
            stderr=out,
            env={**os.environ, "HEMBESOK_MAX_CONCURRENT": "lots"},
            timeout=60,
            cwd=ROOT,
        )
    # It stops rather than starting the worker again and again; uvicorn's parent exits 0
    # even so (uvicorn 0.54), so the log line is what tells (docs/deploy.md).
    entries = [json.loads(line) for line in stderr.read_text("utf-8").splitlines()]
    assert process.returncode is not None
    assert any("failed to start, stopping the parent process" in e["message"] for e in entries)
    assert any(
        e["level"] == "ERROR"
        and "HEMBESOK_MAX_CONCURRENT='lots': must be a whole number" in e["message"]
        for e in entries
    )


def test_without_a_log_config_the_access_lines_are_still_json_and_uvicorns_are_off(tmp_path):
    # As an operator might start it: no --log-config, uvicorn's access log not turned off.
    running = Server(tmp_path, "--workers", "1")
    try:
        request(running.port, "GET", f"/livez?{QUERY_MARKER}", headers={"X-Request-ID": "r-plain"})
        wait_for(lambda: any("r-plain" in line for line in complete_lines(running.log())), 10)
        ours = [json.loads(line) for line in complete_lines(running.log()) if "r-plain" in line]
        assert [(e["path"], e["status"]) for e in ours] == [("/livez", 200)]
        assert QUERY_MARKER not in running.log()
    finally:
        # One process: uvicorn shuts down, then dies of the signal it caught, as Python would.
        assert running.stop() in (0, -signal.SIGTERM)
    assert "Finished server process" in running.log()

"""`hembesok serve` as a real process: loopback, a free port named on stderr, clean stop."""

import http.client
import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from hembesok.service.server import is_loopback

START = "from hembesok.cli import run; run()"
CASE = (Path(__file__).parents[2] / "examples" / "vaggeryd-first-child.json").read_bytes()
SECRET = "SECRET-191212121212"


def started(*options):
    """`hembesok serve --port 0` with `options`, and the port it names on standard error."""
    proc = subprocess.Popen(
        [sys.executable, "-c", START, "serve", "--port", "0", *options],
        stderr=subprocess.PIPE,
        text=True,
    )
    line = proc.stderr.readline()
    match = re.search(r"serving on http://127\.0\.0\.1:(\d+) ", line)
    assert match, line
    return proc, int(match.group(1))


def request(port, method, path, body=None, headers=None):
    deadline = time.monotonic() + 30
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        except ConnectionRefusedError:
            assert time.monotonic() < deadline, "no answer from the service"
            time.sleep(0.1)
        finally:
            conn.close()


def test_serve_listens_on_loopback_names_its_port_and_stops_on_sigint():
    proc = subprocess.Popen(
        [sys.executable, "-c", START, "serve", "--port", "0", "--no-access-log"],
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stderr.readline()
        match = re.search(r"serving on http://127\.0\.0\.1:(\d+) ", line)
        assert match, line
        url = f"http://127.0.0.1:{match.group(1)}/health"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    health = json.loads(response.read())
                break
            except OSError:
                assert time.monotonic() < deadline, "no answer from the service"
                time.sleep(0.1)
        assert health["status"] == "ok"
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
        proc.stderr.close()
    assert proc.returncode == 0


def test_a_port_in_use_is_a_usage_error():
    from hembesok.service.server import listen

    taken = listen("127.0.0.1", 0)
    try:
        port = str(taken.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-c", START, "serve", "--port", port],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        taken.close()
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_without_the_server_extra_the_command_says_what_to_install():
    hide = "import sys; sys.modules['starlette'] = None; sys.modules['uvicorn'] = None; "
    result = subprocess.run(
        [sys.executable, "-c", hide + START, "serve", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 3
    assert "pip install 'hembesok[server]'" in result.stderr


def test_loopback_addresses():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0")
    assert not is_loopback("no such host.invalid")


def test_limits_are_options_and_the_access_log_never_holds_the_query_string():
    proc, port = started("--header-timeout", "1", "--body-timeout", "1", "--max-concurrent", "1")
    json_body = {"Content-Type": "application/json"}
    try:
        assert request(port, "GET", f"/health?case={SECRET}")[0] == 200
        assert request(port, "POST", f"/v1/plan?as_of={SECRET}", CASE, json_body)[0] == 400
        assert request(port, "POST", f"/v1/plan?program={SECRET}", CASE, json_body)[0] == 400
        assert request(port, "GET", f"/v1/{SECRET}")[0] == 404
        assert request(port, f"X{SECRET}", "/v1/plan")[0] == 405
        with socket.create_connection(("127.0.0.1", port), timeout=10) as slow:
            # --max-concurrent 1: a body that is slow to come holds the one slot ...
            slow.sendall(
                b"POST /v1/plan HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 100\r\n\r\n{"
            )
            time.sleep(0.2)
            status, headers, _ = request(port, "POST", "/v1/decide", CASE, json_body)
            assert status == 503 and headers["retry-after"] == "1"  # ... so the next is 503
            begun = time.monotonic()
            assert slow.recv(100).startswith(b"HTTP/1.1 408 ")  # --body-timeout 1
            assert time.monotonic() - begun < 2.5
        with socket.create_connection(("127.0.0.1", port), timeout=10) as idle:
            begun = time.monotonic()
            assert idle.recv(100) == b""  # --header-timeout 1: closed, nothing was asked
            assert time.monotonic() - begun < 2.5
    finally:
        proc.send_signal(signal.SIGINT)
        _, logged = proc.communicate(timeout=30)
    assert proc.returncode == 0
    for line in ("GET /health 200", "POST /v1/plan 400", "GET - 404", "- /v1/plan 405"):
        assert line in logged, logged
    assert "POST /v1/decide 503" in logged and "POST /v1/plan 408" in logged
    assert "SECRET" not in logged and "191212121212" not in logged

"""`hembesok serve` as a real process: loopback, a free port named on stderr, clean stop."""

import json
import re
import signal
import subprocess
import sys
import time
import urllib.request

from hembesok.service.server import is_loopback

START = "from hembesok.cli import run; run()"


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

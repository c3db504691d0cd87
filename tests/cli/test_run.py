"""The entry point: Ctrl-C ends any command with exit 130 and one line, never a traceback."""

from __future__ import annotations

import signal
import subprocess
import sys
import time


def test_ctrl_c_while_a_command_waits_for_input_exits_130_without_a_traceback():
    proc = subprocess.Popen(
        [sys.executable, "-c", "from hembesok.cli import run; run()", "plan", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)  # the command is reading standard input, which never ends
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    assert err.strip() == "hembesok: avbrutet / interrupted"
    assert "Traceback" not in err and out == ""

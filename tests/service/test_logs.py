"""JSON log lines: the named fields only, an exception by its type only."""

import json
import logging
from pathlib import Path

from hembesok.service.logs import ACCESS_FIELDS, JsonFormatter, log_config

ROOT = Path(__file__).parents[2]
SECRET = "191212121212"


def record(msg, *args, exc_info=None, **extra):
    made = logging.LogRecord(
        "hembesok.service.access", logging.INFO, "x.py", 1, msg, args, exc_info
    )
    made.__dict__.update(extra)
    return made


def test_a_line_holds_the_named_fields_and_nothing_else_a_record_carries():
    fields = dict(request_id="r1", method="POST", path="/v1/plan", status=200, duration_ms=1.5)
    line = JsonFormatter().format(
        record("%s %s %d", "POST", "/v1/plan", 200, **fields, bytes=9, case=SECRET)
    )
    entry = json.loads(line)
    assert set(entry) == {"time", "level", "logger", "pid", "message", *ACCESS_FIELDS}
    assert entry["message"] == "POST /v1/plan 200" and entry["bytes"] == 9
    assert SECRET not in line and "\n" not in line


def test_an_exception_is_written_by_its_type_only():
    try:
        raise ValueError(f"child {SECRET}")
    except ValueError:
        import sys

        line = JsonFormatter().format(record("internal error", exc_info=sys.exc_info()))
    entry = json.loads(line)
    assert entry["exception"] == "ValueError" and SECRET not in line and "Traceback" not in line


def test_the_deploy_log_config_is_the_one_hembesok_serve_uses():
    assert json.loads((ROOT / "deploy" / "logging.json").read_text("utf-8")) == log_config()
    quiet = log_config(access_log=False)["loggers"]["hembesok.service.access"]
    assert quiet == {"level": "WARNING"}
    assert log_config()["loggers"]["uvicorn.access"]["handlers"] == []

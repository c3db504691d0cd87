"""The service's logs as JSON lines: one object per record, of named fields only.

A log collector in a hospital reads one JSON object a line on standard error. The
formatter writes a fixed list of fields and nothing else a record carries: a record's
`extra` is written only for the names in `ACCESS_FIELDS`, and an exception only by its
type name, since its message or traceback might quote case data. The access log's own
messages hold the method and a served path, never a query string or a body
(`server._Guard`). The standard library is enough for this (docs/decisions/0026-*).

`log_config()` is the `logging.config.dictConfig` both `hembesok serve` and
`deploy/logging.json` (for `uvicorn --log-config`) use: uvicorn's own lines as JSON too,
uvicorn's access log off (its line has the query string).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any

#: The logger of one line per request (`server._Guard`).
ACCESS_LOGGER = "hembesok.service.access"
#: The parent of every logger of the service.
SERVICE_LOGGER = "hembesok.service"

#: The fields an access line adds to every record's `time`, `level`, `logger`, `pid` and
#: `message`, in this order.
ACCESS_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "bytes")

FORMATTER = f"{__name__}.JsonFormatter"


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON with the fields above; nothing else from the record."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        for name in ACCESS_FIELDS:
            value = record.__dict__.get(name)
            if value is not None:
                entry[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__  # never its message or traceback
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_config(level: str = "INFO", access_log: bool = True) -> dict[str, Any]:
    """The logging set-up of the service's processes: JSON lines on standard error."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": FORMATTER}},
        "handlers": {"stderr": handler},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": level, "propagate": False},
            "uvicorn.error": {"level": level},
            # uvicorn's access line holds the query string, which may hold case data.
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            SERVICE_LOGGER: {"handlers": ["stderr"], "level": level},
            ACCESS_LOGGER: {"level": "INFO" if access_log else "WARNING"},
        },
    }


def ensure_json_logs(access_log: bool) -> None:
    """Set the service's loggers up as `log_config` does unless a log config already did.

    For `uvicorn --factory` run without `--log-config`: the service's lines would otherwise
    go nowhere (uvicorn configures only its own loggers). Whatever the command line said,
    uvicorn's access logger is silenced: a protocol made after this finds no handler for it.
    """
    service = logging.getLogger(SERVICE_LOGGER)
    if not service.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        service.addHandler(handler)
        if service.level == logging.NOTSET:
            service.setLevel(logging.INFO)
    logging.getLogger(ACCESS_LOGGER).setLevel(logging.INFO if access_log else logging.WARNING)
    uvicorn_access = logging.getLogger("uvicorn.access")
    uvicorn_access.handlers.clear()
    uvicorn_access.propagate = False

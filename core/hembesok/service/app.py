"""The ASGI app factory for running the service under uvicorn with several worker processes.

    uvicorn --factory hembesok.service.app:create --workers 2 \\
        --http hembesok.service.app:h11 --no-access-log --log-config deploy/logging.json

uvicorn calls `create()` once in each worker process, with no arguments, so the engine is
built once per process (plugins loaded, program files validated, programs compiled) and
the settings come from HEMBESOK_* variables (`settings.ServiceSettings.from_env`;
docs/deploy.md). `server.create_app` stays the library's way, taking an engine and settings
as arguments. `h11` is uvicorn's h11 protocol with hembesok's header timeout, which
uvicorn has no option for (docs/decisions/0012-http-service.md); `--http` takes it by name.

A worker that cannot start (a bad variable, a plugin manager that cannot be built) writes
one JSON line saying why and exits with uvicorn's start-up failure status (3), on which
uvicorn stops rather than starting the worker again and again.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sys
from typing import Any, NoReturn

from hembesok.engine.engine import Engine
from hembesok.plugins.manager import PluginError
from hembesok.service.logs import SERVICE_LOGGER, ensure_json_logs
from hembesok.service.server import create_app, timed_protocol
from hembesok.service.settings import HEADER_TIMEOUT_VARIABLE, ServiceSettings, SettingError
from hembesok.version import __version__

#: uvicorn's exit status for a worker that failed before serving (uvicorn.config.STARTUP_FAILURE).
STARTUP_FAILURE = 3

log = logging.getLogger(f"{SERVICE_LOGGER}.app")


def create() -> Any:
    """The service's ASGI application, configured from the environment (`uvicorn --factory`)."""
    try:
        settings = ServiceSettings.from_env(os.environ)
    except SettingError as exc:
        ensure_json_logs(access_log=False)
        _fail(f"cannot start: {exc}")
    ensure_json_logs(settings.access_log)
    try:
        engine = Engine.from_installed(os.environ)
    except PluginError as exc:  # a plugin conflict: names plugins, never case data
        _fail(f"cannot start: plugin error: {exc}")
    for failure in engine.loaded.failures:
        log.warning("plugin %s (%s) failed to load", failure.name, failure.distribution)
    for error in engine.errors:
        log.warning("the program file of %s is invalid", error.distribution)
    log.info(
        "hembesok %s: %d programs, body limit %d bytes, body timeout %g s, header timeout %g s",
        __version__,
        len(engine.programs),
        settings.max_body_bytes,
        settings.body_timeout,
        settings.header_timeout,
    )
    return create_app(
        engine,
        max_body_bytes=settings.max_body_bytes,
        body_timeout=settings.body_timeout,
        max_concurrent=settings.max_concurrent,
    )


def _fail(message: str) -> NoReturn:
    log.error("%s", message)
    sys.exit(STARTUP_FAILURE)


def h11(**kwargs: Any) -> asyncio.Protocol:
    """uvicorn's h11 protocol with the header timeout of HEMBESOK_HEADER_TIMEOUT (`--http`).

    uvicorn makes one per connection; the class is made once per timeout.
    """
    written = os.environ.get(HEADER_TIMEOUT_VARIABLE, "")
    return _protocol(written)(**kwargs)


@functools.cache
def _protocol(written: str) -> type[asyncio.Protocol]:
    timeout = ServiceSettings.from_env({HEADER_TIMEOUT_VARIABLE: written}).header_timeout
    return timed_protocol(timeout)

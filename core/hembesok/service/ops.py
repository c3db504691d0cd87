"""Endpoints for the platform that runs the service: liveness and readiness.

`/livez` answers while the process can answer at all (a container's HEALTHCHECK, a
systemd watchdog script): restart it if this fails. `/readyz` answers 200 only when the
engine holds every program it was configured to: the worker's factory has built the engine,
every plugin loaded and every program file was valid; else 503, so that a load balancer
sends no requests to a worker that would plan without some programs (`hembesok serve`
itself still plans with the rest, and says so on standard error). `/health` stays as it was.

They are `routes.Endpoint`s like the others, so they are served and documented in the
OpenAPI document the same way; `server.create_app` adds them to whatever endpoints it serves.
"""

from __future__ import annotations

from typing import Any

from hembesok.service.routes import Call, Endpoint, HttpProblem


def _live(call: Call) -> dict[str, Any]:
    return {"status": "ok"}


def _ready(call: Call) -> dict[str, Any]:
    engine = call.engine
    missing = [
        *(f"plugin {f.name} ({f.distribution}) did not load" for f in engine.loaded.failures),
        *(f"the program file of {e.distribution} is invalid" for e in engine.errors),
    ]
    if not engine.programs:
        missing.append("no program is installed")
    if missing:
        raise HttpProblem(503, "Not ready", "; ".join(missing), "about:blank")
    return {"status": "ready", "programs": sorted(engine.programs)}


LIVEZ = Endpoint(
    "GET",
    "/livez",
    "livez",
    "Liveness: the process answers (restart it when this fails)",
    _live,
    response_schema={
        "type": "object",
        "required": ["status"],
        "properties": {"status": {"const": "ok"}},
    },
)

READYZ = Endpoint(
    "GET",
    "/readyz",
    "readyz",
    "Readiness: the engine is built with every configured plugin and program (else 503)",
    _ready,
    response_schema={
        "type": "object",
        "required": ["status", "programs"],
        "properties": {
            "status": {"const": "ready"},
            "programs": {"type": "array", "items": {"type": "string"}},
        },
    },
    errors=(503,),
)

#: What `server.create_app` serves besides the endpoints it is given.
OPS_ROUTES = (LIVEZ, READYZ)

"""The HTTP service (`hembesok serve`): the endpoints of `http_routes.ROUTES` on Starlette.

Needs the optional extra: pip install 'hembesok[server]'. The glue here is what every
endpoint shares: a body is read only up to the size limit (a larger one is refused with
413 before it is read, by its Content-Length or as it streams in), parsed as JSON with
located syntax errors, and every failure is answered as application/problem+json
(RFC 9457). No exception reaches a log with its message, since a message might hold
case data: an unexpected one is answered 500 and logged by its type name only.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import socket
from collections.abc import Callable, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from hembesok.engine.engine import Engine
from hembesok.io.documents import Document, DocumentError, parse_json
from hembesok.io.json_text import dumps
from hembesok.io.problems import InvalidDocument, Problem, from_document_error
from hembesok.render.problem_details import (
    INTERNAL_ERROR,
    INVALID_REQUEST,
    MEDIA_TYPE,
    invalid_case,
    problem,
)
from hembesok.service.openapi import openapi_document
from hembesok.service.routes import DEFAULT_MAX_BODY, ROUTES, Call, Endpoint, HttpProblem

BODY_NAME = "request body"

log = logging.getLogger("hembesok.service.server")


def create_app(
    engine: Engine,
    *,
    endpoints: Sequence[Endpoint] = ROUTES,
    max_body_bytes: int = DEFAULT_MAX_BODY,
    today: Callable[[], dt.date] = dt.date.today,
) -> Starlette:
    """The ASGI application serving `endpoints` and their OpenAPI document at /openapi.json."""
    document = dumps(openapi_document(endpoints))

    async def openapi(request: Request) -> Response:
        return Response(document, media_type="application/json")

    routes = [
        Route(e.path, _serve(e, engine, max_body_bytes, today), methods=[e.method])
        for e in endpoints
    ]
    routes.append(Route("/openapi.json", openapi, methods=["GET"]))
    return Starlette(routes=routes, exception_handlers={HTTPException: _http_exception})


def _serve(
    endpoint: Endpoint, engine: Engine, limit: int, today: Callable[[], dt.date]
) -> Callable[[Request], Any]:
    async def handle(request: Request) -> Response:
        try:
            body = await _read_json(request, limit) if endpoint.method == "POST" else None
            query = {key: request.query_params.getlist(key) for key in request.query_params}
            call = Call(engine, query, body, today())
            result = await run_in_threadpool(endpoint.handler, call)
        except HttpProblem as exc:
            return problem_response(exc.to_json())
        except InvalidDocument as exc:
            return problem_response(invalid_case(exc.problems, status=422))
        except Exception as exc:  # never let a message that may hold case data reach a log
            log.error(
                "internal error in %s %s: %s", endpoint.method, endpoint.path, type(exc).__name__
            )
            return problem_response(
                problem(
                    INTERNAL_ERROR,
                    "Internal error",
                    status=500,
                    detail=f"{type(exc).__name__}: a bug in hembesok; please report it",
                )
            )
        return Response(dumps(result), media_type="application/json")

    return handle


async def _read_json(request: Request, limit: int) -> Document:
    """The body as a JSON document, read no further than `limit` bytes."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media and media != "application/json" and not media.endswith("+json"):
        raise HttpProblem(415, "Unsupported media type", "send the body as application/json")
    too_large = HttpProblem(
        413, "Request body too large", f"the limit is {limit} bytes; send one case per request"
    )
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HttpProblem(400, "Invalid Content-Length")
        if int(declared) > limit:
            raise too_large  # refused before a byte of the body is read
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    raw = b"".join(chunks)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        found = [Problem(BODY_NAME, 1, exc.start + 1, "$", "is not UTF-8 text")]
        raise _malformed(found) from None
    try:
        return parse_json(text, BODY_NAME)
    except DocumentError as exc:
        raise _malformed([from_document_error(exc)]) from None


def _malformed(found: list[Problem]) -> HttpProblem:
    return HttpProblem(400, "Malformed JSON", "the body is not JSON", INVALID_REQUEST, found)


def problem_response(body: dict[str, Any]) -> Response:
    return Response(
        dumps(body),
        status_code=int(body.get("status", 500)),
        media_type=MEDIA_TYPE,
    )


async def _http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own 404 and 405, as problem documents."""
    assert isinstance(exc, HTTPException)
    titles = {404: "Not found", 405: "Method not allowed"}
    response = problem_response(
        problem(
            "about:blank",
            titles.get(exc.status_code, "HTTP error"),
            status=exc.status_code,
            detail=str(exc.detail) if exc.status_code not in titles else None,
        )
    )
    if exc.headers:
        response.headers.update(exc.headers)
    return response


def listen(host: str, port: int) -> socket.socket:
    """A listening socket on host:port (port 0: a free one); OSError when it cannot be had."""
    family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def serve(app: Starlette, sock: socket.socket, *, access_log: bool = True) -> None:
    """Serve `app` on `sock` with uvicorn until interrupted (Ctrl-C or SIGTERM)."""
    import uvicorn

    config = uvicorn.Config(
        app, lifespan="off", access_log=access_log, server_header=False, log_level="info"
    )
    uvicorn.Server(config).run(sockets=[sock])


def is_loopback(host: str) -> bool:
    try:
        return all(
            ipaddress.ip_address(info[4][0]).is_loopback
            for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        )
    except (OSError, ValueError):
        return False

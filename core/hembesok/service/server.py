"""The HTTP service (`hembesok serve`): the endpoints of `routes.ROUTES` on Starlette and uvicorn.

Needs the optional extra: pip install 'hembesok[server]'. The glue here is what every
endpoint shares, in the order a request meets it:

- the request's head must arrive within the header timeout (`serve`, in uvicorn's h11
  protocol: 408, or the connection is closed if nothing was sent) and be at most 16 KiB;
- a body must be sent as one of the endpoint's media types (else 415) and be no larger
  than the size limit (413, from its Content-Length before it is read, or as it streams);
- at most `max_concurrent` requests with a body are read and handled at once; one more is
  answered 503 with Retry-After at once, before its body is read;
- the body must arrive within the body timeout (408), and is parsed as JSON with located
  syntax errors (400);
- a client that goes away is logged as "client disconnected", not as an error.

Every request gets a request id (`request_ids`: the caller's `X-Request-ID` when it is a
plain token, else a new UUID4), echoed in the answer's `X-Request-ID` header, in a problem
document's `request_id` and in the access log line.

Every failure is answered as application/problem+json (RFC 9457). No exception reaches a
log with its message or a traceback, since a message might hold case data: an unexpected
one is answered 500 and logged by its type name only. The access log (`hembesok.service.access`)
writes one line per request when its answer is sent: request id, method, path, status,
duration and bytes, never the query string (`logs.JsonFormatter` writes it as JSON).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import http
import ipaddress
import logging
import socket
import time
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any

import anyio
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hembesok.api import Pipeline
from hembesok.engine.engine import Engine
from hembesok.io.documents import Document, DocumentError, parse_json
from hembesok.io.json_text import dumps
from hembesok.io.limits import (
    BODY_TIMEOUT_SECONDS,
    HEADER_TIMEOUT_SECONDS,
    KEEP_ALIVE_SECONDS,
    MAX_HEADER_BYTES,
    RETRY_AFTER_SECONDS,
    default_max_concurrent,
)
from hembesok.io.problems import InvalidDocument, Problem, from_document_error
from hembesok.render.problem_details import (
    INTERNAL_ERROR,
    INVALID_REQUEST,
    MEDIA_TYPE,
    invalid_case,
    problem,
)
from hembesok.service import swagger
from hembesok.service.logs import ACCESS_LOGGER, log_config
from hembesok.service.openapi import openapi_document
from hembesok.service.ops import OPS_ROUTES
from hembesok.service.request_ids import HEADER as REQUEST_ID_HEADER
from hembesok.service.request_ids import request_id
from hembesok.service.routes import (
    DEFAULT_MAX_BODY,
    JSON,
    ROUTES,
    Call,
    Endpoint,
    HttpProblem,
    Rendered,
)

if TYPE_CHECKING:
    import uvicorn

BODY_NAME = "request body"

log = logging.getLogger("hembesok.service.server")
#: One line per request: method, path, status. The one place requests are logged.
access = logging.getLogger(ACCESS_LOGGER)

#: Methods written as they are in a log line; any other is written "-".
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
#: Sent with every answer given before the body was read to its end: the connection is not
#: kept for another request, so what is left of the body need not be read.
_CLOSE = {"connection": "close"}
#: The status an access log line shows for a client that went away before its answer (nginx's).
CLIENT_CLOSED = 499


def create_app(
    engine: Engine,
    *,
    endpoints: Sequence[Endpoint] = ROUTES,
    max_body_bytes: int = DEFAULT_MAX_BODY,
    body_timeout: float = BODY_TIMEOUT_SECONDS,
    max_concurrent: int | None = None,
    today: Callable[[], dt.date] = dt.date.today,
) -> ASGIApp:
    """The ASGI application serving `endpoints`, /livez and /readyz (`ops.OPS_ROUTES`), their
    OpenAPI document at /openapi.json, and that document in Swagger UI at /docs.

    `max_concurrent` (default: twice the CPUs) bounds the requests with a body read and
    handled at once; `body_timeout` (seconds) bounds the time a body may take to arrive.
    """
    endpoints = (*endpoints, *(e for e in OPS_ROUTES if e not in endpoints))
    document = dumps(openapi_document(endpoints))
    slots = _Slots(max_concurrent if max_concurrent is not None else default_max_concurrent())
    limits = _Limits(max_body_bytes, body_timeout)
    pipeline = Pipeline(engine)  # one for the service: its writers prepare each program once

    async def openapi(request: Request) -> Response:
        return Response(document, media_type=JSON)

    routes = [
        Route(e.path, _serve(e, engine, limits, slots, today, pipeline), methods=[e.method])
        for e in endpoints
    ]
    routes.append(Route("/openapi.json", openapi, methods=["GET"]))
    routes.extend(_docs_routes())
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: _http_exception, Exception: _internal_error},
    )
    served = {e.path for e in endpoints} | {"/openapi.json"} | set(swagger.PATHS)
    return _Guard(app, served)


def _docs_routes() -> list[Route]:
    """/docs: Swagger UI from files on this machine, under a policy that lets it load no other."""
    headers = {"content-security-policy": swagger.CONTENT_SECURITY_POLICY}

    def page(path: str) -> Response:
        return Response(swagger.PAGE, media_type=swagger.HTML, headers=headers)

    def initializer(path: str) -> Response:
        return Response(swagger.INITIALIZER, media_type=swagger.JAVASCRIPT, headers=headers)

    def asset(path: str) -> Response:
        found = swagger.asset(path)
        if found is None:
            raise HttpProblem(
                501,
                "Swagger UI not installed",
                "/docs needs the docs extra: pip install 'hembesok[server,docs]'",
            )
        file, media = found
        return FileResponse(file, media_type=media, headers=headers)

    def route(path: str, answer: Callable[[str], Response]) -> Route:
        async def handle(request: Request) -> Response:
            try:
                return answer(path)  # the route's own path, never one the client wrote
            except HttpProblem as exc:
                rid = _request_id_of(request.scope)
                return problem_response(exc.to_json(), exc.headers, rid)

        return Route(path, handle, methods=["GET"])

    return [
        route(swagger.DOCS_PATH, page),
        route(swagger.INITIALIZER_PATH, initializer),
        *(route(path, asset) for path in swagger.ASSET_PATHS),
    ]


class _Limits:
    def __init__(self, max_body_bytes: int, body_timeout: float) -> None:
        self.max_body_bytes = max_body_bytes
        self.body_timeout = body_timeout


class _Slots:
    """At most `size` requests hold a slot at once.

    Taken and given back on the event loop's one thread, with no await in between the
    test and the count, so a plain counter is enough.
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("max_concurrent must be at least 1")
        self.size = size
        self.taken = 0

    def take(self) -> bool:
        if self.taken >= self.size:
            return False
        self.taken += 1
        return True

    def give(self) -> None:
        self.taken -= 1


def _serve(
    endpoint: Endpoint,
    engine: Engine,
    limits: _Limits,
    slots: _Slots,
    today: Callable[[], dt.date],
    pipeline: Pipeline | None = None,
) -> Callable[[Request], Awaitable[Response]]:
    has_body = endpoint.method == "POST"

    async def handle(request: Request) -> Response:
        holding = False
        read = not has_body  # the body has been read to its end
        try:
            body = None
            if has_body:
                _check_media_type(request, endpoint.media_types)
                _check_length(request, limits.max_body_bytes)
                holding = slots.take()
                if not holding:
                    raise HttpProblem(
                        503,
                        "Service busy",
                        f"{slots.size} requests are being handled; try again shortly",
                        "about:blank",
                        headers={"retry-after": str(RETRY_AFTER_SECONDS)},
                    )
                raw = await _read_body(request, limits)
                read = True
                body = _parse(raw)
            query = {key: request.query_params.getlist(key) for key in request.query_params}
            call = Call(engine, query, body, today(), pipeline)
            result = await run_in_threadpool(endpoint.handler, call)
        except ClientDisconnect:
            return _disconnected(request)
        except HttpProblem as exc:
            headers = exc.headers if read else {**exc.headers, **_CLOSE}
            return problem_response(exc.to_json(), headers, _request_id_of(request.scope))
        except InvalidDocument as exc:
            found = invalid_case(exc.problems, status=422)
            return problem_response(found, None, _request_id_of(request.scope))
        except Exception as exc:  # never let a message that may hold case data reach a log
            log.error("internal error in %s %s: %s", *_logged(request.scope), type(exc).__name__)
            closing = None if read else _CLOSE
            return problem_response(_internal_problem(exc), closing, _request_id_of(request.scope))
        finally:
            if holding:
                slots.give()
        if has_body and await request.is_disconnected():
            return _disconnected(request)
        if isinstance(result, Rendered):
            return Response(result.body, media_type=result.media_type)
        return Response(dumps(result), media_type=JSON)

    return handle


def _check_media_type(request: Request, accepted: Collection[str]) -> None:
    """415 unless the Content-Type is an accepted media type, with at most `charset=utf-8`."""
    if not media_type_accepted(request.headers.get("content-type"), accepted):
        raise HttpProblem(
            415,
            "Unsupported media type",
            f"send the body as {' or '.join(sorted(accepted))} (charset utf-8)",
        )


def media_type_accepted(header: str | None, accepted: Collection[str]) -> bool:
    """Whether a Content-Type header names one of `accepted`, with no parameter but charset=utf-8."""
    if header is None:
        return False
    media, *parameters = header.split(";")
    if media.strip().lower() not in accepted:
        return False
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        if name.strip().lower() != "charset" or value.strip().strip('"').lower() != "utf-8":
            return False
    return True


def _check_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared is None:
        return
    if not declared.isdigit():
        raise HttpProblem(400, "Invalid Content-Length")
    if int(declared) > limit:
        raise _too_large(limit)  # refused before a byte of the body is read


def _too_large(limit: int) -> HttpProblem:
    return HttpProblem(
        413, "Request body too large", f"the limit is {limit} bytes; send one case per request"
    )


async def _read_body(request: Request, limits: _Limits) -> bytes:
    """The body, read no further than the size limit and for no longer than the body timeout."""
    chunks: list[bytes] = []
    size = 0
    try:
        with anyio.fail_after(limits.body_timeout):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limits.max_body_bytes:
                    raise _too_large(limits.max_body_bytes)
                chunks.append(chunk)
    except TimeoutError:
        raise HttpProblem(
            408,
            "Request body too slow",
            f"the body must arrive within {limits.body_timeout:g} s of the request's head",
        ) from None
    return b"".join(chunks)


def _parse(raw: bytes) -> Document:
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


def _disconnected(request: Request) -> Response:
    """What to do when the client went away: say so in the log; the answer reaches no one."""
    log.info("client disconnected: %s %s", *_logged(request.scope))
    return problem_response(
        problem("about:blank", "Client closed request", status=CLIENT_CLOSED),
        _CLOSE,
        _request_id_of(request.scope),
    )


def _internal_problem(exc: BaseException) -> dict[str, Any]:
    return problem(
        INTERNAL_ERROR,
        "Internal error",
        status=500,
        detail=f"{type(exc).__name__}: a bug in hembesok; please report it",
    )


def problem_response(
    body: dict[str, Any], headers: dict[str, str] | None = None, request_id: str | None = None
) -> Response:
    """A problem document as an answer; with the request's id as its `request_id` if given."""
    if request_id is not None:
        body = {**body, "request_id": request_id}
    return Response(
        dumps(body),
        status_code=int(body.get("status", 500)),
        headers=headers,
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
        ),
        request_id=_request_id_of(request.scope),
    )
    if exc.headers:
        response.headers.update(exc.headers)
    if "content-length" in request.headers or "transfer-encoding" in request.headers:
        response.headers.update(_CLOSE)  # its body was not read: do not wait for the rest
    return response


async def _internal_error(request: Request, exc: Exception) -> Response:
    """An exception outside an endpoint's handler, as a 500 problem document.

    Starlette raises it again after this answer is sent; `_Guard` logs it by its type.
    """
    return problem_response(_internal_problem(exc), _CLOSE, _request_id_of(request.scope))


def _request_id_of(scope: Scope) -> str | None:
    """The id `_Guard` gave the request (in the scope's per-request `state`)."""
    found = scope.get("state", {}).get("request_id")
    return found if isinstance(found, str) else None


def _logged(scope: Scope, paths: Collection[str] = ()) -> tuple[str, str]:
    """The method and path as a log line may show them: never the query string.

    A path the service does not serve is written "-", as is a method outside the usual
    ones: a client might put anything there, case data included.
    """
    method = scope.get("method", "-")
    path = scope.get("path", "-")
    if paths and path not in paths:
        path = "-"
    return (method if method in _METHODS else "-"), path


class _Guard:
    """The outermost layer: the request id, the access log line, and no exception past it
    into uvicorn's log."""

    def __init__(self, app: ASGIApp, paths: Collection[str]) -> None:
        self.app = app
        self.paths = frozenset(paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        method, path = _logged(scope, self.paths)
        sent_id = next((v for k, v in scope.get("headers", ()) if k == REQUEST_ID_HEADER), None)
        rid = request_id(sent_id)
        scope = {**scope, "state": {**scope.get("state", {}), "request_id": rid}}
        echoed = (REQUEST_ID_HEADER, rid.encode("ascii"))
        status = 0
        size = 0

        async def logged_send(message: Message) -> None:
            nonlocal status, size
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", ()) if k != REQUEST_ID_HEADER]
                message = {**message, "headers": [*headers, echoed]}
            elif message["type"] == "http.response.body":
                size += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, logged_send)
        except Exception as exc:  # by its type only: the message might hold case data
            log.error("internal error in %s %s: %s", method, path, type(exc).__name__)
            if not status:
                response = problem_response(_internal_problem(exc), _CLOSE, rid)
                try:
                    await response(scope, receive, logged_send)
                except Exception as again:
                    log.error("cannot answer %s %s: %s", method, path, type(again).__name__)
        finally:
            if access.isEnabledFor(logging.INFO):
                fields = {
                    "request_id": rid,
                    "method": method,
                    "path": path,
                    "status": status or CLIENT_CLOSED,
                    "duration_ms": round((time.perf_counter() - began) * 1000, 1),
                    "bytes": size,
                }
                access.info("%s %s %d", method, path, fields["status"], extra=fields)


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


def server_config(
    app: ASGIApp,
    *,
    header_timeout: float = HEADER_TIMEOUT_SECONDS,
    access_log: bool = True,
    log_level: str = "info",
) -> uvicorn.Config:
    """uvicorn's configuration for `app`: h11 with a header timeout, hembesok's own access log."""
    import uvicorn

    return uvicorn.Config(
        app,
        http=timed_protocol(header_timeout),
        lifespan="off",
        access_log=False,  # uvicorn's would write the query string; the app logs instead
        server_header=False,
        log_level=log_level,
        log_config=log_config(log_level.upper(), access_log),
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
    )


def serve(
    app: ASGIApp,
    sock: socket.socket,
    *,
    header_timeout: float = HEADER_TIMEOUT_SECONDS,
    access_log: bool = True,
) -> None:
    """Serve `app` on `sock` with uvicorn until interrupted (Ctrl-C or SIGTERM)."""
    import uvicorn

    config = server_config(app, header_timeout=header_timeout, access_log=access_log)
    uvicorn.Server(config).run(sockets=[sock])


def timed_protocol(header_timeout: float) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with a deadline for each request's head (request line and headers).

    uvicorn bounds the time an idle connection is kept between requests, but once a byte
    arrives it waits for the rest of the head for ever, and a new connection that sends
    nothing is kept for ever. Here a deadline is set when a connection opens and again when
    an answer has been sent, and lifted when the application is called (the head is
    complete). When it passes, a client that sent part of a head is answered 408 and the
    connection closed; one that sent nothing is closed. It uses only what an
    `asyncio.Protocol` is given and the application uvicorn's protocol calls. h11 (not
    httptools) is chosen so that the head's size limit (`h11_max_incomplete_event_size`)
    holds too.
    """
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class TimedH11Protocol(H11Protocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.access_log = False  # uvicorn's line has the query string; the app logs instead
            self.head_deadline: asyncio.TimerHandle | None = None
            self.head_started = False  # a byte of the awaited head has arrived
            self.running = 0  # requests in the application
            inner = self.app

            async def app(scope: Any, receive: Any, send: Any) -> None:
                self.running += 1
                self._lift()
                try:
                    await inner(scope, receive, send)
                finally:
                    self.running -= 1
                    if self.running == 0:
                        self._set()

            self.app = app

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._set()

        def data_received(self, data: bytes) -> None:
            if self.head_deadline is not None:
                self.head_started = True
            super().data_received(data)

        def connection_lost(self, exc: Exception | None) -> None:
            self._lift()
            super().connection_lost(exc)

        def send_400_response(self, msg: str) -> None:
            """A head h11 cannot read (or over the size limit): a problem document, not text."""
            self._lift()
            self.transport.write(
                _raw_problem(
                    400,
                    "Invalid HTTP request",
                    "the request line or headers are malformed or too large",
                )
            )
            self.transport.close()

        def _set(self) -> None:
            self._lift()
            self.head_started = False
            if not self.transport.is_closing():
                self.head_deadline = self.loop.call_later(header_timeout, self._expire)

        def _lift(self) -> None:
            if self.head_deadline is not None:
                self.head_deadline.cancel()
                self.head_deadline = None

        def _expire(self) -> None:
            self.head_deadline = None
            if self.transport.is_closing():
                return
            if self.head_started:
                log.info(
                    "header timeout: request head not received within %g s (408)", header_timeout
                )
                self.transport.write(
                    _raw_problem(
                        408,
                        "Request head too slow",
                        f"the request line and headers must arrive within {header_timeout:g} s",
                    )
                )
            self.transport.close()

    return TimedH11Protocol


def _raw_problem(status: int, title: str, detail: str) -> bytes:
    """A whole HTTP/1.1 answer holding a problem document, for a connection about to close."""
    body = dumps(problem(INVALID_REQUEST, title, status=status, detail=detail))
    head = (
        f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}\r\n"
        f"content-type: {MEDIA_TYPE}\r\ncontent-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("ascii") + body


def is_loopback(host: str) -> bool:
    try:
        return all(
            ipaddress.ip_address(info[4][0]).is_loopback
            for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        )
    except (OSError, ValueError):
        return False

"""The HTTP service as an ASGI application called in this process, with no server and no
socket: a request goes in as the ASGI messages a server would send, the answer comes back
as (status, headers, body)."""

import asyncio
import datetime as dt

from hembesok.service.server import create_app

from .markers import ENGINE

LIMIT = 64 * 1024
JSON = {"content-type": "application/json"}


def app(engine=ENGINE, **options):
    return create_app(engine, max_body_bytes=LIMIT, today=lambda: dt.date(2026, 5, 4), **options)


APP = app()


def call(application, method, target, body=b"", headers=None, chunks=None, then=None):
    """One request through an ASGI application: (status, headers, body).

    The body arrives as `chunks` (default: `body` at once); `then` is what the client does
    after the last chunk: nothing more (None, the connection waits) or go away.
    """
    path, _, query = target.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("utf-8"),
        "query_string": query.encode("latin-1"),
        "root_path": "",
        "headers": [
            (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    parts = chunks if chunks is not None else [body]
    messages = [
        {"type": "http.request", "body": part, "more_body": i < len(parts) - 1 or then == "wait"}
        for i, part in enumerate(parts)
    ]
    if then == "go away":
        messages[-1]["more_body"] = True
        messages.append({"type": "http.disconnect"})
    sent = []

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()  # a client that sends nothing more

    async def send(message):
        sent.append(message)

    asyncio.run(application(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    answer = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    shown_headers = "\n".join(f"{k.decode()}: {v.decode('latin-1')}" for k, v in start["headers"])
    return start["status"], shown_headers, answer

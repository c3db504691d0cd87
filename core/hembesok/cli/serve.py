"""`hembesok serve`: the HTTP service on loopback (needs pip install 'hembesok[server]')."""

from __future__ import annotations

import contextlib
import signal

import click

from hembesok.cli.common import EXIT_PLUGINS, EXIT_USAGE, Failure
from hembesok.cli.common import engine as engine_
from hembesok.cli.listing import ListedCommand, Listing
from hembesok.io.limits import BODY_TIMEOUT_SECONDS, HEADER_TIMEOUT_SECONDS, MAX_BODY_BYTES

_SECONDS = click.FloatRange(0, min_open=True)


def endpoints() -> Listing:
    """Every endpoint the service answers, from the registry it serves (read only when
    this help is shown: the registry imports the engine)."""
    from hembesok.service.ops import OPS_ROUTES
    from hembesok.service.routes import ROUTES

    rows = [(f"{e.method} {e.path}", e.summary) for e in (*ROUTES, *OPS_ROUTES)]
    rows.append(("GET /openapi.json", "The OpenAPI document of these endpoints"))
    rows.append(("GET /docs", "That document in Swagger UI, from local files (extra docs)"))
    return "Endpoints", rows


@click.command(
    cls=ListedCommand,
    listing=endpoints,
    short_help="Serve plans, decisions and screening over HTTP.",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on; 0 picks a free one (the line on standard error names it).",
)
@click.option(
    "--max-body-bytes",
    type=click.IntRange(1),
    default=MAX_BODY_BYTES,
    show_default=True,
    help="Larger request bodies are refused with 413 before they are read.",
)
@click.option(
    "--header-timeout",
    type=_SECONDS,
    default=HEADER_TIMEOUT_SECONDS,
    show_default=True,
    metavar="SECONDS",
    help="A request line and headers must arrive within this time (from the connection "
    "opening or the previous answer), else 408 and the connection is closed.",
)
@click.option(
    "--body-timeout",
    type=_SECONDS,
    default=BODY_TIMEOUT_SECONDS,
    show_default=True,
    metavar="SECONDS",
    help="A request body must arrive within this time once its headers are in, else 408.",
)
@click.option(
    "--max-concurrent",
    type=click.IntRange(1),
    default=None,
    show_default="twice the CPUs",
    metavar="N",
    help="Requests with a body read and handled at once; one more is answered 503 with "
    "Retry-After at once, before its body is read.",
)
@click.option(
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    help="Log each request: method, path and status (never the query string or a body).",
)
def serve(
    host: str,
    port: int,
    max_body_bytes: int,
    header_timeout: float,
    body_timeout: float,
    max_concurrent: int | None,
    access_log: bool,
) -> None:
    """Serve the HTTP service (needs pip install 'hembesok[server]'): the endpoints below.

    Listens on loopback unless --host says otherwise. The service has no authentication
    or TLS of its own: put it behind the journal system's gateway if it must leave the host.
    """

    try:
        from hembesok.service.server import create_app, is_loopback, listen
        from hembesok.service.server import serve as run_server
    except ImportError:
        raise Failure(
            "hembesok: the HTTP service needs the server extra: pip install 'hembesok[server]'",
            EXIT_PLUGINS,
        ) from None
    engine = engine_()
    app = create_app(
        engine,
        max_body_bytes=max_body_bytes,
        body_timeout=body_timeout,
        max_concurrent=max_concurrent,
    )
    try:
        sock = listen(host, port)
    except OSError as exc:
        raise Failure(
            f"hembesok: cannot listen on {host}:{port}: {exc.strerror or type(exc).__name__}",
            EXIT_USAGE,
        ) from None
    bound = sock.getsockname()[1]
    if not is_loopback(host):
        click.echo(
            f"hembesok: warning: listening on {host}, not loopback; the service has no "
            "authentication or TLS of its own",
            err=True,
        )
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"hembesok: serving on http://{shown}:{bound} (Ctrl-C stops)", err=True)
    # Ctrl-C is the way to stop the service, not an interruption: uvicorn stops, then
    # passes the signal on to the handler it found, here Python's own.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with contextlib.suppress(KeyboardInterrupt):
        run_server(app, sock, header_timeout=header_timeout, access_log=access_log)
    click.echo("hembesok: stopped", err=True)

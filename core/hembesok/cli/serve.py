"""`hembesok serve`: the HTTP service on loopback (needs pip install 'hembesok[server]')."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import click

from hembesok.io.limits import MAX_BODY_BYTES

if TYPE_CHECKING:
    pass

from hembesok.cli.common import EXIT_PLUGINS, EXIT_USAGE, Failure
from hembesok.cli.common import engine as engine_


@click.command()
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
    "--access-log/--no-access-log",
    default=True,
    show_default=True,
    help="Log each request line (method, path, query, status; never a body).",
)
def serve(host: str, port: int, max_body_bytes: int, access_log: bool) -> None:
    """Serve POST /v1/plan, GET /v1/programs, GET /health and GET /openapi.json over HTTP.

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
    app = create_app(engine, max_body_bytes=max_body_bytes)
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
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn stops, then passes the Ctrl-C on
        run_server(app, sock, access_log=access_log)
    click.echo("hembesok: stopped", err=True)

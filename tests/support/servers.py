"""The service in a thread on a free loopback port, configured as `hembesok serve` does.

One helper for every test that talks to a real uvicorn over a socket; the tests reach it
through the `serving` fixture (tests/conftest.py).
"""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from hembesok.service.server import listen, server_config


@contextmanager
def running(app: Any, **options: Any) -> Iterator[int]:
    """Serve `app` (with `server_config`'s `options`) until the block ends; yields the port."""
    sock = listen("127.0.0.1", 0)  # bound here: no other process can take the port first
    server = uvicorn.Server(server_config(app, **options))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=20)
        sock.close()

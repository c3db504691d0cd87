"""What the renderers' tests share: the installed engine, the example cases, and the HTTP
service started for real on a loopback port, to fetch a plan in a format over HTTP."""

import datetime as dt
import functools
import http.client
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hembesok.engine.engine import Engine

ROOT = Path(__file__).parents[2]
#: Every example that is a case (the others are questionnaire responses and their history).
CASE_EXAMPLES = tuple(
    sorted(p for p in (ROOT / "examples").glob("*.json") if "child" in json.loads(p.read_text()))
)

PlanOverHttp = Callable[[bytes, str], tuple[int, str, bytes]]


@pytest.fixture(scope="session")
def installed_engine() -> Engine:
    return Engine.from_installed(env={})


@pytest.fixture(scope="module")
def plan_over_http(installed_engine: Engine, serving: Any) -> Iterator[PlanOverHttp]:
    """POST /v1/plan?format=… to a real server on 127.0.0.1 (as of 2026-05-04): (status,
    Content-Type, body)."""
    from hembesok.service.server import create_app

    app = create_app(installed_engine, max_body_bytes=64 * 1024, today=lambda: dt.date(2026, 5, 4))

    def post(port: int, case: bytes, fmt: str) -> tuple[int, str, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(
                "POST",
                f"/v1/plan?as_of=2026-05-04&format={fmt}",
                body=case,
                headers={"Content-Type": "application/json"},
            )
            response = conn.getresponse()
            return response.status, response.getheader("content-type") or "", response.read()
        finally:
            conn.close()

    with serving(app) as port:
        yield functools.partial(post, port)

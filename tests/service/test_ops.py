"""Liveness and readiness: ready only with every configured plugin and program."""

import datetime as dt

import pytest

from hembesok.engine.engine import Engine
from hembesok.plugins.manager import LoadFailure
from hembesok.service.ops import LIVEZ, READYZ
from hembesok.service.routes import Call, HttpProblem


def call(engine):
    return Call(engine, {}, None, dt.date(2026, 5, 4))


def test_ready_with_the_installed_programs_and_live_always():
    engine = Engine.from_installed(env={})
    assert READYZ.handler(call(engine)) == {"status": "ready", "programs": sorted(engine.programs)}
    assert LIVEZ.handler(call(Engine.from_modules([]))) == {"status": "ok"}


def test_not_ready_without_programs_or_with_a_plugin_that_failed():
    with pytest.raises(HttpProblem) as caught:
        READYZ.handler(call(Engine.from_modules([])))
    assert caught.value.status == 503 and "no program is installed" in caught.value.detail
    engine = Engine.from_installed(env={})
    engine.loaded.failures.append(LoadFailure("broken", "hembesok-broken", "ImportError: x"))
    with pytest.raises(HttpProblem) as caught:
        READYZ.handler(call(engine))
    assert caught.value.detail == "plugin broken (hembesok-broken) did not load"

"""Every privacy test runs as a user would: without HEMBESOK_DEBUG (which shows tracebacks
on purpose) and with every log record, down to DEBUG, captured for inspection."""

import io
import logging
import signal
import sys

import pytest

from hembesok import cli
from hembesok.engine.engine import Engine

from .markers import ENGINE, logged


@pytest.fixture(autouse=True)
def default_environment(monkeypatch):
    for name in ("HEMBESOK_DEBUG", "HEMBESOK_TRACE_HOOKS", "HEMBESOK_PLUGINS_SEE_IDENTIFIERS"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def logs(caplog):
    """Every logger, hembesok's included, at DEBUG."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="hembesok")
    return caplog


class Ran:
    """What a user sees of one command: its exit code and both streams; and what an
    operator sees: the log records it wrote."""

    def __init__(self, code, out, err, log):
        self.code, self.out, self.err, self.log = code, out, err, log

    def __repr__(self):
        return f"Ran(code={self.code}, out={self.out[:500]!r}, err={self.err[:500]!r})"


@pytest.fixture
def hembesok(monkeypatch, capsys, logs):
    """Run the `hembesok` command as its entry point does (exit 4 and no traceback for a
    bug), with standard input given as bytes; the installed engine is built once."""
    monkeypatch.setattr(Engine, "from_installed", classmethod(lambda cls, env=None: ENGINE))

    def run(*args, stdin=b""):
        monkeypatch.setattr(sys, "argv", ["hembesok", *map(str, args)])
        stream = io.TextIOWrapper(io.BufferedReader(io.BytesIO(stdin)), encoding="utf-8")
        monkeypatch.setattr(sys, "stdin", stream)
        previous = signal.getsignal(signal.SIGINT)
        try:
            with pytest.raises(SystemExit) as info:
                cli.run()
        finally:
            signal.signal(signal.SIGINT, previous)
        out, err = capsys.readouterr()
        code = info.value.code
        log = logged(logs)
        logs.clear()
        return Ran(0 if code is None else code, out, err, log)

    return run


@pytest.fixture(scope="session")
def _files_root(tmp_path_factory):
    return tmp_path_factory.mktemp("privacy")


_numbers = iter(range(1, 1_000_000))


@pytest.fixture
def files(_files_root):
    """A fresh directory for a test's files (tmp_path's own bookkeeping, times a thousand
    tests, would take longer than the tests)."""
    path = _files_root / str(next(_numbers))
    path.mkdir()
    return path

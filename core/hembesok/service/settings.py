"""The service's settings from HEMBESOK_* environment variables, for the ASGI app factory.

`uvicorn --factory hembesok.service.app:create` passes the factory no arguments, and each
worker process calls it afresh, so what `hembesok serve` takes as options the factory reads
from the environment (docs/deploy.md lists the variables). A value that is not right is
named with what would be right, and the worker does not start. Which plugins are loaded
is the engine's own business (HEMBESOK_LOAD_PLUGINS, HEMBESOK_DISABLED_PLUGINS).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from hembesok.io.limits import BODY_TIMEOUT_SECONDS, HEADER_TIMEOUT_SECONDS, MAX_BODY_BYTES

MAX_BODY_BYTES_VARIABLE = "HEMBESOK_MAX_BODY_BYTES"
BODY_TIMEOUT_VARIABLE = "HEMBESOK_BODY_TIMEOUT"
HEADER_TIMEOUT_VARIABLE = "HEMBESOK_HEADER_TIMEOUT"
MAX_CONCURRENT_VARIABLE = "HEMBESOK_MAX_CONCURRENT"
ACCESS_LOG_VARIABLE = "HEMBESOK_ACCESS_LOG"

#: Every variable the factory reads, in the order docs/deploy.md lists them.
VARIABLES = (
    MAX_BODY_BYTES_VARIABLE,
    BODY_TIMEOUT_VARIABLE,
    HEADER_TIMEOUT_VARIABLE,
    MAX_CONCURRENT_VARIABLE,
    ACCESS_LOG_VARIABLE,
)

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})

T = TypeVar("T")


class SettingError(ValueError):
    """A HEMBESOK_* variable whose value is not right; the message says what would be."""


@dataclass(frozen=True)
class ServiceSettings:
    """What `hembesok serve` takes as options; `max_concurrent` None: twice the CPUs."""

    max_body_bytes: int = MAX_BODY_BYTES
    body_timeout: float = BODY_TIMEOUT_SECONDS
    header_timeout: float = HEADER_TIMEOUT_SECONDS
    max_concurrent: int | None = None
    access_log: bool = True

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> ServiceSettings:
        """The settings `env` gives, the defaults for a variable unset or empty."""
        return cls(
            max_body_bytes=_read(env, MAX_BODY_BYTES_VARIABLE, _count, MAX_BODY_BYTES),
            body_timeout=_read(env, BODY_TIMEOUT_VARIABLE, _seconds, BODY_TIMEOUT_SECONDS),
            header_timeout=_read(env, HEADER_TIMEOUT_VARIABLE, _seconds, HEADER_TIMEOUT_SECONDS),
            max_concurrent=_read(env, MAX_CONCURRENT_VARIABLE, _count, None),
            access_log=_read(env, ACCESS_LOG_VARIABLE, _switch, True),
        )

    def to_env(self) -> dict[str, str]:
        """The variables that give these settings (for worker processes started elsewhere)."""
        env = {
            MAX_BODY_BYTES_VARIABLE: str(self.max_body_bytes),
            BODY_TIMEOUT_VARIABLE: repr(self.body_timeout),
            HEADER_TIMEOUT_VARIABLE: repr(self.header_timeout),
            ACCESS_LOG_VARIABLE: "1" if self.access_log else "0",
        }
        if self.max_concurrent is not None:
            env[MAX_CONCURRENT_VARIABLE] = str(self.max_concurrent)
        return env


def _read(env: Mapping[str, str], name: str, parse: Callable[[str], T], default: T) -> T:
    written = env.get(name, "").strip()
    if not written:
        return default
    try:
        return parse(written)
    except ValueError as exc:
        # The value is the operator's configuration, not case data: it may be shown.
        raise SettingError(f"{name}={written!r}: {exc}") from None


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise ValueError("must be a whole number, 1 or more")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value > 0 or value == float("inf"):
        raise ValueError("must be a number of seconds above 0, such as 10 or 2.5")
    return value


def _switch(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("must be 1 or 0 (also true/false, yes/no, on/off)")

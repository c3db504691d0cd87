"""Finding and loading plugins: entry points, allow/block lists, failures, conflicts.

No plugin manager exists at import time; `make_plugin_manager()` builds one each
call, so tests and embedding applications get independent engines. The built-in
declarative plugin is registered the same way an installed one is.

Environment:
  HEMBESOK_LOAD_PLUGINS      comma-separated allow-list of entry-point names
                             (set but empty: load no installed plugin)
  HEMBESOK_DISABLED_PLUGINS  comma-separated block-list of entry-point names
  HEMBESOK_HOOK_SECONDS      how long one plugin hook call may take (default 2); a plugin
                             that overruns, raises or answers wrongly fails only the
                             programs it answers for
  HEMBESOK_PLUGINS_SEE_IDENTIFIERS=1
                             give plugins the child's identity number (by default they
                             never see it)
  HEMBESOK_TRACE_HOOKS=1     plan through the hooks and write each call (hook, plugins,
                             duration; never the arguments, which hold case data) to
                             standard error
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from types import ModuleType
from typing import Any, TextIO

import pluggy

from hembesok.plugins import declarative, hookspecs

ENTRY_POINT_GROUP = "hembesok"
BUILTIN_NAME = "hembesok.declarative"


class PluginError(Exception):
    """A plugin set that cannot work: a misspelt hook, or two plugins claiming one id."""


@dataclass(frozen=True)
class PluginInfo:
    name: str
    distribution: str
    version: str
    module: str
    builtin: bool = False
    hooks: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoadFailure:
    name: str
    distribution: str
    error: str  # exception type and message of the import failure


@dataclass
class LoadedPlugins:
    manager: pluggy.PluginManager
    plugins: list[PluginInfo] = field(default_factory=list)
    failures: list[LoadFailure] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    #: HEMBESOK_TRACE_HOOKS is set: every program is planned through the hooks, so that
    #: each call can be written out (otherwise only plugins that answer are called).
    traced: bool = False
    #: HEMBESOK_PLUGINS_SEE_IDENTIFIERS=1: plugins are given the child's identity number.
    identifiers: bool = False
    #: HEMBESOK_HOOK_SECONDS: how long one hook call may take before its plugin is failed.
    hook_seconds: float = 2.0

    def distribution_of(self, plugin: object) -> str:
        name = self.manager.get_name(plugin)
        for info in self.plugins:
            if info.name == name:
                return info.distribution
        return name or "?"


def _names(value: str | None) -> set[str] | None:
    if value is None:
        return None
    return {part.strip() for part in value.split(",") if part.strip()}


def make_plugin_manager(
    *,
    modules: Sequence[ModuleType | object] | None = None,
    env: Mapping[str, str] | None = None,
    entry_points: Callable[[], Sequence[metadata.EntryPoint]] | None = None,
    trace_to: TextIO | None = None,
) -> LoadedPlugins:
    """A fresh plugin manager with the built-in plugin and the installed (or given) plugins.

    `modules` replaces entry-point discovery with an explicit list (for embedding and
    tests); `env` defaults to os.environ.
    """
    env = os.environ if env is None else env
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    loaded = LoadedPlugins(pm)
    pm.register(declarative, name=BUILTIN_NAME)
    loaded.plugins.append(
        _info(pm, declarative, BUILTIN_NAME, "hembesok", _core_version(), builtin=True)
    )

    if modules is not None:
        for module in modules:
            name = getattr(module, "__name__", repr(module))
            pm.register(module, name=name)
            loaded.plugins.append(_info(pm, module, name, name, "", builtin=False))
    else:
        _load_entry_points(loaded, env, entry_points or _installed_entry_points)

    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        raise PluginError(
            f"{exc}. Hook names start with 'hembesok_'; see docs/hooks.md for the list."
        ) from None

    loaded.identifiers = env.get("HEMBESOK_PLUGINS_SEE_IDENTIFIERS", "") not in ("", "0")
    loaded.hook_seconds = _seconds(env.get("HEMBESOK_HOOK_SECONDS"))
    if env.get("HEMBESOK_TRACE_HOOKS", "") not in ("", "0"):
        _enable_trace(pm, trace_to or sys.stderr)
        loaded.traced = True
    return loaded


def _seconds(value: str | None) -> float:
    """A time budget in seconds (default 2); a value that is not a positive number is an
    installation error, not a reason to wait forever."""
    if value is None or value.strip() == "":
        return 2.0
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 < seconds < 3600:
        raise PluginError("HEMBESOK_HOOK_SECONDS must be a number of seconds above 0, e.g. 2")
    return seconds


def _installed_entry_points() -> Sequence[metadata.EntryPoint]:
    return sorted(metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def _load_entry_points(
    loaded: LoadedPlugins,
    env: Mapping[str, str],
    entry_points: Callable[[], Sequence[metadata.EntryPoint]],
) -> None:
    allow = _names(env.get("HEMBESOK_LOAD_PLUGINS"))
    block = _names(env.get("HEMBESOK_DISABLED_PLUGINS")) or set()
    seen: dict[str, str] = {}
    for ep in entry_points():
        dist = ep.dist.name if ep.dist is not None else "?"
        version = ep.dist.version if ep.dist is not None else ""
        if (allow is not None and ep.name not in allow) or ep.name in block:
            loaded.skipped.append(ep.name)
            continue
        if ep.name in seen:
            raise PluginError(
                f"two distributions register the plugin name '{ep.name}': {seen[ep.name]} and {dist}"
            )
        seen[ep.name] = dist
        try:
            module = ep.load()
        except Exception as exc:  # a broken plugin must not take the engine down
            loaded.failures.append(LoadFailure(ep.name, dist, f"{type(exc).__name__}: {exc}"))
            continue
        loaded.manager.register(module, name=ep.name)
        loaded.plugins.append(_info(loaded.manager, module, ep.name, dist, version))


def _info(
    pm: pluggy.PluginManager,
    plugin: object,
    name: str,
    dist: str,
    version: str,
    builtin: bool = False,
) -> PluginInfo:
    hooks = tuple(sorted(h.name for h in (pm.get_hookcallers(plugin) or ())))
    module = getattr(plugin, "__name__", type(plugin).__name__)
    return PluginInfo(name, dist, version, module, builtin, hooks)


def _core_version() -> str:
    from hembesok.version import __version__

    return __version__


def _enable_trace(pm: pluggy.PluginManager, stream: TextIO) -> None:
    started: list[float] = []

    def before(hook_name: str, hook_impls: Sequence[Any], kwargs: Mapping[str, Any]) -> None:
        started.append(time.perf_counter())
        names = ", ".join(impl.plugin_name for impl in hook_impls)
        stream.write(f"hembesok: call {hook_name} [{names}]\n")

    def after(
        outcome: Any, hook_name: str, hook_impls: Sequence[Any], kwargs: Mapping[str, Any]
    ) -> None:
        took = (time.perf_counter() - started.pop()) * 1000 if started else 0.0
        failed = " (raised)" if outcome.exception is not None else ""
        stream.write(f"hembesok: done {hook_name} in {took:.2f} ms{failed}\n")

    pm.add_hookcall_monitoring(before, after)

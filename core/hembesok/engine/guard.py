"""Calling plugins so that one bad plugin breaks only itself.

A plugin's hook may raise, return something that is not what the hook promises, or take
too long. Then the programs the plugin answers for get a plan that says so, naming the
plugin's distribution and what went wrong (by kind, never with the exception's message,
which may hold case data); every other program is planned as usual. A hook that takes
longer than the time budget is left running in its thread and is not called again by
this engine: one slow call, not one per case.

Plugins see a case without the child's identity number, unless the engine is built with
`HEMBESOK_PLUGINS_SEE_IDENTIFIERS=1` (docs/hooks.md).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hembesok.model.plan import UNDETERMINED, Decision, PluginError, Reason
from hembesok.model.truth import Truth
from hembesok.plugins.manager import BUILTIN_NAME, LoadedPlugins

#: How long one hook call may take unless HEMBESOK_HOOK_SECONDS says otherwise.
HOOK_SECONDS = 2.0


@dataclass(frozen=True)
class HookFailure(Exception):
    """A plugin's hook failed: which distributions, which hook, and how (no message)."""

    plugins: tuple[str, ...]
    hook: str
    how: str  # raised ValueError | returned a str, not a Decision | took longer than 2 s

    def error(self) -> PluginError:
        return PluginError(self.plugins, self.hook, self.how)

    def decision(self) -> Decision:
        names = ", ".join(self.plugins)
        text = {
            "sv": f"Programmet kunde inte avgöras: tillägget {names} fungerade inte "
            f"({self.hook}: {self.how}). Kontakta den som förvaltar tillägget.",
            "en": f"The programme could not be decided: the plugin {names} failed "
            f"({self.hook}: {self.how}). Contact whoever maintains the plugin.",
        }
        reason = Reason(f"plugin:{names}", Truth.UNKNOWN, text, ())
        return Decision(UNDETERMINED, (reason,), ())


class Guard:
    """Calls one engine's plugin hooks in isolation, within a time budget."""

    def __init__(self, loaded: LoadedPlugins, seconds: float = HOOK_SECONDS) -> None:
        self.loaded = loaded
        self.seconds = seconds
        self._slow: dict[str, HookFailure] = {}  # a hook that overran is not called again
        self._lock = threading.Lock()

    def plugins(self, hook: str) -> tuple[str, ...]:
        """The distributions of the plugins (not the built-in one) implementing `hook`."""
        impls = getattr(self.loaded.manager.hook, hook).get_hookimpls()
        return tuple(
            dict.fromkeys(
                self.loaded.distribution_of(i.plugin)
                for i in impls
                if i.plugin_name != BUILTIN_NAME
            )
        )

    def call(self, hook: str, expected: type | tuple[type, ...] | None, **kwargs: Any) -> Any:
        """`hook(**kwargs)` through pluggy; HookFailure if it raises, overruns or returns
        something other than `expected` (None allowed when `expected` is None)."""
        known = self._slow.get(hook)
        if known is not None:
            raise known
        outcome: list[Any] = []

        def run() -> None:
            try:
                outcome.append((True, getattr(self.loaded.manager.hook, hook)(**kwargs)))
            except BaseException as exc:  # reported by its type, never its message
                outcome.append((False, exc))

        worker = threading.Thread(target=run, name=f"hembesok {hook}", daemon=True)
        worker.start()
        worker.join(self.seconds)
        if not outcome:
            failure = HookFailure(self.plugins(hook), hook, f"took longer than {self.seconds:g} s")
            with self._lock:
                self._slow[hook] = failure
            raise failure
        ok, value = outcome[0]
        if not ok:
            raise HookFailure(self.plugins(hook), hook, f"raised {type(value).__name__}") from None
        if expected is not None and not isinstance(value, expected):
            wanted = (
                " or ".join(t.__name__ for t in expected)
                if isinstance(expected, tuple)
                else expected.__name__
            )
            raise HookFailure(
                self.plugins(hook), hook, f"returned a {type(value).__name__}, not a {wanted}"
            )
        return value

    def derived_facts(
        self, case: Any, as_of: Any
    ) -> tuple[dict[str, Any], list[tuple[object, HookFailure]]]:
        """Every plugin's derived facts, each plugin called on its own: the facts (a plugin
        earlier in the order wins, as pluggy orders them) and each failed plugin."""
        derived: dict[str, Any] = {}
        failed: list[tuple[object, HookFailure]] = []
        for impl in self.loaded.manager.hook.hembesok_case_facts.get_hookimpls():
            dist = self.loaded.distribution_of(impl.plugin)
            try:
                facts = self._one(impl, dist, case, as_of)
            except HookFailure as failure:
                failed.append((impl.plugin, failure))
                continue
            if facts:
                derived.update({k: v for k, v in facts.items() if k not in derived})
        return derived, failed

    def _one(self, impl: Any, dist: str, case: Any, as_of: Any) -> Mapping[str, Any] | None:
        key = f"hembesok_case_facts:{dist}"
        known = self._slow.get(key)
        if known is not None:
            raise known
        outcome: list[Any] = []

        def run() -> None:
            try:
                outcome.append((True, impl.function(case=case, as_of=as_of)))
            except BaseException as exc:
                outcome.append((False, exc))

        worker = threading.Thread(target=run, name="hembesok case facts", daemon=True)
        worker.start()
        worker.join(self.seconds)
        if not outcome:
            failure = HookFailure(
                (dist,), "hembesok_case_facts", f"took longer than {self.seconds:g} s"
            )
            with self._lock:
                self._slow[key] = failure
            raise failure
        ok, value = outcome[0]
        if not ok:
            raise HookFailure((dist,), "hembesok_case_facts", f"raised {type(value).__name__}")
        if value is None:
            return None
        if not isinstance(value, Mapping) or not all(
            isinstance(k, str) and (v is None or isinstance(v, str | int | float | bool))
            for k, v in value.items()
        ):
            raise HookFailure(
                (dist,),
                "hembesok_case_facts",
                "returned something other than fact names with text, number or yes/no values",
            )
        return value

"""Plugin discovery: entry points, allow/block lists, broken plugins, conflicts, misspelt hooks, trace."""

import io
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

from hembesok import hookimpl
from hembesok.engine.engine import Engine
from hembesok.plugins.manager import BUILTIN_NAME, PluginError, make_plugin_manager

VAGGERYD_YAML = (
    Path(__file__).parents[2] / "plugins" / "vaggeryd" / "hembesok_vaggeryd" / "program.yaml"
)


@dataclass
class FakeDist:
    name: str
    version: str = "1.0"


class FakeEntryPoint:
    """Stands in for an installed entry point, so tests control what is 'installed'."""

    def __init__(self, name, module=None, dist="hembesok-fake", error=None):
        self.name, self._module, self.dist, self._error = name, module, FakeDist(dist), error

    def load(self):
        if self._error:
            raise self._error
        return self._module


def program_plugin(name, path=VAGGERYD_YAML):
    module = types.ModuleType(name)

    @hookimpl
    def hembesok_programs():
        return [path]

    module.hembesok_programs = hembesok_programs
    return module


def installed(*eps):
    return lambda: list(eps)


def test_builtin_is_registered_like_any_plugin():
    loaded = make_plugin_manager(env={}, entry_points=installed())
    assert [p.name for p in loaded.plugins] == [BUILTIN_NAME]
    assert loaded.plugins[0].builtin
    assert "hembesok_eligibility" in loaded.plugins[0].hooks


def test_each_call_makes_a_fresh_manager():
    a = make_plugin_manager(env={}, entry_points=installed())
    b = make_plugin_manager(env={}, entry_points=installed())
    assert a.manager is not b.manager


def test_entry_point_plugin_is_loaded_with_its_distribution():
    loaded = make_plugin_manager(
        env={}, entry_points=installed(FakeEntryPoint("vag", program_plugin("m1"), "hembesok-vag"))
    )
    info = loaded.plugins[1]
    assert (info.name, info.distribution, info.hooks) == (
        "vag",
        "hembesok-vag",
        ("hembesok_programs",),
    )


def test_plugin_that_fails_to_import_is_reported_and_skipped():
    eps = installed(
        FakeEntryPoint(
            "broken",
            error=ImportError("No module named 'missing_dependency'"),
            dist="hembesok-broken",
        ),
        FakeEntryPoint("vag", program_plugin("m2")),
    )
    loaded = make_plugin_manager(env={}, entry_points=eps)
    assert [p.name for p in loaded.plugins] == [BUILTIN_NAME, "vag"]
    assert len(loaded.failures) == 1
    failure = loaded.failures[0]
    assert (failure.name, failure.distribution) == ("broken", "hembesok-broken")
    assert "missing_dependency" in failure.error


def test_two_plugins_with_one_program_id_name_both_distributions():
    eps = installed(
        FakeEntryPoint("first", program_plugin("m3"), "hembesok-first"),
        FakeEntryPoint("second", program_plugin("m4"), "hembesok-second"),
    )
    with pytest.raises(PluginError) as info:
        Engine.from_plugins(make_plugin_manager(env={}, entry_points=eps))
    message = str(info.value)
    assert "'vaggeryd'" in message and "hembesok-first" in message and "hembesok-second" in message


def test_misspelt_hook_fails_check_pending():
    module = types.ModuleType("typo")

    @hookimpl
    def hembesok_program():  # missing the final s
        return []

    module.hembesok_program = hembesok_program
    with pytest.raises(PluginError, match="hembesok_program"):
        make_plugin_manager(env={}, entry_points=installed(FakeEntryPoint("typo", module)))


def test_allow_list_and_block_list():
    eps = installed(
        FakeEntryPoint("a", program_plugin("ma")), FakeEntryPoint("b", types.ModuleType("mb"))
    )
    only_a = make_plugin_manager(env={"HEMBESOK_LOAD_PLUGINS": "a"}, entry_points=eps)
    assert [p.name for p in only_a.plugins] == [BUILTIN_NAME, "a"] and only_a.skipped == ["b"]
    none = make_plugin_manager(env={"HEMBESOK_LOAD_PLUGINS": ""}, entry_points=eps)
    assert [p.name for p in none.plugins] == [BUILTIN_NAME]
    not_a = make_plugin_manager(env={"HEMBESOK_DISABLED_PLUGINS": "a, c"}, entry_points=eps)
    assert [p.name for p in not_a.plugins] == [BUILTIN_NAME, "b"] and not_a.skipped == ["a"]


def test_trace_names_hooks_but_never_arguments():
    out = io.StringIO()
    loaded = make_plugin_manager(
        env={"HEMBESOK_TRACE_HOOKS": "1"},
        entry_points=installed(FakeEntryPoint("vag", program_plugin("m5"))),
        trace_to=out,
    )
    engine = Engine.from_plugins(loaded)
    from hembesok.model.case import Case

    case = Case.from_dict(
        {
            "child": {
                "birth_date": "2026-01-01",
                "identifier": {"system": "personnummer", "value": "202601012384"},
            },
            "municipality": "Vaggeryd",
        }
    )
    import datetime as dt

    engine.evaluate(case, dt.date(2026, 3, 1))
    text = out.getvalue()
    assert "call hembesok_eligibility" in text and "done hembesok_visit_schedule" in text
    assert "202601012384" not in text and "Vaggeryd" not in text and "2026-01-01" not in text


def test_installed_vaggeryd_is_discovered_through_its_entry_point():
    engine = Engine.from_installed(env={})
    assert "vaggeryd" in engine.programs
    assert engine.programs["vaggeryd"].distribution == "hembesok-vaggeryd"

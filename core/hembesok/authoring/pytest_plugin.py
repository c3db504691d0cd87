"""The pytest plugin for plugin authors (entry point group `pytest11`, loaded by pytest itself).

Fixtures:

- `hembesok_engine`: a fresh engine from the installed plugins, as `hembesok plan` builds it.
- `register_plugin`: registers a plugin module as if it were installed, for one test only,
  and returns the engine; the command line (click's CliRunner) sees it too during the test.

And `ProgramPluginConformance`, the tests every program plugin should pass. A plugin's
test module subclasses it::

    import hembesok_eksjo
    from hembesok.authoring.pytest_plugin import ProgramPluginConformance

    class TestConformance(ProgramPluginConformance):
        plugin_module = hembesok_eksjo
        program_ids = ("eksjo",)  # optional: the ids it must register

Each example of each program file becomes its own test, named after the example.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata
from types import ModuleType
from typing import Any, ClassVar

import pytest

from hembesok.authoring.examples import check_example
from hembesok.authoring.lint import lint_program
from hembesok.engine.engine import Engine
from hembesok.io.documents import DocumentError
from hembesok.io.loading import program_problems, read_document
from hembesok.io.problems import from_document_error
from hembesok.plugins import manager as _plugins
from hembesok.plugins.manager import ENTRY_POINT_GROUP, PluginError, make_plugin_manager


def _checked(engine: Engine) -> Engine:
    if engine.errors:
        pytest.fail(
            "invalid program files:\n"
            + "\n".join(f"  {p}" for e in engine.errors for p in e.problems),
            pytrace=False,
        )
    return engine


@pytest.fixture
def hembesok_engine() -> Engine:
    """A fresh engine from the installed plugins (HEMBESOK_* variables apply)."""
    try:
        return _checked(Engine.from_installed())
    except PluginError as exc:
        pytest.fail(f"hembesok plugin error: {exc}", pytrace=False)


RegisterPlugin = Callable[..., Engine]


@pytest.fixture
def register_plugin(monkeypatch: pytest.MonkeyPatch) -> RegisterPlugin:
    """Register plugin modules under the `hembesok` entry-point group for this test only.

    `register_plugin(module, name=None)` returns an engine of the installed plugins plus
    the registered ones; an installed plugin of the same name or module is replaced.
    Entry-point discovery is patched only until the test ends.
    """
    installed = _plugins._installed_entry_points
    extra: dict[str, Any] = {}

    def entry_points() -> Sequence[metadata.EntryPoint]:
        modules = {ep.value for ep in extra.values()}
        kept = [ep for ep in installed() if ep.name not in extra and ep.value not in modules]
        return sorted([*kept, *extra.values()], key=lambda ep: str(ep.name))

    monkeypatch.setattr(_plugins, "_installed_entry_points", entry_points)

    def register(module: ModuleType, name: str | None = None) -> Engine:
        entry_name = name or module.__name__.rpartition(".")[2].removeprefix("hembesok_")
        if not any(ep.name == entry_name and ep.value == module.__name__ for ep in installed()):
            # A module made inside the test is importable by its name only during the test.
            monkeypatch.setitem(sys.modules, module.__name__, module)
            extra[entry_name] = _TestEntryPoint(entry_name, module.__name__)
        try:
            return _checked(Engine.from_installed())
        except PluginError as exc:
            pytest.fail(f"hembesok plugin error: {exc}", pytrace=False)

    return register


@dataclass(frozen=True)
class _TestDistribution:
    name: str
    version: str = ""


@dataclass(frozen=True)
class _TestEntryPoint:
    """An entry point as the plugin manager reads one, for a module registered by a test."""

    name: str
    value: str
    group: str = ENTRY_POINT_GROUP

    @property
    def dist(self) -> _TestDistribution:
        return _TestDistribution(self.value)

    def load(self) -> ModuleType:
        return importlib.import_module(self.value)


class ProgramPluginConformance:
    """Tests every program plugin passes; subclass it and set `plugin_module`."""

    plugin_module: ClassVar[ModuleType]
    program_ids: ClassVar[Sequence[str] | None] = None

    # --- parametrisation: one test per example, named after it ----------------------------

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "hembesok_example" not in metafunc.fixturenames:
            return
        cases = list(self._example_params())
        metafunc.parametrize("hembesok_example", [c[1] for c in cases], ids=[c[0] for c in cases])

    @classmethod
    def _example_params(cls) -> Iterator[tuple[str, tuple[str, int, str]]]:
        """(test id, (program id, example index or -1, why there is no example to run))."""
        try:
            engine = Engine.from_modules([cls.plugin_module])
        except PluginError as exc:
            yield "plugin-error", ("", -1, f"the plugin cannot be loaded: {exc}")
            return
        if engine.errors:
            yield (
                "invalid-program-file",
                ("", -1, "a program file is invalid; see test_program_files_validate"),
            )
        chosen = cls.program_ids or sorted(engine.programs)
        if not chosen and not engine.errors:
            yield "no-program", ("", -1, f"{cls.plugin_module.__name__} registers no program")
        for program_id in chosen:
            program = engine.programs.get(program_id)
            if program is None:
                if not engine.errors:
                    yield (
                        f"{program_id}-missing",
                        (program_id, -1, f"no program '{program_id}' is registered"),
                    )
                continue
            examples = program.definition.get("examples", ())
            if not examples:
                yield (
                    f"{program_id}-has-no-examples",
                    (
                        program_id,
                        -1,
                        f"program '{program_id}' has no examples: add at least one case with its "
                        "expected decision and visit statuses under `examples`",
                    ),
                )
            for index, example in enumerate(examples):
                yield f"{program_id}[{index}] {example['name']}", (program_id, index, "")

    # --- the tests --------------------------------------------------------------------------

    def test_entry_point_resolves_to_the_module(self) -> None:
        module = self.plugin_module
        found = [
            ep
            for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)
            if ep.value == module.__name__
        ]
        _require(
            bool(found),
            f"no installed distribution registers {module.__name__} under the entry-point group "
            f"'{ENTRY_POINT_GROUP}': add [project.entry-points.{ENTRY_POINT_GROUP}] to "
            "pyproject.toml and install the package (pip install -e .)",
        )
        _require(len(found) == 1, f"{module.__name__} is registered {len(found)} times: {found}")
        _require(
            found[0].load() is module,
            f"the entry point '{found[0].name}' loads another copy of {module.__name__}: "
            "is an old version installed beside this one?",
        )

    def test_hooks_are_spelled_right(self) -> None:
        module = self.plugin_module
        try:
            loaded = make_plugin_manager(modules=[module], env={})
        except PluginError as exc:
            pytest.fail(str(exc), pytrace=False)
        unmarked = [
            name
            for name, _ in inspect.getmembers(module, inspect.isroutine)
            if name.startswith("hembesok_")
            and loaded.manager.parse_hookimpl_opts(module, name) is None
        ]
        _require(
            not unmarked,
            f"{', '.join(unmarked)} in {module.__name__} {'is' if len(unmarked) == 1 else 'are'} "
            "not marked with @hookimpl (from hembesok import hookimpl), so hembesok never calls it",
        )
        _require(
            bool(loaded.plugins[-1].hooks),
            f"{module.__name__} implements no hook; see docs/hooks.md",
        )

    def test_program_files_validate(self) -> None:
        sources = list(self.plugin_module.hembesok_programs() or ())
        _require(
            bool(sources), f"{self.plugin_module.__name__}.hembesok_programs() returns no file"
        )
        messages: list[str] = []
        for source in sources:
            try:
                doc = read_document(source)
            except DocumentError as exc:
                messages.append(str(from_document_error(exc)))
                continue
            found = program_problems(doc)
            found += [
                p
                for p in lint_program(doc, found)
                if not p.path.startswith("$.examples[")  # each example is a test of its own
            ]
            messages += [str(p) for p in found if p.severity == "error"]
        _require(not messages, "program file problems:\n" + "\n".join(messages))

    def test_program_ids_are_registered_and_unique(self) -> None:
        try:
            engine = Engine.from_modules([self.plugin_module])
            installed = Engine.from_installed()
        except PluginError as exc:
            pytest.fail(str(exc), pytrace=False)
        own = sorted(engine.programs)
        if self.program_ids is not None:
            _require(
                own == sorted(self.program_ids),
                f"{self.plugin_module.__name__} registers {own}, expected {sorted(self.program_ids)}",
            )
        clashes = [
            f"'{pid}' is also registered by {other.distribution or other.source}"
            for pid in own
            if (other := installed.programs.get(pid)) is not None
            and other.source != engine.programs[pid].source
        ]
        _require(
            not clashes,
            "program ids must be unique among installed programs: " + "; ".join(clashes),
        )

    def test_example(self, hembesok_example: tuple[str, int, str]) -> None:
        program_id, index, why_none = hembesok_example
        _require(index >= 0, why_none)
        engine = _checked(Engine.from_modules([self.plugin_module]))
        program = engine.programs[program_id]
        doc = read_document(program.source)
        check = check_example(engine, program, index, doc)
        where = doc.locate(("examples", index))
        lines = [str(p) for p in check.problems] + [str(d) for d in check.diffs]
        _require(
            check.passed,
            f"{program.source}:{where.line}:{where.column}: example {index} '{check.name}' of "
            f"{program_id} fails:\n  " + "\n  ".join(lines),
        )


def _require(condition: bool, message: str) -> None:
    """Fail with the message alone: an author needs the reason, not this module's traceback."""
    if not condition:
        pytest.fail(message, pytrace=False)

"""Building an engine from plugins: load, validate and cross-check their files.

Evaluation itself is hembesok.engine.evaluator; an `Engine` is an `Evaluator` whose
programs and instruments came from the installed (or given) plugins.

An engine built from the installed plugins can be pickled, to go to worker processes
(Dask, Spark, multiprocessing): it travels as its recipe (the HEMBESOK_* settings it was
built with) and the ids, versions and SHA-256 of its programs and instruments, and is built
again on the other side from that machine's installed plugins, once per process
(`installed_engine`). A machine whose plugins differ refuses with EngineMismatch rather
than plan with other rules.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TypeVar

from hembesok.engine.evaluator import Evaluator
from hembesok.io.documents import DocumentError
from hembesok.io.loading import load_instrument, load_program, read_document
from hembesok.io.problems import InvalidDocument, Problem, json_path
from hembesok.language.program import Program
from hembesok.model.instrument import Instrument
from hembesok.plugins.manager import LoadedPlugins, PluginError, make_plugin_manager


@dataclass
class ProgramLoadError:
    """A registered program file that failed validation; the engine runs without it."""

    distribution: str
    problems: list[Problem]


def _located(program: Program, path: tuple[str | int, ...], message: str) -> Problem:
    """A problem at a place in a loaded program's file (read again only on this error path)."""
    try:
        doc = read_document(program.source)
    except DocumentError:
        return Problem(program.source, 1, 1, json_path(path), message)
    pos = doc.locate(path)
    return Problem(program.source, pos.line, pos.column, json_path(path), message)


T = TypeVar("T")

#: The environment variables that choose plugins (hembesok.plugins.manager).
_SETTINGS_PREFIX = "HEMBESOK_"
#: What identifies an engine's rules: ((kind, id, version, sha256), ...), sorted.
Fingerprint = tuple[tuple[str, str, str, str], ...]


class EngineMismatch(RuntimeError):
    """An engine rebuilt in another process whose installed plugins differ from the original's."""


def settings_of(env: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    """The HEMBESOK_* settings of `env` (default os.environ): an engine's recipe."""
    source = os.environ if env is None else env
    return tuple(sorted((k, v) for k, v in source.items() if k.startswith(_SETTINGS_PREFIX)))


@functools.lru_cache(maxsize=4)
def installed_engine(settings: tuple[tuple[str, str], ...], interpret: bool = False) -> Engine:
    """The engine of the installed plugins under these HEMBESOK_* settings, built once per
    process: a worker unpickles many partitions' engines and must not load plugins each time.
    (A cache keyed by read-only settings; the engines it holds are only read.)"""
    engine = Engine.from_plugins(make_plugin_manager(env=dict(settings)), interpret=interpret)
    engine._recipe = settings
    return engine


def rebuild_engine(
    settings: tuple[tuple[str, str], ...], interpret: bool, fingerprint: Fingerprint
) -> Engine:
    """An unpickled engine: this process's installed one, if its rules are the same."""
    engine = installed_engine(settings, interpret)
    if engine.fingerprint() != fingerprint:
        sent = {f[:2]: f[2:] for f in fingerprint}
        here = {f[:2]: f[2:] for f in engine.fingerprint()}
        differ = sorted(
            f"{kind} {ident}"
            for kind, ident in sent.keys() | here.keys()
            if sent.get((kind, ident)) != here.get((kind, ident))
        )
        raise EngineMismatch(
            "the engine cannot be rebuilt here: the installed plugins differ from the ones "
            f"it was built with ({', '.join(differ)}); install the same versions on every worker"
        )
    return engine


def registered(
    loaded: LoadedPlugins, hook: str, load: Callable[..., T]
) -> Iterator[tuple[str, T | InvalidDocument]]:
    """What the plugins register through a registration hook (`hembesok_programs` or
    `hembesok_instruments`), each file loaded, or the problems that kept it from loading;
    with the distribution that registered it."""
    for impl in getattr(loaded.manager.hook, hook).get_hookimpls():
        dist = loaded.distribution_of(impl.plugin)
        sources: Iterable[Any] = impl.function() or ()
        for source in sources:
            try:
                yield dist, load(source, distribution=dist)
            except InvalidDocument as exc:
                yield dist, exc


class Engine(Evaluator):
    """An evaluator built from plugins: their program and instrument files loaded,
    validated and cross-checked. Build it once and plan every case with it."""

    def __init__(
        self,
        loaded: LoadedPlugins,
        programs: dict[str, Program] | None = None,
        instruments: dict[str, Instrument] | None = None,
        errors: list[ProgramLoadError] | None = None,
        *,
        interpret: bool = False,
    ) -> None:
        super().__init__(loaded, programs, instruments, interpret=interpret)
        self.errors: list[ProgramLoadError] = errors if errors is not None else []
        #: The HEMBESOK_* settings it was built from the installed plugins with; None when
        #: it was built from given modules (it cannot be pickled then).
        self._recipe: tuple[tuple[str, str], ...] | None = None

    @classmethod
    def from_installed(cls, env: Mapping[str, str] | None = None) -> Engine:
        """An engine with every installed plugin (subject to HEMBESOK_* variables)."""
        settings = settings_of(env)
        engine = cls.from_plugins(make_plugin_manager(env=env))
        engine._recipe = settings
        return engine

    def fingerprint(self) -> Fingerprint:
        """Every program and instrument as (kind, id, version, sha256): what its rules are."""
        found = [("program", p.id, p.version, p.sha256) for p in self.programs.values()]
        found += [("instrument", i.id, i.version, i.sha256) for i in self.instruments.values()]
        return tuple(sorted(found))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled as its recipe: rebuilt from the installed plugins where it is unpickled."""
        if self._recipe is None or type(self) is not Engine:
            raise TypeError(
                "only an engine built with Engine.from_installed() can be pickled; "
                "one built from given modules cannot be rebuilt in another process"
            )
        return (rebuild_engine, (self._recipe, self.interpret, self.fingerprint()))

    @classmethod
    def from_modules(cls, modules: Sequence[ModuleType | object]) -> Engine:
        """An engine with exactly these plugin modules (plus the built-in default)."""
        return cls.from_plugins(make_plugin_manager(modules=modules, env={}))

    @classmethod
    def from_plugins(cls, loaded: LoadedPlugins, *, interpret: bool = False) -> Engine:
        """An engine with the programs and instruments `loaded` registers.

        `interpret=True` plans every program through the hooks, the declarative default
        interpreting each rule with its trace (slower; the reference the compiled path is
        tested against).
        """
        engine = cls(loaded, interpret=interpret)
        for dist, program in registered(loaded, "hembesok_programs", load_program):
            if isinstance(program, InvalidDocument):
                engine.errors.append(ProgramLoadError(dist, program.problems))
            else:
                engine.add(program)
        for dist, instrument in registered(loaded, "hembesok_instruments", load_instrument):
            if isinstance(instrument, InvalidDocument):
                engine.errors.append(ProgramLoadError(dist, instrument.problems))
            else:
                engine.add_instrument(instrument)
        engine.errors.extend(engine.check_references())
        return engine

    def add_instrument(self, instrument: Instrument) -> None:
        existing = self.instruments.get(instrument.id)
        if existing is not None:
            raise PluginError(
                f"instrument id '{instrument.id}' is registered twice: by "
                f"{existing.distribution or existing.source} and by "
                f"{instrument.distribution or instrument.source}"
            )
        self.instruments[instrument.id] = instrument

    def check_references(self) -> list[ProgramLoadError]:
        """`replaces` entries naming a visit that an installed program does not have.

        A replaced program that is not installed is fine (a region may not use the
        baseline); a misspelt visit of an installed one would silently double a visit.
        """
        out = []
        for program in self.programs.values():
            found = []
            for index, rep in enumerate(program.replaces):
                target = self.programs.get(rep.program)
                if target is not None and rep.visit not in {v.id for v in target.schedule}:
                    known = ", ".join(v.id for v in target.schedule)
                    found.append(
                        _located(
                            program,
                            ("replaces", index, "visit"),
                            f"program '{rep.program}' has no visit '{rep.visit}'; its visits are: {known}",
                        )
                    )
            for index, visit in enumerate(program.schedule):
                if visit.same_as is None or visit.same_as[0] not in self.programs:
                    continue
                other, other_visit = visit.same_as
                if other_visit not in {v.id for v in self.programs[other].schedule}:
                    found.append(
                        _located(
                            program,
                            ("schedule", index, "same_as", "visit"),
                            f"program '{other}' has no visit '{other_visit}'",
                        )
                    )
            for index, entry in enumerate(program.screening):
                if entry.instrument not in self.instruments:
                    installed = ", ".join(sorted(self.instruments)) or "none"
                    found.append(
                        _located(
                            program,
                            ("screening", index, "instrument"),
                            f"no installed plugin registers instrument '{entry.instrument}'; installed: {installed}",
                        )
                    )
            if found:
                out.append(ProgramLoadError(program.distribution or program.source, found))
        return out

    def add(self, program: Program) -> None:
        existing = self.programs.get(program.id)
        if existing is not None:
            raise PluginError(
                f"program id '{program.id}' is registered twice: by {existing.distribution or existing.source} "
                f"and by {program.distribution or program.source}; uninstall one or disable it with "
                "HEMBESOK_DISABLED_PLUGINS"
            )
        self.programs[program.id] = program

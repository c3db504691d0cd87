"""An engine goes to worker processes as its recipe and comes back with the same rules."""

import datetime as dt
import json
import multiprocessing
import pickle
from pathlib import Path

import pytest

from hembesok.engine import engine as engine_module
from hembesok.engine.engine import Engine, EngineMismatch, rebuild_engine
from hembesok.model.case import Case

ROOT = Path(__file__).parents[2]
CASE = json.loads((ROOT / "examples" / "barnsakert-case.json").read_text(encoding="utf-8"))


def _plan_in_worker(engine: Engine) -> dict:
    return engine.evaluate(Case.from_dict(CASE), dt.date(2026, 5, 4)).to_json()


def test_a_pickled_engine_comes_back_with_the_same_rules_and_plans_the_same():
    engine = Engine.from_installed(env={})
    data = pickle.dumps(engine)
    assert len(data) < 2_000  # the recipe and the fingerprint, not the loaded programs
    again = pickle.loads(data)
    assert again is not engine
    assert again.fingerprint() == engine.fingerprint()
    assert {p for _kind, p, *_ in again.fingerprint()} >= {"rikshandboken", "barnsakert"}
    day = dt.date(2026, 5, 4)
    assert again.evaluate(Case.from_dict(CASE), day).to_json() == (
        engine.evaluate(Case.from_dict(CASE), day).to_json()
    )
    assert pickle.loads(data) is again  # built once per process


def test_a_pickled_engine_plans_in_a_spawned_process():
    engine = Engine.from_installed(env={})
    with multiprocessing.get_context("spawn").Pool(1) as pool:
        there = pool.apply(_plan_in_worker, (engine,))
    assert there == _plan_in_worker(engine)


def test_the_settings_it_was_built_with_travel_with_it():
    engine = Engine.from_installed(env={"HEMBESOK_DISABLED_PLUGINS": "rinkeby"})
    again = pickle.loads(pickle.dumps(engine))
    assert "rinkeby" not in engine.programs
    assert set(again.programs) == set(engine.programs)


def test_other_installed_rules_are_refused_by_name():
    engine = Engine.from_installed(env={})
    recipe, interpret, fingerprint = engine.__reduce__()[1]
    kind, ident, _version, sha = fingerprint[0]
    changed = ((kind, ident, "0.0.1", sha), *fingerprint[1:])
    with pytest.raises(EngineMismatch, match=rf"{kind} {ident}"):
        rebuild_engine(recipe, interpret, changed)


def test_an_engine_from_given_modules_says_it_cannot_be_pickled():
    engine = Engine.from_modules([])
    with pytest.raises(TypeError, match="from_installed"):
        pickle.dumps(engine)
    assert engine_module.installed_engine.cache_info().maxsize == 4

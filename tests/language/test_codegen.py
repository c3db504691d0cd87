"""Generated code holds no value from a program file: strings that look like Python stay data."""

import copy
import datetime as dt
import types
from pathlib import Path

import hembesok_vaggeryd
import pytest

from hembesok.engine.engine import Engine
from hembesok.io.documents import load_text
from hembesok.language.codegen import Namespace, UnsafeSource, define
from hembesok.language.program import Program
from hembesok.model.case import Case

VAGGERYD = Path(hembesok_vaggeryd.__file__).with_name("program.yaml")
SENTINEL = "hembesok-codegen-must-not-exist"
HOSTILE = [
    f"__import__('os').system('touch /tmp/{SENTINEL}')",
    "'); raise SystemExit('boom'); ('",
    '""" + str(1/0) + """',
    "{0.__class__}",
    "\\N{BULLET} \\x00 \\\\",
]


def test_define_refuses_source_that_holds_a_value():
    with pytest.raises(UnsafeSource):
        define("f", ["def f():", "    return 'a value'"], Namespace(), label="test")
    bound = Namespace()
    name = bound.bind("a value")
    assert define("f", ["def f():", f"    return {name}"], bound, label="test")() == "a value"


def code_constants(code):
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from code_constants(const)
        else:
            yield const


@pytest.mark.parametrize("hostile", HOSTILE)
def test_strings_that_look_like_python_stay_data(hostile, tmp_path):
    definition = copy.deepcopy(load_text(VAGGERYD.read_text("utf-8"), str(VAGGERYD)).data)
    definition["sites"]["list"][0]["name"] = hostile
    definition["sites"]["list"][0]["aliases"] = [hostile + " BVC"]
    definition["eligibility"] = {
        "all": [
            {"fact": "facts.tag", "equals": hostile},
            {"fact": "facts.kind", "in": [hostile, "x"]},
            {
                "fact": "first_child.either_parent",
                "equals": True,
                "label": {"sv": hostile, "en": hostile},
            },
        ]
    }
    definition.pop("examples", None)
    program = Program.compile(definition)
    strings = [c for c in code_constants(program.evaluator.decide.__code__) if isinstance(c, str)]
    assert strings == []
    engine = Engine.from_modules([])
    engine.add(program)
    case = {
        "child": {"birth_date": "2026-03-10"},
        "municipality": hostile,
        "first_child": {"either_parent": True},
        "facts": {"tag": hostile, "kind": hostile},
    }
    plan = engine.evaluate(Case.from_dict(case), dt.date(2026, 5, 4)).program(program.id)
    assert plan.decision.status == "eligible"
    assert any(hostile in r.text["sv"] for r in plan.decision.reasons)
    assert not Path(f"/tmp/{SENTINEL}").exists()
    other = {**case, "municipality": hostile + "!"}
    assert (
        engine.evaluate(Case.from_dict(other), dt.date(2026, 5, 4))
        .program(program.id)
        .decision.status
        == "not_eligible"
    )

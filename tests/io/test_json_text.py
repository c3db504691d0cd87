"""Compact JSON bytes: the quick writer (orjson, when installed) writes what json.dumps writes."""

import datetime as dt
import json
from pathlib import Path

import pytest

from hembesok import plan_case
from hembesok.engine.engine import Engine
from hembesok.io.json_text import dumps, standard_dumps

ROOT = Path(__file__).parents[2]
ENGINE = Engine.from_installed(env={})


@pytest.mark.parametrize("path", sorted((ROOT / "examples").glob("*.json")), ids=lambda p: p.name)
def test_plans_are_written_byte_for_byte_as_the_standard_library_writes_them(path):
    text = path.read_text(encoding="utf-8")
    if '"child"' not in text:
        return  # a questionnaire response, not a case
    for as_of in (dt.date(2026, 5, 4), dt.date(2027, 1, 15)):
        plan = plan_case(text, as_of, engine=ENGINE)
        assert dumps(plan) == standard_dumps(plan)


def test_texts_that_need_escaping_are_written_the_same():
    data = {
        "å": 'Närhälsan "Opaltorget" \\ BVC\n\t\u2028 ✓ \x01',
        "n": [1, -2, 0, True, None, 12.5],
    }
    assert dumps(data) == standard_dumps(data)
    assert json.loads(dumps(data)) == data
    assert b" " not in standard_dumps({"a": [1, 2]})

"""Safe loading with positions: YAML and JSON, dates kept as strings, no code executed."""

import pytest

from hembesok.io.documents import DocumentError, Position, load_text, parse_json, parse_yaml


def test_positions_of_values_and_keys():
    doc = parse_yaml("id: x\nschedule:\n  - id: newborn\n    age: {months: 2}\n", "p.yaml")
    assert doc.data == {"id": "x", "schedule": [{"id": "newborn", "age": {"months": 2}}]}
    assert doc.locate(("schedule", 0, "age", "months")) == Position(4, 19)
    assert doc.locate(("schedule", 0, "age"), key=True) == Position(4, 5)
    assert doc.locate(("schedule", 0, "nothing", "here")) == Position(3, 5)


def test_dates_stay_strings_and_only_true_false_are_booleans():
    doc = parse_yaml("day: 2026-01-31\nanswer: no\nflag: true\nother: yes\n", "x.yaml")
    assert doc.data == {"day": "2026-01-31", "answer": "no", "flag": True, "other": "yes"}


def test_duplicate_keys_are_reported():
    doc = parse_yaml("id: a\nid: b\n", "x.yaml")
    assert doc.duplicate_keys == [("id",)]


def test_python_tags_are_refused_not_executed():
    with pytest.raises(DocumentError) as info:
        parse_yaml("x: !!python/object/apply:os.system ['echo pwned']\n", "evil.yaml")
    assert info.value.position.line == 1
    assert "pwned" not in str(info.value)


def test_yaml_syntax_error_is_located():
    with pytest.raises(DocumentError) as info:
        parse_yaml("id: x\nschedule: [a, b\n", "bad.yaml")
    assert info.value.path == "bad.yaml"
    assert info.value.position.line >= 2
    assert "YAML syntax error" in info.value.message


def test_json_syntax_error_is_located_without_content():
    with pytest.raises(DocumentError) as info:
        parse_json(
            '{\n  "child": {"birth_date": "2026-01-01"},\n  "secret": 19800101\n  "x": 1}', "c.json"
        )
    assert info.value.position.line == 4
    assert "19800101" not in str(info.value)


def test_json_positions_are_found_lazily():
    doc = parse_json('{\n  "child": {\n    "birth_date": 5\n  }\n}', "c.json")
    assert doc.locate(("child", "birth_date")) == Position(3, 19)


def test_standard_input_is_sniffed():
    assert load_text('{"a": 1}', "-").data == {"a": 1}
    assert load_text("a: 1", "-").data == {"a": 1}

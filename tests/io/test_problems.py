"""Schema errors become one located, readable problem per mistake."""

from pathlib import Path

from hembesok.io.documents import parse_json, parse_yaml
from hembesok.io.loading import program_problems
from hembesok.io.problems import json_path, validate

DATA = Path(__file__).parents[1] / "data"


def test_three_mistakes_give_three_located_errors():
    doc = parse_yaml((DATA / "three-mistakes.yaml").read_text(), "three-mistakes.yaml")
    found = program_problems(doc)
    assert [(p.line, p.column, p.path) for p in found] == [
        (1, 1, "$"),
        (9, 7, "$.eligibility.all[0].equal"),
        (13, 19, "$.schedule[0].age.months"),
    ]
    assert "missing required field 'title'" in found[0].message
    assert "did you mean 'equals'" in found[1].message
    assert found[2].message == "must be at least 0 (got -2)"
    assert found[1].schema_path.endswith("#/$defs/condition/additionalProperties")
    assert found[2].schema_path.endswith("#/$defs/duration/properties/months/minimum")
    assert str(found[2]).startswith(
        "three-mistakes.yaml:13:19: $.schedule[0].age.months: must be at least 0"
    )


def test_condition_with_two_operators_or_none():
    base = "id: x\nversion: '1.0'\ntitle: {sv: a, en: b}\nsources: [{title: t, confidence: H}]\n"
    schedule = "schedule: [{id: v, title: {sv: a, en: b}, age: {weeks: 1}, window: {before: {days: 1}, after: {days: 1}}, staff: [kurator], setting: home}]\n"
    two = parse_yaml(
        base + "eligibility: {fact: municipality, equals: A, in: [B]}\n" + schedule, "two.yaml"
    )
    assert [p.message for p in program_problems(two)] == [
        "a fact test needs exactly one operator: equals, not_equals, in, at_least, at_most, greater_than, less_than, on_or_after, on_or_before, before, after, exists"
    ]
    none = parse_yaml(base + "eligibility: {label: {sv: a, en: b}}\n" + schedule, "none.yaml")
    assert [p.message for p in program_problems(none)] == [
        "a condition needs exactly one of: all, any, not, fact, age"
    ]
    orphan = parse_yaml(base + "eligibility: {all: [{equals: 3}]}\n" + schedule, "orphan.yaml")
    messages = [p.message for p in program_problems(orphan)]
    assert "'equals' needs 'fact'" in messages


def test_missing_english_text_is_located():
    text = "id: x\nversion: '1'\ntitle: {sv: Titel}\nsources: [{title: t, confidence: H}]\neligibility: {fact: a, exists: true}\nschedule: []\n"
    found = program_problems(parse_yaml(text, "t.yaml"))
    assert ("$.title", 3) in [(p.path, p.line) for p in found]
    assert ("$.schedule", 6) in [(p.path, p.line) for p in found]


def test_case_errors_never_quote_the_value():
    doc = parse_json(
        '{"child": {"birth_date": "19800101-1234"}, "municipality": 19800101}', "c.json"
    )
    found = validate(doc, "case", redact=True)
    text = "\n".join(str(p) for p in found)
    assert len(found) == 2
    assert "1234" not in text and "19800101" not in text
    assert "must be a date written YYYY-MM-DD" in text


def test_duplicate_key_is_a_problem():
    found = validate(parse_yaml("id: x\nid: y\n", "d.yaml"), "program", redact=False)
    assert any(p.message.startswith("duplicate key") and p.line == 2 for p in found)


def test_json_path_rendering():
    assert json_path(()) == "$"
    assert json_path(("a", 0, "b_c")) == "$.a[0].b_c"
    assert json_path(("a-b",)) == "$['a-b']"
    # a key that may be a value (a name, an identity number) is not repeated
    assert json_path(("facts", "with space")) == "$.facts[…]"
    assert json_path(("191212121212", 0)) == "$[…][0]"


def test_a_value_put_where_a_key_belongs_is_located_but_not_repeated_in_case_data():
    text = '{"child": {"birth_date": "2026-01-01", "191212121212": 1},\n "facts": {"Anna Svensson": true}}'
    found = validate(parse_json(text, "c.json"), "case", redact=True)
    assert [(p.line, p.path) for p in found] == [(1, "$.child"), (2, "$.facts")]
    assert all("1912" not in str(p) and "Anna" not in str(p) for p in found)
    assert "not shown: it does not look like a field name" in found[0].message
    # a misspelt field name is still shown, with the name it was meant to be
    text = '{"child": {"birth_date": "2026-01-01", "birth_dat": "x"}}'
    (typo,) = validate(parse_json(text, "c.json"), "case", redact=True)
    assert typo.path == "$.child.birth_dat" and "did you mean 'birth_date'" in typo.message

"""Safe loading with positions: YAML and JSON, dates kept as strings, no code executed."""

import re
from pathlib import Path

import pytest
import yaml

from hembesok.io.documents import (
    DocumentError,
    Position,
    load_text,
    parse_json,
    parse_yaml,
    yaml_advice,
)

VAGGERYD = Path(__file__).parents[2] / "plugins" / "vaggeryd" / "hembesok_vaggeryd" / "program.yaml"


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


# --- YAML syntax errors in words, at the place to change ---------------------------------

# (name, file, line, column, message after "YAML syntax error: "); the same words with
# PyYAML's own parser and with libyaml, whose terms differ ("expected <block end>, but
# found '<block mapping start>'" and "did not find expected key").
YAML_MISTAKES = [
    (
        "a line indented deeper under a key whose value is on its line",
        'id: x\nversion: "1.0"\n  title: Habo\n',
        3,
        3,
        "this line is indented deeper than the key above it (line 2), so it is read as part "
        "of that key's value, which is already on that line; line it up with that key "
        "(column 1), or move that value off the key's line if this line belongs under it",
    ),
    (
        "a key indented deeper under a plain value",
        "schedule:\n  - id: newborn\n    age: 2\n      window: x\n",
        4,
        7,
        "this line is indented deeper than the key above it (line 3), so it is read as part "
        "of that key's value, which is already on that line; line it up with that key "
        "(column 5), or move that value off the key's line if this line belongs under it",
    ),
    (
        "a list item less indented than the items above it",
        "eligibility:\n  all:\n    - fact: a\n      equals: true\n   - fact: b\n",
        5,
        4,
        "this list item is indented differently from the list item on line 3 (column 5): "
        "the - of the items of one list line up; move this one to column 5",
    ),
    (
        "a list item under a key that already has its value",
        "schedule:\n  - id: a\n    staff: [kurator]\n     - id: b\n",
        4,
        6,
        "this list item is indented deeper than the key above it (line 3), so it is read as "
        "part of that key's value, which is already on that line; line its - up with the "
        "list item on line 2 (column 3), or remove that key's value if this list is its value",
    ),
    (
        "a key at the column of the list item's dash",
        "sources:\n  - title: Region Jönköpings län\n  confidence: H\n",
        3,
        3,
        "this key stands at the column of the - of the list item on line 2, so it is neither "
        "a new item nor a key of that item: indent it to column 5 to add it to the item, or "
        "start it with - for a new item",
    ),
    (
        "a tab used for indentation",
        "id: x\ntitle:\n  sv: Habo\n\ten: Habo\n",
        4,
        1,
        "this line is indented with a tab, and YAML indents with spaces only: replace the "
        "tab with spaces",
    ),
    (
        "a key less indented than its siblings",
        "title:\n    sv: Habo\n  en: Habo\n",
        3,
        3,
        "this line is indented less than the key above it (line 2, column 5) and more than "
        "the key that holds them (line 1, column 1), so it belongs to neither: keys of one "
        "mapping line up; move it to column 5 or 1",
    ),
    (
        "a key of a list item less indented than its siblings",
        "schedule:\n  - id: a\n    age: {weeks: 2}\n   setting: home\n",
        4,
        4,
        "this line is indented less than the key above it (line 3, column 5) and more than "
        "the - of the list item that holds them (line 2, column 3), so it belongs to "
        "neither: keys of one mapping line up; move it to column 5",
    ),
    (
        "a top-level key less indented than the first",
        "  id: x\nversion: 1\n",
        2,
        1,
        "this line is indented less than the key above it (line 1, column 3), and the keys "
        "at the top of the file line up with the first one: move it to column 3, or start "
        "every top-level key at column 1",
    ),
    (
        "a missing colon",
        'id: x\nversion "1.0"\ntitle: a\n',
        2,
        1,
        "this line has no colon after its key: write the key, a colon and a space, then its "
        "value; if the line continues a text from the line above, indent it deeper than "
        "that text's key",
    ),
    (
        "a missing colon on the first key of a mapping",
        "title:\n  sv Habo\n  en: Habo\n",
        2,
        3,
        "this line has no colon after its key, so it and the lines after it, to line 3, are "
        "read as one text: write the key, a colon and a space, then its value",
    ),
    (
        "a colon and a space inside a text",
        "id: x\nnote: see: the county's page\n",
        2,
        10,
        "a colon followed by a space starts a key, and this one stands inside a text: put "
        "the whole text in quotes",
    ),
    (
        "an unclosed double quote",
        'id: x\ntitle: "Habo\nversion: "1.0"\nowner: Habo\n',
        2,
        8,
        'this text opens with " but is closed only on line 3, so the lines between are read '
        'as part of it: end it with " on this line (a " inside it is written \\")',
    ),
    (
        "an unclosed single quote",
        "id: x\ntitle: 'Habo\nversion: 1\n",
        2,
        8,
        "this text opens with ' but is never closed, so the rest of the file is read as part "
        "of it: end it with ' on this line (a ' inside it is written '')",
    ),
    (
        "an unclosed bracket",
        "id: x\nstaff: [bhv_sjukskoterska, kurator\nsetting: home\n",
        2,
        8,
        "this [ is never closed, so the lines after it are read as part of its list: end "
        "the list with ]",
    ),
    (
        "an unclosed brace before a list item",
        "examples:\n  - expect:\n      missing_facts: {a: 1\n  - name: b\n",
        3,
        22,
        "this { is never closed, so the lines after it are read as part of its mapping: end "
        "the mapping with }",
    ),
    (
        "a missing comma in braces",
        "age: {weeks: 2 days: 3}\n",
        1,
        20,
        "a comma is missing before this point: the items of the mapping in { } that opens "
        "on line 1, column 6, are separated by a comma and a space",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [case[1:] for case in YAML_MISTAKES],
    ids=[case[0] for case in YAML_MISTAKES],
)
def test_a_yaml_mistake_is_said_in_words_where_it_is(text, line, column, message):
    with pytest.raises(DocumentError) as info:
        parse_yaml(text, "p.yaml")
    assert (info.value.position, info.value.message) == (
        Position(line, column),
        f"YAML syntax error: {message}",
    )
    assert str(info.value) == f"p.yaml:{line}:{column}: YAML syntax error: {message}"


@pytest.mark.parametrize(
    "text", [case[1] for case in YAML_MISTAKES], ids=[c[0] for c in YAML_MISTAKES]
)
def test_pyyaml_and_libyaml_give_the_same_words(text):
    with pytest.raises(DocumentError) as info:
        parse_yaml(text, "p.yaml")
    with pytest.raises(yaml.MarkedYAMLError) as pure:
        yaml.load(text, Loader=yaml.SafeLoader)  # the parser written in Python
    assert yaml_advice(pure.value, text) == (
        info.value.position,
        info.value.message,
    )


def test_no_mistake_in_a_bundled_program_is_told_in_the_parsers_terms():
    """Every line of a bundled program shifted, tabbed, stripped of its colon, a quote or a
    bracket: each mistake that breaks the YAML is told in words, never as the parser's
    state, and the message quotes nothing of the file."""
    text = VAGGERYD.read_text(encoding="utf-8")
    lines = text.split("\n")
    told = 0
    for i, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        variants = [" " + line, line[1:], "\t" + line.lstrip(" "), line.replace(": ", " ", 1)]
        variants += [line.replace(c, "", 1) for c in "\"']}" if c in line]
        for variant in variants:
            try:
                parse_yaml("\n".join([*lines[:i], variant, *lines[i + 1 :]]), "p.yaml")
            except DocumentError as exc:
                told += 1
                words = exc.message.removeprefix("YAML syntax error: ")
                assert words.startswith(("this ", "a ", "more ")), (i + 1, exc.message)
                assert not re.search(r"<|expected|found|Vaggeryd", words), (i + 1, exc.message)
    assert told > 500

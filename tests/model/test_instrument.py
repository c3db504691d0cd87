"""Instruments: schema and cross-reference errors at their lines, compiled answer rules."""

from pathlib import Path

import pytest

from hembesok.io.documents import parse_yaml
from hembesok.io.loading import instrument_problems, load_instrument
from hembesok.io.problems import InvalidDocument

DATA = Path(__file__).parents[1] / "data"
MINI = DATA / "mini-instrument.yaml"


def test_mini_instrument_compiles():
    instrument = load_instrument(MINI)
    assert list(instrument.items) == ["smoke", "stairs", "money", "sleep", "hours"]
    assert [d.id for d in instrument.domains] == ["safety", "economy", "load"]
    load = instrument.domains[2]
    assert (load.threshold_for("sv"), load.threshold_for("ar"), load.max_missing) == (20, 10, 1)


def test_answer_rules():
    items = load_instrument(MINI).items
    assert items["smoke"].accepts("yes") and not items["smoke"].accepts(True)
    assert items["smoke"].is_positive("yes") and not items["smoke"].is_positive("no")
    assert items["sleep"].accepts("b") and not items["sleep"].accepts("c")
    assert items["sleep"].score("b") == 2
    assert (
        items["hours"].accepts(24)
        and not items["hours"].accepts(25)
        and not items["hours"].accepts("3")
    )
    assert items["hours"].is_positive(20) and not items["hours"].is_positive(19.5)


def test_domain_naming_a_missing_item_is_rejected_at_its_line(tmp_path):
    text = MINI.read_text().replace("items: [smoke, stairs]", "items: [smoke, stairz]")
    found = instrument_problems(parse_yaml(text, "bad.yaml"))
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "stairz" in t)
    errors = [p for p in found if p.severity == "error"]
    assert [(p.line, p.path) for p in errors] == [(line, "$.domains[0].items[1]")]
    assert "names no item of this instrument: 'stairz'" in errors[0].message
    # …and `stairs`, no longer in any domain, is a warning.
    assert any(
        p.severity == "warning" and "'stairs' belongs to no domain" in p.message for p in found
    )
    with pytest.raises(InvalidDocument):
        load_instrument_text(text, tmp_path)


def load_instrument_text(text, folder):
    path = folder / "bad-instrument.yaml"
    path.write_text(text, encoding="utf-8")
    return load_instrument(path)


def test_schema_checks_answer_shapes_and_flag_rules():
    text = MINI.read_text().replace(
        'answer: {type: yes_no, positive: "yes"}', "answer: {type: yes_no}", 1
    )
    text = text.replace(
        "flag: {rule: any_positive}\n    action",
        "flag: {rule: any_positive, threshold: 3}\n    action",
        1,
    )
    found = instrument_problems(parse_yaml(text, "bad.yaml"))
    messages = {p.path: p.message for p in found}
    assert messages["$.items[0].answer"] == "missing required field 'positive'"
    assert messages["$.domains[0].flag"] == "any_positive takes no cut-off"


def test_duplicate_item_and_option_values():
    text = (
        MINI.read_text()
        .replace("- id: stairs", "- id: smoke", 1)
        .replace("{value: b,", "{value: a,", 1)
    )
    messages = [p.message for p in instrument_problems(parse_yaml(text, "bad.yaml"))]
    assert "item id 'smoke' is used twice (first at items[0])" in messages
    assert "option value 'a' is used twice in this item" in messages

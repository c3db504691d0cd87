"""An explanation as JSON data holds what the text explanation says, node by node."""

import datetime as dt
import json
from pathlib import Path

import hembesok_goteborg
import hembesok_rikshandboken
import hembesok_vaggeryd
import pytest
from click.testing import CliRunner

from hembesok import cli
from hembesok.engine.engine import Engine
from hembesok.language.conditions import Trace
from hembesok.model.case import Case
from hembesok.render.explanation import explanation_json
from hembesok.render.text import explain_text

ROOT = Path(__file__).parents[2]
AS_OF = dt.date(2026, 5, 4)


def case(name):
    return json.loads((ROOT / "examples" / name).read_text())


@pytest.fixture(scope="module")
def engine():
    return Engine.from_modules([hembesok_rikshandboken, hembesok_vaggeryd, hembesok_goteborg])


def explained(engine, name, program):
    data = case(name)
    plan = engine.evaluate(Case.from_dict(data), AS_OF, [program])
    (pp,) = plan.programs
    gestational = data["child"].get("gestational_age")
    return pp, explanation_json(pp, AS_OF, gestational), explain_text(pp, ("sv", "en"), gestational)


def nodes(node):
    yield node
    for child in node.get("children", ()):
        yield from nodes(child)


def trace_nodes(trace: Trace):
    yield trace
    for child in trace.children:
        yield from trace_nodes(child)


@pytest.mark.parametrize(
    ("name", "program"),
    [
        ("vaggeryd-second-child.json", "vaggeryd"),
        ("goteborg-no-area.json", "goteborg"),
        ("goteborg-first-child-opaltorget.json", "goteborg"),
    ],
)
def test_the_trace_is_the_decisions_trace_node_by_node(engine, name, program):
    pp, data, text = explained(engine, name, program)
    json.dumps(data)  # JSON data throughout
    assert data["program"]["id"] == program and data["program"]["sha256"] == pp.program.sha256
    assert data["decision"] == pp.decision.to_json()
    pairs = list(zip(nodes(data["trace"]), trace_nodes(pp.decision.trace), strict=True))
    for node, trace in pairs:
        assert (node["kind"], node["result"], node["path"]) == (
            trace.kind,
            trace.truth.value,
            trace.path,
        )
        assert node.get("fact") == trace.fact
        # every rule the text explanation words, the data words the same
        assert node["rule"]["sv"] in text and node["rule"]["en"] in text
        assert node["path"] in text


def test_a_preterm_child_gets_the_age_basis_of_each_visit(engine):
    pp, data, text = explained(engine, "preterm-30-weeks.json", "rikshandboken")
    corrected = [v for v in pp.visits if v.visit.corrected]
    assert corrected
    assert [row["visit"] for row in data["age_basis"]] == [v.visit.id for v in corrected]
    for row in data["age_basis"]:
        assert row["age_basis"] in ("corrected", "chronological")
        assert row["reason"]["sv"] in text and row["reason"]["en"] in text


def test_explain_format_json_on_the_command_line():
    result = CliRunner().invoke(
        cli.main,
        [
            "explain",
            str(ROOT / "examples" / "vaggeryd-second-child.json"),
            "--program",
            "vaggeryd",
            "--as-of",
            "2026-05-04",
            "--format",
            "json",
        ],
        env={"HEMBESOK_DISABLED_PLUGINS": ""},
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["as_of"] == "2026-05-04"
    assert data["decision"]["status"] == "not_eligible"
    assert data["trace"]["result"] == "false"

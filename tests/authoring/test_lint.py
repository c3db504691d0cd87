"""Checks beyond the schema: each mistake located at file:line:column, saying what would be right."""

import json
import types
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from hembesok import cli
from hembesok.authoring.lint import (
    case_facts,
    condition_roots,
    derived_facts,
    lint_program,
    strict,
)
from hembesok.io import schemas
from hembesok.io.documents import load_text
from hembesok.io.loading import program_problems
from hembesok.plugins.manager import make_plugin_manager

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data"
VAGGERYD = ROOT / "plugins" / "vaggeryd" / "hembesok_vaggeryd" / "program.yaml"

BASE = {
    "id": "linted",
    "version": "1.0",
    "title": {"sv": "Prov", "en": "Test"},
    "sources": [{"title": "test", "confidence": "H"}],
    "eligibility": {"fact": "first_child.either_parent", "equals": True},
    "schedule": [
        {
            "id": "newborn",
            "title": {"sv": "Nyfödd", "en": "Newborn"},
            "age": {"weeks": 2},
            "window": {"before": {"weeks": 1}, "after": {"weeks": 1}},
            "staff": ["bhv_sjukskoterska"],
            "setting": "home",
        },
        {
            "id": "two_months",
            "title": {"sv": "2 månader", "en": "2 months"},
            "age": {"months": 2},
            "window": {"before": {"weeks": 2}, "after": {"weeks": 2}},
            "staff": ["bhv_sjukskoterska"],
            "setting": "home",
        },
    ],
}


def lint(data, plugins=None):
    """Lint a program given as data, written out as YAML so positions are real."""
    doc = load_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "p.yaml")
    found = program_problems(doc)
    return found + lint_program(doc, found, plugins or make_plugin_manager(modules=[], env={}))


def with_(**changes):
    return {**json.loads(json.dumps(BASE)), **changes}


def messages(problems):
    return [(p.path, p.severity, p.message) for p in problems]


def test_a_bundled_program_has_no_problem():
    doc = load_text(VAGGERYD.read_text(), str(VAGGERYD))
    assert lint_program(doc, program_problems(doc)) == []


def test_case_facts_come_from_the_case_schema():
    facts = case_facts()
    assert facts["municipality"] == "string"
    assert facts["first_child.either_parent"] == "boolean"
    assert facts["moved_in_on"] == "date"
    # identity numbers, visit lists and free facts are not facts of their own
    assert not any(
        name.startswith(("child.identifier", "visits_done", "declined", "facts", "responses"))
        for name in facts
    )


def test_unknown_fact_with_did_you_mean():
    found = lint(with_(eligibility={"fact": "municipalty", "equals": "Eksjö"}))
    assert messages(found) == [
        (
            "$.eligibility.fact",
            "error",
            "unknown fact 'municipalty': the case schema has no such fact and no installed "
            "plugin derives it; did you mean 'municipality'?",
        )
    ]
    assert (found[0].line, found[0].column) == (10, 9)  # the value after `fact:`


def test_free_facts_core_derived_facts_and_plugin_declared_facts_are_known():
    assert lint(with_(eligibility={"fact": "facts.skyddad_adress", "exists": False})) == []
    assert lint(with_(eligibility={"fact": "child.age_months", "less_than": 12})) == []
    deriving = types.ModuleType("deriving")
    deriving.HEMBESOK_DERIVED_FACTS = ("postcode_area",)
    plugins = make_plugin_manager(modules=[deriving], env={})
    assert "postcode_area" in derived_facts(plugins)
    program = with_(eligibility={"fact": "postcode_area", "equals": "Norr"})
    assert lint(program, plugins) == []
    assert [p.path for p in lint(program)] == ["$.eligibility.fact"]


def test_an_age_test_on_an_unknown_date_fact():
    found = lint(with_(eligibility={"age": {"on": "moved_on", "under": {"months": 2}}}))
    assert found[0].path == "$.eligibility.age.on"
    assert "did you mean 'moved_in_on'?" in found[0].message


def test_an_operand_of_the_wrong_kind_for_the_fact():
    found = lint(with_(eligibility={"fact": "first_child.either_parent", "equals": "yes"}))
    assert messages(found) == [
        (
            "$.eligibility.equals",
            "error",
            "'first_child.either_parent' is true or false in a case, so 'equals: 'yes'' can "
            "never be decided; write equals: true or equals: false",
        )
    ]
    assert lint(with_(eligibility={"fact": "municipality", "at_least": 3}))[0].path == (
        "$.eligibility.at_least"
    )
    assert lint(with_(eligibility={"fact": "moved_in_on", "on_or_after": "2026-01-01"})) == []


SINGLE_BRANCH = """\
id: linted
version: "1.0"
title: {sv: Prov, en: Test}
sources: [{title: test, confidence: H}]
eligibility:
  all:
    - any:
        - {fact: first_child.either_parent, equals: true}
    - not:
        all:
          - {fact: municipality, equals: Habo}
    - any:
        - {fact: needs_support, equals: true}
        - {fact: first_child.birthing_parent, equals: true}
schedule:
  - id: newborn
    title: {sv: Nyfödd, en: Newborn}
    age: {weeks: 2}
    window: {before: {weeks: 1}, after: {weeks: 1}}
    staff: [bhv_sjukskoterska]
    setting: home
"""


def single_branch(kind):
    return (
        f"`{kind}` has a single branch, and a single branch needs no `{kind}`: write that "
        f"branch's condition here in place of `{kind}:` and its one-item list (add `{kind}:` "
        "again when a second branch comes)"
    )


def test_an_any_or_all_of_one_branch_is_a_warning_at_its_key():
    doc = load_text(SINGLE_BRANCH, "p.yaml")
    found = lint_program(doc, program_problems(doc), make_plugin_manager(modules=[], env={}))
    assert [(p.line, p.column, p.path, p.severity, p.message) for p in found] == [
        (7, 7, "$.eligibility.all[0].any", "warning", single_branch("any")),
        (10, 9, "$.eligibility.all[1].not.all", "warning", single_branch("all")),
    ]
    assert str(found[0]) == f"p.yaml:7:7: $.eligibility.all[0].any: warning: {single_branch('any')}"


def test_the_single_branch_written_out_is_clean_and_plans_the_same():
    lines = SINGLE_BRANCH.splitlines()
    written_out = "\n".join(
        [
            *lines[:6],
            "    - {fact: first_child.either_parent, equals: true}",
            "    - not: {fact: municipality, equals: Habo}",
            *lines[11:],
        ]
    )
    doc = load_text(written_out, "p.yaml")
    found = program_problems(doc)
    assert found == [] and lint_program(doc, found, make_plugin_manager(modules=[], env={})) == []


def test_a_single_branch_the_schema_already_rejects_gets_the_schema_error_only():
    found = lint(with_(eligibility={"any": [{"fact": "municipality", "equal": "Habo"}]}))
    assert [(p.path, p.severity) for p in found] == [("$.eligibility.any[0].equal", "error")]
    clean = lint(with_(eligibility={"any": [{"fact": "municipality", "equals": "Habo"}]}))
    assert [(p.path, p.severity) for p in clean] == [("$.eligibility.any", "warning")]


def test_conditions_are_found_wherever_the_program_schema_places_one(monkeypatch):
    """A condition the schema allows on a visit (as a later schema may) is checked there
    too: the places come from the schema, not from a list in the lint."""
    program = json.loads(json.dumps(schemas.schema("program")))
    visit = program["$defs"]["visit"]
    visit["properties"]["offered_if"] = {"$ref": "#/$defs/condition"}
    real = schemas.schema
    monkeypatch.setattr(
        schemas, "schema", lambda name: program if name == "program" else real(name)
    )
    data = with_()
    data["schedule"][1]["offered_if"] = {"all": [{"fact": "needs_suport", "equals": True}]}
    doc = load_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "p.yaml")
    assert [path for _, path in condition_roots(doc)] == [
        ("eligibility",),
        ("schedule", 1, "offered_if"),
    ]
    found = lint_program(doc, (), make_plugin_manager(modules=[], env={}))
    assert [(p.path, p.severity) for p in found] == [
        ("$.schedule[1].offered_if.all[0].fact", "error"),  # unknown fact, did you mean
        ("$.schedule[1].offered_if.all", "warning"),
    ]


def test_no_bundled_program_has_an_any_or_all_of_one_branch():
    files = sorted(str(p) for p in ROOT.glob("plugins/*/hembesok_*/*.yaml"))
    result = invoke("validate", "--strict", *files)
    assert result.exit_code == 0, result.output
    assert "single branch" not in result.output


def test_unknown_staff_role_and_own_roles():
    program = with_()
    program["schedule"][0]["staff"] = ["bhv_sjukskoterska", "kuratr"]
    found = lint(program)
    assert messages(found) == [
        ("$.schedule[0].staff[1]", "error", "unknown staff role 'kuratr'; did you mean 'kurator'?")
    ]
    program["roles"] = {"kuratr": {"sv": "Kuratr", "en": "Kuratr"}}
    assert lint(program) == []


def test_visits_out_of_age_order():
    program = with_()
    program["schedule"].reverse()
    found = lint(program)
    assert messages(found) == [
        (
            "$.schedule[1].age",
            "error",
            "visit 'newborn' at 2 weeks comes after 'two_months' at 2 months; list the visits "
            "in age order: newborn, two_months",
        )
    ]


def test_overlapping_windows_are_a_warning_but_a_shared_boundary_day_is_not():
    program = with_()
    program["schedule"][1]["window"]["before"] = {"weeks": 7}  # reaches back into the newborn's
    found = lint(program)
    assert [(p.path, p.severity) for p in found] == [("$.schedule[1].window", "warning")]
    assert "overlaps the window of 'newborn' (schedule[0])" in found[0].message
    assert "shorten one window" in found[0].message
    # The newborn window ends at 3 weeks; one opening on that very day only touches it.
    program["schedule"][1]["age"] = {"weeks": 6}
    program["schedule"][1]["window"]["before"] = {"weeks": 3}  # opens on the newborn's last day
    assert lint(program) == []


def test_blank_and_copied_texts():
    program = with_(title={"sv": "Prov", "en": "  "})
    program["schedule"][0]["topics"] = [
        {"sv": "Amning och mat i hemmet", "en": "Amning och mat i hemmet"}
    ]
    found = lint(program)
    assert messages(found) == [
        ("$.title.en", "error", "the English text is blank; write it in English"),
        (
            "$.schedule[0].topics[0].en",
            "warning",
            "the English text is the Swedish one copied; translate it",
        ),
    ]


def test_sites_outside_the_programs_validity():
    program = with_(
        valid_from="2020-01-01",
        valid_to="2024-12-31",
        sites={
            "match": "municipality",
            "list": [
                {"id": "a", "name": "A", "start": "2019-01-01"},
                {"id": "b", "name": "B", "start": "2025-03-01"},
                {"id": "c", "name": "C", "start": "2018-01-01", "end": "2019-06-30"},
                {"id": "d", "name": "D", "start": "2020-01-01"},
            ],
        },
    )
    found = lint(program)
    assert [p.path for p in found] == [
        "$.sites.list[0].start",
        "$.sites.list[1].start",
        "$.sites.list[2].start",
        "$.sites.list[2].end",
    ]
    assert "site 'B' starts 2025-03-01, after the program's valid_to 2024-12-31" in (
        found[1].message
    )


def test_a_failing_example_is_located_at_each_wrong_expectation():
    program = with_(
        examples=[
            {
                "name": "first child",
                "as_of": "2026-03-20",
                "case": {
                    "child": {"birth_date": "2026-03-10"},
                    "first_child": {"either_parent": True},
                },
                "expect": {"decision": "not_eligible", "visits": {"newborn": "due"}},
            }
        ]
    )
    found = lint(program)
    assert messages(found) == [
        (
            "$.examples[0].expect.decision",
            "error",
            "example 'first child' fails: decision: expected not_eligible, got eligible",
        )
    ]


def test_an_example_whose_case_cannot_be_planned():
    program = with_(
        examples=[
            {
                "name": "born after the as-of date",
                "as_of": "2026-03-01",
                "case": {"child": {"birth_date": "2026-03-10"}},
                "expect": {"decision": "undetermined"},
            }
        ]
    )
    found = lint(program)
    assert [p.path for p in found] == ["$.examples[0].case.child.birth_date"]
    assert found[0].message.startswith(
        "example 'born after the as-of date' cannot be planned: is after the as-of date"
    )


def test_a_schema_invalid_file_is_still_linted_without_repeating_the_schema():
    found = lint(with_(eligibility={"fact": "municipalty", "equal": "x"}))
    paths = [p.path for p in found]
    assert "$.eligibility.fact" in paths and "$.eligibility.equal" in paths
    assert len(found) == len(set(paths))


def test_strict_turns_warnings_into_errors():
    program = with_()
    program["schedule"][1]["window"]["before"] = {"weeks": 7}
    assert [p.severity for p in strict(lint(program))] == ["error"]


def invoke(*args):
    return CliRunner().invoke(cli.main, list(args))


def test_five_mistakes_give_five_located_messages():
    path = str(DATA / "five-mistakes.yaml")
    result = invoke("validate", path)
    assert result.exit_code == 1
    located = [line for line in result.output.splitlines() if line.startswith(path + ":")]
    assert [line.removeprefix(path + ":").split(": ", 2)[:2] for line in located] == [
        ["13:39", "$.sites.list[0].start"],
        ["18:13", "$.eligibility.any[1].fact"],
        ["20:14", "$.eligibility.any[1].label"],
        ["36:10", "$.schedule[2].age"],
        ["49:42", "$.examples[0].expect.visits.two_months"],
    ]
    said = "\n".join(located)
    for right in (
        "set its start on or after 2020-01-01",
        "did you mean 'needs_support'?",
        "missing required field 'en'",
        "list the visits in age order: newborn, two_months, eight_months",
        "expected due, got upcoming",
    ):
        assert right in said
    data = json.loads(invoke("validate", "--format", "json", path).output)
    assert data["valid"] is False and len(data["problems"]) == 5


def test_validate_strict_fails_on_a_warning_only_file(tmp_path):
    program = with_()
    program["schedule"][1]["window"]["before"] = {"weeks": 7}
    path = tmp_path / "overlap.yaml"
    path.write_text(yaml.safe_dump(program, allow_unicode=True))
    relaxed = invoke("validate", str(path))
    assert relaxed.exit_code == 0 and ": warning: the window of 'two_months'" in relaxed.output
    strict_run = invoke("validate", "--strict", "--format", "json", str(path))
    assert strict_run.exit_code == 1
    problems = json.loads(strict_run.output)["problems"]
    assert [p["severity"] for p in problems] == ["error"]


@pytest.mark.parametrize("name", ["three-mistakes.yaml"])
def test_lint_adds_nothing_to_a_file_the_schema_already_explains(name):
    doc = load_text((DATA / name).read_text(), name)
    found = program_problems(doc)
    assert lint_program(doc, found, make_plugin_manager(modules=[], env={})) == []


def test_an_example_with_a_questionnaire_response_is_scored_with_the_installed_instrument():
    import hembesok_barnsakert

    path = Path(hembesok_barnsakert.__file__).parent / "program.yaml"
    data = yaml.safe_load(path.read_text())
    response = json.loads((ROOT / "examples" / "barnsakert-response.json").read_text())
    del response["$schema"]
    example = {
        "name": "a response at ten months",
        "as_of": "2026-07-03",
        "case": {
            "child": {"birth_date": "2025-09-10"},
            "municipality": "Sundsvall",
            "listed_bvc": "Sundsvall BVC",
            "responses": [response],
        },
        "expect": {"decision": "eligible", "visits": {"ten_months": "due"}},
    }
    data["examples"] = [example]
    plugins = make_plugin_manager(modules=[hembesok_barnsakert], env={})
    assert lint(data, plugins) == []
    example["expect"]["visits"]["ten_months"] = "missed"
    (problem,) = lint(data, plugins)
    assert problem.message.endswith("visit ten_months: expected missed, got due")


def test_site_facts_are_known_with_their_declared_types():
    sites = {
        "match": "municipality",
        "attributes": {"cni": {"title": {"sv": "CNI", "en": "CNI"}, "type": "number"}},
        "list": [{"id": "vaggeryd", "name": "Vaggeryd", "attributes": {"cni": 1.4}}],
    }
    ok = with_(sites=sites, eligibility={"fact": "site.cni", "greater_than": 1.3})
    assert lint(ok) == []
    unknown = with_(sites=sites, eligibility={"fact": "site.cnj", "greater_than": 1.3})
    ((path, severity, message),) = messages(lint(unknown))
    assert (path, severity) == ("$.eligibility.fact", "error")
    assert message.startswith("unknown fact 'site.cnj'") and "did you mean 'site.cni'?" in message
    wrong = with_(sites=sites, eligibility={"fact": "site.cni", "equals": "high"})
    ((path, _, message),) = messages(lint(wrong))
    assert path == "$.eligibility.equals" and "'site.cni' is a number" in message
    without_sites = with_(eligibility={"fact": "site.id", "exists": True})
    assert messages(lint(without_sites))[0][2].startswith("unknown fact 'site.id'")

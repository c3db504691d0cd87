"""`hembesok new-plugin`: a complete plugin package whose own tests pass the moment it is made."""

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from hembesok.authoring.examples import check_examples
from hembesok.authoring.lint import lint_program
from hembesok.authoring.scaffold import (
    ScaffoldError,
    check_name,
    create_plugin,
    render,
    suggest_name,
)
from hembesok.authoring.testing import plan_for, statuses
from hembesok.engine.engine import Engine
from hembesok.io.documents import load_text
from hembesok.io.loading import program_problems
from hembesok.language.program import Program
from hembesok.plugins.manager import make_plugin_manager

ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("name", ["eksjo", "habo2", "aneby_kommun"])
def test_valid_names(name):
    assert check_name(name) == name


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [("Eksjö", "eksjo"), ("värnamo-kommun", "varnamo_kommun"), ("2town", "p_2town"), ("", "")],
)
def test_invalid_names_say_what_would_do(name, suggestion):
    with pytest.raises(ScaffoldError, match="lower-case letters, digits and underscores") as info:
        check_name(name)
    if suggestion:
        assert f"Try '{suggestion}'" in str(info.value)
    assert suggest_name(name) == (suggestion or "my_program")


def test_every_file_is_rendered_with_no_placeholder_left():
    files = render("eksjo", ["Eksjö"])
    assert sorted(files) == [
        ".gitignore",
        "README.md",
        "hembesok_eksjo/__init__.py",
        "hembesok_eksjo/program.schema.json",
        "hembesok_eksjo/program.yaml",
        "pyproject.toml",
        "tests/test_eksjo.py",
    ]
    assert "hembesok_eksjo/program.schema.json" not in render("eksjo", [], "https://x/s.json")
    for path, text in files.items():
        assert not re.search(r"\{\{[a-z_]+\}\}", text), path
    project = tomllib.loads(files["pyproject.toml"])
    assert project["project"]["name"] == "hembesok-eksjo"
    assert project["project"]["entry-points"]["hembesok"] == {"eksjo": "hembesok_eksjo"}
    assert project["project"]["dependencies"] == ["hembesok>=0.1"]
    assert project["tool"]["setuptools"]["package-data"] == {"hembesok_eksjo": ["program.yaml"]}
    compile(files["tests/test_eksjo.py"], "test_eksjo.py", "exec")
    compile(files["hembesok_eksjo/__init__.py"], "__init__.py", "exec")


def test_the_program_starts_with_the_editor_lines_and_is_valid_with_passing_examples():
    text = render("eksjo", ["Eksjö"], "../schemas/program.schema.json")[
        "hembesok_eksjo/program.yaml"
    ]
    assert text.splitlines()[:2] == [
        "# yaml-language-server: $schema=../schemas/program.schema.json",
        "# $schema: ../schemas/program.schema.json",
    ]
    doc = load_text(text, "program.yaml")
    found = program_problems(doc)
    assert found == []
    assert lint_program(doc, found, make_plugin_manager(modules=[], env={})) == []
    program = Program.compile(doc.data)
    assert program.id == "eksjo" and program.title["sv"] == "Eksjö – hembesök i samverkan"
    assert len(program.definition["examples"]) >= 2
    engine = Engine(make_plugin_manager(modules=[], env={}), {"eksjo": program})
    assert all(check.passed for check in check_examples(engine, program))


def test_municipalities_become_sites_and_odd_names_stay_intact():
    text = render("granna", ["Gränna: centrum", "Visingsö"], "s.json")[
        "hembesok_granna/program.yaml"
    ]
    data = yaml.safe_load(text)
    assert [(s["id"], s["name"]) for s in data["sites"]["list"]] == [
        ("granna_centrum", "Gränna: centrum"),
        ("visingso", "Visingsö"),
    ]
    assert data["examples"][0]["case"]["municipality"] == "Gränna: centrum"
    test_file = render("granna", ["Gränna: centrum"], "s.json")["tests/test_granna.py"]
    assert '"municipality"' not in test_file  # it reads its case from the program's example
    with pytest.raises(ScaffoldError, match="without quotes"):
        render("granna", ['Gränna "C"'], "s.json")


def test_without_a_municipality_the_name_stands_in():
    data = yaml.safe_load(render("habo", [], "s.json")["hembesok_habo/program.yaml"])
    assert data["sites"]["list"][0]["name"] == "Habo"


def test_create_writes_the_files_and_refuses_to_overwrite(tmp_path):
    made = create_plugin("eksjo", tmp_path, ["Eksjö"])
    assert made.root == tmp_path / "hembesok-eksjo"
    assert all(p.is_file() for p in made.files) and len(made.files) == 7
    with pytest.raises(ScaffoldError, match="already exists"):
        create_plugin("eksjo", tmp_path)


def run(*args, **kwargs):
    result = subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, check=False, **kwargs
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


@pytest.mark.slow
def test_a_new_plugin_installs_in_a_fresh_venv_is_listed_and_its_tests_pass(tmp_path, fresh_venv):
    # The core wheel first, so that the plugin's `hembesok>=0.1` is already satisfied.
    bindir = fresh_venv()
    run(bindir / "hembesok", "new-plugin", "eksjo", "--municipality", "Eksjö", cwd=tmp_path)
    plugin = tmp_path / "hembesok-eksjo"
    run(bindir / "python", "-m", "pip", "install", "--quiet", f"{plugin}[test]")

    listed = json.loads(run(bindir / "hembesok", "plugins", "--json").stdout)
    assert {p["name"]: p["distribution"] for p in listed["plugins"]}["eksjo"] == "hembesok-eksjo"
    assert listed["failed"] == [] and listed["invalid_programs"] == []

    tests = run(bindir / "python", "-m", "pytest", "-p", "no:cacheprovider", cwd=plugin)
    summary = tests.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"=+ 9 passed in [\d.]+s =+", summary), tests.stdout
    assert "plugins: hembesok-0.1.0" in tests.stdout  # found through the pytest11 entry point
    examples = run(bindir / "hembesok", "test", "eksjo", cwd=tmp_path)
    assert "3 example(s): 3 passed, 0 failed — all passed" in examples.stdout


def edit(path, *changes):
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")


@pytest.mark.slow
def test_the_generated_tests_follow_a_rule_and_its_example_changed_together(tmp_path):
    """The author reads the rule as the birthing parent's first child and names the first
    visit otherwise, in the rule and in the examples: the tests they never wrote still pass,
    run by pytest against the installed engine with the plugin installed beside it."""
    made = create_plugin("eksjo", tmp_path, ["Eksjö"])
    program = made.root / "hembesok_eksjo" / "program.yaml"
    edit(
        program,
        ('version: "0.1.0"', 'version: "0.2.0"'),
        ("  fact: first_child.either_parent", "  fact: first_child.birthing_parent"),
        ("first_child: {either_parent: true}", "first_child: {birthing_parent: true}"),
        ("first_child: {either_parent: false}", "first_child: {birthing_parent: false}"),
        ("[first_child.either_parent]", "[first_child.birthing_parent]"),
        ("  - id: newborn", "  - id: two_weeks"),
        ("visits: {newborn: due,", "visits: {two_weeks: due,"),
    )
    # The change is real: the family the template's first example described is planned
    # otherwise now (the birthing parent's first child is not known for it).
    doc = load_text(program.read_text(encoding="utf-8"), str(program))
    edited = Program.compile(doc.data)
    engine = Engine(make_plugin_manager(modules=[], env={}), {"eksjo": edited})
    before = yaml.safe_load(render("eksjo", ["Eksjö"], "s.json")["hembesok_eksjo/program.yaml"])
    first = before["examples"][0]
    got = plan_for(engine, first["case"], first["as_of"], "eksjo")
    assert got.decision.status == "undetermined" and "newborn" not in statuses(got)

    site = tmp_path / "site-packages"
    run(
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-deps",
        "--no-build-isolation",
        "--target",
        site,
        made.root,
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    tests = run(sys.executable, "-m", "pytest", "-p", "no:cacheprovider", cwd=made.root, env=env)
    summary = tests.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"=+ 9 passed in [\d.]+s =+", summary), tests.stdout
    assert (
        "test_the_first_example_plans_as_it_expects PASSED"
        in run(
            sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-v", cwd=made.root, env=env
        ).stdout
    )

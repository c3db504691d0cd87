"""`hembesok plugins` and `programs`: which version is the package's and which the program's."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from hembesok import cli
from hembesok.cli.info import versions_shown
from hembesok.io import schemas

ROOT = Path(__file__).parents[2]


def invoke(*args):
    return CliRunner().invoke(cli.main, list(args), env={"HEMBESOK_DISABLED_PLUGINS": ""})


@pytest.mark.parametrize(
    ("items", "package", "version", "shown"),
    [
        (
            [("program", "nassjo", "1.1.0")],
            "hembesok-nassjo",
            "1.0.0",
            "nassjo 1.1.0 (program), package hembesok-nassjo 1.0.0",
        ),
        (
            [("program", "vaggeryd", "1.0.0")],
            "hembesok-vaggeryd",
            "1.0.0",
            "vaggeryd 1.0.0 (program and package hembesok-vaggeryd)",
        ),
        (
            [("program", "rikshandboken", "1.1.0"), ("instrument", "epds", "1.0.0")],
            "hembesok-rikshandboken",
            "1.0.0",
            "rikshandboken 1.1.0 (program), epds 1.0.0 (instrument), package "
            "hembesok-rikshandboken 1.0.0",
        ),
        ([("program", "x", "2.0")], "hembesok_x", "", "x 2.0 (program), package hembesok_x"),
        ([("program", "x", "2.0")], "", "", "x 2.0 (program)"),
        ([], "hembesok-hooks-only", "0.3.0", "package hembesok-hooks-only 0.3.0"),
    ],
)
def test_versions_are_shown_each_with_what_it_is_the_version_of(items, package, version, shown):
    assert versions_shown(items, package, version) == shown


def test_plugins_says_which_version_is_the_packages_and_which_the_programs():
    lines = invoke("plugins").output.splitlines()
    assert (
        "nassjo  nassjo 1.1.0 (program), package hembesok-nassjo 1.0.0  hooks: hembesok_programs"
        in lines
    )
    assert (
        "vaggeryd  vaggeryd 1.0.0 (program and package hembesok-vaggeryd)  hooks: hembesok_programs"
        in lines
    )
    riks = next(line for line in lines if line.startswith("rikshandboken  "))
    assert riks.startswith("rikshandboken  rikshandboken 1.3.0 (program), epds ")
    assert "(instrument), package hembesok-rikshandboken 1.0.0  hooks: " in riks
    assert lines[0].startswith("hembesok.declarative  package hembesok ")
    assert lines[0].split("  ")[1].endswith(" (built in)")


def test_plugins_json_names_package_program_and_instrument_versions():
    data = json.loads(invoke("plugins", "--json").output)
    plugins = {p["name"]: p for p in data["plugins"]}
    nassjo = plugins["nassjo"]
    assert nassjo["distribution"] == "hembesok-nassjo"
    assert nassjo["package_version"] == "1.0.0"
    assert nassjo["programs"] == [{"id": "nassjo", "program_version": "1.1.0"}]
    assert nassjo["instruments"] == [] and "version" not in nassjo
    riks = plugins["rikshandboken"]
    assert [i["id"] for i in riks["instruments"]] == ["epds"]
    assert set(riks["instruments"][0]) == {"id", "instrument_version"}
    builtin = plugins["hembesok.declarative"]
    assert builtin["builtin"] is True and builtin["programs"] == []


def test_programs_shows_the_program_version_and_the_package_version_when_they_differ():
    lines = invoke("programs", "--lang", "en").output.splitlines()
    nassjo = next(line for line in lines if line.startswith("nassjo "))
    assert nassjo.startswith("nassjo 1.1.0 (program), package hembesok-nassjo 1.0.0  Nässjö – ")
    rows = json.loads(invoke("programs", "--json").output)["programs"]
    assert {r["id"]: r["version"] for r in rows}["nassjo"] == "1.1.0"  # rows of list_programs


def test_schema_self_contained_prints_the_copy_new_plugin_writes(tmp_path):
    result = invoke("schema", "program", "--self-contained")
    assert result.exit_code == 0
    made = invoke("new-plugin", "eksjo", "--dir", str(tmp_path))
    assert made.exit_code == 0, made.output
    copy = tmp_path / "hembesok-eksjo" / "hembesok_eksjo" / "program.schema.json"
    assert result.output == copy.read_text(encoding="utf-8")
    schema = json.loads(result.output)
    assert schema["$id"] == "urn:hembesok:schema:program:1"
    assert (
        '"$ref": "urn:' not in result.output
        and '"$ref": "urn:' in invoke("schema", "program").output
    )
    assert invoke("schema", "program").output != result.output  # the shipped one is as it was


@pytest.mark.parametrize("name", schemas.NAMES)
def test_schema_bundle_prints_the_committed_bundle_and_self_contained_is_its_alias(name):
    bundle = invoke("schema", name, "--bundle")
    assert bundle.exit_code == 0
    committed = ROOT / "schemas" / "bundled" / f"{name}.schema.json"
    assert bundle.output == committed.read_text(encoding="utf-8")
    assert invoke("schema", name, "--self-contained").output == bundle.output
    assert '"$ref": "urn:' not in bundle.output


def test_schema_help_offers_the_bundle_under_both_names():
    # the names themselves: tests/cli/test_listing.py
    shown = " ".join(invoke("schema", "--help").output.split())
    assert "--bundle, --self-contained" in shown

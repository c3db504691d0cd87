"""`hembesok report` on the whole road: cases → batch --to parquet → report, and straight from cases."""

import datetime as dt
import importlib.util
import json
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from hembesok import cli
from hembesok.api import Pipeline
from hembesok.engine.engine import Engine

ROOT = Path(__file__).parents[2]
AS_OF = dt.date(2026, 5, 4)
#: Planted where a journal puts an identity number: it must come out nowhere.
MARKER = "PLANTED191212121212"


def _generate():
    spec = importlib.util.spec_from_file_location(
        "hembesok_bench_generate", ROOT / "benchmarks" / "generate.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    """Generated families, each child with a planted identity number."""
    engine = Engine.from_installed()
    families = list(_generate().families(400, 7, AS_OF, engine))
    for n, case in enumerate(families):
        case["child"]["identifier"] = {"system": "urn:test:personnummer", "value": f"{MARKER}{n}"}
    path = tmp_path_factory.mktemp("cases") / "cases.ndjson"
    path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in families))
    return path, families, engine


def _run(*args):
    return CliRunner().invoke(cli.main, list(args))


@pytest.fixture(scope="module")
def tables(cases, tmp_path_factory):
    out = tmp_path_factory.mktemp("batch") / "out"
    result = _run("batch", str(cases[0]), "--as-of", AS_OF.isoformat(), "--to", "parquet", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_batch_then_report_gives_a_page_with_charts_and_no_identity_number(tables, tmp_path):
    page = tmp_path / "report.html"
    result = _run("report", str(tables), "--week", "2026-W20", "--format", "html", "-o", str(page))
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert text.count("<svg") >= 3 and "Arbetslistor vecka 2026-W20" in text
    assert MARKER not in text


def test_every_output_is_free_of_the_planted_identity_numbers(tables, tmp_path):
    result = _run("report", str(tables), "--format", "json", "--week", "2026-W20")
    assert result.exit_code == 0 and MARKER not in result.output
    document = json.loads(result.output)
    assert document["tables"]["worklist"], "a week of 400 families has something to do"
    _run("report", str(tables), "--format", "csv", "-o", str(tmp_path / "csv"))
    files = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert files == [f"{n}.csv" for n in sorted(document["tables"])]
    assert all(MARKER not in p.read_text() for p in (tmp_path / "csv").iterdir())


def test_coverage_agrees_with_the_plans(cases, tables):
    """The region's counts per program, against the same cases planned one by one."""
    _, families, engine = cases
    pipeline = Pipeline(engine)
    target, undetermined, declined = Counter(), Counter(), Counter()
    for case in families:
        plan = pipeline.plan(pipeline.read(case, AS_OF), AS_OF).to_json()
        for program in plan["programs"]:
            decision = program["decision"]
            if decision["status"] in ("eligible", "undetermined"):
                target[program["program"]["id"]] += 1
            if decision["status"] == "undetermined":
                undetermined[program["program"]["id"]] += 1
            elif decision.get("declined") and decision["status"] == "eligible":
                declined[program["program"]["id"]] += 1
    result = _run("report", str(tables), "--format", "json", "--min-count", "1")
    rows = [r for r in json.loads(result.output)["tables"]["coverage"] if r["all_bvcs"]]
    assert {r["program"]: r["target_group"] for r in rows} == +target
    assert {r["program"]: r["undetermined"] for r in rows if r["undetermined"]} == +undetermined
    assert {r["program"]: r["declined"] for r in rows if r["declined"]} == +declined


def test_a_cases_file_gives_the_report_its_tables_give(cases, tables):
    from_tables = _run("report", str(tables), "--format", "json", "--week", "2026-W20")
    from_cases = _run(
        "report", str(cases[0]), "--format", "json", "--week", "2026-W20", "--as-of", "2026-05-04"
    )
    assert from_cases.exit_code == 0, from_cases.output
    assert json.loads(from_cases.output)["tables"] == json.loads(from_tables.output)["tables"]


def test_the_default_week_is_the_one_after_the_tables_as_of(tables):
    document = json.loads(_run("report", str(tables), "--format", "json").output)
    assert document["week"]["id"] == "2026-W20"  # 2026-05-04 is in week 19


@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (["--week", "2026-W99"], 2, "no ISO week 99"),
        (["--format", "csv"], 2, "give a directory"),
        (["--min-count", "0"], 2, "--min-count"),
    ],
)
def test_usage_errors(tables, args, code, says):
    result = _run("report", str(tables), *args)
    assert result.exit_code == code and says in result.output


def test_a_directory_without_tables_is_exit_1(tmp_path):
    result = _run("report", str(tmp_path))
    assert result.exit_code == 1 and "no decisions.parquet" in result.output


def test_an_existing_output_is_not_overwritten_without_force(tables, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("mine")
    assert _run("report", str(tables), "-o", str(page)).exit_code == 2
    assert page.read_text() == "mine"
    assert _run("report", str(tables), "-o", str(page), "--force").exit_code == 0


def test_the_json_document_follows_its_schema(tables):
    import jsonschema

    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    document = json.loads(_run("report", str(tables), "--format", "json").output)
    jsonschema.Draft202012Validator(schema).validate(document)


def test_batch_to_csv_gives_the_report_parquet_gives(cases, tables, tmp_path):
    out = tmp_path / "csv-tables"
    result = _run("batch", str(cases[0]), "--as-of", AS_OF.isoformat(), "--to", "csv", str(out))
    assert result.exit_code == 0, result.output
    from_csv = _run("report", str(out), "--format", "json")
    from_parquet = _run("report", str(tables), "--format", "json")
    assert json.loads(from_csv.output) == json.loads(from_parquet.output)


def _worklist_by_bvc(tables):
    document = json.loads(_run("report", str(tables), "--format", "json").output)
    refs = {}
    for row in document["tables"]["worklist"]:
        refs.setdefault(row["bvc"], set()).add(row["case_ref"])
    return refs


def test_a_bvcs_page_holds_no_other_bvcs_case_refs(tables, tmp_path):
    refs = _worklist_by_bvc(tables)
    mine = max((b for b in refs if b), key=lambda b: len(refs[b]))
    others = set().union(*(r for b, r in refs.items() if b != mine)) - refs[mine]
    assert others, "the region has other BVCs with work this week"
    typed = "  " + mine.upper().replace(" ", "   ") + " "  # as a coordinator may type it
    page = tmp_path / "own.html"
    result = _run("report", str(tables), "--bvc", typed, "-o", str(page))
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert all(f">{ref}<" in text for ref in refs[mine])
    assert not [ref for ref in others if f">{ref}<" in text]
    document = json.loads(_run("report", str(tables), "--bvc", typed, "--format", "json").output)
    assert {r["bvc"] for r in document["tables"]["worklist"]} == {mine}
    assert {r["bvc"] for r in document["tables"]["coverage"] if not r["all_bvcs"]} == {mine}
    assert document["only"] == {"bvcs": [mine], "programs": None}


def test_an_unknown_bvc_is_a_usage_error_that_names_the_known_ones(tables):
    known = sorted(b for b in _worklist_by_bvc(tables) if b)
    result = _run("report", str(tables), "--bvc", "Ingen Sådan BVC")
    assert result.exit_code == 2 and "no BVC named 'Ingen Sådan BVC'" in result.output
    assert known[0] in result.output


def test_program_limits_every_table_to_that_programme(tables, cases):
    result = _run("report", str(tables), "--program", "rikshandboken", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    rows = [row for table in document["tables"].values() for row in table]
    assert rows and {row["program"] for row in rows} == {"rikshandboken"}
    unknown = _run("report", str(tables), "--program", "nowhere")
    assert unknown.exit_code == 2 and "no program 'nowhere'" in unknown.output
    assert "rikshandboken" in unknown.output
    from_cases = _run("report", str(cases[0]), "--program", "nowhere", "--as-of", "2026-05-04")
    assert from_cases.exit_code == 2 and "nowhere" in from_cases.output


def test_the_page_shows_titles_and_the_json_gives_them(tables):
    page = _run("report", str(tables), "--lang", "en").output
    assert "Nässjö – extended home-visiting programme (the Nässjö model)" in page
    assert 'title="nassjo"' in page
    titles = json.loads(_run("report", str(tables), "--format", "json").output)["titles"]
    assert titles["programs"]["nassjo"]["sv"].startswith("Nässjö – ")
    assert titles["items"]["rikshandboken/rotavirus_1"]["en"] == "Rotavirus vaccine, dose 1"


def test_tables_from_a_machine_with_other_programs_show_ids(tables):
    """No program installed here (HEMBESOK_LOAD_PLUGINS empty): the report still works."""
    alone = {"HEMBESOK_LOAD_PLUGINS": ""}
    result = CliRunner().invoke(cli.main, ["report", str(tables)], env=alone)
    assert result.exit_code == 0, result.output
    assert ">nassjo<" in result.output and "Nässjömodellen" not in result.output
    document = CliRunner().invoke(cli.main, ["report", str(tables), "--format", "json"], env=alone)
    assert json.loads(document.output)["titles"]["programs"] == {}


#: Runs the CLI with duckdb not importable, as where `hembesok[report]` is not installed.
WITHOUT_DUCKDB = """
import sys

class NoDuckdb:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "duckdb":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NoDuckdb())
from hembesok.cli import run
sys.argv = ["hembesok", *sys.argv[1:]]
run()
"""


def test_without_the_report_extra_it_says_so_and_exits_3(tables):
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_DUCKDB, "report", str(tables)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr
    assert "pip install 'hembesok[report]'" in done.stderr and "duckdb" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


def test_a_json_list_of_cases_gives_the_report_ndjson_gives(cases, tmp_path):
    path, families, _ = cases
    listed = tmp_path / "cases.json"
    listed.write_text(json.dumps(families, ensure_ascii=False, indent=2), encoding="utf-8")
    args = ("--format", "json", "--week", "2026-W20", "--as-of", "2026-05-04")
    from_list = _run("report", str(listed), *args)
    assert from_list.exit_code == 0, from_list.output
    from_lines = _run("report", str(path), *args)
    assert json.loads(from_list.output)["tables"] == json.loads(from_lines.output)["tables"]


def test_one_case_document_and_a_bad_item_of_a_list(cases, tmp_path):
    _, families, _ = cases
    one = tmp_path / "one.json"
    one.write_text(json.dumps(families[0], indent=2), encoding="utf-8")
    args = ("--format", "json", "--as-of", "2026-05-04", "--min-count", "1")
    result = _run("report", str(one), *args)
    assert result.exit_code == 0, result.output
    coverage = json.loads(result.output)["tables"]["coverage"]
    assert sum(r["target_group"] for r in coverage if r["all_bvcs"]) >= 1
    spoilt = [families[0], {**families[1], "child": {**families[1]["child"], "birth_date": "x"}}]
    listed = tmp_path / "two.json"
    listed.write_text(json.dumps(spoilt, indent=2), encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["report", str(listed), *args])
    assert result.exit_code == 1
    assert f"{listed}:" in result.stderr and "record 2: $[1].child.birth_date" in result.stderr
    assert MARKER not in result.stderr
    assert json.loads(result.stdout)["tables"]["coverage"]  # the good case is reported


def test_a_json_list_larger_than_one_document_asks_for_ndjson(tmp_path, monkeypatch):
    from hembesok.cli import report_cases

    monkeypatch.setattr(report_cases, "MAX_DOCUMENT_BYTES", 1024)
    big = tmp_path / "big.json"
    big.write_text(json.dumps([{"child": {"birth_date": "2026-01-01"}}] * 100), encoding="utf-8")
    result = _run("report", str(big), "--as-of", "2026-05-04")
    assert result.exit_code == 1 and "write more cases as NDJSON" in result.output

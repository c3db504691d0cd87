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

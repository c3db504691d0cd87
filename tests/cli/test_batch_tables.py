"""`hembesok batch --to parquet|csv OUT_DIR`: whole parts only, the same rows however it runs."""

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pytest

from hembesok.render.flat import TABLES

ROOT = Path(__file__).parents[2]
AS_OF = "2026-05-04"
HEMBESOK = [sys.executable, "-c", "from hembesok.cli import run; run()"]
ENV = {k: v for k, v in os.environ.items() if not k.startswith("HEMBESOK_")}
NOISE = ("Traceback", "BrokenPipe", "KeyboardInterrupt", "Exception ignored")


def batch(*args, check_code=None):
    done = subprocess.run(
        [*HEMBESOK, "batch", *map(str, args)], capture_output=True, text=True, env=ENV, timeout=300
    )
    assert not any(noise in done.stderr for noise in NOISE), done.stderr
    if check_code is not None:
        assert done.returncode == check_code, done.stderr
    return done


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tables")
    cases = folder / "cases.ndjson"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate.py"),
            "--count",
            "3000",
            "--seed",
            "5",
            "--as-of",
            AS_OF,
            "--corrupt",
            "6",
            "-o",
            str(cases),
        ],
        check=True,
    )
    reference = folder / "reference"
    batch(cases, "--to", "parquet", reference, "--as-of", AS_OF, check_code=1)
    lines = folder / "lines.ndjson"
    batch(cases, "-o", lines, "--as-of", AS_OF, check_code=1)
    return cases, reference, lines


def table_rows(out: Path, name: str) -> list[tuple]:
    table = ds.dataset(out / name, format="parquet").to_table()
    return list(zip(*(c.to_pylist() for c in table.columns), strict=True))


def problems(out: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted((out / "problems").glob("part-*.ndjson")))


def assert_same_tables(out: Path, reference: Path) -> None:
    for name in TABLES:
        assert table_rows(out, name) == table_rows(reference, name), name
    assert problems(out) == problems(reference)
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".")]
    assert leftovers == []


def test_tables_have_arrow_types_and_the_bad_records_go_to_problems(generated):
    _cases, reference, lines = generated
    schema = ds.dataset(reference / "visits", format="parquet").schema
    assert schema.field("target").type == pa.date32()
    assert pa.types.is_dictionary(schema.field("status").type)
    assert schema.field("staff").type == pa.list_(pa.string())
    errors = [line for line in lines.read_bytes().splitlines(keepends=True) if b'"error"' in line]
    assert len(errors) == 6
    assert problems(reference) == b"".join(errors)  # the very lines NDJSON output has
    manifest = json.loads((reference / "_hembesok_batch.json").read_text(encoding="utf-8"))
    assert (manifest["records"], manifest["errors"], manifest["last_record"]) == (3000, 6, 3000)
    plans = {json.loads(line)["record"] for line in lines.read_bytes().splitlines()} - {
        json.loads(e)["record"] for e in errors
    }
    refs = {r[0] for r in table_rows(reference, "decisions")}
    assert len(refs) == len(plans) == 2994


def test_two_workers_write_the_same_rows_in_the_same_order(generated, tmp_path):
    cases, reference, _lines = generated
    out = tmp_path / "out"
    done = batch(cases, "--to", "parquet", out, "--as-of", AS_OF, "--workers", "2", check_code=1)
    assert "3000 records in, 2994 plans out, 6 errors; tables in" in done.stderr
    assert_same_tables(out, reference)


def test_csv_holds_the_same_rows_as_text(generated, tmp_path):
    cases, reference, _lines = generated
    out = tmp_path / "csv"
    batch(cases, "--to", "csv", out, "--as-of", AS_OF, check_code=1)
    import csv

    with (out / "visits" / "part-00000.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    header, body = rows[0], rows[1:]
    expected = table_rows(reference, "visits")
    assert header[:4] == ["case_ref", "as_of", "program", "bvc"]
    assert len(body) == len(expected)

    def text(value):
        if value is None:
            return ""
        if isinstance(value, list):
            return "|".join(value)
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    assert body == [[text(v) for v in row] for row in expected]


def test_existing_tables_are_kept_without_force_and_replaced_with_it(generated, tmp_path):
    cases, reference, _lines = generated
    out = tmp_path / "out"
    batch(cases, "--to", "parquet", out, "--as-of", AS_OF, check_code=1)
    again = batch(cases, "--to", "parquet", out, "--as-of", AS_OF, check_code=2)
    assert "holds tables: --force replaces them" in again.stderr
    batch(cases, "--to", "parquet", out, "--as-of", AS_OF, "--force", check_code=1)
    assert_same_tables(out, reference)


def test_usage_errors_exit_2(generated, tmp_path):
    cases, _reference, _lines = generated
    assert "writes a directory" in batch(cases, "--to", "parquet", check_code=2).stderr
    assert (
        "--compact" in batch(cases, "--to", "csv", tmp_path / "o", "--compact", check_code=2).stderr
    )
    assert "OUT_DIR" in batch(cases, tmp_path / "o", check_code=2).stderr


def test_resume_with_another_date_is_refused_naming_it(generated, tmp_path):
    cases, reference, _lines = generated
    out = tmp_path / "out"
    batch(cases, "--to", "parquet", out, "--as-of", AS_OF, check_code=1)
    done = batch(cases, "--to", "parquet", out, "--as-of", "2026-05-05", "--resume", check_code=2)
    assert "as_of differ" in done.stderr
    assert_same_tables(out, reference)


def _stop_and_resume(cases, out, signum, workers, rnd):
    args = [*HEMBESOK, "batch", str(cases), "--to", "parquet", str(out), "--as-of", AS_OF]
    args += ["--workers", str(workers)]
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)
    temporary = out / "visits" / ".part-00000.parquet.tmp"
    deadline = time.monotonic() + 60
    while process.poll() is None and not temporary.exists() and time.monotonic() < deadline:
        time.sleep(0.005)
    time.sleep(rnd.uniform(0.05, 0.3))
    if process.poll() is None:
        process.send_signal(signum)
    _, err = process.communicate(timeout=60)
    text = err.decode("utf-8")
    assert not any(noise in text for noise in NOISE), text
    return process.returncode, text


@pytest.mark.parametrize("workers", [1, 2])
def test_sigterm_closes_the_open_part_and_resume_goes_on_to_the_same_tables(
    generated, tmp_path, workers
):
    cases, reference, _lines = generated
    out = tmp_path / "out"
    code, text = _stop_and_resume(cases, out, signal.SIGTERM, workers, random.Random(workers))
    if code == 143:
        assert "interrupted by SIGTERM" in text and "--resume" in text
        assert [p for p in out.rglob("*") if p.name.startswith(".")] == []  # whole parts only
        assert (out / "visits" / "part-00000.parquet").exists()
    else:
        assert code == 1, text  # it ended before the signal: nothing to resume
    batch(cases, "--to", "parquet", out, "--as-of", AS_OF, "--resume", check_code=1)
    assert_same_tables(out, reference)


def test_sigkill_leaves_only_hidden_temporary_parts_that_resume_removes(generated, tmp_path):
    cases, reference, _lines = generated
    out = tmp_path / "out"
    code, _text = _stop_and_resume(cases, out, signal.SIGKILL, 1, random.Random(3))
    if code == -signal.SIGKILL:
        assert not (out / "visits" / "part-00000.parquet").exists()  # not taken for complete
    batch(cases, "--to", "parquet", out, "--as-of", AS_OF, "--resume", check_code=1)
    assert_same_tables(out, reference)

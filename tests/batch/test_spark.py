"""Spark's `mapInArrow` with partitions.spark_map gives the rows `hembesok batch --to parquet` gives.

Runs Spark in local mode (`local[2]`: one JVM, two Python worker processes) on loopback, so
it needs pyspark (the `spark` extra, in requirements-dev.txt) and a Java 17+ runtime (.ci/run
installs Debian's when `java` is missing). No skip: without them this test fails.
"""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from pyspark.sql import SparkSession

from hembesok.batch import partitions
from hembesok.render.flat import TABLES

ROOT = Path(__file__).parents[2]
AS_OF = dt.date(2026, 5, 4)
CASES = 300
SPOILT = 3

# pyspark 4.3's mapInArrow is built on its pandas_udf, which warns that pandas 3 (installed by
# the dask extra) is not fully supported even though no pandas is used on this Arrow path.
pytestmark = pytest.mark.filterwarnings(
    "ignore:PySpark does not yet fully support pandas:FutureWarning"
)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """Generated cases (some spoilt) as NDJSON and as a Parquet dataset, and batch's tables."""
    base = tmp_path_factory.mktemp("spark")
    ndjson = base / "cases.ndjson"
    generate = [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--count", str(CASES)]
    generate += ["--seed", "5", "--as-of", AS_OF.isoformat(), "--corrupt", str(SPOILT)]
    subprocess.run([*generate, "-o", str(ndjson)], check=True)
    lines = ndjson.read_text(encoding="utf-8").splitlines()
    cases = pa.table({"record": list(range(1, len(lines) + 1)), "case": lines})
    (base / "in").mkdir()
    for part, start in enumerate(range(0, len(lines), 100)):  # three files
        pq.write_table(cases.slice(start, 100), base / "in" / f"part-{part}.parquet")
    out = base / "tables"
    batch = [sys.executable, "-c", "from hembesok.cli import run; run()", "batch", str(ndjson)]
    done = subprocess.run(
        [*batch, "--to", "parquet", str(out), "--as-of", AS_OF.isoformat()],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr  # the spoilt records
    return base, out, ndjson


@pytest.fixture(scope="module")
def spark():
    """One local Spark per module, on loopback, without its web UI; stopped at the end."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PYSPARK_PYTHON", sys.executable)  # the workers plan with this venv's hembesok
        env.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
        env.setenv("SPARK_LOCAL_IP", "127.0.0.1")
        session = (
            SparkSession.builder.master("local[2]")
            .appName("hembesok-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "2")
            # small Arrow batches: a partition reaches spark_map as several batches
            .config("spark.sql.execution.arrow.maxRecordsPerBatch", "40")
            .getOrCreate()
        )
        try:
            yield session
        finally:
            session.stop()


def rows(table: pa.Table) -> list[tuple]:
    """Rows as plain values (categoricals decoded), to compare across writers."""
    return list(zip(*(table.column(n).to_pylist() for n in table.schema.names), strict=True))


def key(row: tuple) -> tuple:
    return tuple("" if v is None else str(v) for v in row)


def test_map_in_arrow_in_local_mode_gives_batchs_rows(work, spark):
    base, out, _ndjson = work
    cases = spark.read.parquet(str(base / "in"))  # columns: record, case
    assert cases.rdd.getNumPartitions() >= 2
    for name in TABLES:
        planned = cases.mapInArrow(
            partitions.spark_map(name, as_of=AS_OF), partitions.spark_schema(name)
        )
        written = base / "spark" / name
        planned.write.parquet(str(written))
        got = ds.dataset(written).to_table()
        assert got.schema.names == partitions.schema(name).names, name
        assert pa.types.is_date32(got.schema.field("as_of").type)
        expected = rows(ds.dataset(out / name).to_table())
        assert len(expected) > CASES  # every table has rows
        assert sorted(rows(got), key=key) == sorted(expected, key=key), name


def test_problems_name_the_spoilt_records(work, spark):
    base, out, ndjson = work
    cases = spark.read.parquet(str(base / "in"))
    problems = cases.mapInArrow(  # named as batch names the input, the error lines are batch's
        partitions.spark_map("problems", as_of=AS_OF, source=str(ndjson)),
        partitions.spark_schema("problems"),
    ).toArrow()
    lines = (out / "problems" / "part-00000.ndjson").read_text(encoding="utf-8").splitlines()
    expected = [json.loads(line)["record"] for line in lines]
    assert len(expected) == SPOILT
    assert sorted(problems.column("record").to_pylist()) == sorted(expected)
    assert sorted(problems.column("error").to_pylist()) == sorted(lines)

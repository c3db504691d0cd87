"""Spark's `mapInArrow` with hembesok.batch.spark gives the rows `hembesok batch --to parquet` gives.

Runs Spark in local mode (`local[2]`: one JVM, two Python worker processes) on loopback, so
it needs pyspark (the `spark` extra, in requirements-dev.txt) and a Java 17+ runtime (.ci/run
installs Debian's when `java` is missing). No skip: without them this test fails.
"""

import datetime as dt
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from pyspark.sql import SparkSession

from hembesok.batch import partitions, spark
from hembesok.render.flat import TABLES

ROOT = Path(__file__).parents[2]
SUPPORT = ROOT / "tests" / "support"
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
def session():
    """One local Spark per module, on loopback, without its web UI; stopped at the end."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PYSPARK_PYTHON", sys.executable)  # the workers plan with this venv's hembesok
        # the workers import tests/support/spark_counting by name, as the driver does
        env.setenv(
            "PYTHONPATH",
            os.pathsep.join(filter(None, [str(SUPPORT), os.environ.get("PYTHONPATH")])),
        )
        env.syspath_prepend(str(SUPPORT))
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


def test_map_in_arrow_in_local_mode_gives_batchs_rows(work, session):
    base, out, _ndjson = work
    cases = session.read.parquet(str(base / "in"))  # columns: record, case
    assert cases.rdd.getNumPartitions() >= 2
    for name in TABLES:
        planned = cases.mapInArrow(spark.spark_map(name, as_of=AS_OF), spark.spark_schema(name))
        written = base / "spark" / name
        planned.write.parquet(str(written))
        got = ds.dataset(written).to_table()
        assert got.schema.names == partitions.schema(name).names, name
        assert pa.types.is_date32(got.schema.field("as_of").type)
        expected = rows(ds.dataset(out / name).to_table())
        assert len(expected) > CASES  # every table has rows
        assert sorted(rows(got), key=key) == sorted(expected, key=key), name


def test_problems_name_the_spoilt_records(work, session):
    base, out, ndjson = work
    cases = session.read.parquet(str(base / "in"))
    problems = cases.mapInArrow(  # named as batch names the input, the error lines are batch's
        spark.spark_map("problems", as_of=AS_OF, source=str(ndjson)),
        spark.spark_schema("problems"),
    ).toArrow()
    lines = (out / "problems" / "part-00000.ndjson").read_text(encoding="utf-8").splitlines()
    expected = [json.loads(line)["record"] for line in lines]
    assert len(expected) == SPOILT
    assert sorted(problems.column("record").to_pylist()) == sorted(expected)
    assert sorted(problems.column("error").to_pylist()) == sorted(lines)


def test_every_table_from_one_planning_when_persisted(work, session, tmp_path):
    """docs/scale.md's recipe: plan once, persist, select each table out of the result."""
    base, out, ndjson = work
    counting = importlib.import_module("spark_counting")  # by name, as the workers import it
    cases = session.read.parquet(str(base / "in"))
    once, twice = tmp_path / "once", tmp_path / "twice"
    for folder in (once, twice):
        folder.mkdir()
    plan = counting.CountingTablesMap(AS_OF, None, None, str(ndjson), folder=str(once))
    planned = cases.mapInArrow(plan, spark.spark_tables_schema()).persist()
    try:
        for name in partitions.OUTPUTS:
            table = planned.where(planned[spark.TABLE_NAME] == name).select(f"{name}.*")
            table.write.parquet(str(base / "once" / name))
    finally:
        planned.unpersist()
    assert counting.planned(once) == CASES  # four tables, each case planned once
    for name in TABLES:
        got = ds.dataset(base / "once" / name).to_table()
        assert got.schema.names == partitions.schema(name).names, name
        expected = rows(ds.dataset(out / name).to_table())
        assert sorted(rows(got), key=key) == sorted(expected, key=key), name
    lines = (out / "problems" / "part-00000.ndjson").read_text(encoding="utf-8").splitlines()
    got = ds.dataset(base / "once" / "problems").to_table()
    assert sorted(got.column("error").to_pylist()) == sorted(lines)

    # Without persist, Spark plans the cases again for every table it is asked for.
    plan = counting.CountingTablesMap(AS_OF, None, None, str(ndjson), folder=str(twice))
    planned = cases.mapInArrow(plan, spark.spark_tables_schema())
    for name in ("decisions", "visits"):
        planned.where(planned[spark.TABLE_NAME] == name).select(f"{name}.*").count()
    assert counting.planned(twice) == 2 * CASES


# --- the functions themselves, without Spark ------------------------------------------


def arrow_cases(work, count):
    base, _out, _ndjson = work
    return ds.dataset(base / "in").to_table().sort_by("record").slice(0, count)


def test_spark_map_gives_map_partitions_rows_with_categoricals_as_strings(work):
    _base, out, _ndjson = work
    cases = arrow_cases(work, 90)
    produced = list(spark.spark_map("visits", as_of=AS_OF)(iter(cases.to_batches(30))))
    table = pa.Table.from_batches(produced)
    assert not any(pa.types.is_dictionary(f.type) for f in table.schema)
    assert table.schema.names == partitions.schema("visits").names
    expected = rows(partitions.map_partition(cases, as_of=AS_OF, table="visits"))
    assert rows(table) == expected == rows(ds.dataset(out / "visits").to_table())[: len(expected)]


def test_spark_map_tables_gives_every_tables_rows_each_in_its_own_struct(work):
    cases = arrow_cases(work, 90)
    produced = pa.Table.from_batches(
        list(spark.spark_map_tables(as_of=AS_OF)(iter(cases.to_batches(30)))),
        schema=spark.tables_schema(),
    )
    expected = partitions.map_partition(cases, as_of=AS_OF)
    for name in partitions.OUTPUTS:
        mine = produced.filter(pc.equal(produced[spark.TABLE_NAME], name))
        assert mine.num_rows == expected[name].num_rows, name
        for other in partitions.OUTPUTS:
            assert mine[other].null_count == (0 if other == name else mine.num_rows)
        flat = pa.Table.from_struct_array(mine[name])
        assert rows(flat) == rows(expected[name]), name


def test_the_schemas_declare_each_column_with_its_nullability():
    visits = spark.spark_schema("visits")
    assert visits.startswith("`case_ref` STRING NOT NULL, `as_of` DATE NOT NULL, `program` STRING")
    assert "`done_on` DATE," in visits and "`staff` ARRAY<STRING> NOT NULL" in visits
    assert "`score` INT," in spark.spark_schema("screenings")
    assert spark.spark_schema("problems") == "`record` BIGINT NOT NULL, `error` STRING NOT NULL"
    for name in partitions.OUTPUTS:
        assert spark.spark_schema(name).count("`") == 2 * len(partitions.schema(name))
    combined = spark.spark_tables_schema()
    assert combined.startswith("`table_name` STRING NOT NULL, `decisions` STRUCT<`case_ref`: ")
    assert combined.endswith(
        "`problems` STRUCT<`record`: BIGINT NOT NULL, `error`: STRING NOT NULL>"
    )
    assert spark.tables_schema().names == [spark.TABLE_NAME, *partitions.OUTPUTS]
    with pytest.raises(ValueError, match="unknown table"):
        spark.spark_schema("plans")
    with pytest.raises(ValueError, match="unknown table"):
        spark.spark_map("plans", as_of=AS_OF)

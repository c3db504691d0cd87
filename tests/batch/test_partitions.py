"""map_partition gives the rows `hembesok batch --to parquet` gives, in-process and on Dask."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from hembesok.batch import partitions
from hembesok.render.flat import TABLES

ROOT = Path(__file__).parents[2]
AS_OF = dt.date(2026, 5, 4)
CASES = 600


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """Generated cases (some spoilt) as NDJSON, the same as Parquet input, and batch's tables."""
    base = tmp_path_factory.mktemp("partitions")
    ndjson = base / "cases.ndjson"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "generate.py"),
            "--count",
            str(CASES),
            "--seed",
            "3",
            "--as-of",
            AS_OF.isoformat(),
            "--corrupt",
            "4",
            "-o",
            str(ndjson),
        ],
        check=True,
    )
    lines = ndjson.read_text(encoding="utf-8").splitlines()
    cases = pa.table({"record": list(range(1, len(lines) + 1)), "case": lines})
    (base / "in").mkdir()
    for part, start in enumerate(range(0, len(lines), 150)):  # four files: four partitions
        pq.write_table(cases.slice(start, 150), base / "in" / f"part-{part}.parquet")
    out = base / "tables"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from hembesok.cli import run; run()",
            "batch",
            str(ndjson),
            "--to",
            "parquet",
            str(out),
            "--as-of",
            AS_OF.isoformat(),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr  # the spoilt records
    return base, cases, out


def rows(table: pa.Table) -> list[tuple]:
    """Rows as plain values (categoricals decoded), to compare across writers."""
    return list(zip(*(table.column(n).to_pylist() for n in table.schema.names), strict=True))


def batch_rows(out: Path, table: str) -> list[tuple]:
    return rows(ds.dataset(out / table).to_table())


def frame_rows(frame) -> list[tuple]:
    return rows(pa.Table.from_pandas(frame, preserve_index=False))


def test_one_partition_gives_batchs_rows(work):
    _base, cases, out = work
    tables = partitions.map_partition(cases, as_of=AS_OF)
    assert set(tables) == {*TABLES, "problems"}
    for name in TABLES:
        assert tables[name].schema == partitions.schema(name)
        assert rows(tables[name]) == batch_rows(out, name), name
    problem_lines = (out / "problems" / "part-00000.ndjson").read_text(encoding="utf-8")
    expected = [json.loads(line)["record"] for line in problem_lines.splitlines()]
    assert len(expected) == 4
    assert tables["problems"].column("record").to_pylist() == expected


def test_pandas_in_gives_pandas_out_with_the_meta_dtypes(work):
    _base, cases, out = work
    frame = cases.slice(0, 50).to_pandas()
    visits = partitions.map_partition(frame, as_of=AS_OF, table="visits")
    assert [d.name for d in visits.dtypes] == [d.name for d in partitions.meta("visits").dtypes]
    assert str(visits["program"].dtype) == "category"
    first = frame_rows(visits)
    assert first == batch_rows(out, "visits")[: len(first)]
    assert first


def test_without_a_record_column_rows_are_counted_from_one():
    case = {"child": {"birth_date": "2026-03-10"}}
    frame = pa.table({"case": [json.dumps(case), "{not json"]})
    tables = partitions.map_partition(frame, as_of=AS_OF)
    assert set(tables["decisions"].column("case_ref").to_pylist()) == {"#1"}
    assert tables["problems"].column("record").to_pylist() == [2]
    assert "not json" not in tables["problems"].column("error")[0].as_py()
    with pytest.raises(ValueError, match="unknown table"):
        partitions.map_partition(frame, as_of=AS_OF, table="plans")


def test_dask_on_a_local_cluster_of_two_processes_gives_batchs_rows(work, tmp_path):
    """The recipe of docs/scale.md: each partition planned once, its four parts written."""
    dask = pytest.importorskip("dask")  # in requirements-dev: hembesok[dask]
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    base, _cases, out = work
    written = tmp_path / "out"
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        cases = dd.read_parquet(str(base / "in"))
        assert cases.npartitions == 4
        tasks = [
            dask.delayed(partitions.write_partition)(
                part, str(written), number, as_of=AS_OF, source=str(base / "cases.ndjson")
            )
            for number, part in enumerate(cases.to_delayed())
        ]
        with distributed.get_task_stream(client) as stream:
            counts = dask.compute(*tasks)
        planned = [t for t in stream.data if str(t["key"]).startswith("write_partition-")]
        assert len(planned) == cases.npartitions  # once per partition, not once per table
        workers = {t["worker"] for t in stream.data}
        assert len(workers) == 2
        for name in TABLES:
            expected = batch_rows(out, name)
            assert sum(c[name] for c in counts) == len(expected) > 0
            assert batch_rows(written, name) == expected, name  # in input order, part by part
        problems = "".join(
            p.read_text(encoding="utf-8") for p in sorted((written / "problems").iterdir())
        )
        assert problems == (out / "problems" / "part-00000.ndjson").read_text(encoding="utf-8")

        # the per-table form, Dask's own to_parquet path: one table, its rows in order
        visits = cases.map_partitions(
            partitions.map_partition, as_of=AS_OF, table="visits", meta=partitions.meta("visits")
        ).compute()
        assert frame_rows(visits) == batch_rows(out, "visits")


def test_a_rerun_partition_replaces_its_parts_and_leaves_no_temporary_file(work, tmp_path):
    _base, cases, out = work
    first = cases.slice(0, 40)
    for _ in range(2):  # as a scheduler rerunning a lost task would
        counts = partitions.write_partition(first, tmp_path, 7, as_of=AS_OF)
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(
        [*TABLES, "problems", *(["part-00007.parquet"] * 3), "part-00007.ndjson"]
    )
    visits = batch_rows(tmp_path, "visits")
    assert len(visits) == counts["visits"] > 0
    assert visits == batch_rows(out, "visits")[: len(visits)]

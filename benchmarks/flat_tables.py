"""Generated cases to the flat tables: `batch --to parquet`, Dask and Spark, 1 and 2 processes.

    python benchmarks/flat_tables.py --cases 100000 [--data DIR]

In one run, on the same input: `hembesok batch INPUT --to parquet OUT --workers 1` and
`--workers 2` (wall time, cases/s, CPU time and peak resident memory of the run's largest
process, from `os.wait4`), then docs/scale.md's Dask recipe on a LocalCluster of 1 and
of 2 worker processes (one thread each) over the same cases as a Parquet dataset:
`dask.delayed(partitions.write_partition)` per partition, each planned once and its
tables written (wall time and cases/s; the cluster's start is not timed). Then Spark in
local mode, `local[1]` and `local[2]`, docs/scale.md's Spark recipe: `mapInArrow(
spark.spark_map_tables(...))` persisted, each of the four tables selected out of it and
written as Parquet, so each case is planned once, and beside it on `local[2]` one
`mapInArrow(spark.spark_map(table, ...))` per table, which plans the cases for each (the
session's start is not timed). The load average is printed before and
after. Prints Markdown tables; asserts nothing about a time, only that every run gives the
same rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
AS_OF = "2026-05-04"
PART_CASES = 10_000  # cases per input partition for Dask


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _batch(cases: Path, out: Path, workers: int) -> tuple[float, float, float, int]:
    """(wall seconds, CPU seconds, peak RSS MiB, exit code) of one batch run.

    The batch runs under a small Python process that reads its own RUSAGE_CHILDREN: on
    Linux a process started from this one (which holds the generated cases) would report
    this process's high-water mark as its own peak, since `ru_maxrss` is kept across exec.
    """
    batch = [sys.executable, "-c", "from hembesok.cli import run; run()", "batch", str(cases)]
    batch += ["--to", "parquet", str(out), "--as-of", AS_OF, "--workers", str(workers)]
    measure = (
        "import resource, subprocess, sys; "
        "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL); "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(u.ru_utime + u.ru_stime, u.ru_maxrss, code)"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", measure, *batch], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - start
    cpu, peak_kib, code = done.stdout.split()
    return wall, float(cpu), int(peak_kib) / 1024, int(code)


def _dask(source: Path, out: Path, workers: int) -> float:
    import dask
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    from hembesok.batch import partitions

    day = dt.date.fromisoformat(AS_OF)
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: None)  # the workers are up
        start = time.perf_counter()
        cases = dd.read_parquet(str(source))
        written = [
            dask.delayed(partitions.write_partition)(part, str(out), number, as_of=day)
            for number, part in enumerate(cases.to_delayed())
        ]
        dask.compute(*written)  # each partition planned once, its four parts written
        return time.perf_counter() - start


def _spark(source: Path, out: Path, cores: int, once: bool = True) -> float:
    from pyspark.sql import SparkSession

    from hembesok.batch import partitions, spark

    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"  # loopback only, as the test
    session = (
        SparkSession.builder.master(f"local[{cores}]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", str(cores))
        .config("spark.ui.showConsoleProgress", "false")  # no progress bar over the table
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    try:
        session.range(cores).collect()  # the JVM is up
        start = time.perf_counter()
        cases = session.read.parquet(str(source))
        day = dt.date.fromisoformat(AS_OF)
        if not once:  # each table its own mapInArrow: the cases planned once per table
            for name in partitions.OUTPUTS:
                cases.mapInArrow(
                    spark.spark_map(name, as_of=day), spark.spark_schema(name)
                ).write.parquet(str(out / name))
            return time.perf_counter() - start
        planned = cases.mapInArrow(
            spark.spark_map_tables(as_of=day), spark.spark_tables_schema()
        ).persist()
        for name in partitions.OUTPUTS:
            table = planned.where(planned[spark.TABLE_NAME] == name).select(f"{name}.*")
            table.write.parquet(str(out / name))
        planned.unpersist()
        return time.perf_counter() - start
    finally:
        session.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--data", type=Path, default=None)
    args = parser.parse_args()
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory(prefix="hembesok-flat-") as temporary:
        data = args.data or Path(temporary)
        data.mkdir(parents=True, exist_ok=True)
        cases = data / f"cases-{args.cases}.ndjson"
        if not cases.exists():
            subprocess.run(
                [
                    sys.executable,
                    str(HERE / "generate.py"),
                    "--count",
                    str(args.cases),
                    "--seed",
                    "1",
                    "--as-of",
                    AS_OF,
                    "-o",
                    str(cases),
                ],
                check=True,
            )
        source = data / f"cases-{args.cases}-parquet"
        if not source.exists():
            lines = cases.read_text(encoding="utf-8").splitlines()
            source.mkdir()
            for part, first in enumerate(range(0, len(lines), PART_CASES)):
                chunk = lines[first : first + PART_CASES]
                numbers = list(range(first + 1, first + len(chunk) + 1))
                pq.write_table(
                    pa.table({"record": numbers, "case": chunk}),
                    source / f"part-{part:03d}.parquet",
                )
        print(f"load average before: {_load()}  ({os.cpu_count()} cores)")
        print(
            "\n| run | wall s | cases/s | CPU s | peak RSS MiB | exit |\n|---|---|---|---|---|---|"
        )
        outputs = {}
        for workers in (1, 2):
            out = data / f"batch-{workers}"
            subprocess.run(["rm", "-rf", str(out)], check=True)
            wall, cpu, rss, code = _batch(cases, out, workers)
            outputs[f"batch {workers}"] = out
            print(
                f"| batch --to parquet --workers {workers} | {wall:.1f} | {args.cases / wall:,.0f} "
                f"| {cpu:.1f} | {rss:.0f} | {code} |"
            )
        for workers in (1, 2):
            out = data / f"dask-{workers}"
            subprocess.run(["rm", "-rf", str(out)], check=True)
            wall = _dask(source, out, workers)
            outputs[f"dask {workers}"] = out
            print(
                f"| Dask LocalCluster, {workers} worker process(es), planned once | {wall:.1f} "
                f"| {args.cases / wall:,.0f} | | | |"
            )
        for cores in (1, 2):
            out = data / f"spark-{cores}"
            subprocess.run(["rm", "-rf", str(out)], check=True)
            wall = _spark(source, out, cores)
            outputs[f"spark {cores}"] = out
            print(
                f"| Spark local[{cores}], mapInArrow, planned once, persisted | {wall:.1f} "
                f"| {args.cases / wall:,.0f} | | | |"
            )
        out = data / "spark-2-per-table"
        subprocess.run(["rm", "-rf", str(out)], check=True)
        wall = _spark(source, out, 2, once=False)
        outputs["spark 2, per table"] = out
        print(
            f"| Spark local[2], mapInArrow per table (planned four times) | {wall:.1f} "
            f"| {args.cases / wall:,.0f} | | | |"
        )
        print(f"\nload average after: {_load()}")
        counts = {
            name: tuple(
                ds.dataset(out / t).count_rows() for t in ("decisions", "visits", "screenings")
            )
            for name, out in outputs.items()
        }
        print("rows (decisions, visits, screenings):", counts)
        return 0 if len(set(counts.values())) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())

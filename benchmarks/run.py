"""Throughput and memory of hembesok on synthetic families (benchmarks/README.md has results).

    python benchmarks/run.py [--sizes 100000 1000000] [--workers 1 2] [--library-cases 50000]

1. The library beside hand-written rules, in this process on the same cases: every bundled
   programme's decisions, and decisions with visits and screening flags, through the engine
   and through `handwritten.py` (see `library_vs_handwritten.py`), and the ratios.
2. `hembesok batch` as a separate process for each size and number of workers: wall time,
   cases per second, and the peak resident memory of the batch (its largest process, from
   the rusage `os.wait4` reports). Each input has a few hundred corrupted records, and the
   summary's counts are checked against them.
3. One check that every good plan is written: a run on the smallest size whose output is
   read back line by line (record numbers in order, errors exactly at the corrupted ones).

Generated inputs go to a temporary directory (about 1.5 kB a case) and are removed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import library_vs_handwritten as side_by_side  # noqa: E402

from hembesok import __version__, check_case  # noqa: E402
from hembesok.engine.engine import Engine  # noqa: E402

AS_OF = dt.date(2026, 5, 4)
SUMMARY = re.compile(r"(\d+) records in, (\d+) plans out, (\d+) errors")


def generate(path: Path, count: int, corrupt: int) -> list[int]:
    listing = path.with_suffix(".corrupted")
    subprocess.run(
        [
            sys.executable,
            str(HERE / "generate.py"),
            "--count",
            str(count),
            "--seed",
            "1",
            "--as-of",
            AS_OF.isoformat(),
            "--corrupt",
            str(corrupt),
            "--corrupted-list",
            str(listing),
            "-o",
            str(path),
        ],
        check=True,
    )
    return [int(n) for n in listing.read_text().split()]


def library_vs_handwritten(path: Path, count: int) -> tuple[int, list[str]]:
    """The first `count` valid cases of `path` through the library and the hand-written
    rules (best of three, alternating): the number of cases and the table's lines."""
    engine = Engine.from_installed(env={})
    cases = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            try:
                data = json.loads(line)
            except json.JSONDecodeError:  # a corrupted record
                continue
            if check_case(data, AS_OF):  # a corrupted record
                continue
            cases.append(data)
            if len(cases) >= count:
                break
    side_by_side.check_agreement(engine, cases[:1000], AS_OF)
    times = side_by_side.compare(engine, cases, AS_OF)
    return len(cases), side_by_side.table(times, len(cases))


def batch(path: Path, workers: int, output: str = os.devnull) -> dict[str, float]:
    command = [
        sys.executable,
        "-c",
        "from hembesok.cli.commands import run; run()",
        "batch",
        str(path),
        "-o",
        output,
        "--as-of",
        AS_OF.isoformat(),
        "--workers",
        str(workers),
    ]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    stderr = proc.stderr.read().decode()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    found = SUMMARY.search(stderr)
    if found is None:
        raise SystemExit(f"no summary from hembesok batch:\n{stderr[-2000:]}")
    records, plans, errors = map(int, found.groups())
    return {
        "seconds": seconds,
        "records": records,
        "plans": plans,
        "errors": errors,
        "exit": proc.returncode,
        "per_s": records / seconds,
        "peak_mib": usage.ru_maxrss / 1024,  # kilobytes on Linux
    }


def verify_output(path: Path, corrupted: list[int]) -> str:
    with tempfile.NamedTemporaryFile(suffix=".ndjson") as out:
        result = batch(path, 2, out.name)
        numbers, errors = [], []
        with open(out.name, "rb") as lines:
            for line in lines:
                record = json.loads(line)
                numbers.append(record["record"])
                if "error" in record:
                    errors.append(record["record"])
    assert numbers == list(range(1, result["records"] + 1)), "records out of order or missing"
    assert errors == sorted(corrupted), "errors are not exactly the corrupted records"
    return f"{len(numbers)} lines, record numbers 1..{len(numbers)} in order, {len(errors)} error lines exactly at the corrupted records"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--library-cases", type=int, default=50_000)
    parser.add_argument("--data", help="keep the generated inputs in this folder and reuse them")
    args = parser.parse_args()
    print(
        f"hembesok {__version__}; Python {platform.python_version()}; {os.cpu_count()} cores; "
        f"{platform.machine()}; {dt.date.today().isoformat()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.data or tmp)
        folder.mkdir(parents=True, exist_ok=True)
        inputs = {}
        for size in sorted(args.sizes):
            path = folder / f"cases-{size}.ndjson"
            listing = path.with_suffix(".corrupted")
            if path.exists() and listing.exists():
                inputs[size] = (path, [int(n) for n in listing.read_text().split()])
                print(f"reusing {path}")
                continue
            start = time.perf_counter()
            inputs[size] = (path, generate(path, size, corrupt=max(1, size // 3300)))
            print(
                f"generated {size} cases ({path.stat().st_size / 2**20:.0f} MiB, "
                f"{len(inputs[size][1])} corrupted) in {time.perf_counter() - start:.0f} s"
            )

        # The batch runs first, while this process is small (see LAUNCHER).
        print("\nhembesok batch (NDJSON in, plans to /dev/null):")
        print(
            "| cases | workers | seconds | cases/s | peak memory (MiB) "
            "| records in / plans out / errors | exit |"
        )
        print("|---:|---:|---:|---:|---:|---|---:|")
        for size, (path, corrupted) in inputs.items():
            for workers in args.workers:
                r = batch(path, workers)
                assert r["records"] == size and r["plans"] + r["errors"] == r["records"]
                assert r["errors"] == len(corrupted) and r["exit"] == 1
                print(
                    f"| {size:,} | {workers} | {r['seconds']:.1f} | {r['per_s']:,.0f} | "
                    f"{r['peak_mib']:.0f} | {r['records']} / {r['plans']} / {r['errors']} "
                    f"| {r['exit']} |",
                    flush=True,
                )
        print("\noutput check, " + verify_output(*inputs[min(inputs)]), flush=True)

        count, lines = library_vs_handwritten(inputs[min(inputs)][0], args.library_cases)
        print(f"\nlibrary vs hand-written, every bundled programme, {count} cases, one process:")
        print("\n".join(lines))


if __name__ == "__main__":
    main()

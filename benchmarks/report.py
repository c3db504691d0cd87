"""From 100 000 generated cases to the report: time and peak memory of each step.

    python benchmarks/report.py [--count 100000] [--seed 1] [--data DIR] [--workers 2]

Generates the cases (benchmarks/generate.py), plans them into flat Parquet tables
(`hembesok batch --to parquet`), and makes the HTML report, the JSON document and the CSV
files from the tables (`hembesok report`), each a child process timed with
`time.perf_counter` and measured with `os.wait4` (ru_maxrss, its peak resident memory), as
run.py does. Prints a Markdown table for benchmarks/README.md. It exits 1 if a step fails
or a report misses its charts; it asserts nothing about a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path

from run import ROOT, Run, hembesok_command, load_average, run

AS_OF = "2026-05-04"
WEEK = "2026-W20"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--data", type=Path, help="keep the inputs and outputs here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hembesok-report-bench-") as scratch:
        folder = args.data or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        return _measure(folder, args.count, args.seed, args.workers)


def _measure(folder: Path, count: int, seed: int, workers: int) -> int:
    hembesok = hembesok_command()
    cases = folder / f"cases-{count}-{seed}.ndjson"
    tables = folder / f"tables-{count}-{seed}"
    steps: list[tuple[str, Run, str]] = []
    if not cases.exists():
        generate = [sys.executable, "benchmarks/generate.py", "--count", str(count)]
        made = run([*generate, "--seed", str(seed), "--as-of", AS_OF, "-o", str(cases)])
        steps.append(("generate the cases", made, f"{cases.stat().st_size / 2**20:.0f} MiB"))
    if not (tables / "_hembesok_batch.json").exists():
        batch = [hembesok, "batch", str(cases), "--as-of", AS_OF, "--workers", str(workers)]
        planned = run([*batch, "--to", "parquet", str(tables), "--force"])
        steps.append(
            ("`batch --to parquet`", planned, f"{_size(tables) / 2**20:.1f} MiB of Parquet")
        )
    page = folder / "report.html"
    report = [hembesok, "report", str(tables), "--week", WEEK, "--force"]
    made_html = run([*report, "--format", "html", "-o", str(page)])
    steps.append(("`report --format html`", made_html, f"{_size(page) / 2**20:.1f} MiB page"))
    made_json = run([*report, "--format", "json", "-o", str(folder / "report.json")])
    steps.append(
        ("`report --format json`", made_json, f"{_size(folder / 'report.json') / 2**20:.1f} MiB")
    )
    made_csv = run([*report, "--format", "csv", "-o", str(folder / "csv")])
    steps.append(("`report --format csv`", made_csv, f"{_size(folder / 'csv') / 2**20:.1f} MiB"))
    failed = [name for name, step, _ in steps if step.exit != 0]
    if made_html.exit == 0 and page.read_text(encoding="utf-8").count("<svg") < 3:
        failed.append("the page has fewer than three charts")
    rows = 0
    if made_json.exit == 0:
        document = json.loads((folder / "report.json").read_text(encoding="utf-8"))
        rows = len(document["tables"]["worklist"])
    print(
        f"{dt.date.today().isoformat()}, {count} cases (seed {seed}, as of {AS_OF}), week {WEEK}, "
        f"{os.cpu_count()} cores, load {load_average()}; worklist rows: {rows}\n"
    )
    print("| step | wall s | CPU s | peak MiB | output |")
    print("|---|---:|---:|---:|---|")
    for name, step, what in steps:
        print(
            f"| {name} | {step.seconds:.1f} | {step.cpu_seconds:.1f} | {step.peak_mib:.0f} | {what} |"
        )
    for name in failed:
        print(f"FAILED: {name}", file=sys.stderr)
    for _, step, _ in steps:
        if step.exit != 0:
            print(step.stderr[-2000:], file=sys.stderr)
    return 1 if failed else 0


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())

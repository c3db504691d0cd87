"""The benchmark runner: hembesok measured side by side in one run (results: benchmarks/README.md).

    python benchmarks/run.py [--sizes 100000 700000 1000000] [--library-cases 50000]
                             [--data DIR] [--workers 2] [--startup-runs 10] [--quick]

1. The library beside hand-written rules: `library_vs_handwritten.py --cases N` as a
   separate process (its own generated cases, best of three alternating rounds); its table.
2. Batch end to end: `hembesok batch INPUT --as-of 2026-05-04 --workers 2 -o /dev/null`,
   with `--compact` and without (full plans), on generated NDJSON inputs of each size
   (`generate.py --seed 1 --as-of 2026-05-04 --corrupt K`, 300 corrupted records per
   million). Per run: wall seconds, cases per second, CPU seconds, the peak resident
   memory of the largest process of the run, the exit code, and the summary's counts and
   the records reported on standard error checked against the corrupted list. Then one
   untimed run on the smallest input whose output is read back line by line.
3. Start-up: `hembesok --help` and a one-case `hembesok plan`, each as its own process,
   one warm-up and then `--startup-runs` runs; minimum, median and maximum wall time.

Before the sections: the machine (cores, memory, Python, hembesok and its plugins, the
speed-ups orjson and jsonschema-rs), and the load average before and after each section;
after them, the figures set against the aims of the issue. Only Python's own `time`,
`resource`/`os.wait4` and `subprocess` measure. Nothing about a time is asserted: a time
is reported, never checked; the runner exits 1 only when an answer is wrong (counts, errors
at other records than the corrupted ones, a command that failed).

Inputs go to `--data DIR` and are reused from there when present, else to a temporary
folder removed at the end (about 2 kB a case: 1 000 000 cases are about 2 GB).
`--quick` runs 20 000 cases and 5 000 library cases, a check in about a minute.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import json
import multiprocessing
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
AS_OF = "2026-05-04"
SEED = 1
SIZES = (100_000, 700_000, 1_000_000)
QUICK_SIZES = (20_000,)
LIBRARY_CASES = 50_000
QUICK_LIBRARY_CASES = 5_000
CORRUPT_PER_MILLION = 300
BYTES_PER_CASE = 2_000  # generated NDJSON, for the disk check
PLAN_EXAMPLE = ROOT / "examples" / "vaggeryd-first-child.json"
SUMMARY = re.compile(r"hembesok batch: (\d+) records in, (\d+) plans out, (\d+) errors")
REPORTED = re.compile(r":\d+:\d+: record (\d+): ")

# The aims of the issue, set against the figures at the end (reported, never asserted).
AIM_DECISIONS = 0.5  # library ÷ hand-written, decisions alone
AIM_PLANS = 0.8  # library ÷ hand-written, decisions + visits + flags
AIM_BATCH_CASES, AIM_BATCH_SECONDS = 700_000, 15.0  # `batch --compact` on two cores
AIM_HELP_MS, AIM_PLAN_MS = 150.0, 250.0  # medians
MEMORY_SAME = 0.05  # "the same": the larger peak at most 5 % above the smaller


def corrupt_count(size: int) -> int:
    return max(1, size * CORRUPT_PER_MILLION // 1_000_000)


def load_average() -> str:
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def child_environment() -> dict[str, str]:
    """This environment without HEMBESOK_* settings: every installed plugin, no debug."""
    return {k: v for k, v in os.environ.items() if not k.startswith("HEMBESOK_")}


def hembesok_command() -> str:
    beside = Path(sys.executable).with_name("hembesok")
    found = str(beside) if beside.exists() else shutil.which("hembesok")
    if found is None:
        raise SystemExit("no `hembesok` command next to this Python or on PATH (README: Set-up)")
    return found


def version_of(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


@dataclass
class Run:
    """One child process, waited for with os.wait4."""

    exit: int
    seconds: float
    cpu_seconds: float  # user + system, the process and the descendants it waited for
    peak_mib: float  # ru_maxrss: the largest of the process and those descendants
    stdout: str
    stderr: str


def run(command: Sequence[str], *, capture_stdout: bool = False) -> Run:
    """Run `command` and wait for it with os.wait4, timing the wall clock around it.

    Standard output goes to /dev/null unless captured; standard error is captured (read
    after the process ends, from a file, so a full pipe never stalls it)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=out if capture_stdout else subprocess.DEVNULL,
            stderr=err,
            env=child_environment(),
            cwd=ROOT,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            exit=proc.returncode,
            seconds=seconds,
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            peak_mib=usage.ru_maxrss / 1024,  # kibibytes on Linux
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    loads: list[tuple[str, str, str]] = field(default_factory=list)
    ratios: dict[str, float] = field(default_factory=dict)
    batch: dict[tuple[int, str], Run] = field(default_factory=dict)
    startup: dict[str, list[float]] = field(default_factory=dict)

    def fail(self, message: str) -> None:
        self.problems.append(message)
        print(f"\n**Problem:** {message}\n", flush=True)


def section(title: str) -> None:
    print(f"\n## {title}\n", flush=True)


# ---------------------------------------------------------------- the machine


def machine(workers: int) -> None:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    plugins = sorted(
        {e.dist.name for e in importlib.metadata.entry_points(group="hembesok") if e.dist}
    )
    section("Machine")
    print("| | |\n|---|---|")
    print(f"| date (UTC) | {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} |")
    print(f"| cores | {os.cpu_count()} ({usable} usable by this process) |")
    print(f"| processor | {model or platform.processor() or '?'} ({platform.machine()}) |")
    print(f"| memory | {memory:.1f} GiB |")
    print(f"| system | {platform.platform()} |")
    print(
        f"| Python | {platform.python_version()} ({platform.python_implementation()}), "
        f"multiprocessing start method {multiprocessing.get_start_method()} |"
    )
    print(f"| hembesok | {version_of('hembesok')} |")
    print(f"| plugins | {', '.join(f'{p} {version_of(p)}' for p in plugins)} |")
    print(f"| orjson | {version_of('orjson')} |")
    print(f"| jsonschema-rs | {version_of('jsonschema-rs')} |")
    print(f"| batch workers | {workers} |")
    print(f"| load average (1 / 5 / 15 min) | {load_average()} |")


# ---------------------------------------------------------------- inputs


def prepare_inputs(folder: Path, sizes: Sequence[int]) -> dict[int, tuple[Path, list[int]]]:
    """Generate (or reuse) one NDJSON input per size: its path and its corrupted records."""
    section("Inputs")
    wanted = {}
    for size in sizes:
        name = f"cases-{size}-seed{SEED}-{AS_OF}-corrupt{corrupt_count(size)}"
        wanted[size] = (folder / f"{name}.ndjson", folder / f"{name}.corrupted")
    missing = [s for s, (p, c) in wanted.items() if not (p.exists() and c.exists())]
    need = sum(missing) * BYTES_PER_CASE
    free = shutil.disk_usage(folder).free
    if need > free:
        raise SystemExit(
            f"generating {sum(missing):,} cases needs about {need / 2**30:.1f} GiB in {folder}, "
            f"{free / 2**30:.1f} GiB free: give smaller --sizes or another --data"
        )
    print("| cases | corrupted | MiB | file | |\n|---:|---:|---:|---|---|")
    inputs = {}
    for size, (path, listing) in wanted.items():
        if size in missing:
            start = time.perf_counter()
            part, part_listing = path.with_suffix(".part"), listing.with_suffix(".part-list")
            subprocess.run(
                [
                    sys.executable,
                    str(HERE / "generate.py"),
                    *("--count", str(size), "--seed", str(SEED), "--as-of", AS_OF),
                    *("--corrupt", str(corrupt_count(size)), "--corrupted-list", str(part_listing)),
                    *("-o", str(part)),
                ],
                check=True,
                env=child_environment(),
            )
            os.replace(part, path)
            os.replace(part_listing, listing)
            how = f"generated in {time.perf_counter() - start:.0f} s"
        else:
            how = "reused"
        corrupted = [int(n) for n in listing.read_text().split()]
        inputs[size] = (path, corrupted)
        print(
            f"| {size:,} | {len(corrupted)} | {path.stat().st_size / 2**20:,.0f} | "
            f"`{path}` | {how} |",
            flush=True,
        )
    return inputs


# ---------------------------------------------------------------- 1. library


def library_section(report: Report, cases: int) -> None:
    section(f"1. The library beside hand-written rules ({cases:,} cases)")
    command = [sys.executable, str(HERE / "library_vs_handwritten.py"), "--cases", str(cases)]
    print(f"`python benchmarks/library_vs_handwritten.py --cases {cases}`, its own process:\n")
    result = run(command, capture_stdout=True)
    lines = result.stdout.splitlines()
    table = [line for line in lines if line.startswith("|")]
    print("\n".join(table))
    print()
    for line in lines:
        if line and not line.startswith("|") and not line.startswith("best of"):
            print(f"- {line}")
    if result.exit != 0 or len(table) < 4:
        report.fail(f"library_vs_handwritten.py exited {result.exit}:\n{result.stderr[-2000:]}")
        return
    for row in table[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        report.ratios[cells[0]] = float(cells[3])


# ---------------------------------------------------------------- 2. batch


def check_batch(size: int, corrupted: list[int], result: Run) -> str:
    """'ok', or what is wrong: the summary's counts, the records reported, the exit code."""
    found = SUMMARY.search(result.stderr)
    if found is None:
        return f"no summary line (exit {result.exit}): {result.stderr[-300:]!r}"
    records, plans, errors = map(int, found.groups())
    reported = sorted({int(n) for n in REPORTED.findall(result.stderr)})
    wrong = []
    if records != size:
        wrong.append(f"{records} records in, not {size}")
    if plans + errors != records:
        wrong.append("plans out + errors ≠ records in")
    if errors != len(corrupted):
        wrong.append(f"{errors} errors, {len(corrupted)} corrupted")
    if reported != corrupted:
        wrong.append("the records reported on stderr are not the corrupted ones")
    if result.exit != (1 if corrupted else 0):
        wrong.append(f"exit {result.exit}")
    return "; ".join(wrong) or "ok"


def batch_command(path: Path, workers: int, compact: bool, output: str) -> list[str]:
    return [
        hembesok_command(),
        "batch",
        str(path),
        *("--as-of", AS_OF, "--workers", str(workers), "-o", output),
        *(["--compact"] if compact else []),
    ]


def batch_section(
    report: Report, inputs: dict[int, tuple[Path, list[int]]], workers: int, folder: Path
) -> None:
    section(f"2. `hembesok batch` end to end ({workers} workers)")
    print(
        f"`hembesok batch INPUT --as-of {AS_OF} --workers {workers} -o /dev/null [--compact]`; "
        "seconds: wall time from start to exit; CPU: user + system seconds of the batch "
        "process and its workers; peak memory: `ru_maxrss` from `os.wait4` on the batch "
        "process, which on Linux is the largest resident set of the process itself and of "
        "every descendant it waited for (its workers, which it joins): the largest single "
        "process of the run, not a sum. (The same maximum as `getrusage(RUSAGE_CHILDREN)` "
        "taken in a process that only ran this batch; this runner's own RUSAGE_CHILDREN would "
        "also hold the generator and the library comparison, so each run is read from its "
        "own wait4.) check: the summary's counts on stderr, the record numbers reported there "
        "and the exit code against the corrupted list.\n"
    )
    print(
        "| cases | output | seconds | cases/s | CPU s | peak memory (MiB) "
        "| records in / plans out / errors | check | exit |"
    )
    print("|---:|---|---:|---:|---:|---:|---|---|---:|", flush=True)
    for size, (path, corrupted) in inputs.items():
        for compact in (True, False):
            mode = "compact" if compact else "full"
            result = run(batch_command(path, workers, compact, os.devnull))
            report.batch[size, mode] = result
            verdict = check_batch(size, corrupted, result)
            found = SUMMARY.search(result.stderr)
            counts = " / ".join(found.groups()) if found else "–"
            print(
                f"| {size:,} | {mode} | {result.seconds:.1f} | {size / result.seconds:,.0f} | "
                f"{result.cpu_seconds:.0f} | {result.peak_mib:.0f} | {counts} | {verdict} | "
                f"{result.exit} |",
                flush=True,
            )
            if verdict != "ok":
                report.fail(f"batch {size:,} {mode}: {verdict}")
    size = min(inputs)
    path, corrupted = inputs[size]
    out = folder / f"output-check-{size}.ndjson"
    try:
        result = run(batch_command(path, workers, True, str(out)))
        verdict = check_batch(size, corrupted, result)
        numbers, errors = [], []
        with out.open("rb") as lines:
            for line in lines:
                record = json.loads(line)
                numbers.append(record["record"])
                if "error" in record:
                    errors.append(record["record"])
    finally:
        out.unlink(missing_ok=True)
    in_order = numbers == list(range(1, size + 1))
    at_corrupted = errors == corrupted
    print(
        f"\nOutput check ({size:,} cases, `--compact`, written to a file and read back, "
        f"untimed): {len(numbers):,} lines, record numbers 1..{size:,} "
        f"{'in order' if in_order else 'NOT in order'}, {len(errors)} error lines "
        f"{'exactly at' if at_corrupted else 'NOT at'} the corrupted records; {verdict}."
    )
    if not (in_order and at_corrupted and verdict == "ok"):
        report.fail(
            "the output read back is not every record in order with errors at the corrupted ones"
        )


# ---------------------------------------------------------------- 3. start-up


def startup_section(report: Report, runs: int) -> None:
    section("3. Start-up")
    hembesok = hembesok_command()
    commands = {
        "hembesok --help": [hembesok, "--help"],
        f"hembesok plan examples/{PLAN_EXAMPLE.name} --as-of {AS_OF}": [
            hembesok,
            "plan",
            str(PLAN_EXAMPLE),
            "--as-of",
            AS_OF,
        ],
    }
    print(f"Each a new process, output to /dev/null; 1 warm-up, then {runs} runs, wall time.\n")
    print("| command | runs | min (ms) | median (ms) | max (ms) | exit |")
    print("|---|---:|---:|---:|---:|---|")
    for name, command in commands.items():
        results = [run(command) for _ in range(1 + runs)][1:]
        times = [r.seconds * 1000 for r in results]
        exits = sorted({r.exit for r in results})
        report.startup[name] = times
        print(
            f"| `{name}` | {runs} | {min(times):.0f} | {statistics.median(times):.0f} | "
            f"{max(times):.0f} | {', '.join(map(str, exits))} |",
            flush=True,
        )
        if exits != [0]:
            report.fail(f"`{name}` exited {exits}: {results[-1].stderr[-500:]}")


# ---------------------------------------------------------------- against the aims


def aims(report: Report) -> None:
    section("Against the aims")
    print("Reported, never asserted.\n")
    print("| aim | measured | |\n|---|---|---|")

    def line(aim: str, measured: str, met: bool | None) -> None:
        verdict = "not measured" if met is None else ("met" if met else "not met")
        print(f"| {aim} | {measured} | {verdict} |")

    for task, aim in (("decisions + visits + flags", AIM_PLANS), ("decisions", AIM_DECISIONS)):
        ratio = report.ratios.get(task)
        if ratio is None:
            line(f"library {task} ≥ {aim} × hand-written", "–", None)
            continue
        distance = f"{ratio - aim:+.3f}; needs {aim / ratio:.1f} × its speed"
        line(
            f"library {task} ≥ {aim} × hand-written",
            f"{ratio:.3f} × ({distance if ratio < aim else f'{ratio - aim:+.3f}'})",
            ratio >= aim,
        )
    name = f"`batch --compact` {AIM_BATCH_CASES:,} cases < {AIM_BATCH_SECONDS:.0f} s on two cores"
    compact = report.batch.get((AIM_BATCH_CASES, "compact"))
    full = report.batch.get((AIM_BATCH_CASES, "full"))
    if compact is None:
        line(name, f"no run of {AIM_BATCH_CASES:,} cases", None)
    else:
        needed = AIM_BATCH_CASES / AIM_BATCH_SECONDS
        rate = AIM_BATCH_CASES / compact.seconds
        full_text = f"; full plans {full.seconds:.1f} s" if full else ""
        line(
            name,
            f"{compact.seconds:.1f} s, {compact.seconds / AIM_BATCH_SECONDS:.1f} × the aim "
            f"({rate:,.0f} cases/s, the aim needs {needed:,.0f}){full_text}",
            compact.seconds < AIM_BATCH_SECONDS,
        )
    small, large = 100_000, 1_000_000
    for mode in ("compact", "full"):
        name = f"peak memory the same for {small:,} and {large:,} cases ({mode})"
        a, b = report.batch.get((small, mode)), report.batch.get((large, mode))
        if a is None or b is None:
            line(name, "not both sizes run", None)
            continue
        growth = b.peak_mib / a.peak_mib - 1
        line(
            name,
            f"{a.peak_mib:.1f} and {b.peak_mib:.1f} MiB ({growth:+.1%}; "
            f"the same: within {MEMORY_SAME:.0%})",
            abs(growth) <= MEMORY_SAME,
        )
    for (name, times), aim in zip(report.startup.items(), (AIM_HELP_MS, AIM_PLAN_MS), strict=True):
        median = statistics.median(times)
        line(
            f"`{name}` < {aim:.0f} ms",
            f"median {median:.0f} ms ({median - aim:+.0f} ms), max {max(times):.0f} ms",
            median < aim,
        )


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", help="cases per batch input")
    parser.add_argument("--library-cases", type=int, help="cases for the library comparison")
    parser.add_argument("--data", type=Path, help="keep the inputs in this folder and reuse them")
    parser.add_argument("--workers", type=int, default=2, help="hembesok batch --workers")
    parser.add_argument("--startup-runs", type=int, default=10)
    parser.add_argument("--quick", action="store_true", help="20 000 cases, a check in a minute")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes or (QUICK_SIZES if args.quick else SIZES)))
    library_cases = args.library_cases or (QUICK_LIBRARY_CASES if args.quick else LIBRARY_CASES)

    started = time.perf_counter()
    print("# hembesok benchmarks")
    print(f"\n`{' '.join(['python benchmarks/run.py', *(argv or sys.argv[1:])])}`")
    machine(args.workers)
    report = Report()
    with tempfile.TemporaryDirectory(prefix="hembesok-bench-") as tmp:
        folder = args.data or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        inputs = prepare_inputs(folder, sizes)
        sections = [
            ("1. library beside hand-written", lambda: library_section(report, library_cases)),
            ("2. batch", lambda: batch_section(report, inputs, args.workers, folder)),
            ("3. start-up", lambda: startup_section(report, args.startup_runs)),
        ]
        for name, body in sections:
            before = load_average()
            body()
            after = load_average()
            report.loads.append((name, before, after))
            print(f"\nLoad average (1 / 5 / 15 min): {before} before, {after} after.", flush=True)
    aims(report)
    section("Load")
    print("| section | load average before (1 / 5 / 15 min) | after |\n|---|---|---|")
    for name, before, after in report.loads:
        print(f"| {name} | {before} | {after} |")
    minutes = (time.perf_counter() - started) / 60
    print(f"\nAll in {minutes:.1f} minutes, finished {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC.")
    if report.problems:
        print(f"\n{len(report.problems)} problem(s):")
        print("\n".join(f"- {p}" for p in report.problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

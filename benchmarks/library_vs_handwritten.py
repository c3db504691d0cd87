"""The library beside the hand-written rules of every bundled programme, in one process.

    python benchmarks/library_vs_handwritten.py --cases 50000 [--seed 1] [--as-of 2026-05-04]
                                                [--rounds 3] [--check 1000]

Generates the families in memory (generate.py, seeded), keeps the valid ones
(`hembesok.check_case`), checks on the first `--check` of them that the hand-written
rules give the library's answers byte for byte, and then times, on the same cases:

- decisions alone: `engine.decide(Case.from_dict(d), as_of)` against
  `handwritten.decide(d, as_of)`;
- decisions, visits (with their age basis), vaccine doses and screening flags (the task
  "decisions + visits + flags"): `compact(engine.evaluate(Case.from_dict(d),
  as_of))` against `handwritten.plan(d, as_of)`.

Each timing is the best of `--rounds` rounds; the library's and the hand-written rounds
alternate (and which goes first alternates too), so a change in the machine's other load
falls on both. Prints cases per second, the ratio library ÷ hand-written (1.0 = as fast),
the load average before and after, the Python version and the number of cases. Nothing is
asserted about the times.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import handwritten  # noqa: E402

from hembesok import __version__, check_case  # noqa: E402
from hembesok.engine.engine import Engine  # noqa: E402
from hembesok.model.case import Case  # noqa: E402
from hembesok.render.compact import compact  # noqa: E402

AS_OF = dt.date(2026, 5, 4)


def valid_families(
    engine: Engine, count: int, seed: int, as_of: dt.date
) -> tuple[list[dict[str, Any]], int]:
    """The generated families that are valid cases on `as_of`, and how many were generated."""
    cases = list(generate.families(count, seed, as_of, engine))
    return [case for case in cases if not check_case(case, as_of)], len(cases)


def check_agreement(engine: Engine, cases: Iterable[dict[str, Any]], as_of: dt.date) -> int:
    """Stop with a message unless the hand-written answers are the library's, byte for byte."""
    checked = 0
    for case in cases:
        parsed = Case.from_dict(case)
        decisions = {
            p: (d.status, d.missing_facts) for p, d in engine.decide(parsed, as_of).items()
        }
        if orjson.dumps(handwritten.decide(case, as_of)) != orjson.dumps(decisions):
            raise SystemExit(f"decisions differ for {case.get('case_ref')}")
        plan = compact(engine.evaluate(parsed, as_of))
        if orjson.dumps(handwritten.plan(case, as_of)) != orjson.dumps(plan):
            raise SystemExit(f"plans differ for {case.get('case_ref')}")
        checked += 1
    return checked


def timed(run: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def compare(
    engine: Engine, cases: list[dict[str, Any]], as_of: dt.date, rounds: int = 3
) -> dict[str, dict[str, list[float]]]:
    """Seconds per round for each task, library and hand-written rounds alternating.

    Each answer is made and dropped, as a batch writes one and goes on: keeping 50 000
    plans alive would time the garbage collector walking them more than the rules.
    """
    decide, evaluate, from_dict = engine.decide, engine.evaluate, Case.from_dict
    by_hand_decide, by_hand_plan = handwritten.decide, handwritten.plan

    def library_decisions() -> None:
        for d in cases:
            decide(from_dict(d), as_of)

    def hand_written_decisions() -> None:
        for d in cases:
            by_hand_decide(d, as_of)

    def library_plans() -> None:
        for d in cases:
            compact(evaluate(from_dict(d), as_of))

    def hand_written_plans() -> None:
        for d in cases:
            by_hand_plan(d, as_of)

    tasks = {
        "decisions": {"library": library_decisions, "hand-written": hand_written_decisions},
        "decisions + visits + flags": {
            "library": library_plans,
            "hand-written": hand_written_plans,
        },
    }
    times: dict[str, dict[str, list[float]]] = {
        task: {side: [] for side in sides} for task, sides in tasks.items()
    }
    for number in range(rounds):
        for task, sides in tasks.items():
            order = list(sides) if number % 2 == 0 else list(reversed(sides))
            for side in order:
                times[task][side].append(timed(sides[side]))
    return times


def table(times: dict[str, dict[str, list[float]]], count: int) -> list[str]:
    lines = [
        "| task | library (cases/s) | hand-written (cases/s) | library ÷ hand-written |",
        "|---|---:|---:|---:|",
    ]
    for task, sides in times.items():
        library = count / min(sides["library"])
        by_hand = count / min(sides["hand-written"])
        lines.append(f"| {task} | {library:,.0f} | {by_hand:,.0f} | {library / by_hand:.3f} |")
    return lines


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--check", type=int, default=1000, help="cases checked to agree first")
    args = parser.parse_args(argv)

    engine = Engine.from_installed(env={})  # the bundled programmes, as handwritten.py has them
    start = time.perf_counter()
    cases, generated = valid_families(engine, args.cases, args.seed, args.as_of)
    print(
        f"hembesok {__version__}; Python {platform.python_version()} "
        f"({platform.python_implementation()}); {platform.machine()}; {os.cpu_count()} cores"
    )
    print(
        f"cases: {len(cases):,} valid of {generated:,} generated (seed {args.seed}, "
        f"as of {args.as_of.isoformat()}) in {time.perf_counter() - start:.1f} s"
    )
    checked = check_agreement(engine, cases[: args.check], args.as_of)
    print(f"checked: the hand-written answers equal the library's on {checked:,} cases (bytes)")
    print(f"load average before: {load_average()}")
    times = compare(engine, cases, args.as_of, args.rounds)
    after = load_average()
    print(f"\nbest of {args.rounds} rounds, {len(cases):,} cases, one process:\n")
    print("\n".join(table(times, len(cases))))
    print(f"\nload average after: {after}")
    for task, sides in times.items():
        rounds = "; ".join(
            f"{side} " + " ".join(f"{t:.2f}" for t in seconds) for side, seconds in sides.items()
        )
        print(f"seconds per round, {task}: {rounds}")


if __name__ == "__main__":
    main()

"""Running a batch: chunks planned in this process or in worker processes, written in order.

With several workers, each worker process builds its own engine (`Settings.engine_factory`)
and plans the chunks it takes from a queue; the parent reads, hands out, puts results back
in input order and writes. At most `CHUNKS_AHEAD` chunks per worker are out at a time,
which keeps memory flat: the input is never read far ahead of what has been written.
Nothing is kept in module state: a worker's engine lives in its own loop.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from hembesok.batch.planning import ChunkPlanner, ChunkResult, Settings, Summary
from hembesok.batch.records import RawRecord
from hembesok.engine.engine import Engine

#: Chunks per worker handed out ahead of the one being written: the memory ceiling.
CHUNKS_AHEAD = 3

_STOP = None  # the last task a worker takes


def _work(settings: Settings, tasks: Any, results: Any) -> None:
    """A worker process: plan chunks from `tasks` until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers on Ctrl-C
    try:
        planner = ChunkPlanner(settings)
    except BaseException as exc:  # cannot plan at all: say so once, by type only
        results.put((-1, type(exc).__name__))
        return
    while True:
        task = tasks.get()
        if task is _STOP:
            return
        index, chunk = task
        try:
            results.put((index, planner.plan_chunk(chunk)))
        except BaseException as exc:  # a bug the planner did not catch (debug mode)
            results.put((-1, type(exc).__name__))
            return


class WorkerFailed(RuntimeError):
    """A worker process could not plan (its error's type name only: it may hold case data)."""


def run(
    chunks: Iterable[list[RawRecord]],
    settings: Settings,
    out: IO[bytes],
    *,
    workers: int = 1,
    engine: Engine | None = None,
    on_chunk: Callable[[ChunkResult], None] | None = None,
) -> Summary:
    """Plan every chunk, write its lines to `out` in input order, and count.

    `engine` is used in this process (workers=1); worker processes build their own
    with `settings.engine_factory`.
    """
    summary = Summary()

    def take(result: ChunkResult) -> None:
        out.write(result.output)
        summary.add(result)
        if on_chunk is not None:
            on_chunk(result)

    if workers <= 1:
        planner = ChunkPlanner(settings, engine)
        for chunk in chunks:
            take(planner.plan_chunk(chunk))
        return summary

    context = multiprocessing.get_context()
    tasks: Any = context.Queue()
    results: Any = context.Queue()
    processes = [
        context.Process(target=_work, args=(settings, tasks, results), daemon=True)
        for _ in range(workers)
    ]
    for process in processes:
        process.start()
    try:
        _feed(iter(chunks), tasks, results, processes, CHUNKS_AHEAD * workers, take)
        for _ in processes:
            tasks.put(_STOP)
        for process in processes:
            process.join()
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
                process.join()
    return summary


def _feed(
    chunks: Iterator[list[RawRecord]],
    tasks: Any,
    results: Any,
    processes: list[Any],
    window: int,
    take: Callable[[ChunkResult], None],
) -> None:
    """Hand out chunks with at most `window` out at a time; take results in input order."""
    sent = written = 0
    waiting: dict[int, ChunkResult] = {}
    exhausted = False
    while True:
        while not exhausted and sent - written < window:
            chunk = next(chunks, None)
            if chunk is None:
                exhausted = True
                break
            tasks.put((sent, chunk))
            sent += 1
        if exhausted and written == sent:
            return
        try:
            index, result = results.get(timeout=1.0)
        except queue.Empty:
            if not all(p.is_alive() for p in processes):
                raise WorkerFailed("a worker process ended unexpectedly") from None
            continue
        if index < 0:
            raise WorkerFailed(f"a worker process failed ({result})")
        waiting[index] = result
        while written in waiting:
            take(waiting.pop(written))
            written += 1

"""Running a batch: chunks planned in this process or in worker processes, written in order.

With several workers, each worker process builds its own engine (`Settings.engine_factory`)
and plans the chunks it takes from a queue; the parent reads, hands out, puts results back
in input order and writes. At most `CHUNKS_AHEAD` chunks per worker are out at a time,
which keeps memory flat: the input is never read far ahead of what has been written.
Nothing is kept in module state: a worker's engine lives in its own loop.

Every chunk is written with one write of whole lines and flushed, so the output holds
whole records only, up to the last chunk written (a hard kill can still cut the last
write short; `hembesok batch --resume` drops such a partial line). A `Stop` ends a run
early and cleanly: no chunk is handed out after it, the chunks already planned that are
next in order are written, and the workers are ended (quietly: a worker never prints a
traceback, and one whose parent has gone ends too).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from multiprocessing.connection import wait
from typing import IO, Any, Protocol, cast, runtime_checkable

from hembesok.batch.planning import ChunkPlanner, ChunkResult, Settings, Summary
from hembesok.batch.records import RawRecord
from hembesok.engine.engine import Engine

#: Chunks per worker handed out ahead of the one being written: the memory ceiling.
CHUNKS_AHEAD = 3
#: Seconds between looks at a stop request while waiting for the workers.
_POLL = 0.1
#: Seconds a worker is given to end after SIGTERM before it is killed.
_GRACE = 5.0

_STOP = None  # the last task a worker takes


class Interrupted(BaseException):  # like KeyboardInterrupt: not an error
    """A stop requested while nothing was being written: raised where the request arrived."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class Stop:
    """A request to end a run early, by a signal (`on_signals`) or by a caller (`request`).

    Inside a run a request only sets `signal`, and the run looks at it between chunks, so
    nothing is ever half written. Where a request may raise Interrupted at once instead
    (`interruptible`): outside a run, and inside one while it reads its input.
    """

    def __init__(self, *, interruptible: bool = False) -> None:
        self.signal: int | None = None
        self.interruptible = interruptible

    @property
    def requested(self) -> bool:
        return self.signal is not None

    def request(self, signum: int = signal.SIGTERM) -> None:
        if self.signal is None:
            self.signal = signum
        if self.interruptible:
            raise Interrupted(signum)

    def next_chunk(self, chunks: Iterator[list[RawRecord]]) -> list[RawRecord] | None:
        """The next chunk; None at the end of the input or when a stop is requested."""
        if self.requested:
            return None
        try:
            try:
                self.interruptible = True
                return next(chunks, None)
            finally:
                self.interruptible = False
        except Interrupted:
            return None

    def writing(self) -> None:
        """From here on (a run has begun) a request only sets the flag."""
        self.interruptible = False


@contextlib.contextmanager
def on_signals(
    stop: Stop, signals: Sequence[int] = (signal.SIGINT, signal.SIGTERM)
) -> Iterator[Stop]:
    """SIGINT and SIGTERM request `stop` while the block runs (in the main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def handler(signum: int, frame: object) -> None:
        stop.request(signum)

    previous = {s: signal.signal(s, handler) for s in signals}
    try:
        yield stop
    finally:
        for s, old in previous.items():
            signal.signal(s, old)


@runtime_checkable
class ChunkSink(Protocol):
    """Where a run's chunks go besides a stream of lines: the flat tables' parts
    (hembesok.batch.tables.TableSink). It gets every chunk once, in input order."""

    def write_chunk(self, result: ChunkResult) -> None: ...


class WorkerFailed(RuntimeError):
    """A worker process could not plan (its error's type name only: it may hold case data).

    The chunks planned before it that were next in order are written; `summary` counts them.
    """

    def __init__(self, message: str, summary: Summary | None = None) -> None:
        super().__init__(message)
        self.summary = summary if summary is not None else Summary()


class OutputClosed(Exception):
    """The output's reader went away (a broken pipe): `summary` counts what was written."""

    def __init__(self, summary: Summary) -> None:
        super().__init__("the output was closed by its reader")
        self.summary = summary


def _end_with_parent() -> None:
    """End this worker when its parent process ends, however it ended (even SIGKILL)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(0)

    threading.Thread(target=watch, name="hembesok-parent-watch", daemon=True).start()


def _work(settings: Settings, tasks: Any, results: Any) -> None:
    """A worker process: plan chunks from `tasks` until told to stop, send them on `results`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops the workers on Ctrl-C
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # and ends them with SIGTERM, quietly
    _end_with_parent()
    try:
        try:
            planner = ChunkPlanner(settings)
        except BaseException as exc:  # cannot plan at all: say so once, by type only
            results.send((-1, type(exc).__name__))
            return
        while True:
            task = tasks.get()
            if task is _STOP:
                return
            index, chunk = task
            try:
                out: tuple[int, Any] = (index, planner.plan_chunk(chunk))
            except BaseException as exc:  # a bug the planner did not catch
                out = (-1, type(exc).__name__)
            results.send(out)
            if out[0] < 0:
                return
    except (OSError, EOFError):  # the parent has gone: end without a word
        return


def run(
    chunks: Iterable[list[RawRecord]],
    settings: Settings,
    out: IO[bytes] | ChunkSink,
    *,
    workers: int = 1,
    engine: Engine | None = None,
    on_chunk: Callable[[ChunkResult], None] | None = None,
    stop: Stop | None = None,
    summary: Summary | None = None,
) -> Summary:
    """Plan every chunk, write its lines to `out` in input order, and count.

    `out` is a stream of lines, or a ChunkSink that takes each chunk whole (the flat tables).

    `engine` is used in this process (workers=1); worker processes build their own
    with `settings.engine_factory`. `summary` holds the counts of an earlier run this one
    goes on from (resume). When `stop` is requested, the run ends after writing what is
    next in order and returns a summary whose `stopped` is the signal; a broken output
    raises OutputClosed, a worker that fails WorkerFailed (after writing what it can).
    """
    summary = summary if summary is not None else Summary()
    stop = stop if stop is not None else Stop()
    chunks = iter(chunks)

    def take(result: ChunkResult) -> None:
        if isinstance(out, ChunkSink):
            out.write_chunk(result)
        else:
            try:
                out.write(result.output)  # one write of whole lines
                out.flush()
            except BrokenPipeError:
                raise OutputClosed(summary) from None
        summary.add(result)
        if on_chunk is not None:
            on_chunk(result)

    stop.writing()
    if workers <= 1:
        planner = ChunkPlanner(settings, engine)
        finished = False
        while not stop.requested:
            chunk = stop.next_chunk(chunks)
            if chunk is None:
                finished = not stop.requested
                break
            take(planner.plan_chunk(chunk))
    else:
        finished = _run_workers(chunks, settings, workers, stop, take, summary)
    if not finished:
        summary.stopped = stop.signal
    return summary


def _run_workers(
    chunks: Iterator[list[RawRecord]],
    settings: Settings,
    workers: int,
    stop: Stop,
    take: Callable[[ChunkResult], None],
    summary: Summary,
) -> bool:
    """Plan in worker processes; True when every chunk was written."""
    context = multiprocessing.get_context()
    tasks: Any = context.Queue()
    readers: list[Any] = []
    processes: list[Any] = []
    finished = False
    try:
        for _ in range(workers):
            reader, writer = context.Pipe(duplex=False)
            process = context.Process(target=_work, args=(settings, tasks, writer), daemon=True)
            process.start()
            writer.close()  # the worker holds the only write end: its end is the pipe's end
            readers.append(reader)
            processes.append(process)
        failure = _feed(chunks, tasks, readers, CHUNKS_AHEAD * workers, stop, take)
        if failure is not None:
            raise WorkerFailed(failure, summary)
        finished = not stop.requested
        if finished:
            for _ in processes:
                tasks.put(_STOP)
            for process in processes:
                process.join()
    finally:
        if not finished:
            tasks.cancel_join_thread()  # tasks no worker will take must not hold up the exit
        _end(processes)
        tasks.close()
        for reader in readers:
            reader.close()
    return finished


def _feed(
    chunks: Iterator[list[RawRecord]],
    tasks: Any,
    readers: list[Any],
    window: int,
    stop: Stop,
    take: Callable[[ChunkResult], None],
) -> str | None:
    """Hand out chunks with at most `window` out at a time; take results in input order.

    Returns when every chunk is written or a stop is requested (after writing the chunks
    that came back and are next in order), or with the reason a worker failed.
    """
    sent = written = 0
    waiting: dict[int, ChunkResult] = {}
    live = list(readers)
    exhausted = False
    failure: str | None = None

    def receive(timeout: float) -> None:
        nonlocal failure
        for reader in wait(live, timeout=timeout):
            try:
                index, result = cast("Any", reader).recv()
            except (EOFError, OSError):  # the worker has ended
                live.remove(reader)
                if not stop.requested:
                    time.sleep(_POLL)  # a signal to the whole group reaches us too: let it
                if not stop.requested and failure is None:
                    failure = "a worker process ended unexpectedly"
                continue
            if index < 0:
                failure = failure or f"a worker process failed ({result})"
            else:
                waiting[index] = result

    while True:
        while not exhausted and not stop.requested and sent - written < window:
            chunk = stop.next_chunk(chunks)
            if chunk is None:
                exhausted = not stop.requested
                break
            tasks.put((sent, chunk))
            sent += 1
        if exhausted and written == sent:
            return None
        if not stop.requested and failure is None:
            receive(_POLL)
        if stop.requested or failure is not None:
            while live and wait(live, timeout=0):  # what has come back already
                receive(0)
        while written in waiting:
            take(waiting.pop(written))
            written += 1
        if stop.requested or failure is not None:
            return failure


def _end(processes: list[Any]) -> None:
    """End every worker still running: SIGTERM (they die at once, quietly), then join."""
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(_GRACE)
        if process.is_alive():
            process.kill()
            process.join()

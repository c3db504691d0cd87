"""Planning many cases: records in, one JSON line per record out, in input order.

`records` reads NDJSON or CSV lazily (no line held whole past the limit), `planning`
plans a chunk through the case pipeline (hembesok.api), `running` runs the chunks here or
in worker processes and stops cleanly when asked, `resume` reads what an interrupted
run's output holds. The names below are what `hembesok batch` (hembesok.cli.batch) and
tests use.
"""

from hembesok.batch.planning import (
    COMPACT,
    FLAT,
    FLAT_ARROW,
    FULL,
    ChunkPlanner,
    ChunkResult,
    Settings,
    Summary,
)
from hembesok.batch.records import (
    CHUNK_RECORDS,
    CSV,
    NDJSON,
    CsvRows,
    RawRecord,
    chunked,
    csv_reader,
    csv_records,
    detect_format,
    ndjson_records,
    skip_to,
    too_long,
)
from hembesok.batch.resume import NotBatchOutput, Written, read_output
from hembesok.batch.resume import check as check_resume
from hembesok.batch.running import (
    CHUNKS_AHEAD,
    Interrupted,
    OutputClosed,
    Stop,
    WorkerFailed,
    on_signals,
    run,
)

__all__ = [
    "CHUNKS_AHEAD",
    "CHUNK_RECORDS",
    "COMPACT",
    "CSV",
    "FLAT",
    "FLAT_ARROW",
    "FULL",
    "NDJSON",
    "ChunkPlanner",
    "ChunkResult",
    "CsvRows",
    "Interrupted",
    "NotBatchOutput",
    "OutputClosed",
    "RawRecord",
    "Settings",
    "Stop",
    "Summary",
    "WorkerFailed",
    "Written",
    "check_resume",
    "chunked",
    "csv_reader",
    "csv_records",
    "detect_format",
    "ndjson_records",
    "on_signals",
    "read_output",
    "run",
    "skip_to",
    "too_long",
]

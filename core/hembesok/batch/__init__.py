"""Planning many cases: records in, one JSON line per record out, in input order.

`records` reads NDJSON or CSV lazily, `planning` plans a chunk through the case pipeline
(hembesok.api), `running` runs the chunks here or in worker processes. The names below
are what `hembesok batch` (hembesok.cli.batch) and tests use.
"""

from hembesok.batch.planning import (
    COMPACT,
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
    RawRecord,
    chunked,
    csv_reader,
    csv_records,
    detect_format,
    ndjson_records,
)
from hembesok.batch.running import CHUNKS_AHEAD, WorkerFailed, run

__all__ = [
    "CHUNKS_AHEAD",
    "CHUNK_RECORDS",
    "COMPACT",
    "CSV",
    "FULL",
    "NDJSON",
    "ChunkPlanner",
    "ChunkResult",
    "RawRecord",
    "Settings",
    "Summary",
    "WorkerFailed",
    "chunked",
    "csv_reader",
    "csv_records",
    "detect_format",
    "ndjson_records",
    "run",
]

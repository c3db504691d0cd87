"""A spark_map_tables that also counts the cases it plans, for tests/batch/test_spark.py.

Spark's Python workers import it by name (the test puts this folder on their PYTHONPATH),
so each worker appends what it planned to a file of its own in `folder`.
"""

import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from hembesok.batch.spark import SparkTablesMap


@dataclass(frozen=True)
class CountingTablesMap(SparkTablesMap):
    folder: str = ""

    def __call__(self, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        log = Path(self.folder) / f"{os.getpid()}-{uuid.uuid4().hex}.txt"
        for batch in batches:
            with log.open("a", encoding="utf-8") as out:
                out.write(f"{batch.num_rows}\n")
            yield from super().__call__(iter([batch]))


def planned(folder: Path) -> int:
    """How many cases were planned, over every worker."""
    return sum(int(n) for f in folder.glob("*.txt") for n in f.read_text("utf-8").split())

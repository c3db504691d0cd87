"""Reading a batch's input: NDJSON lines or CSV rows, numbered, lazily, in chunks.

Records are read as they are needed and handed out in chunks, so memory stays flat
whatever the input size. A record is (its number from 1, the line it starts on, the
record): a JSON line as bytes, a CSV row as cells, or for a row the CSV reader could not
read, why (text).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

NDJSON, CSV = "ndjson", "csv"
#: Records per chunk handed to a worker: large enough to amortise the hand-over, small
#: enough that the plans of the chunks in flight (about 2 MB a chunk) stay a small sum.
CHUNK_RECORDS = 100

RawRecord = tuple[int, int, "bytes | list[str] | str"]


def detect_format(name: str, stream: io.BufferedReader) -> str:
    """NDJSON or CSV: by the file's suffix, else by its first non-blank byte (`{` is NDJSON)."""
    lower = name.lower()
    if lower.endswith(".csv"):
        return CSV
    if lower.endswith((".ndjson", ".jsonl", ".json")):
        return NDJSON
    head = stream.peek(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return NDJSON if head[:1] in (b"{", b"") else CSV


def ndjson_records(stream: IO[bytes]) -> Iterator[RawRecord]:
    """Every non-blank line is a record; blank lines are skipped and not counted."""
    number = 0
    for line_no, line in enumerate(stream, start=1):
        if line_no == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        number += 1
        yield number, line_no, line


def csv_reader(stream: IO[bytes]) -> tuple[Any, list[str]]:
    """A csv reader over a byte stream and the header row.

    The delimiter is the header's: `,`, `;` (as Swedish spreadsheets write) or a tab.
    Bytes that are not UTF-8 are kept as lone surrogates and reported per cell.
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    first = text.readline()
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    return csv.reader(text, delimiter=delimiter), header


def csv_records(reader: Any) -> Iterator[RawRecord]:
    """Every non-empty row after the header is a record; its line is where the row starts."""
    number = 0
    last_line = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # the reader's messages name the syntax, never the data
            number += 1
            last_line = reader.line_num
            yield number, last_line + 1, f"cannot be read as CSV: {exc}"
            continue
        start, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        number += 1
        yield number, start + 1, row  # +1: the header line was read before the reader


def chunked(records: Iterable[RawRecord], size: int = CHUNK_RECORDS) -> Iterator[list[RawRecord]]:
    chunk: list[RawRecord] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

"""Reading a batch's input: NDJSON lines or CSV rows, numbered, lazily, in chunks.

Records are read as they are needed and handed out in chunks, so memory stays flat
whatever the input size. A record is (its number from 1, the line it starts on, the
record): a JSON line as bytes, a CSV row as cells, or for a record that cannot be read,
why (text, never a value from the record).

No line is held whole when it is longer than the limit (`--max-line-bytes`): it is read
in bounded pieces up to its end, counted as one line, and becomes that record's error,
so the records after it keep their numbers and lines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO

from hembesok.io.limits import MAX_LINE_BYTES
from hembesok.io.problems import InvalidDocument, Problem

NDJSON, CSV = "ndjson", "csv"
#: Records per chunk handed to a worker: large enough to amortise the hand-over, small
#: enough that the plans of the chunks in flight (about 2 MB a chunk) stay a small sum.
CHUNK_RECORDS = 100
#: The piece an over-long line is read past in.
_PIECE = 64 * 1024

RawRecord = tuple[int, int, "bytes | list[str] | str"]


def too_long(limit: int) -> str:
    """The error of a record longer than the limit (it names the limit, never the record)."""
    return f"the record is longer than the limit of {limit} bytes (--max-line-bytes)"


def detect_format(name: str, stream: io.BufferedReader) -> str:
    """NDJSON or CSV: by the file's suffix, else by its first non-blank byte (`{` is NDJSON)."""
    lower = name.lower()
    if lower.endswith(".csv"):
        return CSV
    if lower.endswith((".ndjson", ".jsonl", ".json")):
        return NDJSON
    head = stream.peek(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return NDJSON if head[:1] in (b"{", b"") else CSV


def ndjson_records(stream: IO[bytes], max_line_bytes: int = MAX_LINE_BYTES) -> Iterator[RawRecord]:
    """Every non-blank line is a record; blank lines are skipped and not counted.

    A line longer than `max_line_bytes` (its line ending not counted) is read past in
    pieces and becomes the record's error text.
    """
    number = 0
    line_no = 0
    size = max_line_bytes + 2  # room for "\r\n"
    readline = stream.readline
    while True:
        line = readline(size)
        if not line:
            return
        line_no += 1
        cut = len(line) == size and not line.endswith(b"\n")  # longer than the limit
        if line_no == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not cut:
            ending = 2 if line.endswith(b"\r\n") else 1 if line.endswith(b"\n") else 0
            if len(line) - ending <= max_line_bytes:
                if line and not line.isspace():
                    number += 1
                    yield number, line_no, line
                continue
        blank = not line or line.isspace()
        while cut:  # read past the rest of the line in bounded pieces
            piece = readline(_PIECE)
            blank = blank and (not piece or piece.isspace())
            cut = bool(piece) and not piece.endswith(b"\n")
        if not blank:
            number += 1
            yield number, line_no, too_long(max_line_bytes)


class _TooLong(Exception):
    """A CSV row went past the limit; raised through the csv reader, which starts afresh."""


class _CsvLines:
    """The physical lines of a CSV file as text, counted, each row held to the limit.

    Lines end at "\\n", "\\r\\n" or "\\r" (as the csv module reads them). `row_bytes` counts
    the bytes of the row being read, over every line it spans, and `row_quotes` its
    quotes: a row past the limit is read past to the end of its line, and on while a
    quoted field is open (an odd number of quotes), so the next row starts where the csv
    reader would have started it. The reader of rows calls `start_row` before each row.
    """

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self.text = io.TextIOWrapper(
            stream, encoding="utf-8-sig", errors="surrogateescape", newline=""
        )
        self.limit = limit
        self.lines = 0  # physical lines read so far, the header's included
        self.row_bytes = 0
        self.row_quotes = 0
        self._after_cr = False  # the last line was cut at a "\r" that may have a "\n" after it

    def start_row(self) -> None:
        self.row_bytes = self.row_quotes = 0

    def __iter__(self) -> _CsvLines:
        return self

    def __next__(self) -> str:
        budget = self.limit - self.row_bytes
        size = max(budget, 0) + 2
        line = self.text.readline(size)
        if self._after_cr:
            self._after_cr = False
            if line == "\n":  # the "\n" of a "\r\n" that a cut fell between
                line = self.text.readline(size)
        if not line:
            raise StopIteration
        self.lines += 1
        ended = line.endswith(("\n", "\r"))
        ending = 2 if line.endswith("\r\n") else 1 if ended else 0
        length = len(line) - ending
        if length > budget // 4:  # a character is at most four bytes: count the bytes
            length = len(line.encode("utf-8", "surrogateescape")) - ending
        if length <= budget and (ended or len(line) < size):
            self.row_bytes += length + ending
            self.row_quotes += line.count('"')
            return line
        # Read past the rest of the row in bounded pieces: to the end of its line, and on
        # over whole lines while a quoted field is open.
        quotes = self.row_quotes + line.count('"')
        self._after_cr = line.endswith("\r")
        while not ended or quotes % 2:
            piece = self.text.readline(_PIECE)
            if not piece:
                break
            if self._after_cr and piece == "\n":  # the rest of a "\r\n" a cut fell in
                self._after_cr = False
                continue
            if ended:
                self.lines += 1  # the row goes on over another line
            quotes += piece.count('"')
            ended = piece.endswith(("\n", "\r"))
            self._after_cr = piece.endswith("\r")
        raise _TooLong


class CsvRows:
    """A CSV file's rows after its header, with the line each starts on."""

    def __init__(self, lines: _CsvLines, delimiter: str) -> None:
        self.lines = lines
        self.reader = csv.reader(lines, delimiter=delimiter)


def csv_reader(
    stream: IO[bytes], max_line_bytes: int = MAX_LINE_BYTES, *, source: str = "-"
) -> tuple[CsvRows, list[str]]:
    """The rows of a CSV byte stream (for `csv_records`) and its header row.

    The delimiter is the header's: `,`, `;` (as Swedish spreadsheets write) or a tab.
    Bytes that are not UTF-8 are kept as lone surrogates and reported per cell. A header
    longer than `max_line_bytes` stops the run (InvalidDocument).
    """
    lines = _CsvLines(stream, max_line_bytes)
    try:
        first = next(lines, "")
    except _TooLong:
        message = f"the header row is longer than the limit of {max_line_bytes} bytes"
        raise InvalidDocument([Problem(source, 1, 1, "header", message)]) from None
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    header = next(csv.reader([first], delimiter=delimiter), [])
    return CsvRows(lines, delimiter), header


def csv_records(rows: CsvRows) -> Iterator[RawRecord]:
    """Every non-empty row after the header is a record; its line is where the row starts."""
    lines, reader = rows.lines, rows.reader
    limit = lines.limit
    number = 0
    while True:
        start = lines.lines + 1
        lines.start_row()
        try:
            row = next(reader)
        except StopIteration:
            return
        except _TooLong:
            number += 1
            yield number, start, too_long(limit)
            continue
        except csv.Error as exc:  # the reader's messages name the syntax, never the data
            number += 1
            yield number, start, f"cannot be read as CSV: {exc}"
            continue
        if not any(cell.strip() for cell in row):
            continue
        number += 1
        yield number, start, row


def skip_to(records: Iterator[RawRecord], last: int) -> list[RawRecord] | None:
    """Read past records 1 to `last` (to resume after it); None if the input ends before.

    Returns the records it was asked to keep for checks: the first and the last read.
    """
    kept: list[RawRecord] = []
    if last <= 0:
        return kept
    for record in records:
        if record[0] == 1 or record[0] == last:
            kept.append(record)
        if record[0] >= last:
            return kept
    return None


def chunked(records: Iterable[RawRecord], size: int = CHUNK_RECORDS) -> Iterator[list[RawRecord]]:
    chunk: list[RawRecord] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

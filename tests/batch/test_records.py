"""Reading records: a line or row past the limit is one located error, read in bounded
pieces, and the records after it keep their numbers and lines."""

import io
import json

import pytest

import hembesok.batch as batch
from hembesok.io.problems import InvalidDocument

LIMIT = 1000


class Watched(io.BytesIO):
    """A stream that remembers the most bytes one read handed out."""

    def __init__(self, data):
        super().__init__(data)
        self.most = 0

    def readline(self, size=-1):
        line = super().readline(size)
        self.most = max(self.most, len(line))
        return line

    def read(self, size=-1):
        data = super().read(size)
        self.most = max(self.most, len(data))
        return data

    def read1(self, size=-1):
        data = super().read1(size)
        self.most = max(self.most, len(data))
        return data

    def readinto(self, buffer):
        count = super().readinto(buffer)
        self.most = max(self.most, count or 0)
        return count


def case(i):
    return json.dumps({"case_ref": f"r{i}", "child": {"birth_date": "2026-03-10"}}).encode()


def test_an_over_long_ndjson_line_is_one_error_and_later_lines_keep_their_numbers():
    huge = b'{"case_ref": "' + b"x" * 5_000_000 + b'"}'
    data = b"\n".join([case(1), b"", huge, case(3), b"   ", case(4)]) + b"\n"
    stream = Watched(data)
    records = list(batch.ndjson_records(stream, LIMIT))
    assert [(n, line) for n, line, _ in records] == [(1, 1), (2, 3), (3, 4), (4, 6)]
    assert records[1][2] == batch.too_long(LIMIT)
    assert records[2][2].startswith(b'{"case_ref": "r3"')
    assert stream.most <= 64 * 1024  # never the whole line at once


@pytest.mark.parametrize("ending", [b"\n", b"\r\n"])
def test_the_limit_counts_the_line_without_its_ending(ending):
    exact = b'"' + b"a" * (LIMIT - 2) + b'"'
    over = exact + b" "
    data = exact + ending + over + ending + exact
    records = list(batch.ndjson_records(io.BytesIO(data), LIMIT))
    assert [(n, line, isinstance(r, str)) for n, line, r in records] == [
        (1, 1, False),
        (2, 2, True),
        (3, 3, False),  # the last line, without an ending
    ]


def test_an_over_long_blank_line_is_still_blank_and_a_byte_order_mark_is_no_record():
    data = b"\xef\xbb\xbf" + b" " * (3 * LIMIT) + b"\n" + case(1) + b"\n"
    assert [(n, line) for n, line, _ in batch.ndjson_records(io.BytesIO(data), LIMIT)] == [(1, 2)]


def test_an_over_long_csv_row_is_one_error_across_quoted_lines_and_line_endings():
    rows = [
        "case_ref;child.birth_date",
        "a;2026-03-10",
        "b" * (2 * LIMIT) + ";2026-03-10",  # one long line
        "c;2026-03-10",
        '"' + "d" * (LIMIT // 2) + "\n" + "e" * (LIMIT // 2) + "\n" + "f" * 10 + '";2026-03-10',
        "g;2026-03-10",
        "ö" * (LIMIT // 2 + 1) + ";2026-03-10",  # over the limit in bytes, not in characters
        "h;2026-03-10",
    ]
    for ending in ("\n", "\r\n", "\r"):
        stream = Watched(ending.join(rows).encode() + ending.encode())
        reader, header = batch.csv_reader(stream, LIMIT)
        assert header == ["case_ref", "child.birth_date"]
        got = [
            (n, line, r if isinstance(r, str) else r[0]) for n, line, r in batch.csv_records(reader)
        ]
        error = batch.too_long(LIMIT)
        assert got == [
            (1, 2, "a"),
            (2, 3, error),
            (3, 4, "c"),
            (4, 5, error),
            (5, 8, "g"),
            (6, 9, error),
            (7, 10, "h"),
        ], ending
        assert stream.most <= 64 * 1024


def test_a_csv_row_of_exactly_the_limit_is_read():
    cell = "x" * (LIMIT - len(";2026-03-10"))
    text = f"case_ref;child.birth_date\r\n{cell};2026-03-10\r\nz;2026-03-10\r\n"
    reader, _ = batch.csv_reader(io.BytesIO(text.encode()), LIMIT)
    assert [(n, line, r[0][:1]) for n, line, r in batch.csv_records(reader)] == [
        (1, 2, "x"),
        (2, 3, "z"),
    ]


def test_a_cut_between_carriage_return_and_line_feed_does_not_count_a_line():
    cell = "x" * (LIMIT + 1 - len(";2026-03-10"))  # the cut falls after its "\r"
    text = f"case_ref;child.birth_date\r\n{cell};2026-03-10\r\nz;2026-03-10\r\n"
    reader, _ = batch.csv_reader(io.BytesIO(text.encode()), LIMIT)
    got = [(n, line) for n, line, _ in batch.csv_records(reader)]
    assert got == [(1, 2), (2, 3)]


def test_an_over_long_csv_header_stops_the_run():
    text = "child.birth_date;" + "x" * (2 * LIMIT) + "\n2026-03-10;1\n"
    with pytest.raises(InvalidDocument) as caught:
        batch.csv_reader(io.BytesIO(text.encode()), LIMIT, source="in.csv")
    [problem] = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("in.csv", 1, 1)
    assert str(LIMIT) in problem.message and "xxx" not in problem.message


def test_skip_to_reads_past_records_and_keeps_the_first_and_the_last():
    records = iter((n, n, b"{}") for n in range(1, 11))
    kept = batch.skip_to(records, 6)
    assert [n for n, _, _ in kept] == [1, 6]
    assert next(records)[0] == 7
    assert batch.skip_to(iter((n, n, b"{}") for n in range(1, 4)), 6) is None
    assert batch.skip_to(iter(()), 0) == []

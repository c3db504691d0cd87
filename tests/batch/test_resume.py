"""What an interrupted run's output holds: whole record lines in order, counted, a partial
last line to drop, and checks that the input and options are those of the first run."""

import datetime as dt
import io
import json

import pytest

import hembesok.batch as batch
from hembesok.engine.engine import Engine

AS_OF = dt.date(2026, 5, 4)
GOOD = {"case_ref": "r", "child": {"birth_date": "2026-03-10"}, "municipality": "Vaggeryd"}


@pytest.fixture(scope="module")
def engine():
    return Engine.from_installed(env={})


def cases(count):
    lines = []
    for i in range(1, count + 1):
        case = {**GOOD, "case_ref": f"r{i}"} if i % 4 else {**GOOD, "municipality": 4711}
        lines.append(json.dumps(case).encode())
    return b"\n".join(lines) + b"\n"


def planned(data, engine, *, compact=False, as_of=AS_OF):
    settings = batch.Settings(as_of, "in.ndjson", output=batch.COMPACT if compact else batch.FULL)
    out = io.BytesIO()
    batch.run(
        batch.chunked(batch.ndjson_records(io.BytesIO(data)), 3), settings, out, engine=engine
    )
    return out.getvalue(), settings


def test_whole_lines_are_counted_and_a_partial_last_line_is_left_out(engine):
    output, _ = planned(cases(10), engine)
    lines = output.splitlines(keepends=True)
    cut = sum(map(len, lines[:7])) + 25  # a hard kill in the middle of line 8
    written = batch.read_output(io.BytesIO(output[:cut]))
    assert (written.end, written.size) == (sum(map(len, lines[:7])), cut)
    summary = written.summary
    assert (summary.records, summary.plans, summary.errors, summary.last_record) == (7, 6, 1, 7)
    assert (written.first, written.last) == (lines[0], lines[6])
    whole = batch.read_output(io.BytesIO(output))
    assert whole.end == whole.size == len(output) and whole.summary.last_record == 10


def test_internal_errors_are_counted_for_the_exit_code():
    line = b'{"record":1,"line":1,"error":{"type":"urn:hembesok:problem:internal-error","title":"x"}}\n'
    assert batch.read_output(io.BytesIO(line)).summary.internal == 1


@pytest.mark.parametrize(
    "data",
    [
        b'{"a":1}\n',
        b"hello",  # no whole line, and not the start of a record line
        b'{"record":2,"plan":{}}\n',  # does not start at record 1
        b'{"record":1,"plan":{}}\n{"record":3,"plan":{}}\n',  # a record left out
        b'{"record":1,"plan":{}}\n\n',
        b"\n",
    ],
)
def test_a_file_that_is_not_batch_output_is_refused(data):
    with pytest.raises(batch.NotBatchOutput):
        batch.read_output(io.BytesIO(data))


def test_an_empty_file_or_a_lone_partial_line_resumes_from_the_start():
    for data in (b"", b'{"rec', b'{"record":1,"plan":{"$sch'):
        written = batch.read_output(io.BytesIO(data))
        assert (written.end, written.size, written.summary.last_record) == (0, len(data), 0)


def test_the_same_input_and_options_pass_the_check(engine):
    data = cases(10)
    output, settings = planned(data, engine)
    written = batch.read_output(io.BytesIO(output[:-10]))
    kept = batch.skip_to(batch.ndjson_records(io.BytesIO(data)), written.summary.last_record)
    assert batch.check_resume(written, kept, batch.ChunkPlanner(settings, engine)) is None


def test_other_options_or_another_input_are_named(engine):
    data = cases(10)
    output, _ = planned(data, engine)
    written = batch.read_output(io.BytesIO(output))

    def wrong(data, **options):
        _, settings = planned(b"", engine, **options)
        kept = batch.skip_to(batch.ndjson_records(io.BytesIO(data)), 10)
        return batch.check_resume(written, kept, batch.ChunkPlanner(settings, engine))

    assert wrong(data) is None
    assert "leave out --compact" in wrong(data, compact=True)
    assert "give --as-of 2026-05-04" in wrong(data, as_of=dt.date(2026, 5, 5))
    other = data.replace(b'"r9"', b'"r99"')
    assert wrong(other) is None  # only the first and the last record are planned again
    other = data.replace(b'"r10"', b'"x10"')
    assert "is it the input of the run" in wrong(other)

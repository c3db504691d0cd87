"""Batch planning: one line per record in input order, bad records reported and skipped,
counts that add up, no value from a record in any error, and a bounded read-ahead."""

import datetime as dt
import io
import json
import random
import signal

import pytest

import hembesok.batch as batch
from hembesok.engine.engine import Engine
from hembesok.io.csv_cases import CsvLayout
from hembesok.model.case import Case

AS_OF = dt.date(2026, 5, 4)
SECRET = "191212121212"


@pytest.fixture(scope="module")
def engine():
    return Engine.from_installed(env={})


def good_case(i):
    rnd = random.Random(i)
    return {
        "case_ref": f"ref-{i}",
        "child": {
            "birth_date": (AS_OF - dt.timedelta(days=rnd.randrange(0, 2000))).isoformat(),
            "identifier": {"system": "personnummer", "value": SECRET},
        },
        "municipality": rnd.choice(["Vaggeryd", "Nässjö", "Jönköping"]),
        "first_child": {"either_parent": rnd.random() < 0.5},
    }


#: Ways a record goes wrong, each carrying a value that must never be echoed.
CORRUPTIONS = [
    lambda i: json.dumps({**good_case(i), "child": {"birth_date": "2019-02-30"}}).encode(),
    lambda i: json.dumps({**good_case(i), "municipality": 4711, "area": "Hemliga gatan"}).encode(),
    lambda i: json.dumps({**good_case(i), "nickname": "Lilla Hemlis"}).encode(),
    lambda i: b'{"child": {"birth_date": "2020-01-01"}, "municipality": "Hemlisby"',
    lambda i: b'{"child": {"birth_date": "2020-01-01"}, "area": "\xffHemlis"}',
    lambda i: json.dumps({**good_case(i), "child": {"birth_date": "2027-01-01"}}).encode(),
    lambda i: b'["Hemlis", 191212121212]',
]
LEAKS = [
    "2019-02-30",
    "4711",
    "Hemliga",
    "Lilla Hemlis",
    "Hemlisby",
    "Hemlis",
    SECRET,
    "2027-01-01",
]


def ndjson_input(count, bad):
    lines = []
    for i in range(1, count + 1):
        if i in bad:
            lines.append(CORRUPTIONS[i % len(CORRUPTIONS)](i))
        else:
            lines.append(json.dumps(good_case(i), ensure_ascii=False).encode())
    return b"\n".join(lines) + b"\n"


def run_ndjson(data, workers, engine=None):
    settings = batch.Settings(AS_OF, "cases.ndjson")
    out = io.BytesIO()
    messages = []
    summary = batch.run(
        batch.chunked(batch.ndjson_records(io.BytesIO(data)), 50),
        settings,
        out,
        workers=workers,
        engine=engine,
        on_chunk=lambda r: messages.extend(r.messages),
    )
    return summary, [json.loads(line) for line in out.getvalue().splitlines()], messages


def test_corrupted_records_in_the_middle_are_reported_by_number_and_the_rest_planned(engine):
    count = 600
    bad = set(random.Random(7).sample(range(2, count), 40))
    summary, lines, messages = run_ndjson(ndjson_input(count, bad), workers=2)
    assert (summary.records, summary.plans, summary.errors) == (count, count - 40, 40)
    assert summary.plans + summary.errors == summary.records
    assert [line["record"] for line in lines] == list(range(1, count + 1))  # input order kept
    assert {line["record"] for line in lines if "error" in line} == bad
    for line in lines:
        if "error" in line:
            assert line["line"] == line["record"]
            for p in line["error"]["problems"]:
                assert p["file"] == "cases.ndjson" and p["line"] == line["record"] and p["field"]
    expected = engine.evaluate(Case.from_dict(good_case(count)), AS_OF).to_json()
    assert lines[-1]["plan"] == expected
    assert len(messages) >= 40


def test_no_value_from_a_record_reaches_an_error_line_or_message():
    bad = set(range(1, 15))
    summary, lines, messages = run_ndjson(ndjson_input(14, bad), workers=1)
    assert summary.errors == 14
    shown = json.dumps([line["error"] for line in lines], ensure_ascii=False) + "\n".join(messages)
    for value in LEAKS:
        assert value not in shown, value


def test_two_workers_write_exactly_what_one_worker_writes(engine):
    data = ndjson_input(450, {3, 200, 449})
    out_one, out_two = io.BytesIO(), io.BytesIO()
    settings = batch.Settings(AS_OF, "cases.ndjson")
    batch.run(
        batch.chunked(batch.ndjson_records(io.BytesIO(data)), 40), settings, out_one, engine=engine
    )
    batch.run(
        batch.chunked(batch.ndjson_records(io.BytesIO(data)), 40), settings, out_two, workers=2
    )
    assert out_one.getvalue() == out_two.getvalue()


def test_workers_read_ahead_only_a_bounded_number_of_chunks():
    taken = 0
    handed = 0
    most_ahead = 0

    def chunks():
        nonlocal handed, most_ahead
        for chunk in batch.chunked(batch.ndjson_records(io.BytesIO(ndjson_input(400, set()))), 5):
            handed += 1
            most_ahead = max(most_ahead, handed - taken)
            yield chunk

    def take(result):
        nonlocal taken
        taken += 1

    summary = batch.run(
        chunks(), batch.Settings(AS_OF, "x"), io.BytesIO(), workers=2, on_chunk=take
    )
    assert summary.records == 400 and taken == 80
    assert most_ahead <= batch.CHUNKS_AHEAD * 2 + 1  # never the whole input (80 chunks) ahead


def test_blank_lines_and_a_byte_order_mark_are_not_records():
    data = (
        b"\xef\xbb\xbf"
        + json.dumps(good_case(1)).encode()
        + b"\n\n  \n"
        + json.dumps(good_case(2)).encode()
    )
    records = list(batch.ndjson_records(io.BytesIO(data)))
    assert [(number, line) for number, line, _ in records] == [(1, 1), (2, 4)]


def test_csv_records_know_their_lines_across_quoted_newlines_and_blank_rows():
    text = (
        "\ufeffcase_ref;child.birth_date;municipality\r\n"
        "a;2026-03-10;Vaggeryd\r\n"
        "\r\n"
        '"b\nc";2026-03-10;Nässjö\r\n'
        "d;2026-03-10;Jönköping\r\n"
    )
    reader, header = batch.csv_reader(io.BytesIO(text.encode()))
    assert header == ["case_ref", "child.birth_date", "municipality"]
    records = list(batch.csv_records(reader))
    assert [(n, line, row[0]) for n, line, row in records] == [
        (1, 2, "a"),
        (2, 4, "b\nc"),
        (3, 6, "d"),
    ]


def test_a_csv_batch_plans_rows_and_locates_bad_cells(engine):
    text = "case_ref,child.birth_date,municipality,first_child.either_parent\nr1,2026-03-10,Vaggeryd,yes\nr2,2026-03-10,Vaggeryd,perhaps\n"
    reader, header = batch.csv_reader(io.BytesIO(text.encode()))
    layout = CsvLayout.from_header(header, "in.csv")
    out = io.BytesIO()
    summary = batch.run(
        batch.chunked(batch.csv_records(reader)),
        batch.Settings(AS_OF, "in.csv", ("vaggeryd",), layout),
        out,
        engine=engine,
    )
    first, second = (json.loads(line) for line in out.getvalue().splitlines())
    assert first["plan"]["case_ref"] == "r1"
    assert first["plan"]["programs"][0]["decision"]["status"] == "eligible"
    [problem] = second["error"]["problems"]
    assert (
        second["record"],
        second["line"],
        problem["line"],
        problem["column"],
        problem["field"],
    ) == (2, 3, 3, 4, "first_child.either_parent")
    assert "perhaps" not in json.dumps(second)
    assert (summary.records, summary.plans, summary.errors) == (2, 1, 1)


def test_detect_format_by_suffix_then_first_byte():
    assert batch.detect_format("a.CSV", io.BufferedReader(io.BytesIO(b"{"))) == batch.CSV
    assert batch.detect_format("a.jsonl", io.BufferedReader(io.BytesIO(b"x"))) == batch.NDJSON
    assert batch.detect_format("-", io.BufferedReader(io.BytesIO(b'\n {"child"'))) == batch.NDJSON
    assert (
        batch.detect_format("-", io.BufferedReader(io.BytesIO(b"child.birth_date\n"))) == batch.CSV
    )


class _Broken:
    """An engine with a bug whose message would leak a value."""

    def reference_problems(self, doc, as_of=None, base=()):
        return []

    def evaluate(self, case, as_of, programs=None):
        raise ValueError(f"boom with {SECRET}")


def test_a_bug_is_an_error_line_naming_only_the_exception_type():
    data = json.dumps(good_case(1)).encode()
    summary, [line], messages = run_ndjson(data, workers=1, engine=_Broken())
    assert (summary.errors, summary.internal) == (1, 1)
    assert line["error"]["type"] == "urn:hembesok:problem:internal-error"
    assert "ValueError" in line["error"]["detail"]
    assert SECRET not in json.dumps(line) + "".join(messages)


class _Faulty:
    """The installed engine, with a bug in every case whose reference ends in 7."""

    def __init__(self, engine):
        self.engine = engine

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def evaluate(self, case, as_of, programs=None):
        if case.case_ref.endswith("7"):
            raise KeyError(SECRET)
        return self.engine.evaluate(case, as_of, programs)


def _faulty_engine():
    return _Faulty(Engine.from_installed(env={}))


@pytest.mark.parametrize("workers", [1, 2])
def test_in_debug_mode_a_bug_prints_its_traceback_and_the_run_loses_no_record(
    workers, monkeypatch, capfd
):
    monkeypatch.setenv("HEMBESOK_DEBUG", "1")
    settings = batch.Settings(AS_OF, "cases.ndjson", engine_factory=_faulty_engine)
    out = io.BytesIO()
    summary = batch.run(
        batch.chunked(batch.ndjson_records(io.BytesIO(ndjson_input(120, set()))), 25),
        settings,
        out,
        workers=workers,
    )
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["record"] for line in lines] == list(range(1, 121))
    faulty = [line["record"] for line in lines if "error" in line]
    assert faulty == [i for i in range(1, 121) if i % 10 == 7]
    assert {line["error"]["type"] for line in lines if "error" in line} == {
        "urn:hembesok:problem:internal-error"
    }
    assert (summary.records, summary.internal) == (120, 12)
    shown = capfd.readouterr().err
    assert shown.count("Traceback (most recent call last)") == 12 and "KeyError" in shown


def test_a_stop_ends_the_run_after_whole_chunks_in_order(engine):
    data = ndjson_input(400, set())
    for workers in (1, 2):
        stop = batch.Stop()
        out = io.BytesIO()
        taken = []

        def take(result, stop=stop, taken=taken):
            taken.append(result.last_record)
            if len(taken) == 3:
                stop.request()

        summary = batch.run(
            batch.chunked(batch.ndjson_records(io.BytesIO(data)), 20),
            batch.Settings(AS_OF, "cases.ndjson"),
            out,
            workers=workers,
            engine=engine,
            on_chunk=take,
            stop=stop,
        )
        lines = [json.loads(line)["record"] for line in out.getvalue().splitlines()]
        assert lines == list(range(1, summary.last_record + 1)), workers
        assert out.getvalue().endswith(b"\n")
        assert summary.stopped == signal.SIGTERM and 60 <= summary.last_record < 400
        assert summary.last_record == taken[-1] and summary.records == summary.last_record


def test_a_stop_while_reading_the_input_loses_nothing_written(engine):
    stop = batch.Stop()

    def chunks():
        yield from batch.chunked(batch.ndjson_records(io.BytesIO(ndjson_input(30, set()))), 10)
        stop.request(signal.SIGINT)  # raises Interrupted here, where the input is read
        yield [(31, 31, b"{}")]

    out = io.BytesIO()
    summary = batch.run(chunks(), batch.Settings(AS_OF, "x"), out, engine=engine, stop=stop)
    assert (summary.last_record, summary.stopped) == (30, signal.SIGINT)
    assert len(out.getvalue().splitlines()) == 30


def test_a_stop_before_a_run_raises_only_where_it_may():
    stop = batch.Stop(interruptible=True)
    with pytest.raises(batch.Interrupted):
        stop.request(signal.SIGINT)
    stop = batch.Stop()
    stop.request(signal.SIGTERM)
    assert stop.requested and stop.signal == signal.SIGTERM


def _no_engine():
    raise OSError("no engine with " + SECRET)


def test_a_worker_that_cannot_plan_fails_the_run_by_type_only():
    settings = batch.Settings(AS_OF, "x", engine_factory=_no_engine)
    with pytest.raises(batch.WorkerFailed) as caught:
        batch.run(
            batch.chunked(batch.ndjson_records(io.BytesIO(ndjson_input(50, set()))), 10),
            settings,
            io.BytesIO(),
            workers=2,
        )
    assert "OSError" in str(caught.value) and SECRET not in str(caught.value)
    assert caught.value.summary.records == 0


class _Closed(io.BytesIO):
    def write(self, data):
        raise BrokenPipeError


def test_a_broken_output_ends_the_run_with_output_closed(engine):
    for workers in (1, 2):
        with pytest.raises(batch.OutputClosed):
            batch.run(
                batch.chunked(batch.ndjson_records(io.BytesIO(ndjson_input(50, set()))), 10),
                batch.Settings(AS_OF, "x"),
                _Closed(),
                workers=workers,
                engine=engine,
            )

"""`hembesok batch`'s error paths: hostile NDJSON lines and CSV files. A bad record gets an
error line and the run goes on (exit 1, never 4); neither the output nor standard error
holds a marker. A good record after the bad one shows the run went on."""

import json

import pytest

from .hostile import params
from .hostile_batch_input import CSV_FILES, CSV_GOOD, CSV_HEADER, CSV_HEADERS, NDJSON_LINES
from .hostile_cases import CASES, GOOD
from .markers import AS_OF, NAME, PNR, TEXT, assert_private, leak, one_line, planted

INTERNAL = "urn:hembesok:problem:internal-error"


def batch(hembesok, files, data, suffix, *options, output=None):
    path = files / f"cases{suffix}"
    path.write_bytes(data)
    args = [path, "--as-of", AS_OF, *options]
    if output is not None:
        args += ["-o", output]
    return hembesok("batch", *args)


def assert_one_bad_record(ran, expect, records=2):
    """Exit 1, `records` lines of which the first is an error naming `expect` and the
    last is a plan, and a summary that counts them."""
    assert ran.code == 1, ran
    lines = [json.loads(line) for line in ran.out.splitlines()]
    assert [line["record"] for line in lines] == list(range(1, records + 1)), ran
    error = lines[0]["error"]
    assert error["type"] != INTERNAL and expect in json.dumps(error, ensure_ascii=False), ran
    assert "plan" in lines[-1], ran
    assert f"{records} records in" in ran.err, ran
    assert_private(ran.out, ran.err, ran.log)


@pytest.mark.parametrize("case", params(CASES))
def test_a_hostile_ndjson_record_is_an_error_line_without_a_marker(hembesok, files, case):
    data = (case.text + "\n" + GOOD + "\n").encode("utf-8")
    ran = batch(hembesok, files, data, ".ndjson", "--program", "vaggeryd")
    assert_one_bad_record(ran, case.expect)


@pytest.mark.parametrize(
    ("line", "expect", "options"),
    [pytest.param(line, expect, options, id=name) for name, line, expect, options in NDJSON_LINES],
)
def test_a_hostile_ndjson_line_is_an_error_line_without_a_marker(
    hembesok, files, line, expect, options
):
    data = line + b"\n" + GOOD.encode("utf-8") + b"\n"
    ran = batch(hembesok, files, data, ".ndjson", "--program", "vaggeryd", *options)
    assert_one_bad_record(ran, expect)


def csv_params(entries):
    return [
        pytest.param(data, expect, options, id=name, marks=[leak(why)] if why else [])
        for name, data, expect, options, why in entries
    ]


@pytest.mark.parametrize(("row", "expect", "options"), csv_params(CSV_FILES))
def test_a_hostile_csv_row_is_an_error_line_without_a_marker(hembesok, files, row, expect, options):
    data = (CSV_HEADER + row + CSV_GOOD).encode("utf-8", "surrogateescape")
    ran = batch(hembesok, files, data, ".csv", "--program", "vaggeryd", *options)
    assert_one_bad_record(ran, expect)


@pytest.mark.parametrize(("header", "expect", "options"), csv_params(CSV_HEADERS))
def test_a_hostile_csv_header_stops_the_run_without_a_marker(
    hembesok, files, header, expect, options
):
    data = (header + CSV_GOOD).encode("utf-8")
    ran = batch(hembesok, files, data, ".csv", *options)
    assert ran.code == 1 and ran.out == "" and expect in ran.err, ran
    assert_private(ran.out, ran.err, ran.log)


def test_every_hostile_record_at_once_in_two_workers_gives_error_lines_without_a_marker(
    hembesok, files
):
    """The worker processes' path: records planned elsewhere, their errors sent back."""
    lines = [case.text for case in CASES if not case.leak and not case.internal]
    data = ("\n".join([*lines, GOOD]) + "\n").encode("utf-8")
    out = files / "plans.ndjson"
    ran = batch(hembesok, files, data, ".ndjson", "--workers", "2", output=out)
    assert ran.code == 1, ran
    written = out.read_text("utf-8")
    entries = [json.loads(line) for line in written.splitlines()]
    assert [e["record"] for e in entries] == list(range(1, len(lines) + 2))
    assert all("error" in e and e["error"]["type"] != INTERNAL for e in entries[:-1])
    assert "plan" in entries[-1]
    assert_private(written, ran.out, ran.err, ran.log)


def test_resuming_from_a_file_that_is_not_batch_output_does_not_repeat_it(hembesok, files):
    out = files / "plans.ndjson"
    out.write_text(f"{PNR} {NAME}\n{TEXT}\n", encoding="utf-8")
    ran = batch(hembesok, files, (GOOD + "\n").encode(), ".ndjson", "--resume", output=out)
    assert ran.code == 2 and "not the output of hembesok batch" in ran.err, ran
    assert_private(ran.out, ran.err, ran.log)


def test_resuming_from_another_run_does_not_repeat_its_records(hembesok, files):
    """The output's first line is planned again and compared: a difference is named by
    record number, never by what either holds."""
    out = files / "plans.ndjson"
    other = {"record": 1, "plan": {"$schema": "x", "as_of": PNR, "case_ref": NAME}}
    out.write_text(json.dumps(other, separators=(",", ":")) + "\n", encoding="utf-8")
    data = (one_line(planted(responses=[])) + "\n" + GOOD + "\n").encode()
    ran = batch(hembesok, files, data, ".ndjson", "--resume", output=out)
    assert ran.code == 2 and "record 1 in the output" in ran.err, ran
    assert_private(ran.out, ran.err, ran.log)

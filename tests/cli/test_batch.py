"""`hembesok batch` on the command line: files and pipes, exit codes, summary, progress bar."""

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from hembesok import cli
from hembesok.io import schemas as schema_store

GOOD = {
    "child": {"birth_date": "2026-03-10"},
    "municipality": "Vaggeryd",
    "first_child": {"either_parent": True},
}
BAD = {
    "child": {"birth_date": "2026-03-10"},
    "municipality": "Vaggeryd",
    "first_child": {"either_parent": "kanske"},
}


def ndjson(*cases):
    return "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in cases)


def invoke(*args, input=None):
    return CliRunner().invoke(cli.main, ["batch", *args], input=input)


def test_all_good_records_exit_0_with_a_summary_on_stderr():
    result = invoke("-", "--as-of", "2026-05-04", "--program", "vaggeryd", input=ndjson(GOOD, GOOD))
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["record"] for line in lines] == [1, 2]
    assert lines[0]["plan"]["programs"][0]["program"]["id"] == "vaggeryd"
    assert result.stderr.strip() == "hembesok batch: 2 records in, 2 plans out, 0 errors"


def test_compact_lines_hold_compact_plans_and_errors_as_before():
    result = invoke("-", "--as-of", "2026-05-04", "--compact", input=ndjson(GOOD, BAD, GOOD))
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["record"] for line in lines] == [1, 2, 3]
    validator = schema_store.validator("compact-plan")
    for line in (lines[0], lines[2]):
        assert list(validator.iter_errors(line["plan"])) == []
    assert lines[1]["error"]["problems"][0]["field"] == "first_child.either_parent"


def test_a_bad_record_exits_1_and_is_reported_on_stderr_by_number_and_field(tmp_path):
    source = tmp_path / "cases.ndjson"
    source.write_text(ndjson(GOOD, BAD, GOOD), encoding="utf-8")
    out = tmp_path / "plans.ndjson"
    result = invoke(str(source), "-o", str(out), "--as-of", "2026-05-04")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert (
        f"{source}:2:" in result.stderr and "record 2: first_child.either_parent:" in result.stderr
    )
    assert "kanske" not in result.stderr
    assert result.stderr.strip().endswith("3 records in, 2 plans out, 1 errors")
    records = [json.loads(line)["record"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert records == [1, 2, 3]


def test_csv_from_a_pipe_with_semicolons():
    text = "child.birth_date;municipality;first_child.either_parent\n2026-03-10;Vaggeryd;ja\n"
    result = invoke(
        "-", "--format", "csv", "--as-of", "2026-05-04", "--program", "vaggeryd", input=text
    )
    assert result.exit_code == 0, result.stderr
    [line] = result.stdout.splitlines()
    assert json.loads(line)["plan"]["programs"][0]["decision"]["status"] == "eligible"


def test_a_bad_csv_header_stops_before_any_record(tmp_path):
    source = tmp_path / "cases.csv"
    source.write_text("birthdate,municipality\n2026-03-10,Vaggeryd\n", encoding="utf-8")
    result = invoke(str(source), "--as-of", "2026-05-04")
    assert result.exit_code == 1
    assert f"{source}:1:1: header column 1: unknown column 'birthdate'" in result.stderr
    assert result.stdout == ""


def test_input_that_cannot_be_read_and_usage_errors():
    missing = invoke("no-such-file.ndjson")
    assert (
        missing.exit_code == 1
        and "no-such-file.ndjson:1:1: $: cannot read file: file not found" in missing.stderr
    )
    assert invoke("-", "--program", "nope", input="").exit_code == 2
    assert invoke("-", "--as-of", "4 May", input="").exit_code == 2
    assert invoke("-", "--workers", "0", input="").exit_code == 2


def test_two_workers_in_a_real_process_keep_order_and_count(tmp_path):
    cases = [GOOD if i % 17 else BAD for i in range(1, 301)]
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from hembesok.cli import run; run()",
            "batch",
            "-",
            "--workers",
            "2",
            "--as-of",
            "2026-05-04",
        ],
        input=ndjson(*cases).encode(),
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["record"] for line in lines] == list(range(1, 301))
    assert [line["record"] for line in lines if "error" in line] == [17 * k for k in range(1, 18)]
    assert result.stderr.decode().strip().endswith("300 records in, 283 plans out, 17 errors")
    assert "planning" not in result.stderr.decode()  # no progress bar in a pipe


def test_a_progress_bar_is_drawn_when_stderr_is_a_terminal(tmp_path):
    source = tmp_path / "cases.ndjson"
    source.write_text(ndjson(*[GOOD] * 50), encoding="utf-8")
    leader, follower = pty.openpty()
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "from hembesok.cli import run; run()",
                "batch",
                str(source),
                "-o",
                os.devnull,
                "--as-of",
                "2026-05-04",
            ],
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=120,
            check=False,
        )
        os.close(follower)
        follower = None
        shown = b""
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                break
            if not data:
                break
            shown += data
    finally:
        if follower is not None:
            os.close(follower)
        os.close(leader)
    assert result.returncode == 0
    text = shown.decode("utf-8", errors="replace")
    assert "planning" in text and "100%" in text
    assert "50 records in, 50 plans out, 0 errors" in text


def test_the_readme_documents_the_batch_exit_codes():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    assert "hembesok batch" in readme and "any record failed" in readme

"""`hembesok batch` on the command line: files and pipes, exit codes, summary, progress bar."""

import json
import os
import pty
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
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
    for code in ("| 5 |", "| 130 |", "| 141 |", "| 143 |"):
        assert code in readme
    doc = (Path(__file__).parents[2] / "docs" / "batch.md").read_text(encoding="utf-8")
    for word in ("--resume", "--force", "--max-line-bytes", "130", "141", "143"):
        assert word in doc


# --------------------------------------------------------------- existing output, resume


def test_an_existing_output_is_kept_without_force_and_overwritten_with_it(tmp_path):
    out = tmp_path / "plans.ndjson"
    out.write_text("the journal's own notes\n", encoding="utf-8")
    kept = invoke("-", "-o", str(out), "--as-of", "2026-05-04", input=ndjson(GOOD))
    assert kept.exit_code == 2
    assert "--force" in kept.stderr and "--resume" in kept.stderr
    assert out.read_text(encoding="utf-8") == "the journal's own notes\n"
    forced = invoke("-", "-o", str(out), "--as-of", "2026-05-04", "--force", input=ndjson(GOOD))
    assert forced.exit_code == 0, forced.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["record"] == 1
    empty = tmp_path / "empty.ndjson"
    empty.touch()  # made by mktemp, say: nothing to lose
    assert invoke("-", "-o", str(empty), "--as-of", "2026-05-04", input=ndjson(GOOD)).exit_code == 0


def test_resume_refuses_what_it_cannot_go_on_from(tmp_path):
    source = tmp_path / "cases.ndjson"
    source.write_text(ndjson(GOOD, BAD, GOOD), encoding="utf-8")
    foreign = tmp_path / "notes.ndjson"
    foreign.write_text('{"record": "mine"}\n', encoding="utf-8")
    refused = invoke(str(source), "-o", str(foreign), "--resume")
    assert refused.exit_code == 2 and "not the output of hembesok batch" in refused.stderr
    assert foreign.read_text(encoding="utf-8") == '{"record": "mine"}\n'
    assert invoke(str(source), "--resume").exit_code == 2  # needs -o
    assert invoke(str(source), "-o", str(foreign), "--resume", "--force").exit_code == 2
    assert invoke(str(source), "-o", str(source), "--force").exit_code == 2  # the input itself
    out = tmp_path / "plans.ndjson"
    assert invoke(str(source), "-o", str(out), "--as-of", "2026-05-04").exit_code == 1
    shorter = tmp_path / "two.ndjson"
    shorter.write_text(ndjson(GOOD, BAD), encoding="utf-8")
    fewer = invoke(str(shorter), "-o", str(out), "--resume", "--as-of", "2026-05-04")
    assert fewer.exit_code == 2 and "fewer records" in fewer.stderr
    other_day = invoke(str(source), "-o", str(out), "--resume", "--as-of", "2026-05-05")
    assert other_day.exit_code == 2 and "give --as-of 2026-05-04" in other_day.stderr
    compact = invoke(str(source), "-o", str(out), "--resume", "--as-of", "2026-05-04", "--compact")
    assert compact.exit_code == 2 and "leave out --compact" in compact.stderr


def test_resuming_a_finished_output_plans_nothing_and_reports_the_whole(tmp_path):
    source = tmp_path / "cases.ndjson"
    source.write_text(ndjson(GOOD, BAD, GOOD), encoding="utf-8")
    out = tmp_path / "plans.ndjson"
    assert invoke(str(source), "-o", str(out), "--as-of", "2026-05-04").exit_code == 1
    whole = out.read_bytes()
    again = invoke(str(source), "-o", str(out), "--as-of", "2026-05-04", "--resume")
    assert again.exit_code == 1  # record 2 of the earlier run had problems
    assert "3 records in, 2 plans out, 1 errors" in again.stderr
    assert out.read_bytes() == whole
    out.write_bytes(whole[: whole.index(b"\n") + 40])  # a hard kill inside line 2
    cut = invoke(str(source), "-o", str(out), "--as-of", "2026-05-04", "--resume")
    assert cut.exit_code == 1 and "(records 1-1 from the run resumed)" in cut.stderr
    assert out.read_bytes() == whole


def test_a_missing_output_to_resume_is_planned_from_the_start(tmp_path):
    out = tmp_path / "new.ndjson"
    result = invoke("-", "-o", str(out), "--resume", "--as-of", "2026-05-04", input=ndjson(GOOD))
    assert result.exit_code == 0 and "nothing to resume" in result.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["record"] == 1


# ------------------------------------------------------------------------ hostile input


def test_an_over_long_line_is_one_located_error_and_later_lines_keep_their_numbers(tmp_path):
    source = tmp_path / "cases.ndjson"
    huge = {**GOOD, "case_ref": "x" * 3000}
    source.write_text(ndjson(GOOD, huge, GOOD, BAD), encoding="utf-8")
    result = invoke(str(source), "--as-of", "2026-05-04", "--max-line-bytes", "2000")
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["record"] for line in lines] == [1, 2, 3, 4]
    assert (lines[1]["line"], lines[3]["line"]) == (2, 4)
    [problem] = lines[1]["error"]["problems"]
    assert "longer than the limit of 2000 bytes" in problem["message"]
    assert lines[3]["error"]["problems"][0]["field"] == "first_child.either_parent"
    assert f"{source}:2:1: record 2:" in result.stderr and "xxx" not in result.stderr


def test_a_csv_without_a_header_never_shows_its_first_row(tmp_path):
    source = tmp_path / "cases.csv"
    source.write_text("191212121212,2026-03-10,Vaggeryd,Lilla Hemlis\n", encoding="utf-8")
    result = invoke(str(source), "--as-of", "2026-05-04")
    assert result.exit_code == 1 and result.stdout == ""
    assert "no known column" in result.stderr
    for value in ("191212121212", "2026-03-10", "Vaggeryd", "Hemlis"):
        assert value not in result.stderr
    mixed = tmp_path / "mixed.csv"
    mixed.write_text("child.birth_date,191212121212\n2026-03-10,x\n", encoding="utf-8")
    result = invoke(str(mixed), "--as-of", "2026-05-04")
    assert result.exit_code == 1 and "191212121212" not in result.stderr
    assert "header column 2: unknown column (not shown" in result.stderr


# ------------------------------------------------- interrupted runs, in real processes

AS_OF = "2026-05-04"
HEMBESOK = [sys.executable, "-c", "from hembesok.cli import run; run()"]
ENV = {k: v for k, v in os.environ.items() if not k.startswith("HEMBESOK_")}
NOISE = ("Traceback", "BrokenPipe", "KeyboardInterrupt", "Exception ignored")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """3000 generated families (30 spoilt) and the output of one uninterrupted run."""
    folder = tmp_path_factory.mktemp("batch-kills")
    cases = folder / "cases.ndjson"
    generate = Path(__file__).parents[2] / "benchmarks" / "generate.py"
    subprocess.run(
        [sys.executable, str(generate), "--count", "3000", "--corrupt", "30", "-o", str(cases)],
        check=True,
        env=ENV,
        timeout=120,
    )
    reference = folder / "reference.ndjson"
    done = subprocess.run(
        [*HEMBESOK, "batch", str(cases), "-o", str(reference), "--as-of", AS_OF],
        capture_output=True,
        env=ENV,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stderr  # the spoilt records
    return cases, reference.read_bytes()


def _size(path):
    return path.stat().st_size if path.exists() else 0


def _kill_and_resume(cases, out, workers, signum, kills, rnd, *, group=False):
    """Start the batch, stop it with `signum` at a random moment after it has written
    something, resume, and again, until `kills` signals have landed; then resume to the end.

    Returns the standard error of each stopped run."""
    out.unlink(missing_ok=True)
    stopped = []
    args = ["batch", str(cases), "-o", str(out), "--as-of", AS_OF, "--workers", str(workers)]
    resume = []
    while True:
        before = _size(out)
        process = subprocess.Popen(
            [*HEMBESOK, *args, *resume],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=ENV,
            start_new_session=group,
        )
        resume = ["--resume"]
        if len(stopped) < kills:
            while process.poll() is None and _size(out) <= before:
                time.sleep(0.005)
            time.sleep(rnd.uniform(0, 0.12))
            if process.poll() is None:
                if group:
                    os.killpg(process.pid, signum)  # as Ctrl-C or a service manager does
                else:
                    process.send_signal(signum)
        _, err = process.communicate(timeout=60)  # the workers too have ended: the pipe closed
        text = err.decode("utf-8", errors="replace")
        assert not any(noise in text for noise in NOISE), text
        summed = re.search(r"\d+ records in, \d+ plans out", text) is not None
        late = process.returncode == -signum and summed and "interrupted" not in text
        if process.returncode in (0, 1) or late:  # it got to the end (and its summary out)
            if len(stopped) >= kills:
                return stopped
            out.unlink()  # the run was quicker than the signal: begin again
            resume = []
            continue
        expected = -signal.SIGKILL if signum == signal.SIGKILL else 128 + signum
        assert process.returncode == expected, text
        stopped.append(text)
        if signum == signal.SIGKILL:
            data = out.read_bytes()
            if data.endswith(b"\n"):  # a power cut in the middle of the last write
                start = data.rindex(b"\n", 0, len(data) - 1) + 1 if data.count(b"\n") > 1 else 0
                out.write_bytes(data[: rnd.randrange(start + 1, len(data) - 1)])
            assert not out.read_bytes().endswith(b"\n")
        else:
            assert out.read_bytes().endswith(b"\n")  # whole lines only


@pytest.mark.parametrize("workers, kills", [(1, 11), (2, 10)])
def test_sigterm_at_random_moments_then_resume_gives_the_uninterrupted_output(
    generated, tmp_path, workers, kills
):
    cases, reference = generated
    out = tmp_path / "plans.ndjson"
    stopped = _kill_and_resume(cases, out, workers, signal.SIGTERM, kills, random.Random(workers))
    assert out.read_bytes() == reference
    for text in stopped:
        assert "interrupted by SIGTERM: " in text
        assert "a whole line; to go on: hembesok batch " in text or "no record yet" in text
        assert f"-o {out} --resume --as-of {AS_OF}" in text


@pytest.mark.parametrize("workers", [1, 2])
def test_sigkill_then_resume_drops_the_partial_line_and_gives_the_same_output(
    generated, tmp_path, workers
):
    cases, reference = generated
    out = tmp_path / "plans.ndjson"
    _kill_and_resume(cases, out, workers, signal.SIGKILL, 3, random.Random(10 + workers))
    assert out.read_bytes() == reference


def test_ctrl_c_exits_130_with_a_summary_and_no_traceback(generated, tmp_path):
    cases, reference = generated
    out = tmp_path / "plans.ndjson"
    [text] = _kill_and_resume(cases, out, 2, signal.SIGINT, 1, random.Random(5), group=True)
    assert out.read_bytes() == reference
    assert "interrupted by SIGINT: " in text and "records in" in text
    assert "the output ends with record " in text and "--resume" in text


def test_a_closed_standard_output_ends_quietly_with_141(tmp_path):
    source = tmp_path / "cases.ndjson"
    source.write_text(ndjson(*[GOOD] * 2000), encoding="utf-8")
    for workers in ("1", "2"):
        errors = tmp_path / f"stderr-{workers}.txt"
        with errors.open("wb") as err:
            process = subprocess.Popen(
                [*HEMBESOK, "batch", str(source), "--as-of", AS_OF, "--workers", workers],
                stdout=subprocess.PIPE,
                stderr=err,
                env=ENV,
            )
            assert process.stdout.read(1000)  # `| head -c 1000`
            process.stdout.close()
            assert process.wait(timeout=60) == 141
        assert errors.read_text(encoding="utf-8") == ""


def test_an_output_that_cannot_be_written_stops_with_exit_5_and_the_way_to_go_on(tmp_path):
    cases = tmp_path / "cases.ndjson"
    cases.write_text(ndjson(*[GOOD] * 2000), encoding="utf-8")
    result = invoke(str(cases), "-o", "/dev/full", "--as-of", "2026-05-04")
    assert result.exit_code == 5, result.stderr
    assert "reading or writing failed (No space left on device)" in result.stderr
    assert "--resume --as-of 2026-05-04" in result.stderr and "Traceback" not in result.stderr

"""The command line's error paths: `plan`, `explain`, `validate` and `screen` given hostile
cases (JSON and YAML, as files and on standard input) and responses. Each must exit 1 (2
for a usage error), never 4, and print no marker and no traceback on either stream."""

import pytest

from .hostile import params
from .hostile_cases import CASES, YAML_CASES
from .hostile_responses import RESPONSES
from .markers import AS_OF, NAME, PNR, RESPONSE, TEXT, assert_private, one_line, planted

#: How each command is given a case: the file is `{file}`; "-" reads standard input. With
#: a format other than table, `plan` writes its problems as one JSON document.
CASE_COMMANDS = {
    "plan": ("plan", "{file}", "--as-of", AS_OF),
    "plan --format compact from standard input": (
        "plan",
        "-",
        "--as-of",
        AS_OF,
        "--format",
        "compact",
    ),
    "explain": ("explain", "{file}", "--program", "vaggeryd", "--as-of", AS_OF, "--lang", "both"),
}
#: `validate` reads no engine, so it sees problems up to the schema and no references.
VALIDATE_COMMANDS = {
    "validate": ("validate", "{file}"),
    "validate --format json --schema case": (
        "validate",
        "{file}",
        "--format",
        "json",
        "--schema",
        "case",
    ),
}


def run_with(hembesok, files, command, text, suffix=".json"):
    path = files / f"case{suffix}"
    path.write_text(text, encoding="utf-8")
    args = [str(path) if a == "{file}" else a for a in command]
    return hembesok(*args, stdin=text.encode("utf-8"))


def assert_refused(ran, expect, code=1):
    assert ran.code == code, ran
    assert expect in ran.out + ran.err, ran
    assert_private(ran.out, ran.err, ran.log)


@pytest.mark.parametrize("command", list(CASE_COMMANDS))
@pytest.mark.parametrize("case", params(CASES))
def test_a_hostile_case_file_exits_1_without_a_marker(hembesok, files, case, command):
    ran = run_with(hembesok, files, CASE_COMMANDS[command], case.text)
    assert_refused(ran, case.expect)


@pytest.mark.parametrize("command", list(VALIDATE_COMMANDS))
@pytest.mark.parametrize("case", params(CASES, stages={"parse", "schema"}))
def test_a_hostile_case_file_fails_validate_without_a_marker(hembesok, files, case, command):
    ran = run_with(hembesok, files, VALIDATE_COMMANDS[command], case.text)
    assert_refused(ran, case.expect)


YAML_COMMANDS = {
    "plan": CASE_COMMANDS["plan"],
    "plan from standard input": ("plan", "-", "--as-of", AS_OF),
    "validate": VALIDATE_COMMANDS["validate"],
}


@pytest.mark.parametrize("command", list(YAML_COMMANDS))
@pytest.mark.parametrize("case", params(YAML_CASES))
def test_a_hostile_yaml_case_exits_1_without_a_marker(hembesok, files, case, command):
    ran = run_with(hembesok, files, YAML_COMMANDS[command], case.text, ".yaml")
    assert_refused(ran, case.expect)


RESPONSE_COMMANDS = {
    "screen": ("screen", "{file}"),
    "screen --format json": ("screen", "{file}", "--format", "json", "--lang", "en"),
    "screen --history": ("screen", "{good}", "--history", "{file}"),
    "validate --schema response": ("validate", "{file}", "--schema", "response"),
}


@pytest.mark.parametrize("command", list(RESPONSE_COMMANDS))
@pytest.mark.parametrize("response", params(RESPONSES))
def test_a_hostile_response_exits_1_without_a_marker(hembesok, files, response, command):
    good = files / "good.json"
    good.write_text(one_line(RESPONSE), encoding="utf-8")
    args = [a.replace("{good}", str(good)) for a in RESPONSE_COMMANDS[command]]
    ran = run_with(hembesok, files, args, response.text)
    assert_refused(ran, response.expect)


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(("plan", "{file}", "--as-of", PNR), id="plan --as-of an identity number"),
        pytest.param(("plan", "{file}", "--as-of", NAME), id="plan --as-of a name"),
        pytest.param(
            ("explain", "{file}", "--program", "vaggeryd", "--as-of", f"{TEXT}"),
            id="explain --as-of free text",
        ),
        pytest.param(("batch", "{file}", "--as-of", PNR), id="batch --as-of an identity number"),
    ],
)
def test_a_date_option_holding_a_marker_is_a_usage_error_that_does_not_repeat_it(
    hembesok, files, args
):
    ran = run_with(hembesok, files, args, one_line({"child": {"birth_date": "2026-03-10"}}))
    assert_refused(ran, "must be a date written YYYY-MM-DD", code=2)


FILE_COMMANDS = {"plan --format json": ("plan", "{file}", "--as-of", AS_OF, "--format", "json")}


@pytest.mark.parametrize(
    ("data", "expect"),
    [
        pytest.param(
            (one_line(planted())[:-1] + f', "x": "{TEXT * 440_000}"}}').encode(),
            "larger than the limit of 10485760 bytes",
            id="over 10 MiB",
        ),
        pytest.param(one_line(planted()).encode("latin-1"), "is not UTF-8 text", id="not UTF-8"),
        pytest.param(
            one_line(planted())[:-1].encode() + f', "x": "{PNR}\x00{NAME}"}}'.encode(),
            "JSON syntax error",
            id="a NUL in a string",
        ),
    ],
)
@pytest.mark.parametrize("command", ["plan", "plan --format json", "validate"])
def test_a_case_file_hembesok_cannot_read_exits_1_without_a_marker(
    hembesok, files, data, expect, command
):
    path = files / "case.json"
    path.write_bytes(data)
    args = {**CASE_COMMANDS, **VALIDATE_COMMANDS, **FILE_COMMANDS}[command]
    ran = hembesok(*[str(path) if a == "{file}" else a for a in args])
    assert_refused(ran, expect)

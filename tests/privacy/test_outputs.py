"""What a planned case shows: never its identifier (the identity number and its system),
on the command line, in `batch` or over HTTP.

Only a case without free text is planned here: a plan names the `listed_bvc`,
`municipality` or `area` a site rule read in its reason, on purpose (markers.py)."""

import pytest

from .asgi import APP, JSON, call
from .hostile_cases import GOOD
from .markers import AS_OF, assert_private

COMMANDS = {
    "plan": ("plan", "{file}", "--as-of", AS_OF, "--all"),
    "plan --lang en": ("plan", "{file}", "--as-of", AS_OF, "--lang", "en"),
    "plan --format json": ("plan", "{file}", "--as-of", AS_OF, "--format", "json"),
    "plan --format compact": ("plan", "{file}", "--as-of", AS_OF, "--format", "compact"),
    "explain": ("explain", "{file}", "--program", "rikshandboken", "--as-of", AS_OF),
    "batch": ("batch", "{file}", "--as-of", AS_OF),
    "batch --compact": ("batch", "{file}", "--as-of", AS_OF, "--compact"),
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_planned_case_never_shows_its_identifier_on_the_command_line(hembesok, files, command):
    path = files / "case.json"
    path.write_text(GOOD + "\n", encoding="utf-8")
    ran = hembesok(*[str(path) if a == "{file}" else a for a in COMMANDS[command]])
    assert ran.code == 0 and "rikshandboken" in ran.out + ran.err, ran
    assert_private(ran.out, ran.err, ran.log)


@pytest.mark.parametrize("target", ["/v1/plan?as_of=2026-05-04", "/v1/decide?as_of=2026-05-04"])
def test_a_planned_case_never_shows_its_identifier_over_http(logs, target):
    status, headers, body = call(APP, "POST", target, GOOD.encode(), JSON)
    assert status == 200 and b"rikshandboken" in body
    assert_private(headers, body, caplog=logs)

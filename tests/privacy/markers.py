"""The markers planted in hostile input, where they are planted, and how a leak is found.

Each marker stands for a kind of secret a case holds: an identity number, a name, free
text about the family and a questionnaire answer. A leak is any of them in anything a
user or an operator could see. It is searched for by a distinctive ASCII part, so it is
found however an output writes it (as is, JSON-escaped, percent-encoded, in a repr).

Not secret, and echoed by design (so never planted here as a secret): `case_ref`, the
journal's own reference, which every plan echoes (docs/batch.md); and in a plan that was
made, the `listed_bvc`, `municipality` and `area` a site rule names in its reason
("X ingår inte i programmet", docs/program-format.md). Error paths never plan, so there
free text must not appear anywhere.
"""

import json
import logging
from typing import Any

import pytest

from hembesok.engine.engine import Engine

PNR = "201703152387"  # a personnummer with a valid Luhn check digit
NAME = "Lilla Hemlis Markörsson"
TEXT = "Fritext ZQXW om familjen"
ANSWER = "svar VQXJ som aldrig visas"

#: What is searched for: a part of each marker that survives any escaping.
NEEDLES = {
    "identity number": PNR[2:],
    "name": "Hemlis",
    "free text": "ZQXW",
    "answer": "VQXJ",
}

AS_OF = "2026-05-04"
ENGINE = Engine.from_installed(env={})

#: A response that is valid on its own (EPDS at the 6-8 week BVC visit).
RESPONSE = {
    "instrument": "epds",
    "occasion": "bvc_6_8_weeks",
    "date": "2026-04-28",
    "respondent": "birthing_parent",
    "answers": {f"epds_{i}": 1 for i in range(1, 11)},
}


def planted(**changes: Any) -> dict[str, Any]:
    """A valid case with a marker in every place a value may stand, then `changes` on top:
    the identity number and a name in the identifier, free text in the area, the BVC and
    facts, a name as a fact, and a response. A change `a__b=v` sets `case[a][b] = v`."""
    case: dict[str, Any] = {
        "case_ref": "journal-4711",
        "child": {"birth_date": "2026-03-10", "identifier": {"system": NAME, "value": PNR}},
        "municipality": "Vaggeryd",
        "area": TEXT,
        "listed_bvc": TEXT,
        "first_child": {"either_parent": True},
        "facts": {"note": TEXT, "nickname": NAME},
        "responses": [json.loads(json.dumps(RESPONSE))],
    }
    for name, value in changes.items():
        *parents, last = name.split("__")
        node = case
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        node[last] = value
    return case


def one_line(case: Any) -> str:
    return json.dumps(case, ensure_ascii=False)


def leaks(text: str | bytes) -> list[str]:
    """The kinds of marker found in `text`."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "backslashreplace")
    return [kind for kind, needle in NEEDLES.items() if needle in text]


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every captured log record as a handler would write it, tracebacks included."""
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    return "\n".join(formatter.format(record) for record in caplog.records)


def assert_private(*outputs: Any, caplog: pytest.LogCaptureFixture | None = None) -> None:
    """No marker and no traceback in any of `outputs` (text, bytes, or anything `str` can
    show) or in the captured log."""
    texts = [
        o.decode("utf-8", "backslashreplace") if isinstance(o, bytes) else str(o) for o in outputs
    ]
    if caplog is not None:
        texts.append(logged(caplog))
    for text in texts:
        found = leaks(text)
        if found:  # a message without a traceback: quick, also for an expected failure
            pytest.fail(f"leaked {found}: {text[:2000]}", pytrace=False)
        if "Traceback" in text:
            pytest.fail(f"a traceback was shown: {text[:2000]}", pytrace=False)


def leak(reason: str) -> pytest.MarkDecorator:
    """A known leak: the case fails until it is fixed, and then must be unmarked."""
    return pytest.mark.xfail(strict=True, reason=f"leak: {reason}")

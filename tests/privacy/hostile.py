"""What the tables of hostile input are made of.

Every entry is `Hostile(id, text, expect, stage, leak, internal)`: `text` is the input
(one line of JSON for a case, so it serves as a file, a request body and an NDJSON line),
`expect` a fragment of the problem it must give (so a test cannot pass because the input
never got in), `stage` where it is refused (parse, schema, dates, or reference: only where
an engine checks what the case names, so not in `hembesok validate`), and `leak` and
`internal` the reason of a known leak or internal error (known_leaks.py), or None.
"""

import json
from dataclasses import dataclass

import pytest

from .markers import RESPONSE, leak


@dataclass(frozen=True)
class Hostile:
    id: str
    text: str
    expect: str
    stage: str = "schema"
    leak: str | None = None
    internal: str | None = None  # a known internal error on this input


def marks(entry):
    """A known leak or internal error: the case fails until it is fixed, then is unmarked."""
    out = [leak(entry.leak)] if entry.leak else []
    if entry.internal:
        out.append(pytest.mark.xfail(strict=True, reason=f"internal error: {entry.internal}"))
    return out


def params(entries, *, stages=None):
    """pytest params of `entries` (those refused at `stages`), known failures marked so."""
    return [
        pytest.param(e, id=e.id, marks=marks(e))
        for e in entries
        if stages is None or e.stage in stages
    ]


def response(**changes):
    """The valid response with `changes`; a change to None leaves the key out."""
    out = json.loads(json.dumps(RESPONSE))
    out.update(changes)
    return {k: v for k, v in out.items() if v is not None}


def nested(depth, leaf="1"):
    return "[" * depth + leaf + "]" * depth

"""Going on with an interrupted run (`hembesok batch --resume`): what its output holds.

The output of `hembesok batch` is lines `{"record":N,...}` numbered 1, 2, 3, ... with no
header. A run stopped cleanly ends with a whole line; one killed hard (SIGKILL, a power
cut) may end with part of a line, which is dropped. `read_output` reads the file once,
in bounded pieces, checks that every whole line is a record line in order, counts plans,
errors and internal errors (so a resumed run's summary and exit code cover the whole
output), and finds where the whole lines end. `check` plans the output's first and last
records again from the input, without writing them, and compares them byte for byte: a
resumed output equals an uninterrupted one only with the same input and options.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO

from hembesok.batch.planning import COMPACT, ChunkPlanner, Summary
from hembesok.batch.records import RawRecord

_RECORD = re.compile(rb'\{"record":([1-9][0-9]{0,18}),"(plan|line)":')
_PREFIX = b'{"record":'
_INTERNAL = b'"error":{"type":"urn:hembesok:problem:internal-error"'
#: The longest line kept whole for `check` (a plan is some kilobytes).
_KEEP = 16 * 1024 * 1024
_PIECE = 64 * 1024
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_HEAD = 256  # bytes of a line enough to see its record number and kind


class NotBatchOutput(ValueError):
    """The file is not the output of `hembesok batch` (the message names a line, no value)."""


@dataclass
class Written:
    """What an output file holds: whole record lines up to `end`, then `size - end` bytes of
    a partial line to drop."""

    end: int = 0
    size: int = 0
    summary: Summary = field(default_factory=Summary)
    first: bytes | None = None  # the first line, when whole and not too long to keep
    last: bytes | None = None  # the last whole line, likewise


def read_output(stream: IO[bytes]) -> Written:
    """Read an output file from its start; raises NotBatchOutput at a line that is not
    a record line in order."""
    written = Written()
    summary = written.summary
    line_no = 0
    while True:
        line: bytes | None = stream.readline(_KEEP)
        assert line is not None
        if not line:
            break
        line_no += 1
        length = len(line)
        head = line[:_HEAD]
        whole = line.endswith(b"\n")
        if not whole and length == _KEEP:  # too long to keep: read past it
            line = None
            while True:
                piece = stream.readline(_PIECE)
                length += len(piece)
                if not piece:
                    break
                if piece.endswith(b"\n"):
                    whole = True
                    break
        if not whole:  # a partial last line: it must have begun as a record line
            if not (head.startswith(_PREFIX) or _PREFIX.startswith(head)):
                raise NotBatchOutput(f"line {line_no} is not a record line")
            written.size = written.end + length
            return written
        found = _RECORD.match(head)
        if found is None:
            raise NotBatchOutput(f"line {line_no} is not a record line")
        if int(found.group(1)) != summary.records + 1:
            raise NotBatchOutput(
                f"line {line_no} holds record {int(found.group(1))}, not {summary.records + 1}"
            )
        summary.records += 1
        summary.last_record = summary.records
        if found.group(2) == b"plan":
            summary.plans += 1
        else:
            summary.errors += 1
            if _INTERNAL in head:
                summary.internal += 1
        if line_no == 1:
            written.first = line
        written.last = line
        written.end += length
    written.size = written.end
    return written


def check(written: Written, kept: Sequence[RawRecord], planner: ChunkPlanner) -> str | None:
    """Why the output does not go on from this input and these options, or None.

    `kept` holds the input's records 1 and N (the output's last); each is planned again
    and must give exactly the line the output holds.
    """
    records = {record[0]: record for record in kept}
    last = written.summary.last_record
    pairs = [(1, written.first)] + ([(last, written.last)] if last > 1 else [])
    for number, line in pairs:
        if line is None or number not in records:
            continue
        again = planner.plan_chunk([records[number]]).output
        if again == line:
            continue
        if number == 1:
            hint = _hint(line, planner)
            return (
                f"record 1 in the output is not what these options make of the input{hint}; "
                "--resume needs the input (named the same way), --as-of, --program, --compact, "
                "--max-line-bytes and program versions of the run that wrote the output"
            )
        return (
            f"record {number} in the output is not what record {number} of the input gives: "
            "is it the input of the run that wrote the output?"
        )
    return None


def _hint(line: bytes, planner: ChunkPlanner) -> str:
    """What differs, when the output's first line says it: plan form or date."""
    try:
        entry = json.loads(line)
        plan = entry["plan"]
        schema, as_of = str(plan["$schema"]), str(plan["as_of"])
    except (ValueError, KeyError, TypeError):
        return ""
    compact = schema.endswith(":compact-plan:1")
    if compact != (planner.settings.output == COMPACT):
        return (
            " (it holds compact plans: add --compact)"
            if compact
            else " (it holds full plans: leave out --compact)"
        )
    if _DATE.fullmatch(as_of) and as_of != planner.settings.as_of.isoformat():
        return f" (it was planned as of {as_of}: give --as-of {as_of})"
    return ""

"""Errors for machines: RFC 9457 problem details, the same shape everywhere hembesok speaks JSON.

`hembesok plan --format json`, the error lines of `hembesok batch` and the HTTP service
all report an invalid case with one document: a `type` URI, a `title`, a `detail` and
the located `problems` (file, line, column, JSON path, message). Like every other
message, a problem never quotes a value from the case.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from hembesok.io.problems import Problem

#: The media type of a problem document over HTTP (RFC 9457).
MEDIA_TYPE = "application/problem+json"

INVALID_CASE = "urn:hembesok:problem:invalid-case"
INVALID_REQUEST = "urn:hembesok:problem:invalid-request"
INTERNAL_ERROR = "urn:hembesok:problem:internal-error"
PLUGIN_FAILED = "urn:hembesok:problem:plugin-failed"


def problem(
    type_: str,
    title: str,
    *,
    status: int | None = None,
    detail: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A problem document; `status` only where there is an HTTP status to mirror."""
    out: dict[str, Any] = {"type": type_, "title": title}
    if status is not None:
        out["status"] = status
    if detail is not None:
        out["detail"] = detail
    out.update(extra)
    return out


def invalid_case(
    found: Sequence[Problem],
    *,
    status: int | None = None,
    field_of: Callable[[Problem], str] | None = None,
) -> dict[str, Any]:
    """The problem document for a case with problems, each located; `field_of` names its field."""
    items = []
    for p in found:
        item = p.to_json()
        if field_of is not None:
            item["field"] = field_of(p)
        items.append(item)
    count = len(found)
    return problem(
        INVALID_CASE,
        "The case has problems",
        status=status,
        detail=f"{count} problem{'s' if count != 1 else ''}; each names its place and what would be right",
        problems=items,
    )

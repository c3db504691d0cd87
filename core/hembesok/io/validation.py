"""A quick yes/no schema check, so that valid documents skip the slow, located validation.

Located problems come from jsonschema (`hembesok.io.problems`), which also explains every
mistake; it takes about a millisecond for a case with visits and questionnaire answers.
Most documents in a batch or a service are valid, so when the optional package
`jsonschema-rs` is installed (`pip install 'hembesok[fast]'`) it answers first, in
microseconds: a document it accepts is valid, and one it rejects goes through jsonschema
for its problems as before. So the problems, and every plan, are the same with or without
it; only the time differs (docs/decisions/0015-fast-validation.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

from hembesok.io import loading as loader
from hembesok.io import schemas as schema_store
from hembesok.io.documents import Document
from hembesok.io.loading import case_date_problems
from hembesok.io.problems import Problem, sort_problems

Check = Callable[[Any], bool]


@cache
def fast_check(name: str) -> Check | None:
    """A quick validity test for a shipped schema, or None when jsonschema-rs is not installed."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    registry = jsonschema_rs.Registry(
        [(schema_store.schema_id(n), schema_store.schema(n)) for n in schema_store.NAMES]
    )
    validator = jsonschema_rs.Draft202012Validator(
        schema_store.schema(name), registry=registry, validate_formats=True, offline=True
    )
    check: Check = validator.is_valid
    return check


def surely_valid(name: str, data: Any) -> bool:
    """True only when the quick check is installed and accepts `data`; False means "look closer"."""
    check = fast_check(name)
    return check is not None and check(data)


def case_problems(doc: Document, as_of: dt.date | None = None) -> list[Problem]:
    """`loader.case_problems`, with the slow schema pass skipped for a case the quick check accepts."""
    if not doc.duplicate_keys and surely_valid("case", doc.data):
        return sort_problems(case_date_problems(doc, doc.data, (), as_of))
    return loader.case_problems(doc, as_of)

"""Is this case valid? The one validator every path calls: quick yes, then located problems.

Located problems come from jsonschema (`hembesok.io.problems`), which also explains every
mistake; that takes about a millisecond for a case with visits and questionnaire
answers. Most cases in a batch or a service are valid, so `jsonschema-rs` (installed
with hembesok wherever it has wheels) answers first, in microseconds: a case it accepts
is valid, and one it rejects goes through jsonschema for its problems. Without it the
answers are the same, only slower (docs/decisions/0015-fast-validation.md). Then come
the checks a schema cannot make: dates against each other and against the as-of date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from hembesok.io import problems as P
from hembesok.io.dates import InvalidDate, parse_date
from hembesok.io.documents import Document
from hembesok.io.schemas import surely_valid
from hembesok.model.case import Case


def case_problems(
    doc: Document, as_of: dt.date | None = None, base: tuple[str | int, ...] = ()
) -> list[P.Problem]:
    """Every problem of the case in `doc` (at `base` within it), values never quoted."""
    data: Any = doc.data
    for key in base:
        data = data[key]
    if not doc.duplicate_keys and surely_valid("case", data):
        # Every date is a real YYYY-MM-DD date: compare them as text.
        found = case_date_problems(doc, data, base, as_of, day=_text_day)
        return P.sort_problems(found) if found else found
    found = P.validate(doc, "case", redact=True, base=base)
    if isinstance(data, Mapping):
        found += case_date_problems(doc, data, base, as_of)
    return P.sort_problems(found)


def checked_case(
    doc: Document, as_of: dt.date | None = None, base: tuple[str | int, ...] = ()
) -> Case:
    """The valid case in `doc` (at `base`), or InvalidDocument with every problem."""
    found = case_problems(doc, as_of, base)
    if found:
        raise P.InvalidDocument(found)
    data: Any = doc.data
    for key in base:
        data = data[key]
    return Case.from_dict(data)


def load_case(doc: Document, as_of: dt.date | None = None) -> Case:
    """The valid case a document holds, or InvalidDocument with every problem."""
    return checked_case(doc, as_of)


def _day(value: Any) -> dt.date | None:
    try:
        return parse_date(value) if isinstance(value, str) else None
    except InvalidDate:
        return None


def _text_day(value: Any) -> str | None:
    """A date the schema has accepted, as its text: YYYY-MM-DD sorts as the dates do."""
    return value if isinstance(value, str) else None


def case_date_problems(
    doc: Document,
    data: Mapping[str, Any],
    base: tuple[str | int, ...],
    as_of: dt.date | None,
    *,
    day: Callable[[Any], Any] = _day,
) -> list[P.Problem]:
    """Date checks a schema cannot make; parts the schema already rejected are skipped.

    `day` reads a date: by default strictly (a part the schema rejected is skipped), or,
    for a case the schema accepted, as the text itself.
    """
    out: list[P.Problem] = []
    child = data.get("child")
    birth = day(child.get("birth_date")) if isinstance(child, Mapping) else None
    if birth is None:
        return out
    if as_of is not None and day is _text_day:
        as_of = as_of.isoformat()  # type: ignore[assignment]
    if as_of is not None and birth > as_of:
        out.append(
            P.problem_at(
                doc,
                (*base, "child", "birth_date"),
                "is after the as-of date: a plan needs a child born on or before it",
            )
        )
    visits = data.get("visits_done")
    for i, visit in enumerate(visits if isinstance(visits, list) else ()):
        done = day(visit.get("date")) if isinstance(visit, Mapping) else None
        if done is None:
            continue
        if done < birth:
            out.append(
                P.problem_at(
                    doc, (*base, "visits_done", i, "date"), "is before the child's birth date"
                )
            )
        elif as_of is not None and done > as_of:
            out.append(
                P.problem_at(
                    doc,
                    (*base, "visits_done", i, "date"),
                    "is after the as-of date: a visit cannot be done in the future",
                )
            )
    moved = day(data.get("moved_in_on"))
    if moved is not None and moved < birth:
        out.append(
            P.problem_at(
                doc,
                (*base, "moved_in_on"),
                "is before the child's birth date; leave it out when the family lived there at the birth",
            )
        )
    return out

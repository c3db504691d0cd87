"""A case as the engine sees it: the journal's validated document, read where it stands.

The compiled evaluator reads the document itself. For plugins and explanations a case
also offers its facts: the case's values under dotted names (`municipality`,
`first_child.either_parent`, `facts.NAME`), made on first use. The child's identity
number is kept out of the facts altogether, so no rule, trace or explanation can ever
show it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from hembesok.model.screening import Response

#: Case keys that never become facts: identity numbers stay out of rules and traces
#: (questionnaire answers and visit lists are kept apart too).
PRIVATE_KEYS = frozenset({"identifier", "case_ref", "$schema"})
NOT_FACTS = frozenset(
    {"visits_done", "declined", "responses", "vaccinations_done", "vaccinations_declined"}
)

DATE_FACTS = frozenset({"child.birth_date", "moved_in_on"})


@dataclass(frozen=True)
class VisitDone:
    program: str
    visit: str
    date: dt.date


class Case:
    """A validated case. Build it with `Case.from_dict` after schema validation."""

    __slots__ = (
        "_declined",
        "_done",
        "_extra",
        "_facts",
        "_responses",
        "birth_date",
        "data",
    )

    def __init__(self, data: Mapping[str, Any], extra: Mapping[str, Any] | None = None) -> None:
        self.data = data
        self.birth_date: dt.date = dt.date.fromisoformat(data["child"]["birth_date"])
        self._extra = extra
        self._facts: Mapping[str, Any] | None = None
        self._done: tuple[VisitDone, ...] | None = None
        self._declined: frozenset[str] | None = None
        self._responses: tuple[Response, ...] | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Case:
        return cls(data)

    @property
    def facts(self) -> Mapping[str, Any]:
        """Every fact by dotted name: derived ones (see `with_facts`) under the case's own."""
        if self._facts is None:
            own = dict(_flatten(self.data))
            for name in DATE_FACTS & own.keys():
                own[name] = dt.date.fromisoformat(own[name])
            self._facts = {**self._extra, **own} if self._extra else own
        return self._facts

    @property
    def case_ref(self) -> str | None:
        ref = self.data.get("case_ref")
        return ref if isinstance(ref, str) else None

    @property
    def child_identifier(self) -> tuple[str, str] | None:
        """The child's identity number as the case gave it, (system, value): carried to
        outputs that name the child (FHIR's subject), never shown in a message."""
        given = self.data["child"].get("identifier")
        if not isinstance(given, Mapping):
            return None
        return (given["system"], given["value"])

    @property
    def moved_in_on(self) -> dt.date | None:
        moved = self.data.get("moved_in_on")
        return dt.date.fromisoformat(moved) if isinstance(moved, str) else None

    @property
    def declined(self) -> frozenset[str]:
        if self._declined is None:
            self._declined = frozenset(self.data.get("declined", ()))
        return self._declined

    @property
    def visits_done(self) -> tuple[VisitDone, ...]:
        if self._done is None:
            self._done = tuple(
                VisitDone(v["program"], v["visit"], dt.date.fromisoformat(v["date"]))
                for v in self.data.get("visits_done", ())
            )
        return self._done

    @property
    def responses(self) -> tuple[Response, ...]:
        if self._responses is None:
            self._responses = tuple(Response.from_dict(r) for r in self.data.get("responses", ()))
        return self._responses

    def without_identifier(self) -> Case:
        """A copy whose document holds no identity number (what plugins are given)."""
        child = self.data.get("child")
        if not isinstance(child, Mapping) or "identifier" not in child:
            return self
        data = {**self.data, "child": {k: v for k, v in child.items() if k != "identifier"}}
        copy = Case(data, self._extra)
        copy._responses, copy._done, copy._declined = self._responses, self._done, self._declined
        return copy

    def with_facts(self, extra: Mapping[str, Any]) -> Case:
        """A copy with derived facts added (the case's own facts win on a clash)."""
        if not extra:
            return self
        merged = {**extra, **self._extra} if self._extra else extra
        copy = Case(self.data, merged)
        copy._responses, copy._done, copy._declined = self._responses, self._done, self._declined
        return copy

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Case):
            return NotImplemented
        return self.data == other.data and (self._extra or {}) == (other._extra or {})

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Case(birth_date={self.birth_date.isoformat()})"


def _flatten(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        if key in PRIVATE_KEYS or key in NOT_FACTS:
            continue
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{name}.")
        elif value is not None:
            yield name, value

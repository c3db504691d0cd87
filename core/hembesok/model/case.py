"""A case as the engine sees it: the journal's document turned into named facts.

Facts are the case's values under dotted names (`municipality`,
`first_child.either_parent`, `facts.NAME`). The child's identity number is kept
out of the facts altogether, so no rule, trace or explanation can ever show it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from hembesok.model.screening import Response

#: Case keys that never become facts: identity numbers stay out of rules and traces
#: (questionnaire answers and visit lists are kept apart too).
PRIVATE_KEYS = frozenset({"identifier", "case_ref", "$schema"})

DATE_FACTS = frozenset({"child.birth_date", "moved_in_on"})


@dataclass(frozen=True)
class VisitDone:
    program: str
    visit: str
    date: dt.date


@dataclass(frozen=True)
class Case:
    """A validated case. Build it with `Case.from_dict` after schema validation."""

    birth_date: dt.date
    facts: Mapping[str, Any]
    declined: frozenset[str] = frozenset()
    visits_done: tuple[VisitDone, ...] = ()
    case_ref: str | None = None
    moved_in_on: dt.date | None = None
    responses: tuple[Response, ...] = field(default=(), repr=False)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Case:
        facts = dict(_flatten(data))
        for name in DATE_FACTS & facts.keys():
            facts[name] = dt.date.fromisoformat(facts[name])
        done = tuple(
            VisitDone(v["program"], v["visit"], dt.date.fromisoformat(v["date"]))
            for v in data.get("visits_done", ())
        )
        return cls(
            birth_date=facts["child.birth_date"],
            facts=facts,
            declined=frozenset(data.get("declined", ())),
            visits_done=done,
            case_ref=data.get("case_ref"),
            moved_in_on=facts.get("moved_in_on"),
            responses=tuple(Response.from_dict(r) for r in data.get("responses", ())),
            raw=data,
        )

    def with_facts(self, extra: Mapping[str, Any]) -> Case:
        """A copy with derived facts added (the case's own facts win on a clash)."""
        if not extra:
            return self
        merged = {**extra, **self.facts}
        return dataclasses.replace(self, facts=merged)


def _flatten(data: Mapping[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for key, value in data.items():
        if key in PRIVATE_KEYS or key in ("visits_done", "declined", "responses"):
            continue
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            yield from _flatten(value, f"{name}.")
        elif value is not None:
            yield name, value

"""A program definition, compiled once when it is loaded.

Its eligibility becomes a condition tree (for explanations) and generated Python (for
plans), its ages become Durations, and its reasons are written once per rule; the
evaluator that plans a case with all of it is `Program.evaluator`
(hembesok.language.evaluator). The definition's canonical JSON is hashed, so every plan
can name exactly which rules it was made with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hembesok.language.conditions import Condition, compile_condition, normalise_text
from hembesok.language.evaluator import ProgramEvaluator
from hembesok.model.ages import Duration
from hembesok.model.definition import canonical_hash
from hembesok.model.texts import Text


@dataclass(frozen=True)
class Visit:
    id: str
    title: Text
    age: Duration
    before: Duration
    after: Duration
    staff: tuple[str, ...]
    setting: str
    topics: tuple[Text, ...] = ()
    same_as: tuple[str, str] | None = None  # (program, visit): one contact, recorded under either


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    keys: frozenset[str]  # casefolded name, id and aliases
    start: dt.date | None
    end: dt.date | None
    planned: bool
    district: str | None = None
    municipality: str | None = None


@dataclass(frozen=True)
class Sites:
    match: str
    sites: tuple[Site, ...]
    applies_by: str = "birth_date"  # or "visit_date": see schemas/program.schema.json

    def find(self, value: Any) -> Site | None:
        if not isinstance(value, str):
            return None
        key = normalise_text(value)
        return next((site for site in self.sites if key in site.keys), None)


@dataclass(frozen=True)
class ScreeningAt:
    instrument: str
    visits: tuple[str, ...]


@dataclass(frozen=True)
class Replacement:
    program: str
    visit: str
    by: str


@dataclass(frozen=True)
class Program:
    id: str
    version: str
    title: Text
    definition: Mapping[str, Any] = field(repr=False)
    eligibility: Condition = field(repr=False)
    schedule: tuple[Visit, ...]
    sites: Sites | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    replaces: tuple[Replacement, ...]
    roles: Mapping[str, Text]
    sha256: str
    screening: tuple[ScreeningAt, ...] = ()
    source: str = ""  # where it was loaded from, for messages
    distribution: str = ""  # the installed distribution that registered it
    evaluator: ProgramEvaluator = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "evaluator", ProgramEvaluator(self))

    @classmethod
    def compile(
        cls, definition: Mapping[str, Any], source: str = "", distribution: str = ""
    ) -> Program:
        """Compile a schema-valid definition (see `loader.load_program`)."""
        d = definition
        sites = None
        if "sites" in d:
            sites = Sites(
                d["sites"]["match"],
                tuple(
                    Site(
                        id=s["id"],
                        name=s["name"],
                        keys=frozenset(
                            normalise_text(k) for k in (s["id"], s["name"], *s.get("aliases", ()))
                        ),
                        start=_date(s.get("start")),
                        end=_date(s.get("end")),
                        planned=s.get("status", "active") == "planned",
                        district=s.get("district"),
                        municipality=s.get("municipality"),
                    )
                    for s in d["sites"]["list"]
                ),
                d["sites"].get("applies_by", "birth_date"),
            )
        schedule = tuple(
            Visit(
                id=v["id"],
                title=v["title"],
                age=Duration.from_mapping(v["age"]),
                before=Duration.from_mapping(v["window"]["before"]),
                after=Duration.from_mapping(v["window"]["after"]),
                staff=tuple(v["staff"]),
                setting=v["setting"],
                topics=tuple(v.get("topics", ())),
                same_as=(v["same_as"]["program"], v["same_as"]["visit"])
                if "same_as" in v
                else None,
            )
            for v in d["schedule"]
        )
        return cls(
            id=d["id"],
            version=d["version"],
            title=d["title"],
            definition=d,
            eligibility=compile_condition(d["eligibility"]),
            schedule=schedule,
            sites=sites,
            valid_from=_date(d.get("valid_from")),
            valid_to=_date(d.get("valid_to")),
            replaces=tuple(
                Replacement(r["program"], r["visit"], r["by"]) for r in d.get("replaces", ())
            ),
            roles=d.get("roles", {}),
            sha256=canonical_hash(d),
            screening=tuple(
                ScreeningAt(s["instrument"], tuple(s["at"])) for s in d.get("screening", ())
            ),
            source=source,
            distribution=distribution,
        )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None

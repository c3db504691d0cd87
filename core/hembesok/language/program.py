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
    corrected: bool = False  # counted from corrected age for a preterm child (age_basis)


@dataclass(frozen=True)
class CorrectedAge:
    """When a visit that counts from corrected age does so: for a child born before
    `below` weeks of pregnancy, at visits whose age is under `until`."""

    below: Duration
    until: Duration


#: Rikshandboken's practice [M]: corrected age for children born before week 37, up to 2 years.
DEFAULT_CORRECTED_AGE = CorrectedAge(Duration(weeks=37), Duration(years=2))


@dataclass(frozen=True)
class Dose:
    """One dose of a vaccine in a program's schedule: always by chronological age."""

    id: str
    vaccine: str
    number: int
    title: Text
    age: Duration
    before: Duration
    after: Duration
    given_at: str | None = None  # the program's visit it is usually given at
    course_start: str | None = None  # the earlier dose whose miss leaves this one not_started


#: An effective-dated value of a site attribute: (value, valid from, valid to), both inclusive.
Dated = tuple[Any, "dt.date | None", "dt.date | None"]


@dataclass(frozen=True)
class Attribute:
    """A site attribute the program declares: its name in conditions is `site.<id>`."""

    id: str
    title: Text
    type: str  # number, boolean or text
    default: Any = None


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
    #: attribute id -> its values over time, in the file's order
    attributes: Mapping[str, tuple[Dated, ...]] = field(default_factory=dict)
    visits: frozenset[str] | None = None  # the program's visits offered here (None: all)

    def value_on(self, attribute: str, day: dt.date) -> Any:
        """The attribute's value in effect on `day`, or None."""
        for value, start, end in self.attributes.get(attribute, ()):
            if (start is None or start <= day) and (end is None or day <= end):
                return value
        return None


@dataclass(frozen=True)
class Sites:
    match: tuple[str, ...]  # the case facts that name a site, tried in order
    sites: tuple[Site, ...]
    applies_by: str = "birth_date"  # or "visit_date": see schemas/program.schema.json
    attributes: Mapping[str, Attribute] = field(default_factory=dict)

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
    vaccinations: tuple[Dose, ...] = ()
    corrected_age: CorrectedAge = DEFAULT_CORRECTED_AGE
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
            match = d["sites"]["match"]
            sites = Sites(
                (match,) if isinstance(match, str) else tuple(match),
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
                        attributes={
                            name: _dated(value) for name, value in s.get("attributes", {}).items()
                        },
                        visits=frozenset(s["visits"]) if "visits" in s else None,
                    )
                    for s in d["sites"]["list"]
                ),
                d["sites"].get("applies_by", "birth_date"),
                {
                    name: Attribute(name, a["title"], a["type"], a.get("default"))
                    for name, a in d["sites"].get("attributes", {}).items()
                },
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
                corrected=v.get("age_basis") == "corrected",
            )
            for v in d["schedule"]
        )
        vaccines = d.get("vaccines", {})
        doses = tuple(
            Dose(
                id=v["id"],
                vaccine=v["vaccine"],
                number=v["dose"],
                title=v.get("title") or _dose_title(vaccines.get(v["vaccine"]), v),
                age=Duration.from_mapping(v["age"]),
                before=Duration.from_mapping(v["window"]["before"]),
                after=Duration.from_mapping(v["window"]["after"]),
                given_at=v.get("given_at"),
                course_start=v.get("course_start"),
            )
            for v in d.get("vaccinations", ())
        )
        corrected = d.get("corrected_age", {})
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
            vaccinations=doses,
            corrected_age=CorrectedAge(
                Duration.from_mapping(corrected["below"])
                if "below" in corrected
                else DEFAULT_CORRECTED_AGE.below,
                Duration.from_mapping(corrected["until"])
                if "until" in corrected
                else DEFAULT_CORRECTED_AGE.until,
            ),
            source=source,
            distribution=distribution,
        )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _dated(value: Any) -> tuple[Dated, ...]:
    """A site attribute as the file writes it: one value for all time, or a list of
    `{value, from, to}` periods."""
    if isinstance(value, list):
        return tuple((p["value"], _date(p.get("from")), _date(p.get("to"))) for p in value)
    return ((value, None, None),)


def _dose_title(vaccine: Mapping[str, Any] | None, dose: Mapping[str, Any]) -> Text:
    """ "MPR, dos 1" from the vaccine's title and the dose number."""
    title = vaccine["title"] if vaccine else {"sv": dose["vaccine"], "en": dose["vaccine"]}
    n = dose["dose"]
    return {"sv": f"{title['sv']}, dos {n}", "en": f"{title['en']}, dose {n}"}

"""The titles of the programmes, visits, doses, instruments and domains a report names.

The flat tables hold ids only (`nassjo`, `four_months`, `epds`); people read titles. They
come from the installed programs and instruments, in the page's language. Tables from
another machine may name a program not installed here: its ids are then shown as they
are, so a report over any tables still works.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from hembesok.engine.engine import Engine
from hembesok.model.texts import Text, pick, short_title

_NONE: Mapping[str, Text] = MappingProxyType({})


@dataclasses.dataclass(frozen=True)
class Titles:
    """Titles by id; every lookup falls back to the id itself."""

    programs: Mapping[str, Text] = dataclasses.field(default_factory=lambda: _NONE)
    #: `program/visit` or `program/dose` -> the visit's or dose's title
    items: Mapping[str, Text] = dataclasses.field(default_factory=lambda: _NONE)
    instruments: Mapping[str, Text] = dataclasses.field(default_factory=lambda: _NONE)
    #: `instrument/domain` -> the domain's title
    domains: Mapping[str, Text] = dataclasses.field(default_factory=lambda: _NONE)

    @classmethod
    def of(cls, engine: Engine) -> Titles:
        """Every title the engine's programs and instruments give."""
        items: dict[str, Text] = {}
        for program in engine.programs.values():
            for visit in program.schedule:
                items[f"{program.id}/{visit.id}"] = visit.title
            for dose in program.vaccinations:
                items[f"{program.id}/{dose.id}"] = dose.title
        return cls(
            MappingProxyType({p.id: p.title for p in engine.programs.values()}),
            MappingProxyType(items),
            MappingProxyType({i.id: i.title for i in engine.instruments.values()}),
            MappingProxyType(
                {f"{i.id}/{d.id}": d.title for i in engine.instruments.values() for d in i.domains}
            ),
        )

    def by_schedule(self, rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
        """Screening rows by programme and instrument, then in the order of the programme's
        visits (an unknown visit last); rows of one occasion keep their order."""
        place = {key: number for number, key in enumerate(self.items)}
        return sorted(
            rows,
            key=lambda r: (
                r["program"],
                r["instrument"],
                place.get(f"{r['program']}/{r['visit']}", len(place)),
            ),
        )

    def program(self, program: str, lang: str) -> str:
        """The programme's full title, or its id."""
        return pick(self.programs.get(program), lang) or program

    def program_short(self, program: str, lang: str) -> str:
        """The title up to its dash ("Nässjö"), for cells and charts; or the id."""
        title = self.programs.get(program)
        return short_title(title, lang) if title else program

    def item(self, program: str, item: str, lang: str) -> str:
        """A visit's or dose's title, or its id."""
        return pick(self.items.get(f"{program}/{item}"), lang) or item

    def instrument(self, instrument: str, lang: str) -> str:
        """The instrument's short title ("EPDS"), or its id."""
        title = self.instruments.get(instrument)
        return short_title(title, lang) if title else instrument

    def domain(self, instrument: str, domain: str, lang: str) -> str:
        return pick(self.domains.get(f"{instrument}/{domain}"), lang) or domain

    def in_language(self, lang: str) -> dict[str, dict[str, str]]:
        """Every title in one language, for machines: {"programs": {id: title}, ...}."""
        return {
            "programs": {k: pick(v, lang) for k, v in sorted(self.programs.items())},
            "items": {k: pick(v, lang) for k, v in sorted(self.items.items())},
            "instruments": {k: pick(v, lang) for k, v in sorted(self.instruments.items())},
            "domains": {k: pick(v, lang) for k, v in sorted(self.domains.items())},
        }

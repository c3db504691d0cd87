"""A screening instrument, compiled once: items with their answer rules, domains with their flag rules."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hembesok.model.definition import canonical_hash
from hembesok.model.texts import Text

#: How a score domain's cut-off was found (DomainResult.basis).
VALIDATED, DEFAULT, NO_CUTOFF = "validated", "default", "none"


@dataclass(frozen=True)
class Item:
    id: str
    text: Text
    type: str  # yes_no | choice | number
    positive_answer: str | None = None  # yes_no: "yes" or "no"
    scores: Mapping[Any, int] = field(default_factory=dict)  # choice: option value -> score
    positive_from_score: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    positive_at_least: float | None = None

    def accepts(self, answer: Any) -> bool:
        """Whether `answer` is a possible answer to this item (None means unanswered)."""
        if self.type == "yes_no":
            return answer in ("yes", "no")
        if self.type == "choice":
            return (
                isinstance(answer, str | int | float)
                and not isinstance(answer, bool)
                and (answer in self.scores)
            )
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            return False
        return (self.minimum is None or answer >= self.minimum) and (
            self.maximum is None or answer <= self.maximum
        )

    def score(self, answer: Any) -> float:
        if self.type == "choice":
            return self.scores[answer]
        if self.type == "number":
            return float(answer)
        return 1.0 if answer == self.positive_answer else 0.0

    def is_positive(self, answer: Any) -> bool:
        if self.type == "yes_no":
            return bool(answer == self.positive_answer)
        if self.type == "choice":
            return (
                self.positive_from_score is not None
                and self.scores[answer] >= self.positive_from_score
            )
        return self.positive_at_least is not None and bool(answer >= self.positive_at_least)


@dataclass(frozen=True)
class Action:
    level: str
    text: Text
    follow_up_by: tuple[str, ...]


@dataclass(frozen=True)
class Domain:
    id: str
    title: Text
    items: tuple[str, ...]
    rule: str  # any_positive | score_at_least
    threshold: float | None  # the explicit default for a language without a cut-off
    by_language: Mapping[str, float]  # the validated cut-off of each language
    max_missing: int
    action: Action | None
    default_note: Text | None = None

    def threshold_for(self, language: str) -> float | None:
        """The cut-off a form in `language` is judged against: its own, or the default."""
        return self.cutoff(language)[0]

    def cutoff(self, language: str) -> tuple[float | None, str]:
        """(cut-off, basis): `validated` for the language's own, `default` for the
        instrument's explicit default, `none` when there is neither."""
        own = self.by_language.get(language)
        if own is not None:
            return own, VALIDATED
        if self.threshold is not None:
            return self.threshold, DEFAULT
        return None, NO_CUTOFF


@dataclass(frozen=True)
class Instrument:
    id: str
    version: str
    title: Text
    items: Mapping[str, Item]
    domains: tuple[Domain, ...]
    representative: bool
    sha256: str
    definition: Mapping[str, Any] = field(repr=False)
    source: str = ""
    distribution: str = ""

    @classmethod
    def compile(cls, d: Mapping[str, Any], source: str = "", distribution: str = "") -> Instrument:
        """Compile a schema-valid definition (see `loader.load_instrument`)."""
        items = {}
        for raw in d["items"]:
            answer = raw["answer"]
            items[raw["id"]] = Item(
                id=raw["id"],
                text=raw["text"],
                type=answer["type"],
                positive_answer=answer.get("positive"),
                scores={o["value"]: o["score"] for o in answer.get("options", ())},
                positive_from_score=answer.get("positive_from_score"),
                minimum=answer.get("minimum"),
                maximum=answer.get("maximum"),
                positive_at_least=answer.get("positive_at_least"),
            )
        domains = tuple(
            Domain(
                id=raw["id"],
                title=raw["title"],
                items=tuple(raw["items"]),
                rule=raw["flag"]["rule"],
                threshold=raw["flag"].get("threshold"),
                by_language=raw["flag"].get("by_language", {}),
                max_missing=raw.get("max_missing", 0),
                default_note=raw["flag"].get("default_note"),
                action=Action(
                    raw["action"]["level"],
                    raw["action"]["text"],
                    tuple(raw["action"]["follow_up_by"]),
                )
                if "action" in raw
                else None,
            )
            for raw in d["domains"]
        )
        return cls(
            id=d["id"],
            version=d["version"],
            title=d["title"],
            items=items,
            domains=domains,
            representative=bool(d.get("representative", False)),
            sha256=canonical_hash(d),
            definition=d,
            source=source,
            distribution=distribution,
        )

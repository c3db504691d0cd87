"""Questionnaire responses and what scoring them gave, per domain and over occasions.

A domain is flagged, not flagged or undetermined. Missing answers never make a domain
negative: a domain that is not already flagged by the answers given is undetermined
when more items are unanswered than the domain tolerates (`max_missing`). Compared
with the same respondent's previous response, each domain is new, persisting,
resolved or still not flagged.

A flagged domain leads to its action: a conversation or a voluntary offer of support.
Nothing here ever files a report of concern (orosanmälan); that is a professional's
legal duty and judgement, not the output of a rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, NamedTuple

from hembesok.model.instrument import DEFAULT, NO_CUTOFF, Action, Domain, Instrument
from hembesok.model.texts import Text

FLAGGED, NOT_FLAGGED, UNDETERMINED = "flagged", "not_flagged", "undetermined"
_new = tuple.__new__
#: The `$id` of the screening result schema (checked against the schema in tests).
SCREENING_SCHEMA_ID = "urn:hembesok:schema:screening:1"
# Change since the same respondent's previous response of the same instrument.
FIRST, NEW, PERSISTING, RESOLVED, STILL_NOT_FLAGGED, NO_COMPARISON = (
    "first",
    "new",
    "persisting",
    "resolved",
    "not_flagged",
    "no_comparison",
)


class Response(NamedTuple):
    """One questionnaire as answered: never shown in any message or log."""

    instrument: str
    date: dt.date
    answers: Mapping[str, Any]
    language: str = "sv"
    respondent: str | None = None
    occasion: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Response:
        given = data["answers"]
        answers = (
            given
            if None not in given.values()
            else {k: v for k, v in given.items() if v is not None}
        )
        return _new(
            cls,
            (
                data["instrument"],
                dt.date.fromisoformat(data["date"]),
                answers,
                data.get("language", "sv"),
                data.get("respondent"),
                data.get("occasion"),
            ),
        )


class DomainResult(NamedTuple):
    domain: Domain
    status: str
    deciding_items: tuple[str, ...]  # the items whose answers decided a flag (ids only)
    missing_items: tuple[str, ...]
    score: float | None = None
    threshold: float | None = None
    change: str = FIRST
    basis: str | None = None  # score domains: validated | default | none (model.instrument)

    @property
    def action(self) -> Action | None:
        return self.domain.action if self.status == FLAGGED else None

    def note(self, language: str) -> Text | None:
        """Why a score domain's cut-off is a default, or why there is none."""
        if self.basis == DEFAULT:
            return self.domain.default_note or {
                "sv": f"Bedömt mot instrumentets standardgräns: formulärets språk ({language}) har ingen validerad gräns.",
                "en": f"Judged against the instrument's default cut-off: the form's language ({language}) has no validated cut-off.",
            }
        if self.basis == NO_CUTOFF:
            return {
                "sv": f"Ingen validerad gräns för formulärets språk ({language}): resultatet kan inte avgöras.",
                "en": f"No validated cut-off for the form's language ({language}): the result cannot be decided.",
            }
        return None

    def to_json(self, language: str = "sv") -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.domain.id,
            "title": dict(self.domain.title),
            "status": self.status,
            "change": self.change,
            "deciding_items": list(self.deciding_items),
            "missing_items": list(self.missing_items),
        }
        if self.score is not None:
            out["score"] = self.score
            out["threshold"] = self.threshold
            out["threshold_basis"] = self.basis
            note = self.note(language)
            if note is not None:
                out["note"] = dict(note)
        action = self.action
        if action is not None:
            out["action"] = {
                "level": action.level,
                "text": dict(action.text),
                "follow_up_by": list(action.follow_up_by),
            }
        return out


class ScreeningResult(NamedTuple):
    """What one response gave, domain by domain, compared with the respondent's previous one."""

    instrument: Instrument
    response: Response
    domains: tuple[DomainResult, ...]
    previous_date: dt.date | None = None

    def domain(self, domain_id: str) -> DomainResult:
        return next(d for d in self.domains if d.domain.id == domain_id)

    def to_json(self) -> dict[str, Any]:
        r, i = self.response, self.instrument
        out: dict[str, Any] = {
            "$schema": SCREENING_SCHEMA_ID,
            "instrument": {
                "id": i.id,
                "version": i.version,
                "title": dict(i.title),
                "sha256": i.sha256,
                "representative": i.representative,
                "distribution": i.distribution,
            },
            "date": r.date.isoformat(),
            "language": r.language,
            "domains": [d.to_json(r.language) for d in self.domains],
            "flagged": [d.domain.id for d in self.domains if d.status == FLAGGED],
        }
        if r.respondent is not None:
            out["respondent"] = r.respondent
        if r.occasion is not None:
            out["occasion"] = r.occasion
        if self.previous_date is not None:
            out["compared_with"] = self.previous_date.isoformat()
        return out


CHANGE_TEXT: dict[str, Text] = {
    FIRST: {"sv": "första tillfället", "en": "first occasion"},
    NEW: {"sv": "nytt", "en": "new"},
    PERSISTING: {"sv": "kvarstår", "en": "persisting"},
    RESOLVED: {"sv": "upphört", "en": "resolved"},
    STILL_NOT_FLAGGED: {"sv": "oförändrat", "en": "unchanged"},
    NO_COMPARISON: {"sv": "kan inte jämföras", "en": "no comparison"},
}

STATUS_TEXT: dict[str, Text] = {
    FLAGGED: {"sv": "flaggat", "en": "flagged"},
    NOT_FLAGGED: {"sv": "ej flaggat", "en": "not flagged"},
    UNDETERMINED: {"sv": "kan inte avgöras", "en": "undetermined"},
}

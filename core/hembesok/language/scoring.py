"""Scoring a questionnaire response per domain, and following each domain over occasions.

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

from collections.abc import Mapping, Sequence
from dataclasses import replace

from hembesok.model.instrument import Domain, Instrument
from hembesok.model.screening import (
    FIRST,
    FLAGGED,
    NEW,
    NO_COMPARISON,
    NOT_FLAGGED,
    PERSISTING,
    RESOLVED,
    STILL_NOT_FLAGGED,
    UNDETERMINED,
    DomainResult,
    Response,
    ScreeningResult,
)


def score_domain(instrument: Instrument, domain: Domain, response: Response) -> DomainResult:
    answered = [i for i in domain.items if i in response.answers]
    missing = tuple(i for i in domain.items if i not in response.answers)
    items = instrument.items
    if domain.rule == "any_positive":
        positive = tuple(i for i in answered if items[i].is_positive(response.answers[i]))
        if positive:
            return DomainResult(domain, FLAGGED, positive, missing)
        status = UNDETERMINED if len(missing) > domain.max_missing else NOT_FLAGGED
        return DomainResult(domain, status, (), missing)
    threshold = domain.threshold_for(response.language)
    assert threshold is not None  # the schema requires it for score rules
    total = sum(items[i].score(response.answers[i]) for i in answered)
    if total >= threshold:
        contributing = tuple(i for i in answered if items[i].score(response.answers[i]) > 0)
        return DomainResult(domain, FLAGGED, contributing, missing, total, threshold)
    status = UNDETERMINED if len(missing) > domain.max_missing else NOT_FLAGGED
    return DomainResult(domain, status, (), missing, total, threshold)


def score(
    instrument: Instrument, response: Response, history: Sequence[Response] = ()
) -> ScreeningResult:
    """Score `response`; compare with the same respondent's latest earlier response in `history`."""
    previous = _previous(response, history)
    before = {d.domain.id: d.status for d in _score_all(instrument, previous)} if previous else None
    results = tuple(_with_change(result, before) for result in _score_all(instrument, response))
    return ScreeningResult(instrument, response, results, previous.date if previous else None)


def _score_all(instrument: Instrument, response: Response) -> list[DomainResult]:
    return [score_domain(instrument, d, response) for d in instrument.domains]


def _previous(response: Response, history: Sequence[Response]) -> Response | None:
    earlier = [
        h
        for h in history
        if h.instrument == response.instrument
        and h.date < response.date
        and h.respondent == response.respondent
    ]
    return max(earlier, key=lambda h: h.date) if earlier else None


def _with_change(result: DomainResult, before: Mapping[str, str] | None) -> DomainResult:

    if before is None:
        return replace(result, change=FIRST)
    was, now = before.get(result.domain.id), result.status
    if was == UNDETERMINED or now == UNDETERMINED or was is None:
        change = NO_COMPARISON
    elif now == FLAGGED:
        change = PERSISTING if was == FLAGGED else NEW
    else:
        change = RESOLVED if was == FLAGGED else STILL_NOT_FLAGGED
    return replace(result, change=change)

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

from collections.abc import Sequence

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


def score_domain(
    instrument: Instrument, domain: Domain, response: Response, change: str = FIRST
) -> DomainResult:
    """One domain of a response: flagged, not flagged or undetermined, and by which items."""
    answers = response.answers
    items = instrument.items
    missing = tuple(i for i in domain.items if i not in answers)
    if domain.rule == "any_positive":
        positive = tuple(
            i for i in domain.items if i in answers and items[i].is_positive(answers[i])
        )
        if positive:
            return _result(domain, FLAGGED, positive, missing, None, None, change)
        status = UNDETERMINED if len(missing) > domain.max_missing else NOT_FLAGGED
        return _result(domain, status, (), missing, None, None, change)
    threshold = domain.threshold_for(response.language)
    assert threshold is not None  # the schema requires it for score rules
    scores = [(i, items[i].score(answers[i])) for i in domain.items if i in answers]
    total = sum(s for _, s in scores)
    if total >= threshold:
        contributing = tuple(i for i, s in scores if s > 0)
        return _result(domain, FLAGGED, contributing, missing, total, threshold, change)
    status = UNDETERMINED if len(missing) > domain.max_missing else NOT_FLAGGED
    return _result(domain, status, (), missing, total, threshold, change)


_new = tuple.__new__


def _result(
    domain: Domain,
    status: str,
    deciding: tuple[str, ...],
    missing: tuple[str, ...],
    total: float | None,
    threshold: float | None,
    change: str,
) -> DomainResult:
    return _new(DomainResult, (domain, status, deciding, missing, total, threshold, change))


def score(
    instrument: Instrument, response: Response, history: Sequence[Response] = ()
) -> ScreeningResult:
    """Score `response`; compare with the same respondent's latest earlier response in `history`."""
    previous = _previous(response, history)
    before = (
        {d.id: score_domain(instrument, d, previous).status for d in instrument.domains}
        if previous is not None
        else None
    )
    results = []
    for domain in instrument.domains:
        result = score_domain(instrument, domain, response)
        if before is not None:
            result = result._replace(change=change(before.get(domain.id), result.status))
        results.append(result)
    return ScreeningResult(
        instrument, response, tuple(results), previous.date if previous is not None else None
    )


def _previous(response: Response, history: Sequence[Response]) -> Response | None:
    earlier = [
        h
        for h in history
        if h.instrument == response.instrument
        and h.date < response.date
        and h.respondent == response.respondent
    ]
    return max(earlier, key=lambda h: h.date) if earlier else None


def change(was: str | None, now: str) -> str:
    """How a domain changed since the previous response: new, persisting, resolved, ..."""
    if was == UNDETERMINED or now == UNDETERMINED or was is None:
        return NO_COMPARISON
    if now == FLAGGED:
        return PERSISTING if was == FLAGGED else NEW
    return RESOLVED if was == FLAGGED else STILL_NOT_FLAGGED

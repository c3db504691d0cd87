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
            return _result(domain, FLAGGED, positive, missing, None, None, change, None)
        status = UNDETERMINED if len(missing) > domain.max_missing else NOT_FLAGGED
        return _result(domain, status, (), missing, None, None, change, None)
    threshold, basis = domain.cutoff(response.language)
    scores = [(i, items[i].score(answers[i])) for i in domain.items if i in answers]
    total = sum(s for _, s in scores)
    if threshold is None:  # no cut-off for the form's language: nothing can be judged
        return _result(domain, UNDETERMINED, (), missing, total, None, change, basis)
    if total >= threshold:
        contributing = tuple(i for i, s in scores if s > 0)
        return _result(domain, FLAGGED, contributing, missing, total, threshold, change, basis)
    status = UNDETERMINED if len(missing) > domain.max_missing else NOT_FLAGGED
    return _result(domain, status, (), missing, total, threshold, change, basis)


_new = tuple.__new__


def _result(
    domain: Domain,
    status: str,
    deciding: tuple[str, ...],
    missing: tuple[str, ...],
    total: float | None,
    threshold: float | None,
    change: str,
    basis: str | None,
) -> DomainResult:
    return _new(DomainResult, (domain, status, deciding, missing, total, threshold, change, basis))


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


class Scorer:
    """One instrument's scoring prepared once: `score` gives what the function `score` gives.

    Each domain's items are paired with what makes them positive, and the commonest
    domain (yes/no items, flagged by any positive answer) is scored with plain lookups.
    The function above stays the definition: the declarative plugin scores with it, and
    tests hold the two to the same results.
    """

    def __init__(self, instrument: Instrument) -> None:
        self.instrument = instrument
        self._domains = [_Prepared(instrument, domain) for domain in instrument.domains]

    def score(self, response: Response, history: Sequence[Response] = ()) -> ScreeningResult:
        previous = _previous(response, history)
        if previous is None:
            results = tuple([d.result(response) for d in self._domains])
            return _new(ScreeningResult, (self.instrument, response, results, None))
        results = tuple([d.result(response, d.status(previous)) for d in self._domains])
        return _new(ScreeningResult, (self.instrument, response, results, previous.date))


class _Prepared:
    """One domain: its items, and for yes/no items their positive answer."""

    __slots__ = ("checks", "choices", "domain", "items", "items_set", "pairs", "simple")

    def __init__(self, instrument: Instrument, domain: Domain) -> None:
        self.domain = domain
        self.items = domain.items
        self.items_set = frozenset(domain.items)
        found = [instrument.items[i] for i in domain.items]
        self.simple = domain.rule == "any_positive" and all(i.type == "yes_no" for i in found)
        self.pairs = tuple((item.id, item.positive_answer) for item in found)
        self.checks = found
        # A scored domain of choice items (EPDS): each item's scores by answer.
        self.choices = (
            tuple((item.id, item.scores) for item in found)
            if domain.rule != "any_positive" and all(i.type == "choice" for i in found)
            else None
        )

    def _missing(self, answers: Mapping[str, object]) -> tuple[str, ...]:
        if self.items_set <= answers.keys():
            return ()
        return tuple([i for i in self.items if i not in answers])

    def status(self, response: Response) -> str:
        """The domain's status alone (for the previous response a change is measured from)."""
        if self.simple:
            answers = response.answers
            get = answers.get
            for item_id, positive in self.pairs:
                if get(item_id) == positive:
                    return FLAGGED
            missing = self._missing(answers)
            return UNDETERMINED if len(missing) > self.domain.max_missing else NOT_FLAGGED
        return self.result(response).status

    def result(self, response: Response, was: str | None = None) -> DomainResult:
        """The domain's result; `was`: its status in the previous response, if any."""
        domain = self.domain
        answers = response.answers
        missing = self._missing(answers)
        if self.simple:
            get = answers.get
            positive = tuple([i for i, pos in self.pairs if get(i) == pos])
            if positive:
                status = FLAGGED
            else:
                status = UNDETERMINED if len(missing) > domain.max_missing else NOT_FLAGGED
            how = FIRST if was is None else change(was, status)
            return _new(DomainResult, (domain, status, positive, missing, None, None, how, None))
        if domain.rule == "any_positive":
            positive = tuple(
                [i for i, item in zip(self.items, self.checks, strict=True)
                 if i in answers and item.is_positive(answers[i])]
            )  # fmt: skip
            if positive:
                status = FLAGGED
            else:
                status = UNDETERMINED if len(missing) > domain.max_missing else NOT_FLAGGED
            how = FIRST if was is None else change(was, status)
            return _new(DomainResult, (domain, status, positive, missing, None, None, how, None))
        threshold, basis = domain.cutoff(response.language)
        given: list[tuple[str, float]]
        if self.choices is not None:
            given = [(i, scores[answers[i]]) for i, scores in self.choices if i in answers]
        else:
            given = [
                (i, item.score(answers[i]))
                for i, item in zip(self.items, self.checks, strict=True)
                if i in answers
            ]
        total = sum([s for _, s in given])
        contributing: tuple[str, ...] = ()
        if threshold is None:  # no cut-off for the form's language: nothing can be judged
            status = UNDETERMINED
        elif total >= threshold:
            status = FLAGGED
            contributing = tuple([i for i, s in given if s > 0])
        else:
            status = UNDETERMINED if len(missing) > domain.max_missing else NOT_FLAGGED
        how = FIRST if was is None else change(was, status)
        return _new(
            DomainResult, (domain, status, contributing, missing, total, threshold, how, basis)
        )

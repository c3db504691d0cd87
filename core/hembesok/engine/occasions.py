"""Screening occasions: which questionnaire is due at which visit, and what its answers gave.

A response belongs to an occasion when it names the visit (`occasion`, or the visit it is
the same contact as), or, naming none, was given inside the visit's window. An occasion is
done only when a response is recorded: a visit made without one is `not_answered`. Each response is scored against the child's earlier
responses of the same instrument, so a domain can be followed from occasion to occasion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from hembesok.language.program import Program
from hembesok.model.plan import PlannedVisit, ScreeningOccasion
from hembesok.model.screening import Response, ScreeningResult

Scorer = Callable[[Response, Sequence[Response]], ScreeningResult]


def screening_occasions(
    program: Program,
    visits: Sequence[PlannedVisit],
    given_responses: Sequence[Response],
    scorer: Scorer,
) -> tuple[ScreeningOccasion, ...]:
    by_id = {v.visit.id: v for v in visits}
    out = []
    for entry in program.screening:
        responses = [r for r in given_responses if r.instrument == entry.instrument]
        responses.sort(key=_date)
        for visit_id in entry.visits:
            visit = by_id.get(visit_id)
            if visit is None:  # not planned (not eligible): no occasion either
                continue
            given = [r for r in responses if _belongs(r, visit)] if responses else None
            if given:
                results = tuple(
                    [scorer(r, [h for h in responses if h.date < r.date]) for r in given]
                )
                out.append(_new(ScreeningOccasion, (entry.instrument, visit, DONE, results)))
            else:
                # A visit made without the questionnaire is not a questionnaire answered.
                status = NOT_ANSWERED if visit.status == DONE else visit.status
                out.append(_new(ScreeningOccasion, (entry.instrument, visit, status, ())))
    return tuple(out)


_new = tuple.__new__
DONE, NOT_ANSWERED = "done", "not_answered"


def _date(response: Response) -> dt.date:
    return response.date


def _belongs(response: Response, visit: PlannedVisit) -> bool:
    """A response names its occasion by the visit's id, or by the id of the visit it is the
    same contact as (`same_as`: BarnSäkert at the ordinary visit); naming none, it belongs
    to the visit whose window holds its date."""
    occasion = response.occasion
    if occasion is not None:
        same_as = visit.visit.same_as
        return occasion == visit.visit.id or (same_as is not None and occasion == same_as[1])
    return visit.window.contains(response.date)

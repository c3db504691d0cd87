"""Screening occasions: which questionnaire is due at which visit, and what its answers gave.

A response belongs to an occasion when it names the visit (`occasion`), or, naming none,
was given inside the visit's window. Each response is scored against the child's earlier
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
                out.append(_new(ScreeningOccasion, (entry.instrument, visit, "done", results)))
            else:
                out.append(_new(ScreeningOccasion, (entry.instrument, visit, visit.status, ())))
    return tuple(out)


_new = tuple.__new__


def _date(response: Response) -> dt.date:
    return response.date


def _belongs(response: Response, visit: PlannedVisit) -> bool:
    if response.occasion is not None:
        return response.occasion == visit.visit.id
    return visit.window.contains(response.date)

"""What a case names must exist: programs, visits, instruments, items, answers, occasions.

A schema cannot know which programs are installed, so these checks run after it, with the
engine's programs and instruments. Each problem is located and names no value from the
case (ids of programs, visits and items are the programs' own words, not the family's).
Without them a misspelt visit id turns a done visit into a missed one, and an answer at an
occasion nobody knows disappears from the plan without a word.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from hembesok.io import problems as P
from hembesok.io.dates import InvalidDate, parse_date
from hembesok.io.documents import Document
from hembesok.io.loading import answer_problems
from hembesok.io.redact import quoted
from hembesok.language.program import Program
from hembesok.model.instrument import Instrument

Path = tuple[str | int, ...]


def reference_problems(
    doc: Document,
    data: Mapping[str, Any],
    base: Path,
    as_of: dt.date | None,
    programs: Mapping[str, Program],
    instruments: Mapping[str, Instrument],
) -> list[P.Problem]:
    """The problems of a schema-valid case's references (empty for a sound case)."""
    out: list[P.Problem] = []
    for i, entry in enumerate(data.get("visits_done") or ()):
        program = programs.get(entry["program"])
        if program is None:
            out.append(_unknown_program(doc, (*base, "visits_done", i, "program"), programs))
        elif entry["visit"] not in {v.id for v in program.schedule}:
            visits = ", ".join(v.id for v in program.schedule)
            out.append(
                P.problem_at(
                    doc,
                    (*base, "visits_done", i, "visit"),
                    f"program '{program.id}' has no such visit; its visits are: {visits}",
                )
            )
    for i, program_id in enumerate(data.get("declined") or ()):
        if program_id not in programs:
            out.append(_unknown_program(doc, (*base, "declined", i), programs))
    if data.get("vaccinations_done") or data.get("vaccinations_declined"):
        out += _vaccination_problems(doc, data, base, as_of, programs)
    responses = data.get("responses") or ()
    if responses:
        out += _response_problems(doc, data, base, as_of, responses, programs, instruments)
    return out


def _vaccination_problems(
    doc: Document,
    data: Mapping[str, Any],
    base: Path,
    as_of: dt.date | None,
    programs: Mapping[str, Program],
) -> list[P.Problem]:
    """Doses given must be doses some installed program schedules, given after the birth
    and not after the as-of date; declined vaccines must be scheduled vaccines."""
    doses: dict[str, set[int]] = {}
    for program in programs.values():
        for dose in program.vaccinations:
            doses.setdefault(dose.vaccine, set()).add(dose.number)
    known = ", ".join(sorted(doses)) or "none"
    out: list[P.Problem] = []
    birth = parse_date(data["child"]["birth_date"])
    for i, entry in enumerate(data.get("vaccinations_done") or ()):
        where: Path = (*base, "vaccinations_done", i)
        numbers = doses.get(entry["vaccine"])
        if numbers is None:
            out.append(
                P.problem_at(
                    doc,
                    (*where, "vaccine"),
                    f"names no vaccine of an installed program; scheduled vaccines: {known}",
                )
            )
        elif entry["dose"] not in numbers:
            listed = ", ".join(str(n) for n in sorted(numbers))
            out.append(
                P.problem_at(
                    doc,
                    (*where, "dose"),
                    f"vaccine '{entry['vaccine']}' has no such dose in the installed programs; "
                    f"its doses are: {listed}",
                )
            )
        dated = _date_problems(doc, where, entry["date"], birth, as_of, "a dose cannot be given")
        if dated is not None:
            out += dated[1]
    for i, vaccine in enumerate(data.get("vaccinations_declined") or ()):
        if vaccine not in doses:
            out.append(
                P.problem_at(
                    doc,
                    (*base, "vaccinations_declined", i),
                    f"names no vaccine of an installed program; scheduled vaccines: {known}",
                )
            )
    return out


def _date_problems(
    doc: Document, where: Path, text: str, birth: dt.date, as_of: dt.date | None, what: str
) -> tuple[dt.date, list[P.Problem]] | None:
    """A record's date, which must lie between the birth and the as-of date, and the
    problem if it does not; None when the date cannot be read (the schema has said so)."""
    try:
        day = parse_date(text)
    except InvalidDate:
        return None
    if day < birth:
        return day, [P.problem_at(doc, (*where, "date"), "is before the child's birth date")]
    if as_of is not None and day > as_of:
        at = (*where, "date")
        return day, [P.problem_at(doc, at, f"is after the as-of date: {what} in the future")]
    return day, []


def _unknown_program(doc: Document, path: Path, programs: Mapping[str, Program]) -> P.Problem:
    installed = ", ".join(sorted(programs)) or "none"
    return P.problem_at(doc, path, f"names no installed program; installed: {installed}")


def _response_problems(
    doc: Document,
    data: Mapping[str, Any],
    base: Path,
    as_of: dt.date | None,
    responses: Any,
    programs: Mapping[str, Program],
    instruments: Mapping[str, Instrument],
) -> list[P.Problem]:
    out: list[P.Problem] = []
    birth = parse_date(data["child"]["birth_date"])
    # (instrument, occasion) -> the responses given there without a respondent
    anonymous: dict[tuple[str, str, str], list[int]] = {}
    for i, response in enumerate(responses):
        where: Path = (*base, "responses", i)
        out += answer_problems(doc, response, instruments, where)
        dated = _date_problems(
            doc, where, response["date"], birth, as_of, "a questionnaire cannot be answered"
        )
        if dated is None:  # the schema has said so
            continue
        day, found = dated
        out += found
        instrument = response["instrument"]
        occasions = _occasions(programs, instrument)
        occasion = response.get("occasion")
        if occasion is not None and occasion not in {
            name for _, visit in occasions for name in _names(visit)
        }:
            known = ", ".join(dict.fromkeys(v.id for _, v in occasions)) or "none"
            out.append(
                P.problem_at(
                    doc,
                    (*where, "occasion"),
                    f"names no occasion of instrument {quoted(instrument)}; its occasions are: {known}"
                    + _same_as_hint(occasions),
                )
            )
            continue
        if not occasions:
            if instrument in instruments:
                out.append(
                    P.problem_at(
                        doc,
                        (*where, "instrument"),
                        "no installed program gives this instrument at a visit, so its "
                        "answers would be shown nowhere",
                    )
                )
            continue
        at = [(p, v) for p, v in occasions if _given_at(v, occasion, day, birth, p)]
        if not at:
            out.append(
                P.problem_at(
                    doc,
                    (*where, "date"),
                    f"falls in the window of no occasion of '{instrument}': name its occasion "
                    "with `occasion`",
                )
            )
        elif response.get("respondent") is None:
            for program, visit in at:
                anonymous.setdefault((instrument, program.id, visit.id), []).append(i)
    for (instrument, _, visit_id), indexes in anonymous.items():
        for i in indexes[1:]:
            out.append(
                P.problem_at(
                    doc,
                    (*base, "responses", i),
                    f"a second response to '{instrument}' at '{visit_id}' without `respondent`: "
                    "name the respondent of each, so that one parent's answers are never "
                    "compared with the other's",
                )
            )
    return out


def _occasions(programs: Mapping[str, Program], instrument: str) -> list[tuple[Program, Any]]:
    """Every (program, visit) at which a program gives the instrument."""
    found = []
    for program in programs.values():
        for entry in program.screening:
            if entry.instrument == instrument:
                visits = {v.id: v for v in program.schedule}
                found += [(program, visits[v]) for v in entry.visits if v in visits]
    return found


def _names(visit: Any) -> tuple[str, ...]:
    """What a response may call the occasion: the visit's id, or the id of the visit it is
    the same contact as (BarnSäkert's occasion at the ordinary visit)."""
    return (visit.id, visit.same_as[1]) if visit.same_as is not None else (visit.id,)


def _same_as_hint(occasions: list[tuple[Program, Any]]) -> str:
    also = [f"{v.same_as[1]} ({v.id})" for _, v in occasions if v.same_as is not None]
    return f"; or the ordinary visit they are held at: {', '.join(also)}" if also else ""


def _given_at(
    visit: Any, occasion: str | None, day: dt.date, birth: dt.date, program: Program
) -> bool:
    if occasion is not None:
        return occasion in _names(visit)
    for dated in program.evaluator.dates(birth):
        if dated[0] is visit:
            window = dated[2]
            return bool(window.start <= day <= window.end)
    return False

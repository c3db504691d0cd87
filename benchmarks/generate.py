"""Seeded synthetic families as NDJSON cases, for benchmarks and tests. Nothing here is real.

    python benchmarks/generate.py --count 100000 [--seed 1] [--as-of 2026-05-04]
                                  [--corrupt 30] [--corrupted-list FILE] [-o FILE]

Children are born over the six years before the as-of date. Families live in the seed
programmes' municipalities and at their BVCs (Vaggeryd, Nässjö, Göteborg, the Rinkeby spread,
the BarnSäkert BVCs of Sundsvall and Timrå), in the municipalities of Jönköpings län
(Jönköping's joint visit, each municipality read from the program file with its aliases),
at Växa tryggt's placeholder BVCs and in its placeholder municipalities in Skåne (read from
the program file too; some of these children are born within weeks of a date on which a
site's data change, such as a CNI, so that both sides are planned), and, mostly,
elsewhere. The first-child facts follow Swedish birth statistics roughly (about 42 % of
births are a first child) and agree with each other: the first child in the municipality
is a parent's first child whose family did not move in after the birth. A journal often
leaves some facts out, and so does this generator. Some journals send the gestational age
at birth: preterm (from 24 weeks), at the 37-week limit of corrected age, or at term.
Visits are marked done for most visits whose window (counted from corrected age where the
program does so) has passed; vaccine doses are given in their window, now and then late,
or not at all, and some families decline a vaccine. Screening questionnaires (EPDS at 6–8
weeks, BarnSäkert at its occasions once the family's BVC has started) are answered at
most occasions, each naming an occasion that exists (now and then by the ordinary visit it
is the same contact as), never after the as-of date, and every response names its
respondent (at BarnSäkert occasions now and then both parents answer). Identity numbers
are opaque reserve numbers, never a personnummer. The cases are valid, references included
(`check_case(case, as_of, engine=engine)`). `--corrupt N` spoils N records in ways a
journal export can (a bad date, a wrong type, an unknown key, a cut-off line) and
`--corrupted-list` names their numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from typing import Any, NamedTuple

from hembesok.engine.engine import Engine
from hembesok.language.conditions import normalise_text
from hembesok.model.ages import add, subtract

AS_OF = dt.date(2026, 5, 4)


class Place(NamedTuple):
    """Where a family lives and is listed, and how often (weight)."""

    weight: int
    municipality: str
    bvc: str | None
    area: str | None
    local: str | None  # the local programme whose visits the BVC records
    #: other names a journal may send for the municipality (or, at a listed site, the BVC)
    spellings: tuple[str, ...] = ()
    #: the local programme's visits offered there (None: all of them)
    visits: frozenset[str] | None = None
    #: days on which the site's data change: some children are born close to them
    changes: tuple[dt.date, ...] = ()


# Where families live and are listed. The BarnSäkert BVCs are names of the program's sites
# (placeholders for each municipality's BVCs); "Nacksta BVC" is a Sundsvall BVC outside it.
# The municipalities of Jönköpings län and Växa tryggt's sites are added from the program
# files (`places`).
PLACES: list[Place] = [
    Place(6, "Vaggeryd", "Vaggeryds vårdcentral BVC", None, "vaggeryd"),
    Place(6, "0665", None, None, "vaggeryd"),  # the municipality code, as some journals send it
    Place(8, "Nässjö", "Nässjö BVC", None, "nassjo"),
    Place(6, "Göteborg", "Närhälsan Opaltorget BVC", "Västra Göteborg", "goteborg"),
    Place(4, "Göteborg", "Närhälsan Hjällbo BVC", "Hjällbo", "goteborg"),
    Place(4, "Göteborg", "Gårdsten BVC", "Angered", "goteborg"),
    Place(3, "Göteborg", "Närhälsan Biskopsgården BVC", "Västra Hisingen", "goteborg"),
    Place(3, "Göteborg", "Närhälsan Opaltorget BVC", "Majorna-Linné", "goteborg"),
    Place(4, "Göteborg", "Närhälsan Majorna BVC", "Majorna-Linné", None),
    Place(6, "Stockholm", "Rinkeby BVC", "Rinkeby-Kista", "rinkeby"),
    Place(3, "Stockholm", "Rågsved BVC", "Enskede-Årsta-Vantör", "rinkeby"),
    Place(3, "Stockholm", "Skärholmen BVC", "Skärholmen", "rinkeby"),
    Place(3, "Botkyrka", "Fittja BVC", "Fittja", "rinkeby"),
    Place(8, "Stockholm", "Södermalm BVC", "Södermalm", None),
    Place(6, "Sundsvall", "Sundsvall BVC", None, "barnsakert"),
    Place(2, "Sundsvall", "Nacksta BVC", None, None),
    Place(3, "Timrå", "Timrå BVC", None, "barnsakert"),
    Place(2, "Härnösand", "Härnösand BVC", None, None),
    Place(10, "Malmö", "Rosengård BVC", None, None),
    Place(10, "Uppsala", "Gottsunda BVC", None, None),
    Place(6, "Umeå", "Ålidhem BVC", None, None),
    Place(5, "Linköping", "Skäggetorp BVC", None, None),
]
#: A BVC no program lists, for families in Växa tryggt's municipalities (then the
#: municipality is looked up instead).
UNLISTED_BVC = "Vårdcentralen BVC (ej listad)"


def places(engine: Engine) -> list[Place]:
    """PLACES, the municipalities of Jönköpings län and Växa tryggt's sites, as the
    installed program files list them."""
    out = list(PLACES)
    county = engine.programs.get("jonkopings_lan")
    if county is not None and county.sites is not None:
        aliases = _aliases(county)
        for site in county.sites.sites:
            if site.planned:
                continue
            weight = 6 if site.id == "jonkoping" else 1
            out.append(
                Place(
                    weight,
                    site.name,
                    f"{site.name} BVC",
                    None,
                    county.id,
                    aliases[site.id],
                    site.visits,
                )
            )
    skane = engine.programs.get("vaxa_tryggt")
    if skane is not None and skane.sites is not None:
        aliases = _aliases(skane)
        for site in skane.sites.sites:
            if site.planned:
                continue
            changes = tuple(
                sorted(
                    {skane.valid_from} - {None}
                    | {
                        day
                        for values in site.attributes.values()
                        for _, start, end in values
                        for day in (start, end and end + dt.timedelta(days=1))
                        if day is not None
                    }
                )
            )
            if site.municipality is not None:  # a BVC, in the municipality it works in
                out.append(
                    Place(
                        3,
                        site.municipality,
                        site.name,
                        None,
                        skane.id,
                        aliases[site.id],
                        site.visits,
                        changes,
                    )
                )
            else:  # a municipality: at a BVC the program does not list, or none sent
                out.append(
                    Place(
                        3,
                        site.name,
                        UNLISTED_BVC,
                        None,
                        skane.id,
                        aliases[site.id],
                        site.visits,
                        changes,
                    )
                )
        lie_in = sorted({s.municipality for s in skane.sites.sites if s.municipality})
        for municipality in lie_in:  # where BVCs lie: a BVC not on the list is not covered
            out.append(Place(2, municipality, UNLISTED_BVC, None, None))
    return out


def _aliases(program: Any) -> dict[str, tuple[str, ...]]:
    """Each site's aliases, as the program file lists them."""
    return {
        site["id"]: tuple(site.get("aliases", ())) for site in program.definition["sites"]["list"]
    }


#: A vaccine dose of a program: (program, vaccine, dose number, age, before, after).
DoseSpec = tuple[str, str, int, Any, Any, Any]


def families(count: int, seed: int, as_of: dt.date, engine: Engine) -> Iterator[dict[str, Any]]:
    """`count` cases, the same for the same seed, as-of date and installed programs."""
    rnd = random.Random(seed)
    schedules = {
        pid: [(v.id, v.age, v.before, v.after, v.same_as) for v in p.schedule]
        for pid, p in sorted(engine.programs.items())
    }
    evaluators = {pid: p.evaluator for pid, p in engine.programs.items()}
    doses: list[DoseSpec] = [
        (pid, d.vaccine, d.number, d.age, d.before, d.after)
        for pid, p in sorted(engine.programs.items())
        for d in p.vaccinations
    ]
    items = {iid: list(inst.items) for iid, inst in sorted(engine.instruments.items())}
    starts = _barnsakert_starts(engine)
    where = places(engine)
    weights = [p.weight for p in where]
    for number in range(1, count + 1):
        place = rnd.choices(where, weights)[0]
        yield _family(rnd, number, as_of, place, schedules, evaluators, doses, items, starts)


def _barnsakert_starts(engine: Engine) -> dict[str, dt.date]:
    """The BarnSäkert BVCs that take part, by every name a journal may send, and their
    start: questionnaires are answered there from that day on."""
    program = engine.programs.get("barnsakert")
    if program is None or program.sites is None:
        return {}
    out = {}
    for site in program.sites.sites:
        if site.planned:
            continue
        for key in site.keys:  # normalised id, name and aliases
            out[key] = site.start or dt.date.min
    return out


def _birth(rnd: random.Random, as_of: dt.date, place: Place) -> dt.date:
    """Over the six years before `as_of`; at a site whose data change, now and then
    within six weeks of a change (either side), when that is in those six years."""
    birth = as_of - dt.timedelta(days=rnd.randrange(0, 6 * 365))
    if place.changes and rnd.random() < 0.4:
        near = rnd.choice(place.changes) + dt.timedelta(days=rnd.randint(-42, 42))
        if as_of - dt.timedelta(days=6 * 365 - 1) <= near <= as_of:
            birth = near
    return birth


def _gestational_age(rnd: random.Random) -> dict[str, int] | None:
    """The length of the pregnancy, sent for 40 % of children: a quarter of those preterm
    (before 37+0 weeks; more than the 6 % of Swedish births, so that corrected ages are
    planned often), a few at the limit or the day before it, the others at term. Days
    are now and then left out (0)."""
    draw = rnd.random()
    if draw < 0.6:
        return None
    if draw < 0.7:
        weeks = rnd.choices([24, 26, 28, 30, 32, 34, 35, 36], [1, 1, 2, 2, 3, 4, 5, 6])[0]
    elif draw < 0.74:
        return rnd.choice([{"weeks": 36, "days": 6}, {"weeks": 37, "days": 0}, {"weeks": 37}])
    else:
        weeks = rnd.randint(37, 42)
    if rnd.random() < 0.3:
        return {"weeks": weeks}  # days left out: 0
    return {"weeks": weeks, "days": rnd.randint(0, 6)}


def _family(
    rnd: random.Random,
    number: int,
    as_of: dt.date,
    place: Place,
    schedules: dict[str, list[Any]],
    evaluators: dict[str, Any],
    doses: list[DoseSpec],
    items: dict[str, list[str]],
    starts: dict[str, dt.date],
) -> dict[str, Any]:
    birth = _birth(rnd, as_of, place)
    municipality, bvc, area, local = place.municipality, place.bvc, place.area, place.local
    if place.spellings and rnd.random() < 0.25:
        spelling = rnd.choice(place.spellings)
        if bvc is not None and bvc != UNLISTED_BVC and local != "jonkopings_lan":
            bvc = spelling  # a listed BVC's alias
        else:
            municipality = spelling  # the municipality's code or other name
    case: dict[str, Any] = {
        "case_ref": f"bench-{number:07d}",
        "child": {"birth_date": birth.isoformat()},
    }
    if rnd.random() < 0.3:
        case["child"]["identifier"] = {
            "system": "urn:oid:1.2.752.29.4.3.2",  # a reserve-number system; opaque values
            "value": f"R{rnd.randrange(10**9):09d}",
        }
    gestational = _gestational_age(rnd)
    if gestational is not None:
        case["child"]["gestational_age"] = gestational
    if rnd.random() < 0.97:
        case["municipality"] = municipality
    if bvc and rnd.random() < 0.95:
        case["listed_bvc"] = bvc
    if area and rnd.random() < 0.85:
        case["area"] = area
    moved_in_on = None
    if rnd.random() < 0.05:  # moved in after the birth
        moved = birth + dt.timedelta(days=rnd.randrange(1, 400))
        if moved <= as_of:
            moved_in_on = moved.isoformat()
    first = _first_child_facts(rnd, moved_in_on is not None)
    if first:
        case["first_child"] = first
    if rnd.random() < 0.5:
        case["needs_support"] = rnd.random() < 0.08
    if moved_in_on is not None:
        case["moved_in_on"] = moved_in_on
    if rnd.random() < 0.03:
        case["declined"] = [rnd.choice(sorted(schedules))]
    registered = {"rikshandboken", local} & schedules.keys()  # the programmes the BVC runs
    done = _visits_done(
        rnd,
        birth,
        as_of,
        gestational,
        {p: evaluators[p] for p in sorted(registered)},
        {local: place.visits} if local is not None and place.visits is not None else {},
    )
    if done:
        case["visits_done"] = done
    given, declined = _vaccinations(rnd, birth, as_of, doses)
    if given:
        case["vaccinations_done"] = given
    if declined:
        case["vaccinations_declined"] = declined
    started = starts.get(normalise_text(case["listed_bvc"])) if "listed_bvc" in case else None
    responses = _responses(rnd, birth, as_of, started, schedules, items)
    if responses:
        case["responses"] = responses
    return case


def _first_child_facts(rnd: random.Random, moved_in_after_birth: bool) -> dict[str, bool]:
    """Facts that agree with each other. The first child in the municipality is a parent's
    first child whose family lived there at the birth (a family that moved in after it
    has none); a journal sends it only now and then, and the engine derives it otherwise."""
    if rnd.random() < 0.1:  # the journal sent no first-child fact at all
        return {}
    birthing_first = rnd.random() < 0.42
    other_first = birthing_first or rnd.random() < 0.06  # a new partner's first child
    either = birthing_first or other_first
    facts = {
        "birthing_parent": birthing_first,
        "either_parent": either,
        "both_parents": birthing_first and rnd.random() < 0.85,
        "born_in_sweden": either or rnd.random() < 0.05,
    }
    kept = {name: value for name, value in facts.items() if rnd.random() < 0.8}
    if rnd.random() < 0.25:
        kept["in_municipality"] = either and not moved_in_after_birth
    return kept


def _visits_done(
    rnd: random.Random,
    birth: dt.date,
    as_of: dt.date,
    gestational: dict[str, int] | None,
    evaluators: dict[str, Any],
    offered: dict[str, frozenset[str]],
) -> list[dict[str, str]]:
    """Most visits whose window has opened, each made inside its window (as the program
    dates it for this child: from corrected age where it counts so), never after `as_of`;
    only visits the family's site offers."""
    done = []
    for program, evaluator in evaluators.items():
        only = offered.get(program)
        for visit, _, (start, end), *_ in evaluator.dates(birth, evaluator.early(gestational)):
            if only is not None and visit.id not in only:
                continue
            if start > as_of or rnd.random() > 0.85:
                continue
            last = min(end, as_of)
            day = start + dt.timedelta(days=rnd.randrange(0, (last - start).days + 1))
            done.append({"program": program, "visit": visit.id, "date": day.isoformat()})
    return done


def _vaccinations(
    rnd: random.Random, birth: dt.date, as_of: dt.date, doses: list[DoseSpec]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Doses given and vaccines declined. About 3 % of families decline a vaccine (a dose
    of it now and then given before they did); of the other doses whose window has opened,
    most are given in it, some after it closed (late), some not at all; none after `as_of`.
    """
    vaccines = sorted({vaccine for _, vaccine, *_ in doses})
    declined = sorted(rnd.sample(vaccines, 1)) if vaccines and rnd.random() < 0.03 else []
    given = []
    for _, vaccine, number, age, before, after in doses:
        target = add(birth, age)
        start, end = subtract(target, before), add(target, after)
        if start > as_of:
            continue
        draw = rnd.random()
        if vaccine in declined and draw > 0.2:
            continue
        if draw < 0.82:  # in the window
            last = min(end, as_of)
            day = start + dt.timedelta(days=rnd.randrange(0, (last - start).days + 1))
        elif draw < 0.9 and end < as_of:  # late: up to four months after the window closed
            last = min(end + dt.timedelta(days=120), as_of)
            day = end + dt.timedelta(days=rnd.randrange(1, (last - end).days + 1))
        else:
            continue  # not given (yet)
        given.append({"vaccine": vaccine, "dose": number, "date": day.isoformat()})
    return given, declined


def _responses(
    rnd: random.Random,
    birth: dt.date,
    as_of: dt.date,
    barnsakert_start: dt.date | None,
    schedules: dict[str, list[Any]],
    items: dict[str, list[str]],
) -> list[dict[str, Any]]:
    """Answers at occasions the programs have, dated on the visit's target (never after
    `as_of`), each with its respondent. BarnSäkert is answered only at a BVC that takes part,
    from its start on."""
    out = []
    occasions: list[tuple[str, str]] = []
    if "epds" in items and "rikshandboken" in schedules:
        occasions.append(("epds", "bvc_6_8_weeks"))
    if "barnsakert" in items and "barnsakert" in schedules and barnsakert_start is not None:
        occasions.extend(("barnsakert", v[0]) for v in schedules["barnsakert"])
    for instrument, visit_id in occasions:
        program = "rikshandboken" if instrument == "epds" else "barnsakert"
        visit = next((v for v in schedules[program] if v[0] == visit_id), None)
        if visit is None:
            continue
        target = add(birth, visit[1])
        if target > as_of or rnd.random() > 0.75:
            continue
        if instrument == "barnsakert" and barnsakert_start and target < barnsakert_start:
            continue  # the BVC had not started BarnSäkert yet
        occasion = visit_id
        same_as = visit[4]
        if same_as is not None and rnd.random() < 0.2:
            occasion = same_as[1]  # named by the ordinary visit it is the same contact as
        respondents = ["birthing_parent"]
        if instrument == "barnsakert" and rnd.random() < 0.3:
            respondents.append("other_parent")  # both parents answer, each on their own
        for respondent in respondents:
            out.append(
                {
                    "instrument": instrument,
                    "occasion": occasion,
                    "date": target.isoformat(),
                    "respondent": respondent,
                    "language": rnd.choices(["sv", "en", "ar", "so"], [84, 10, 5, 1])[0],
                    "answers": _answers(rnd, instrument, items[instrument]),
                }
            )
    return out


def _answers(rnd: random.Random, instrument: str, items: list[str]) -> dict[str, Any]:
    if instrument == "epds":
        answers: dict[str, Any] = {
            item: rnd.choices([0, 1, 2, 3], [60, 25, 10, 5])[0] for item in items
        }
    else:
        answers = {item: "yes" if rnd.random() < 0.07 else "no" for item in items}
    for item in list(answers):
        if rnd.random() < 0.02:
            answers[item] = None  # not answered
    return answers


#: Ways a journal export goes wrong; each keeps the record on one line.
CORRUPTIONS = [
    lambda case: {**case, "child": {**case["child"], "birth_date": "2024-02-30"}},
    lambda case: {**case, "municipality": 665},
    lambda case: {**case, "first_child": {"either_parent": "ja"}},
    lambda case: {**case, "postnummer": "123 45"},
    lambda case: {**case, "visits_done": [{"program": "vaggeryd", "visit": "newborn"}]},
    lambda case: json.dumps(case, ensure_ascii=False)[:-7],  # a cut-off line
]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=AS_OF)
    parser.add_argument("--corrupt", type=int, default=0, help="records to spoil")
    parser.add_argument("--corrupted-list", help="write the spoilt record numbers here")
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args(argv)
    spoil = set(random.Random(args.seed + 1).sample(range(1, args.count + 1), args.corrupt))
    engine = Engine.from_installed(env={})
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")  # noqa: SIM115
    try:
        for number, case in enumerate(families(args.count, args.seed, args.as_of, engine), 1):
            record: Any = case
            if number in spoil:
                record = CORRUPTIONS[number % len(CORRUPTIONS)](case)
            line = record if isinstance(record, str) else json.dumps(record, ensure_ascii=False)
            out.write(line + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    if args.corrupted_list:
        with open(args.corrupted_list, "w", encoding="utf-8") as listing:
            listing.write("".join(f"{n}\n" for n in sorted(spoil)))


if __name__ == "__main__":
    main()

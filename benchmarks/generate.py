"""Seeded synthetic families as NDJSON cases, for benchmarks and tests. Nothing here is real.

    python benchmarks/generate.py --count 100000 [--seed 1] [--as-of 2026-05-04]
                                  [--corrupt 30] [--corrupted-list FILE] [-o FILE]

Children are born over the six years before the as-of date. Families live in the seed
programmes' municipalities and at their BVCs (Vaggeryd, Nässjö, Göteborg, the Rinkeby spread,
the BarnSäkert BVCs of Sundsvall and Timrå) and, mostly, elsewhere. The first-child facts
follow Swedish birth statistics roughly (about 42 % of births are a first child) and agree
with each other: the first child in the municipality is a parent's first child whose family
did not move in after the birth. A journal often leaves some facts out, and so does this
generator. Visits are marked done for most visits whose window has passed; screening
questionnaires (EPDS at 6–8 weeks, BarnSäkert at its occasions once the family's BVC has
started) are answered at most occasions, each naming an occasion that exists (now and then
by the ordinary visit it is the same contact as), never after the as-of date, and every
response names its respondent (at BarnSäkert occasions now and then both parents answer).
Identity numbers are opaque reserve numbers, never a personnummer. The cases are valid,
references included (`check_case(case, as_of, engine=engine)`). `--corrupt N` spoils N
records in ways a journal export can (a bad date, a wrong type, an unknown key, a cut-off
line) and `--corrupted-list` names their numbers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections.abc import Iterator
from typing import Any

from hembesok.engine.engine import Engine
from hembesok.language.conditions import normalise_text
from hembesok.model.ages import add, subtract

AS_OF = dt.date(2026, 5, 4)

# (weight, municipality, listed BVC, area, the local programme whose visits the BVC records):
# where families live and are listed. The BarnSäkert BVCs are names of the program's sites
# (placeholders for each municipality's BVCs); "Nacksta BVC" is a Sundsvall BVC outside it.
PLACES: list[tuple[int, str, str | None, str | None, str | None]] = [
    (6, "Vaggeryd", "Vaggeryds vårdcentral BVC", None, "vaggeryd"),
    (6, "0665", None, None, "vaggeryd"),  # the municipality code, as some journals send it
    (8, "Nässjö", "Nässjö BVC", None, "nassjo"),
    (6, "Göteborg", "Närhälsan Opaltorget BVC", "Västra Göteborg", "goteborg"),
    (4, "Göteborg", "Närhälsan Hjällbo BVC", "Hjällbo", "goteborg"),
    (4, "Göteborg", "Gårdsten BVC", "Angered", "goteborg"),
    (3, "Göteborg", "Närhälsan Biskopsgården BVC", "Västra Hisingen", "goteborg"),
    (3, "Göteborg", "Närhälsan Opaltorget BVC", "Majorna-Linné", "goteborg"),
    (4, "Göteborg", "Närhälsan Majorna BVC", "Majorna-Linné", None),
    (6, "Stockholm", "Rinkeby BVC", "Rinkeby-Kista", "rinkeby"),
    (3, "Stockholm", "Rågsved BVC", "Enskede-Årsta-Vantör", "rinkeby"),
    (3, "Stockholm", "Skärholmen BVC", "Skärholmen", "rinkeby"),
    (3, "Botkyrka", "Fittja BVC", "Fittja", "rinkeby"),
    (8, "Stockholm", "Södermalm BVC", "Södermalm", None),
    (6, "Sundsvall", "Sundsvall BVC", None, "barnsakert"),
    (2, "Sundsvall", "Nacksta BVC", None, None),
    (3, "Timrå", "Timrå BVC", None, "barnsakert"),
    (2, "Härnösand", "Härnösand BVC", None, None),
    (10, "Jönköping", "Råslätt BVC", None, None),
    (10, "Malmö", "Rosengård BVC", None, None),
    (10, "Uppsala", "Gottsunda BVC", None, None),
    (6, "Umeå", "Ålidhem BVC", None, None),
    (5, "Linköping", "Skäggetorp BVC", None, None),
]
WEIGHTS = [p[0] for p in PLACES]


def families(count: int, seed: int, as_of: dt.date, engine: Engine) -> Iterator[dict[str, Any]]:
    """`count` cases, the same for the same seed, as-of date and installed programs."""
    rnd = random.Random(seed)
    schedules = {
        pid: [(v.id, v.age, v.before, v.after, v.same_as) for v in p.schedule]
        for pid, p in sorted(engine.programs.items())
    }
    items = {iid: list(inst.items) for iid, inst in sorted(engine.instruments.items())}
    starts = _barnsakert_starts(engine)
    for number in range(1, count + 1):
        yield _family(rnd, number, as_of, schedules, items, starts)


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


def _family(
    rnd: random.Random,
    number: int,
    as_of: dt.date,
    schedules: dict[str, list[Any]],
    items: dict[str, list[str]],
    starts: dict[str, dt.date],
) -> dict[str, Any]:
    birth = as_of - dt.timedelta(days=rnd.randrange(0, 6 * 365))
    _, municipality, bvc, area, local = rnd.choices(PLACES, WEIGHTS)[0]
    case: dict[str, Any] = {
        "case_ref": f"bench-{number:07d}",
        "child": {"birth_date": birth.isoformat()},
    }
    if rnd.random() < 0.3:
        case["child"]["identifier"] = {
            "system": "urn:oid:1.2.752.29.4.3.2",  # a reserve-number system; opaque values
            "value": f"R{rnd.randrange(10**9):09d}",
        }
    if rnd.random() < 0.1:
        case["child"]["gestational_age"] = {"weeks": rnd.randint(28, 36), "days": rnd.randint(0, 6)}
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
    done = _visits_done(rnd, birth, as_of, {p: schedules[p] for p in sorted(registered)})
    if done:
        case["visits_done"] = done
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
    rnd: random.Random, birth: dt.date, as_of: dt.date, schedules: dict[str, list[Any]]
) -> list[dict[str, str]]:
    done = []
    for program, visits in schedules.items():
        for visit_id, age, before, after, _ in visits:
            target = add(birth, age)
            start, end = subtract(target, before), add(target, after)
            if start > as_of or rnd.random() > 0.85:
                continue
            last = min(end, as_of)
            day = start + dt.timedelta(days=rnd.randrange(0, (last - start).days + 1))
            done.append({"program": program, "visit": visit_id, "date": day.isoformat()})
    return done


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

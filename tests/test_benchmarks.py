"""benchmarks/: the generator is seeded and valid, and the hand-written rules of every
bundled programme give exactly the engine's answers (correctness, not speed).

`handwritten.decide` must equal `Engine.decide` (status and missing facts per programme)
and `handwritten.plan` the compact plan of `Engine.evaluate` (decisions, visits with their
dates, statuses and age basis, replaced visits, vaccine doses with their dates and
statuses, screening occasions and flags), down to the bytes orjson writes: on generated
families at several as-of dates (leap days among the births and the as-of dates), on
variations the generator does not make (names in other spellings, responses matched by
window, a second parent answering, other form languages, gestational ages at the limits,
doses recorded twice, vaccines declined), and on every example in the program files.
"""

import calendar
import copy
import datetime as dt
import importlib.util
import io
import json
import random
import sys
from contextlib import redirect_stdout
from pathlib import Path

import orjson
import pytest

from hembesok import check_case
from hembesok.engine.engine import Engine
from hembesok.io import schemas as schema_store
from hembesok.language.conditions import normalise_text
from hembesok.model import ages
from hembesok.model.case import Case
from hembesok.render.compact import compact

BENCHMARKS = Path(__file__).parents[1] / "benchmarks"


def load(name):
    spec = importlib.util.spec_from_file_location(f"benchmarks_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


generate = load("generate")
handwritten = load("handwritten")
ENGINE = Engine.from_installed(env={})

# (seed, as-of date, families, leap-day twins): 2019 and 2020 cover Rinkeby's and
# Göteborg's 2018/2019 site starts and Nässjö's 2020-09-01 start; 2023-02-28 is before
# Timrå's BarnSäkert start and after Sundsvall's; 2020-02-29 and 2024-02-29 are leap days;
# 2023-08-15 is weeks after Växa tryggt's placeholder CNI change of 2023-07-01, with its
# newborns' visits open.
SETS = [
    (1, dt.date(2026, 5, 4), 1500, False),
    (2, dt.date(2019, 3, 1), 700, True),
    (3, dt.date(2020, 2, 29), 700, True),
    (4, dt.date(2024, 2, 29), 700, True),
    (5, dt.date(2023, 2, 28), 500, False),
    (7, dt.date(2028, 3, 1), 500, False),
    (8, dt.date(2023, 8, 15), 500, False),
]
VACCINES = sorted({d.vaccine for p in ENGINE.programs.values() for d in p.vaccinations})


def engine_answers(case, as_of):
    parsed = Case.from_dict(case)
    decisions = {
        pid: (d.status, d.missing_facts) for pid, d in ENGINE.decide(parsed, as_of).items()
    }
    return decisions, compact(ENGINE.evaluate(parsed, as_of))


def assert_agrees(case, as_of):
    decisions, plan = engine_answers(case, as_of)
    where = f"{case.get('case_ref')} on {as_of}"
    by_hand = handwritten.decide(case, as_of)
    assert by_hand == decisions, where
    assert orjson.dumps(by_hand) == orjson.dumps(decisions), where
    planned = handwritten.plan(case, as_of)
    assert planned == plan, where
    assert orjson.dumps(planned) == orjson.dumps(plan), where
    return plan


def latest_leap_day(day):
    year = day.year if (day.month, day.day) >= (2, 29) else day.year - 1
    while not calendar.isleap(year):
        year -= 1
    return dt.date(year, 2, 29)


def born_on(case, day):
    """The same family with every date moved by as many days as makes the child born on `day`."""
    shift = day - dt.date.fromisoformat(case["child"]["birth_date"])

    def move(text):
        return (dt.date.fromisoformat(text) + shift).isoformat()

    out = copy.deepcopy(case)
    out["case_ref"] += f"-born-{day}"
    out["child"]["birth_date"] = day.isoformat()
    if "moved_in_on" in out:
        out["moved_in_on"] = move(out["moved_in_on"])
    for record in (
        *out.get("visits_done", ()),
        *out.get("vaccinations_done", ()),
        *out.get("responses", ()),
    ):
        record["date"] = move(record["date"])
    return out


SPELLINGS = {
    "Vaggeryd": ["  VAGGERYD ", "vaggeryds kommun", "vaggeryd"],
    "Nässjö": ["Na\u0308ssjo\u0308", "NÄSSJÖ KOMMUN", "0682", "nassjo"],
    "Sundsvall": ["sundsvall ", "2281", "Sundsvalls kommun"],
    "Timrå": ["Timra", "TIMRÅ KOMMUN", "2262"],
    "Göteborg": ["Göteborg"],
    "Jönköping": ["JÖNKÖPING", "0680", "jönköpings kommun", "Jonkoping"],
    "Värnamo": ["0683", " Värnamo kommun"],
    "Kommun X (platshållare)": ["kommun x", "KOMMUN_X", "Kommun Z"],
    "Kommun W (platshållare)": ["Kommun W", " kommun w (platshållare)", "Malmö"],
}
BVC_SPELLINGS = [
    "Rinkeby",
    "bvc rinkeby",
    "Opaltorget",
    "ostra_goteborg",
    "Östra Göteborg",
    "bvc e",
    " BVC_C ",
    "BVC A",
    "BVC Q (ej listad)",
    "Kommun Y",
]
GESTATIONAL_AGES = [
    {"weeks": 22},
    {"weeks": 25, "days": 3},
    {"weeks": 36, "days": 6},
    {"weeks": 37},
    {"weeks": 40, "days": 0},
    {"weeks": 44, "days": 6},
]


def vary(case, rnd):
    """A few of the changes a journal may send that the generator does not make."""
    out = copy.deepcopy(case)
    out["case_ref"] += "-varied"
    if out.get("municipality") in SPELLINGS and rnd.random() < 0.5:
        out["municipality"] = rnd.choice(SPELLINGS[out["municipality"]])
    if rnd.random() < 0.1:
        out["municipality"] = rnd.choice(["Härnösand", "Kramfors kommun", "2284", "Ånge"])
    if "listed_bvc" in out and rnd.random() < 0.2:
        out["listed_bvc"] = rnd.choice(BVC_SPELLINGS)
    if rnd.random() < 0.1:
        out["area"] = rnd.choice([" angered", "ÖSTRA GÖTEBORG", "Tynnered"])
    first = out.get("first_child")
    if first and rnd.random() < 0.3:
        first.pop("either_parent", None)  # then it may follow from both/birthing parent
    if rnd.random() < 0.1:
        out["declined"] = rnd.sample(handwritten.PROGRAM_IDS, rnd.randint(1, 2))
    if rnd.random() < 0.1:  # at the limits of the schema and of corrected age
        out["child"]["gestational_age"] = dict(rnd.choice(GESTATIONAL_AGES))
    elif "gestational_age" in out["child"] and rnd.random() < 0.1:
        del out["child"]["gestational_age"]
    given = out.get("vaccinations_done")
    if given and rnd.random() < 0.2:  # a dose recorded twice: the later record counts
        again = dict(rnd.choice(given))
        again["date"] = rnd.choice(given)["date"]
        given.append(again)
    if rnd.random() < 0.1:
        out["vaccinations_declined"] = rnd.sample(VACCINES, rnd.randint(1, 2))
    responses = out.get("responses", [])
    for response in list(responses):
        if rnd.random() < 0.4:
            del response["occasion"]  # matched by its date inside the visit's window
        if rnd.random() < 0.2:
            response["language"] = rnd.choice(["fr", "ar", "en", "de"])
        options = ["yes", "no"] if response["instrument"] == "barnsakert" else [0, 1, 2, 3]
        if rnd.random() < 0.3:  # the other parent answers too, or someone unnamed
            other = copy.deepcopy(response)
            if rnd.random() < 0.5:
                other["respondent"] = "other_parent"
            else:
                del other["respondent"]
            other["answers"] = {item: rnd.choice([*options, None]) for item in other["answers"]}
            responses.append(other)
        if rnd.random() < 0.15:  # answered again on the same day, differently
            again = copy.deepcopy(response)
            again["answers"] = {item: rnd.choice(options) for item in again["answers"]}
            responses.append(again)
    rnd.shuffle(responses)
    return out


BVC_C = ENGINE.programs["vaxa_tryggt"].sites.find("BVC C")
CNI_CHANGE = dt.date(2023, 7, 1)  # BVC C's placeholder CNI: 1.42 before, 1.21 from then


def test_hand_written_rules_agree_with_the_engine_on_generated_families():
    rnd = random.Random(11)
    checked = skipped = 0
    seen = {
        "decision": set(),
        "visit": set(),
        "occasion": set(),
        "change": set(),
        "open": 0,
        "dose": set(),
        "given": 0,
        "basis": set(),
        "replaced_by": set(),
        "cni": set(),
        "offered": set(),
    }
    for seed, as_of, count, twins in SETS:
        for case in generate.families(count, seed, as_of, ENGINE):
            variants = [case, vary(case, rnd)]
            if twins:
                birth = dt.date.fromisoformat(case["child"]["birth_date"])
                variants.append(born_on(case, latest_leap_day(birth)))
            if as_of.month == 2 and as_of.day == 29 and rnd.random() < 0.02:
                newborn = born_on(case, as_of)  # born on the as-of leap day
                for key in ("visits_done", "vaccinations_done", "responses", "moved_in_on"):
                    newborn.pop(key, None)
                variants.append(newborn)
            for variant in variants:
                if check_case(variant, as_of):
                    skipped += 1
                    continue
                plan = assert_agrees(variant, as_of)
                checked += 1
                programs = {program["id"]: program for program in plan["programs"]}
                for program in plan["programs"]:
                    seen["decision"].add((program["id"], program["status"]))
                    for visit in program.get("visits", ()):
                        seen["visit"].add(visit["status"])
                        seen["basis"].add((visit["id"], visit.get("basis")))
                        if "replaced_by" in visit:
                            seen["replaced_by"].add(visit["replaced_by"]["program"])
                    for dose in program.get("vaccinations", ()):
                        seen["dose"].add(dose["status"])
                        seen["given"] += "given_on" in dose
                    for occasion in program.get("screenings", ()):
                        seen["occasion"].add(occasion["status"])
                        for result in occasion["results"]:
                            seen["change"].update(result.get("flagged", {}).values())
                            seen["change"].update("resolved" for _ in result.get("resolved", ()))
                            seen["open"] += bool(result.get("undetermined"))
                county = programs["jonkopings_lan"]
                if "visits" in county:
                    offered = tuple(v["id"] for v in county["visits"])
                    seen["offered"].add(("municipality" in variant, offered))
                bvc = variant.get("listed_bvc")
                if bvc is not None and normalise_text(bvc) in BVC_C.keys:
                    born = dt.date.fromisoformat(variant["child"]["birth_date"])
                    skane = programs["vaxa_tryggt"]
                    if variant.get("first_child", {}).get("birthing_parent") is True:
                        seen["cni"].add((born >= CNI_CHANGE, skane["status"]))
    assert checked >= 9000 and skipped < checked / 20, (checked, skipped)
    # The families exercise every rule: each outcome of each programme, every visit status.
    for pid in handwritten.PROGRAM_IDS:
        if pid == "rikshandboken":
            continue  # every child
        for status in ("eligible", "not_eligible", "undetermined"):
            assert (pid, status) in seen["decision"], (pid, status)
    assert seen["visit"] == {
        "done",
        "replaced",
        "declined",
        "not_offered",
        "upcoming",
        "due",
        "missed",
    }
    assert {"done", "upcoming", "missed"} <= seen["occasion"]
    assert {"first", "new", "persisting", "resolved", "no_comparison"} <= seen["change"]
    assert seen["open"] > 50
    # Every dose status; the corrected checks counted from both ages; every local
    # programme taking over the national home visits.
    assert seen["dose"] == {"done", "declined", "upcoming", "due", "missed", "not_started"}
    assert seen["given"] > 1000
    corrected = handwritten.CORRECTED["rikshandboken"]
    assert {(v, b) for v, b in seen["basis"] if v in corrected} == {
        (v, b) for v in corrected for b in (None, "corrected")
    }
    assert {b for v, b in seen["basis"] if v not in corrected} == {None}
    assert seen["replaced_by"] == set(handwritten.LOCAL_REPLACING)
    # Jönköping plans only the visit the family's municipality offers; with no
    # municipality sent, both (provisionally). Växa tryggt's BVC C covers first-time
    # mothers born before its CNI fell below 1.3, and not those born after.
    assert seen["offered"] == {(True, ("newborn",)), (False, ("newborn", "eight_months"))}
    assert {(False, "eligible"), (True, "not_eligible")} <= seen["cni"]


@pytest.mark.parametrize("pid", sorted(ENGINE.programs))
def test_hand_written_rules_agree_with_the_engine_on_the_program_examples(pid):
    examples = ENGINE.programs[pid].definition.get("examples", ())
    assert examples
    for example in examples:
        as_of = dt.date.fromisoformat(example["as_of"])
        assert not check_case(example["case"], as_of), example["name"]
        assert_agrees({"case_ref": example["name"], **example["case"]}, as_of)


def test_hand_written_constants_are_the_program_files():
    """What the hand-written rules copy from the files: sites (with their data over time
    and the visits they offer), schedules, corrected age, vaccine doses, replacements,
    instruments."""
    programs = ENGINE.programs
    assert tuple(programs) == handwritten.PROGRAM_IDS  # the engine's order, kept in plans
    for pid, program in programs.items():
        assert handwritten.HEADERS[pid] == (program.version, program.sha256[:12])
        schedule = [
            (
                v.id,
                (v.age.total_months, v.age.total_days),
                (v.before.total_months, v.before.total_days),
                (v.after.total_months, v.after.total_days),
            )
            for v in program.schedule
        ]
        assert schedule == list(handwritten.SCHEDULES[pid]), pid
    tables = {
        "barnsakert": handwritten.BARNSAKERT_SITES,
        "goteborg": handwritten.GOTEBORG_SITES,
        "rinkeby": handwritten.RINKEBY_SITES,
    }
    for pid, table in tables.items():
        by_key = programs[pid].evaluator._sites.by_key
        expected = {k: handwritten.PLANNED if s.planned else s.start for k, s in by_key.items()}
        assert table == expected, pid
    for pid, keys in (
        ("nassjo", handwritten.NASSJO_SITES),
        ("vaggeryd", handwritten.VAGGERYD_SITES),
    ):
        sites = programs[pid].sites.sites
        assert all(s.start is None and s.end is None and not s.planned for s in sites)
        assert keys == frozenset().union(*(s.keys for s in sites)), pid
    assert all(s.end is None for p in programs.values() if p.sites for s in p.sites.sites)
    # Which case facts name a site, in order, as the hand-written functions read them.
    assert {pid: p.sites.match for pid, p in programs.items() if p.sites} == {
        "barnsakert": ("listed_bvc",),
        "goteborg": ("listed_bvc",),
        "jonkopings_lan": ("municipality",),
        "nassjo": ("municipality",),
        "rinkeby": ("listed_bvc",),
        "vaggeryd": ("municipality",),
        "vaxa_tryggt": ("listed_bvc", "municipality"),
    }
    assert {
        pid for pid, p in programs.items() if p.sites and p.sites.applies_by != "birth_date"
    } == {"barnsakert"}
    assert programs["barnsakert"].sites.applies_by == "visit_date"
    # Where the BVC-matched programmes' sites lie: a family with no BVC sent, living
    # elsewhere, is not eligible.
    for pid, places in (
        ("barnsakert", handwritten.BARNSAKERT_PLACES),
        ("goteborg", handwritten.GOTEBORG_PLACES),
        ("rinkeby", handwritten.RINKEBY_PLACES),
    ):
        sites = programs[pid].sites.sites
        assert all(s.municipality for s in sites), pid
        assert places == frozenset(normalise_text(s.municipality) for s in sites), pid
    # Jönköpings län: municipalities, each with the visits it offers, all the time.
    county = programs["jonkopings_lan"].sites.sites
    assert all(s.start is None and s.end is None and not s.planned for s in county)
    assert not programs["jonkopings_lan"].sites.attributes
    expected = {}
    for site in county:
        for key in site.keys:
            expected.setdefault(key, site.visits)
    assert {k: frozenset(v) for k, v in handwritten.JONKOPING_SITES.items()} == expected
    assert {
        pid
        for pid, p in programs.items()
        if p.sites and any(s.visits is not None for s in p.sites.sites)
    } == {"jonkopings_lan"}
    # Växa tryggt: its sites' CNI periods and vulnerable municipality, the attributes'
    # defaults, where the sites lie (a municipality site in itself), the CNI limit.
    skane = programs["vaxa_tryggt"]
    assert all(
        s.start is None and s.end is None and not s.planned and s.visits is None
        for s in skane.sites.sites
    )
    attributes = skane.sites.attributes
    assert {a: attributes[a].default for a in attributes} == {
        "cni": None,
        "particularly_vulnerable": False,
    }
    expected = {}
    for site in skane.sites.sites:
        assert set(site.attributes) <= {"cni", "particularly_vulnerable"}
        vulnerable = site.attributes.get("particularly_vulnerable", ())
        # for all time: the hand-written table keeps one value
        assert len(vulnerable) <= 1 and all(f is t is None for _, f, t in vulnerable)
        for key in site.keys:
            expected.setdefault(
                key,
                (
                    tuple(site.attributes.get("cni", ())),
                    vulnerable[0][0] if vulnerable else None,
                ),
            )
    assert expected == handwritten.VAXA_SITES
    assert (
        frozenset(
            key
            for s in skane.sites.sites
            for key in ((normalise_text(s.municipality),) if s.municipality else s.keys)
        )
        == handwritten.VAXA_PLACES
    )
    rules = skane.definition["eligibility"]["all"]
    assert [r.get("fact") for r in rules] == ["first_child.birthing_parent", None]
    assert [(r["fact"], *r.keys() - {"fact", "label"}) for r in rules[1]["any"]] == [
        ("site.cni", "greater_than"),
        ("site.particularly_vulnerable", "equals"),
    ]
    assert rules[1]["any"][0]["greater_than"] == handwritten.VAXA_CNI_ABOVE
    assert {pid for pid, p in programs.items() if p.sites and p.sites.attributes} == {"vaxa_tryggt"}
    assert {pid: p.valid_from for pid, p in programs.items() if p.valid_from} == {
        "nassjo": handwritten.NASSJO_VALID_FROM,
        "vaxa_tryggt": handwritten.VAXA_VALID_FROM,
    }
    assert {p.valid_to for p in programs.values()} == {None}
    assert {
        v.id: v.same_as[1] for v in programs["barnsakert"].schedule
    } == handwritten.BARNSAKERT_SAME_AS
    # Replacements: the programmes that replace, last planned first, and what.
    assert (
        tuple(reversed([pid for pid, p in programs.items() if p.replaces]))
        == handwritten.LOCAL_REPLACING
    )
    for pid in handwritten.LOCAL_REPLACING:
        replaces = {(r.program, r.visit): r.by for r in programs[pid].replaces}
        assert replaces == {("rikshandboken", k): v for k, v in handwritten.REPLACED.items()}
    # Corrected age: which visits may count from it, below which gestational age, until
    # which age; term at 40+0.
    for pid, program in programs.items():
        corrected = {v.id for v in program.schedule if v.corrected}
        assert corrected == handwritten.CORRECTED.get(pid, set()), pid
    limit = programs["rikshandboken"].corrected_age
    assert (limit.below.total_months, limit.below.total_days) == (
        0,
        handwritten.CORRECTED_BELOW_DAYS,
    )
    assert (limit.until.total_months, limit.until.total_days) == (
        handwritten.CORRECTED_UNTIL_MONTHS,
        0,
    )
    assert handwritten.TERM_DAYS == ages.TERM_DAYS
    # Vaccine doses: id, vaccine, dose number, age and window, per programme.
    for pid, program in programs.items():
        doses = [
            (
                d.id,
                d.vaccine,
                d.number,
                (d.age.total_months, d.age.total_days),
                (d.before.total_months, d.before.total_days),
                (d.after.total_months, d.after.total_days),
            )
            for d in program.vaccinations
        ]
        assert doses == list(handwritten.DOSES.get(pid, ())), pid
        starts = {d.id: d.course_start for d in program.vaccinations if d.course_start}
        assert starts == handwritten.COURSE_STARTS.get(pid, {}), pid
    assert [(s.instrument, s.visits) for s in programs["rikshandboken"].screening] == [
        ("epds", handwritten.EPDS_AT)
    ]
    assert [(s.instrument, s.visits) for s in programs["barnsakert"].screening] == [
        ("barnsakert", handwritten.BARNSAKERT_AT)
    ]
    epds, barnsakert = ENGINE.instruments["epds"], ENGINE.instruments["barnsakert"]
    assert [(i, epds.items[i].scores) for i, _ in handwritten.EPDS_SCORES] == list(
        handwritten.EPDS_SCORES
    )
    assert [d.id for d in epds.domains] == ["depression", "self_harm"]
    assert epds.domains[0].by_language == handwritten.EPDS_THRESHOLD
    assert epds.domains[0].threshold is None and epds.items["epds_10"].positive_from_score == 1
    assert [(d.id, d.items) for d in barnsakert.domains] == list(handwritten.BARNSAKERT_DOMAINS)
    assert {(d.rule, d.max_missing) for d in barnsakert.domains} == {("any_positive", 0)}
    assert {(i.type, i.positive_answer) for i in barnsakert.items.values()} == {("yes_no", "yes")}


def test_generated_families_are_valid_cases_and_the_same_for_the_same_seed():
    first = list(generate.families(300, 3, dt.date(2026, 5, 4), ENGINE))
    again = list(generate.families(300, 3, dt.date(2026, 5, 4), ENGINE))
    other = list(generate.families(300, 4, dt.date(2026, 5, 4), ENGINE))
    assert first == again and first != other
    validator = schema_store.validator("case")
    assert all(validator.is_valid(case) for case in first)
    assert sum("responses" in case for case in first) > 100
    assert sum("visits_done" in case for case in first) > 150
    assert {case.get("municipality") for case in first} >= {"Vaggeryd", "Nässjö", "Göteborg"}


def test_generated_families_cover_the_new_parts_and_are_sound_for_the_engine():
    """Gestational ages on both sides of corrected age's limit, doses given in their
    window, late and not at all, vaccines declined, Växa tryggt's placeholder BVCs and
    municipalities with births on both sides of BVC C's CNI change, and the municipalities
    of Jönköpings län; every case valid, what it names included."""
    as_of = dt.date(2026, 5, 4)
    cases = list(generate.families(3000, 1, as_of, ENGINE))
    assert [p for case in cases for p in check_case(case, as_of, engine=ENGINE)] == []
    weeks = [
        c["child"]["gestational_age"]["weeks"] for c in cases if "gestational_age" in c["child"]
    ]
    assert sum(w < 37 for w in weeks) > 100 and sum(w >= 37 for w in weeks) > 500
    doses = {(d.vaccine, d.number): d for d in ENGINE.programs["rikshandboken"].vaccinations}
    timing = {"in the window": 0, "late": 0}
    for case in cases:
        birth = dt.date.fromisoformat(case["child"]["birth_date"])
        for given in case.get("vaccinations_done", ()):
            dose = doses[(given["vaccine"], given["dose"])]
            start = ages.subtract(ages.add(birth, dose.age), dose.before)
            end = ages.add(ages.add(birth, dose.age), dose.after)
            day = dt.date.fromisoformat(given["date"])
            assert start <= day <= as_of
            timing["in the window" if day <= end else "late"] += 1
    assert timing["in the window"] > 10_000 and timing["late"] > 500, timing
    assert sum("vaccinations_declined" in case for case in cases) > 40
    skane = ENGINE.programs["vaxa_tryggt"].sites

    def site_id(sites, *values):
        found = next((s for s in map(sites.find, values) if s is not None), None)
        return found and found.id

    at_sites = {site_id(skane, c.get("listed_bvc"), c.get("municipality")) for c in cases}
    assert at_sites >= {s.id for s in skane.sites}
    births = {
        born >= CNI_CHANGE
        for c in cases
        for born in (dt.date.fromisoformat(c["child"]["birth_date"]),)
        if site_id(skane, c.get("listed_bvc")) == BVC_C.id and abs((born - CNI_CHANGE).days) <= 42
    }
    assert births == {False, True}
    county = ENGINE.programs["jonkopings_lan"].sites
    in_county = {site_id(county, c.get("municipality")) for c in cases}
    assert in_county >= {s.id for s in county.sites}


def test_corrupted_records_are_listed_and_invalid(tmp_path):
    out, listing = tmp_path / "cases.ndjson", tmp_path / "bad.txt"
    with redirect_stdout(io.StringIO()):
        generate.main(
            ["--count", "400", "--corrupt", "12", "--corrupted-list", str(listing), "-o", str(out)]
        )
    bad = [int(n) for n in listing.read_text().split()]
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 400 and len(bad) == 12
    validator = schema_store.validator("case")
    for number, line in enumerate(lines, 1):
        try:
            valid = validator.is_valid(json.loads(line))
        except json.JSONDecodeError:
            valid = False
        assert valid == (number not in bad), number

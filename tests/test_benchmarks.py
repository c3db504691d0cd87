"""benchmarks/: the generator is seeded and valid, and the hand-written rules of every
bundled programme give exactly the engine's answers (correctness, not speed).

`handwritten.decide` must equal `Engine.decide` (status and missing facts per programme)
and `handwritten.plan` the compact plan of `Engine.evaluate`, down to the bytes orjson
writes: on generated families at several as-of dates (leap days among the births and the
as-of dates), on variations the generator does not make (names in other spellings,
responses matched by window, a second parent answering, other form languages), and on
every example in the program files.
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
# Timrå's BarnSäkert start and after Sundsvall's; 2020-02-29 and 2024-02-29 are leap days.
SETS = [
    (1, dt.date(2026, 5, 4), 1500, False),
    (2, dt.date(2019, 3, 1), 700, True),
    (3, dt.date(2020, 2, 29), 700, True),
    (4, dt.date(2024, 2, 29), 700, True),
    (5, dt.date(2023, 2, 28), 500, False),
    (7, dt.date(2028, 3, 1), 500, False),
]


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
    for record in (*out.get("visits_done", ()), *out.get("responses", ())):
        record["date"] = move(record["date"])
    return out


SPELLINGS = {
    "Vaggeryd": ["  VAGGERYD ", "vaggeryds kommun", "vaggeryd"],
    "Nässjö": ["Na\u0308ssjo\u0308", "NÄSSJÖ KOMMUN", "0682", "nassjo"],
    "Sundsvall": ["sundsvall ", "2281", "Sundsvalls kommun"],
    "Timrå": ["Timra", "TIMRÅ KOMMUN", "2262"],
    "Göteborg": ["Göteborg"],
}
BVC_SPELLINGS = ["Rinkeby", "bvc rinkeby", "Opaltorget", "ostra_goteborg", "Östra Göteborg"]


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


#: The hand-written rules of benchmarks/handwritten.py predate the programme data of issue
#: 12 (doses, corrected age, Växa tryggt, Jönköping's model); until they are written anew
#: they cannot agree, and these checks are expected to fail (strict: they must lose this
#: mark when they pass).
NOT_YET_REWRITTEN = pytest.mark.xfail(
    strict=True, reason="benchmarks/handwritten.py not yet rewritten for the issue 12 data"
)


@NOT_YET_REWRITTEN
def test_hand_written_rules_agree_with_the_engine_on_generated_families():
    rnd = random.Random(11)
    checked = 0
    seen = {"decision": set(), "visit": set(), "occasion": set(), "change": set(), "open": 0}
    for seed, as_of, count, twins in SETS:
        for case in generate.families(count, seed, as_of, ENGINE):
            variants = [case, vary(case, rnd)]
            if twins:
                birth = dt.date.fromisoformat(case["child"]["birth_date"])
                variants.append(born_on(case, latest_leap_day(birth)))
            if as_of.month == 2 and as_of.day == 29 and rnd.random() < 0.02:
                newborn = born_on(case, as_of)  # born on the as-of leap day
                for key in ("visits_done", "responses", "moved_in_on"):
                    newborn.pop(key, None)
                variants.append(newborn)
            for variant in variants:
                if check_case(variant, as_of):
                    continue
                plan = assert_agrees(variant, as_of)
                checked += 1
                for program in plan["programs"]:
                    seen["decision"].add((program["id"], program["status"]))
                    seen["visit"].update(v["status"] for v in program.get("visits", ()))
                    for occasion in program.get("screenings", ()):
                        seen["occasion"].add(occasion["status"])
                        for result in occasion["results"]:
                            seen["change"].update(result.get("flagged", {}).values())
                            seen["change"].update("resolved" for _ in result.get("resolved", ()))
                            seen["open"] += bool(result.get("undetermined"))
    assert checked >= 4000
    # The families exercise every rule: each outcome of each programme, every visit status.
    for pid in ("barnsakert", "goteborg", "nassjo", "rinkeby", "vaggeryd"):
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


@NOT_YET_REWRITTEN
@pytest.mark.parametrize("pid", sorted(ENGINE.programs))
def test_hand_written_rules_agree_with_the_engine_on_the_program_examples(pid):
    examples = ENGINE.programs[pid].definition.get("examples", ())
    assert examples
    for example in examples:
        as_of = dt.date.fromisoformat(example["as_of"])
        assert not check_case(example["case"], as_of), example["name"]
        assert_agrees({"case_ref": example["name"], **example["case"]}, as_of)


@NOT_YET_REWRITTEN
def test_hand_written_constants_are_the_program_files():
    """What the hand-written rules copy from the files: sites, schedules, replacements."""
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
    assert programs["barnsakert"].sites.applies_by == "visit_date"
    assert programs["nassjo"].valid_from == handwritten.NASSJO_VALID_FROM
    assert {p.valid_from for pid, p in programs.items() if pid != "nassjo"} == {None}
    assert {p.valid_to for p in programs.values()} == {None}
    assert {
        v.id: v.same_as[1] for v in programs["barnsakert"].schedule
    } == handwritten.BARNSAKERT_SAME_AS
    for pid in handwritten.LOCAL_REPLACING:
        replaces = {(r.program, r.visit): r.by for r in programs[pid].replaces}
        assert replaces == {("rikshandboken", k): v for k, v in handwritten.REPLACED.items()}
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

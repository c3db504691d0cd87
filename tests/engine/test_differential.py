"""The compiled path and the interpreted reference give the same answers, to the byte.

`Engine.from_installed()` decides each program with generated Python, plans visits with
`ProgramEvaluator.visits` and scores with the prepared `Scorer`; `Engine.from_plugins(...,
interpret=True)` sends every program through pluggy to the built-in declarative plugin,
which interprets the condition tree with its trace, plans visits generically and scores
with `scoring.score`. For a case, both must give the same plan JSON and the same compact
plan; the compiled plan written by `PlanWriter` must be the bytes the standard library
writes for the reference plan; `decide` must give the decisions of the plan; and each
decision's trace (what `hembesok explain` shows) must be the same.

The cases: over 100 000 generated families (benchmarks/generate.py, with variations it
does not make) at several as-of dates, planned in forked worker processes where the
platform forks (all checks on every case but the bytes, every third case, and the
traces, every tenth, to stay near a minute on two cores); the program files' examples;
a hypothesis strategy that builds schema-valid cases from scratch (every check on every
case); and a check that the two paths really are different code.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import gc
import importlib.util
import json
import multiprocessing
import os
import random
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hembesok import check_case
from hembesok.engine.engine import Engine
from hembesok.io.json_text import standard_dumps
from hembesok.language.conditions import Trace
from hembesok.model import ages
from hembesok.model.case import Case
from hembesok.plugins import declarative
from hembesok.plugins.manager import make_plugin_manager
from hembesok.render.compact import compact
from hembesok.render.plan_json import PlanWriter

D = dt.date
BENCHMARKS = Path(__file__).parents[2] / "benchmarks"
PROGRAM_IDS = ("barnsakert", "goteborg", "nassjo", "rikshandboken", "rinkeby", "vaggeryd")
VISIT_STATUSES = {
    "done",
    "replaced",
    "declined",
    "not_offered",
    "upcoming",
    "due",
    "missed",
}
FIRST_CHILD = (
    "either_parent",
    "both_parents",
    "birthing_parent",
    "born_in_sweden",
    "in_municipality",
)
LANGUAGES = ("sv", "en", "ar", "fr", "de")


def _load_generator() -> Any:
    """benchmarks/generate.py as a module (the same name tests/test_benchmarks.py uses)."""
    name = "benchmarks_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


generate = _load_generator()


@functools.cache
def engines() -> SimpleNamespace:
    """The two engines over the same installed plugins, and what the cases are built from."""
    compiled = Engine.from_installed(env={})
    reference = Engine.from_plugins(make_plugin_manager(env={}), interpret=True)
    assert tuple(compiled.programs) == tuple(reference.programs) == PROGRAM_IDS
    return SimpleNamespace(
        compiled=compiled,
        reference=reference,
        writer=PlanWriter(),
        names=site_names(compiled),
        places=site_places(compiled),
        schedules={
            pid: [(v.id, v.age, v.before, v.after, v.same_as) for v in p.schedule]
            for pid, p in compiled.programs.items()
        },
        items={iid: dict(inst.items) for iid, inst in compiled.instruments.items()},
        boundaries=boundaries(compiled),
    )


def site_names(engine: Engine) -> dict[str, list[str]]:
    """Every name, id and alias of the bundled programs' sites, by the fact they match,
    and the areas named by eligibility rules, each also in another case and spacing."""
    found: dict[str, set[str]] = {"municipality": set(), "listed_bvc": set(), "area": set()}
    for program in engine.programs.values():
        definition = program.definition
        if "sites" in definition:
            fact = definition["sites"]["match"]
            for site in definition["sites"]["list"]:
                found[fact].update((site["id"], site["name"], *site.get("aliases", ())))
                if "district" in site:
                    found["area"].add(site["district"].split(",")[0])
        found["area"].update(_rule_values(definition["eligibility"], "area"))
    out = {}
    for fact, names in found.items():
        plain = sorted(names)
        out[fact] = [
            *plain,
            *(f"  {n.upper()} " for n in plain[::3]),
            *(n.lower() for n in plain[1::3]),
            *(unicodedata.normalize("NFD", n) for n in plain if not n.isascii()),
        ]
    return out


def site_places(engine: Engine) -> dict[str, list[dict[str, str]]]:
    """By program, a family at each of its sites under each of the site's names: the
    site's fact, and its district as the area (Göteborg's rule names the districts)."""
    out: dict[str, list[dict[str, str]]] = {}
    for pid, program in engine.programs.items():
        definition = program.definition
        if "sites" not in definition:
            continue
        fact = definition["sites"]["match"]
        for site in definition["sites"]["list"]:
            for name in (site["id"], site["name"], *site.get("aliases", ())):
                place = {fact: name}
                if "district" in site:
                    place["area"] = site["district"].split(",")[0]
                out.setdefault(pid, []).append(place)
    return out


def _rule_values(spec: Mapping[str, Any], fact: str) -> Iterator[str]:
    for key in ("all", "any"):
        for child in spec.get(key, ()):
            yield from _rule_values(child, fact)
    if "not" in spec:
        yield from _rule_values(spec["not"], fact)
    if spec.get("fact") == fact:
        for op in ("equals", "not_equals"):
            if isinstance(spec.get(op), str):
                yield spec[op]
        yield from (v for v in spec.get("in", ()) if isinstance(v, str))


def boundaries(engine: Engine) -> list[D]:
    """The days a program's rules change on (validity, site starts and ends), and the
    days before them: births and as-of dates right at the edges."""
    days = set()
    for program in engine.programs.values():
        edges = [program.valid_from, program.valid_to]
        if program.sites is not None:
            edges += [d for s in program.sites.sites for d in (s.start, s.end)]
        for day in edges:
            if day is not None:
                days.update((day, day - dt.timedelta(days=1)))
    return sorted(days)


# --- comparing one case ------------------------------------------------------------------


class Difference(AssertionError):
    """The two paths disagree on a case."""


_ABSENT = object()


def first_difference(compiled: Any, reference: Any, path: str = "$") -> tuple[str, Any, Any] | None:
    """Where two JSON documents first differ: the path (list items named by their
    program, visit or domain id) and the two values; None when they are the same."""
    if isinstance(compiled, dict) and isinstance(reference, dict):
        for key in [*compiled, *(k for k in reference if k not in compiled)]:
            here = f"{path}.{key}"
            if key not in compiled or key not in reference:
                return here, compiled.get(key, _ABSENT), reference.get(key, _ABSENT)
            found = first_difference(compiled[key], reference[key], here)
            if found:
                return found
        return None
    if isinstance(compiled, list) and isinstance(reference, list):
        for index, (a, b) in enumerate(zip(compiled, reference, strict=False)):
            found = first_difference(a, b, f"{path}[{index}{_label(a)}]")
            if found:
                return found
        if len(compiled) != len(reference):
            return f"{path} (length)", len(compiled), len(reference)
        return None
    if compiled == reference:
        return None
    return path, compiled, reference


def _label(item: Any) -> str:
    if not isinstance(item, dict):
        return ""
    program = item.get("program")
    if isinstance(program, dict):
        return f" {program.get('id')}"
    for key in ("id", "visit", "instrument"):
        if isinstance(item.get(key), str):
            return f" {item[key]}"
    return ""


def _bytes_difference(written: bytes, expected: bytes) -> str:
    at = next(
        (i for i, (a, b) in enumerate(zip(written, expected, strict=False)) if a != b),
        min(len(written), len(expected)),
    )
    return (
        f"first different byte at {at}:\n"
        f"  PlanWriter:     …{written[max(0, at - 80) : at + 80]!r}\n"
        f"  standard_dumps: …{expected[max(0, at - 80) : at + 80]!r}"
    )


def _report(what: str, case: Mapping[str, Any], as_of: D, detail: str) -> Difference:
    return Difference(
        f"{what} differs for case {case.get('case_ref')!r} as of {as_of}:\n{detail}\n"
        f"reproduce with assert_same(CASE, datetime.date.fromisoformat({str(as_of)!r})) of "
        "tests/engine/test_differential.py, where CASE =\n"
        f"{json.dumps(case, ensure_ascii=False)}"
    )


def _diff(
    what: str, compiled: Any, reference: Any, case: Mapping[str, Any], as_of: D
) -> Difference:
    found = first_difference(compiled, reference)
    if found is None:  # not expected: the documents compared unequal
        found = ("$", compiled, reference)
    path, a, b = found
    a = "(absent)" if a is _ABSENT else repr(a)
    b = "(absent)" if b is _ABSENT else repr(b)
    return _report(what, case, as_of, f"  at {path}\n  compiled:  {a}\n  reference: {b}")


def _trace_rows(trace: Trace | None) -> list[list[Any]]:
    """A trace as rows, one per node: where, how it came out, the fact and its value."""
    if trace is None:
        return []
    rows = [[trace.path, trace.kind, trace.truth.value, trace.fact, repr(trace.value)]]
    for child in trace.children:
        rows += _trace_rows(child)
    return rows


def assert_same(
    case: Mapping[str, Any],
    as_of: D,
    *,
    writer: bool = True,
    decide: bool = True,
    trace: bool = True,
) -> dict[str, Any]:
    """Plan `case` both ways and raise `Difference` at the first disagreement; return the
    plan JSON. `writer`, `decide` and `trace` choose the checks beyond the plan JSON and
    the compact plan: PlanWriter's bytes, `decide`, and each decision's trace (what
    `hembesok explain` shows; made when read on the compiled path, eagerly by the
    reference)."""
    e = engines()
    compiled_plan = e.compiled.evaluate(Case.from_dict(case), as_of)
    reference_plan = e.reference.evaluate(Case.from_dict(case), as_of)
    compiled_json = compiled_plan.to_json()
    reference_json = reference_plan.to_json()
    if compiled_json != reference_json:
        raise _diff("the plan JSON", compiled_json, reference_json, case, as_of)
    if writer:
        written = e.writer.plan(compiled_plan)
        expected = standard_dumps(reference_json)
        if written != expected:
            raise _report("PlanWriter's bytes", case, as_of, _bytes_difference(written, expected))
    compiled_compact = compact(compiled_plan)
    reference_compact = compact(reference_plan)
    if compiled_compact != reference_compact:
        raise _diff("the compact plan", compiled_compact, reference_compact, case, as_of)
    if decide:
        decided = {
            pid: d.to_json() for pid, d in e.compiled.decide(Case.from_dict(case), as_of).items()
        }
        planned = {p["program"]["id"]: p["decision"] for p in compiled_json["programs"]}
        if decided != planned:
            raise _diff("decide() against the plan's decisions", decided, planned, case, as_of)
    if trace:
        for mine, theirs in zip(compiled_plan.programs, reference_plan.programs, strict=True):
            if mine.decision.trace != theirs.decision.trace:
                raise _diff(
                    f"the trace of the {mine.program.id} decision",
                    _trace_rows(mine.decision.trace),
                    _trace_rows(theirs.decision.trace),
                    case,
                    as_of,
                )
    return compiled_json


# --- the generated families and their variations ----------------------------------------

# (as-of date, seed). 2019-03-01 and 2020-02-29 fall in the Rinkeby and Göteborg site
# starts (by birth date); 2023-03-01 is Timrå's BarnSäkert start (by visit date);
# 2020-02-29 and 2024-02-29 are leap days, 2024-12-31 a year's end.
SETS = [
    (D(2026, 5, 4), 1),
    (D(2019, 3, 1), 2),
    (D(2020, 2, 29), 3),
    (D(2024, 2, 29), 4),
    (D(2024, 12, 31), 5),
    (D(2028, 3, 1), 6),
    (D(2023, 3, 1), 7),
    (D(2020, 9, 15), 8),
]
FAMILIES_PER_CHUNK = 400
CHUNKS_PER_SET = 11
#: Every how many cases the bytes of PlanWriter, the answers of `decide` and the traces
#: are checked too (the plan JSON and the compact plan are compared on every case).
WRITER_EVERY = 3
DECIDE_EVERY = 1
TRACE_EVERY = 10


def _day(text: str) -> D:
    return D.fromisoformat(text)


def _between(rnd: random.Random, start: D, end: D) -> D:
    return start + dt.timedelta(days=rnd.randrange(0, max(1, (end - start).days + 1)))


def _clone(case: Mapping[str, Any]) -> dict[str, Any]:
    return orjson.loads(orjson.dumps(case))  # type: ignore[no-any-return]


def born_on(case: Mapping[str, Any], day: D, as_of: D, label: str) -> dict[str, Any]:
    """The same family with every date moved so that the child is born on `day`; records
    that would then lie after `as_of` are left out."""
    shift = day - _day(case["child"]["birth_date"])
    out = _clone(case)
    out["case_ref"] += f"-{label}"
    out["child"]["birth_date"] = day.isoformat()
    if "moved_in_on" in out:
        out["moved_in_on"] = (_day(out["moved_in_on"]) + shift).isoformat()
    for key in ("visits_done", "responses"):
        kept = []
        for record in out.get(key, ()):
            moved = _day(record["date"]) + shift
            if moved <= as_of:
                record["date"] = moved.isoformat()
                kept.append(record)
        if kept:
            out[key] = kept
        else:
            out.pop(key, None)
    return out


def leap_day_before(day: D) -> D:
    year = day.year if (day.month, day.day) >= (2, 29) else day.year - 1
    while not calendar.isleap(year):
        year -= 1
    return D(year, 2, 29)


def month_end_near(rnd: random.Random, day: D, as_of: D) -> D:
    """A 29th, 30th or 31st in the month of `day` or the one before, not after `as_of`."""
    for back in (0, 1, 2):
        year, month = divmod(day.year * 12 + day.month - 1 - back, 12)
        last = calendar.monthrange(year, month + 1)[1]
        choices = [D(year, month + 1, d) for d in range(29, last + 1)]
        choices = [c for c in choices if c <= as_of]
        if choices:
            return rnd.choice(choices)
    return day


def _answers(rnd: random.Random, items: Mapping[str, Any], missing: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item_id, item in items.items():
        if rnd.random() < missing:
            if rnd.random() < 0.5:
                out[item_id] = None  # not answered; otherwise left out altogether
            continue
        if item.type == "yes_no":
            out[item_id] = "yes" if rnd.random() < 0.12 else "no"
        else:  # a choice: mostly the option that scores least, so totals straddle a cut-off
            values = sorted(item.scores, key=lambda value: (item.scores[value], value))
            out[item_id] = rnd.choice(values) if rnd.random() < 0.3 else values[0]
            if rnd.random() < 0.05:
                out[item_id] = float(out[item_id])  # 2.0 is the option 2 too
    return out


def _response(
    rnd: random.Random, instrument: str, day: D, items: Mapping[str, Any], occasion: str | None
) -> dict[str, Any]:
    out: dict[str, Any] = {"instrument": instrument, "date": day.isoformat()}
    if occasion is not None:
        out["occasion"] = occasion
    respondent = rnd.choice(["birthing_parent", "other_parent", "parent_2", None])
    if respondent is not None:
        out["respondent"] = respondent
    if rnd.random() < 0.7:
        out["language"] = rnd.choice(LANGUAGES)
    out["answers"] = _answers(rnd, items, rnd.choice([0.0, 0.0, 0.05, 0.3]))
    return out


def vary(case: Mapping[str, Any], rnd: random.Random, as_of: D) -> dict[str, Any]:
    """Changes a journal may send that the generator does not make: other spellings,
    missing or contradicting facts, moving in, declining, visits recorded under the
    other program of a `same_as` pair or twice, and screening histories: several
    responses per child, from several respondents, matched by occasion or by window."""
    e = engines()
    out = _clone(case)
    out["case_ref"] += "-varied"
    birth = _day(out["child"]["birth_date"])
    for fact in ("municipality", "listed_bvc", "area"):
        roll = rnd.random()
        if roll < 0.15:
            out[fact] = rnd.choice(e.names[fact])
        elif roll < 0.2:
            out[fact] = rnd.choice(["Jönköping", "Kista", "Östra Göteborg ", "Tynnered", "2284"])
        elif roll < 0.26:
            out.pop(fact, None)
    roll = rnd.random()
    if roll < 0.08:
        out.pop("first_child", None)
    elif roll < 0.5:
        first = out.setdefault("first_child", {})
        for name in FIRST_CHILD:
            pick = rnd.random()
            if pick < 0.2:
                first.pop(name, None)
            elif pick < 0.35:
                first[name] = rnd.random() < 0.5
        if not first and rnd.random() < 0.5:
            del out["first_child"]
    if rnd.random() < 0.2:
        out["needs_support"] = rnd.random() < 0.5
    if rnd.random() < 0.2:
        moved = _between(rnd, birth, as_of + dt.timedelta(days=60))
        out["moved_in_on"] = moved.isoformat()  # after the as-of date now and then
    if rnd.random() < 0.1:
        out["declined"] = rnd.sample([*PROGRAM_IDS, "okant_program"], rnd.randint(1, 3))
    _vary_visits(out, rnd, birth, as_of)
    _vary_responses(out, rnd, birth, as_of)
    return out


def _vary_visits(out: dict[str, Any], rnd: random.Random, birth: D, as_of: D) -> None:
    e = engines()
    done = out.get("visits_done", [])
    for record in list(done):
        same_as = next(
            (v[4] for v in e.schedules.get(record["program"], ()) if v[0] == record["visit"]),
            None,
        )
        if same_as is not None and rnd.random() < 0.5:  # recorded under the ordinary visit
            record["program"], record["visit"] = same_as
        if rnd.random() < 0.04:  # recorded twice: the later record wins
            done.append({**record, "date": _between(rnd, birth, as_of).isoformat()})
    if rnd.random() < 0.15:  # a visit made outside its window
        pid = rnd.choice(PROGRAM_IDS)
        visit = rnd.choice(e.schedules[pid])[0]
        done.append(
            {"program": pid, "visit": visit, "date": _between(rnd, birth, as_of).isoformat()}
        )
    if rnd.random() < 0.03:  # a visit no installed program has
        done.append({"program": "rikshandboken", "visit": "bvc_7_years", "date": as_of.isoformat()})
    if rnd.random() < 0.1:
        rnd.shuffle(done)
    if done:
        out["visits_done"] = done


def _vary_responses(out: dict[str, Any], rnd: random.Random, birth: D, as_of: D) -> None:
    e = engines()
    responses = out.get("responses", [])
    for response in list(responses):
        if rnd.random() < 0.35:
            response.pop("occasion", None)  # matched by its date inside a window
        if rnd.random() < 0.2:
            response["language"] = rnd.choice(LANGUAGES)
        items = e.items[response["instrument"]]
        if rnd.random() < 0.3:  # the other parent answers too, or someone unnamed
            other = _response(rnd, response["instrument"], _day(response["date"]), items, None)
            if "occasion" in response:
                other["occasion"] = response["occasion"]
            responses.append(other)
        if rnd.random() < 0.1:  # answered again on the same day, differently
            responses.append({**response, "answers": _answers(rnd, items, 0.1)})
        if rnd.random() < 0.25:  # a later answer by the same respondent: a history
            days = rnd.randrange(1, 8) if rnd.random() < 0.5 else rnd.randrange(1, 400)
            later = _day(response["date"]) + dt.timedelta(days=days)
            if later <= as_of:
                occasion = response.get("occasion") if rnd.random() < 0.5 else None
                again = _response(rnd, response["instrument"], later, items, occasion)
                if "respondent" in response:
                    again["respondent"] = response["respondent"]
                else:
                    again.pop("respondent", None)
                responses.append(again)
    if rnd.random() < 0.06:  # answers of an instrument whose program the family is not in
        instrument = rnd.choice(sorted(e.items))
        pid = "barnsakert" if instrument == "barnsakert" else "rikshandboken"
        visit = rnd.choice(e.schedules[pid])[0]
        for _ in range(rnd.randint(1, 3)):
            day = _between(rnd, birth, as_of)
            occasion = visit if rnd.random() < 0.5 else None
            responses.append(_response(rnd, instrument, day, e.items[instrument], occasion))
    if responses:
        rnd.shuffle(responses)
        out["responses"] = responses


def variants(case: dict[str, Any], rnd: random.Random, as_of: D) -> list[dict[str, Any]]:
    """The family as generated, varied, and born on a leap day or a month's end (and now
    and then on a day a program's rules change, or on the as-of date itself)."""
    e = engines()
    birth = _day(case["child"]["birth_date"])
    out = [case, vary(case, rnd, as_of)]
    source = out[rnd.randrange(2)]
    if rnd.random() < 0.5:
        out.append(born_on(source, leap_day_before(birth), as_of, "leap-day"))
    else:
        out.append(born_on(source, month_end_near(rnd, birth, as_of), as_of, "month-end"))
    roll = rnd.random()
    if roll < 0.04:
        edges = [d for d in e.boundaries if d <= as_of]
        if edges:
            out.append(born_on(source, rnd.choice(edges), as_of, "edge"))
    elif roll < 0.06:
        out.append(born_on(source, as_of, as_of, "newborn"))
    return out


def tally(seen: Counter[Any], case: Mapping[str, Any], plan: Mapping[str, Any], as_of: D) -> None:
    """What a planned case exercised, for the coverage assertions."""
    seen["cases"] += 1
    seen["as_of", as_of.isoformat()] += 1
    birth = case["child"]["birth_date"]
    if birth[5:] == "02-29":
        seen["birth", "leap day"] += 1
    if birth[8:] in ("29", "30", "31"):
        seen["birth", "month end"] += 1
    for key in ("moved_in_on", "declined", "visits_done", "responses"):
        if key in case:
            seen["case has", key] += 1
    records = {(v["program"], v["visit"]) for v in case.get("visits_done", ())}
    for program in plan["programs"]:
        pid = program["program"]["id"]
        decision = program["decision"]
        seen["decision", pid, decision["status"]] += 1
        if decision["declined"]:
            seen["declined", pid] += 1
        for visit in program["visits"]:
            seen["visit", visit["status"]] += 1
            seen["visit of", pid, visit["status"]] += 1
            if visit["status"] == "done" and (pid, visit["id"]) not in records:
                seen["done through same_as"] += 1
        for occasion in program["screenings"]:
            instrument = occasion["instrument"]
            seen["occasion", instrument, occasion["status"]] += 1
            results = occasion["results"]
            if len({r.get("respondent") for r in results}) > 1:
                seen["respondents at one occasion", instrument] += 1
            for result in results:
                seen["result", instrument] += 1
                if "compared_with" in result:
                    seen["result with history", instrument] += 1
                if "occasion" not in result:
                    seen["result matched by window", instrument] += 1
                for domain in result["domains"]:
                    seen["domain", instrument, domain["status"]] += 1
                    seen["change", domain["change"]] += 1
    if any(entry["join_with"] for entry in plan["timeline"]):
        seen["joinable visits"] += 1


def run_chunk(job: tuple[D, int, int]) -> tuple[Counter[Any], int, str | None]:
    """Plan one chunk of generated families both ways: what it covered, the cases skipped
    as invalid, and the first difference (the chunk stops there)."""
    as_of, seed, count = job
    e = engines()
    rnd = random.Random(seed)
    seen: Counter[Any] = Counter()
    skipped = 0
    enabled = gc.isenabled()
    gc.disable()  # plans are trees, freed as they go; a collection per chunk is enough
    try:
        for case in generate.families(count, seed, as_of, e.compiled):
            for variant in variants(case, rnd, as_of):
                if check_case(variant, as_of):
                    skipped += 1
                    continue
                number = seen["cases"]
                try:
                    plan = assert_same(
                        variant,
                        as_of,
                        writer=number % WRITER_EVERY == 0,
                        decide=number % DECIDE_EVERY == 0,
                        trace=number % TRACE_EVERY == 0,
                    )
                except Difference as exc:
                    return seen, skipped, str(exc)
                except Exception as exc:  # a crash on a valid case, on either path
                    detail = f"  {type(exc).__name__}: {exc}"
                    return seen, skipped, str(_report("planning", variant, as_of, detail))
                tally(seen, variant, plan, as_of)
    finally:
        if enabled:
            gc.enable()
        gc.collect()
    return seen, skipped, None


def jobs() -> list[tuple[D, int, int]]:
    return [
        (as_of, seed * 1000 + chunk, FAMILIES_PER_CHUNK)
        for as_of, seed in SETS
        for chunk in range(CHUNKS_PER_SET)
    ]


def run_generated(workers: int | None = None) -> tuple[Counter[Any], int]:
    """Every chunk, in `workers` forked processes where the platform forks (else here);
    the coverage summed over them. Raises `Difference` with the first chunk's difference."""
    engines()  # built once, before forking
    todo = jobs()
    if workers is None:
        workers = min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1, 4)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            results = list(pool.map(run_chunk, todo))
    else:
        results = [run_chunk(job) for job in todo]
    seen: Counter[Any] = Counter()
    skipped = 0
    for chunk_seen, chunk_skipped, failure in results:
        if failure is not None:
            raise Difference(failure)
        seen.update(chunk_seen)
        skipped += chunk_skipped
    return seen, skipped


@pytest.mark.slow
def test_compiled_and_reference_agree_on_generated_families():
    started = time.perf_counter()
    seen, skipped = run_generated()
    elapsed = time.perf_counter() - started
    assert seen["cases"] >= 100_000, (seen["cases"], skipped, elapsed)
    assert skipped <= seen["cases"] // 100, skipped  # the variations make valid cases
    # The cases cannot silently test nothing: every outcome of every programme, every
    # visit status, the awkward birth dates and screening histories were all planned.
    for pid in PROGRAM_IDS:
        statuses = (
            ("eligible",)
            if pid == "rikshandboken"
            else ("eligible", "not_eligible", "undetermined")
        )
        for status in statuses:
            assert seen["decision", pid, status] >= 100, (pid, status)
        assert seen["declined", pid] >= 50, pid
    # The national programme is for every child born: it is never anything but eligible.
    assert not seen["decision", "rikshandboken", "not_eligible"]
    assert not seen["decision", "rikshandboken", "undetermined"]
    visit_statuses = {key[1] for key in seen if isinstance(key, tuple) and key[0] == "visit"}
    assert visit_statuses == VISIT_STATUSES
    for status in VISIT_STATUSES:
        assert seen["visit", status] >= 100, status
    for pid in ("barnsakert", "goteborg", "nassjo", "rinkeby", "vaggeryd"):
        for status in VISIT_STATUSES - {"replaced"}:
            assert seen["visit of", pid, status] > 0, (pid, status)
    assert seen["visit of", "rikshandboken", "replaced"] > 1000
    assert seen["done through same_as"] > 1000
    assert seen["birth", "leap day"] > 10_000
    assert seen["birth", "month end"] > 10_000
    assert seen["case has", "moved_in_on"] > 5000
    assert seen["case has", "declined"] > 5000
    for instrument in ("epds", "barnsakert"):
        assert seen["result with history", instrument] > 200, instrument
        assert seen["result matched by window", instrument] > 200, instrument
        assert seen["respondents at one occasion", instrument] > 200, instrument
        for status in ("flagged", "not_flagged", "undetermined"):
            assert seen["domain", instrument, status] > 100, (instrument, status)
        for status in ("done", "upcoming", "missed"):
            assert seen["occasion", instrument, status] > 100, (instrument, status)
    for change in ("first", "new", "persisting", "resolved", "not_flagged", "no_comparison"):
        assert seen["change", change] > 100, change
    assert seen["joinable visits"] > 1000
    for as_of, _ in SETS:
        assert seen["as_of", as_of.isoformat()] > 10_000, as_of


def test_compiled_and_reference_agree_on_the_program_examples():
    """The examples in the program files: each program's own edge cases."""
    checked = 0
    for program in engines().compiled.programs.values():
        for example in program.definition.get("examples", ()):
            as_of = _day(example["as_of"])
            case = {"case_ref": example["name"][:200], **example["case"]}
            assert not check_case(case, as_of), example["name"]
            assert_same(case, as_of)
            checked += 1
    assert checked > 30


# --- cases built from scratch ------------------------------------------------------------

MONTH_ENDS = st.builds(
    lambda year, month, day: D(year, month, min(day, calendar.monthrange(year, month)[1])),
    st.integers(2018, 2028),
    st.integers(1, 12),
    st.integers(28, 31),
)
BIRTHS = st.one_of(
    st.dates(D(2018, 1, 1), D(2028, 12, 31)),
    MONTH_ENDS,
    st.sampled_from([D(2020, 2, 29), D(2024, 2, 29), D(2028, 2, 29)]),
)
OTHER_TEXT = st.one_of(
    st.sampled_from(["Jönköping", "Kista", "Tynnered", "Östra Göteborg", "0680", "x"]),
    st.text(min_size=1, max_size=12),
)
RESPONDENTS = st.sampled_from([None, "birthing_parent", "other_parent", "parent_2"])


def _days_after(draw: Any, start: D, end: D) -> D:
    return start + dt.timedelta(days=draw(st.integers(0, max(0, (end - start).days))))


def _maybe(draw: Any, key: str, out: dict[str, Any], strategy: Any) -> None:
    value = draw(st.one_of(st.none(), strategy))
    if value is not None:
        out[key] = value


@st.composite
def cases(draw: Any) -> tuple[dict[str, Any], D]:
    """A schema-valid case and an as-of date on or after the birth, from nothing."""
    e = engines()
    birth = draw(BIRTHS)
    age = draw(st.one_of(st.integers(0, 120), st.integers(0, 6 * 366)))
    as_of = birth + dt.timedelta(days=age)
    case: dict[str, Any] = {"child": {"birth_date": birth.isoformat()}}
    if draw(st.booleans()):
        case["case_ref"] = draw(st.text(max_size=10))
    if draw(st.integers(0, 9)) == 9:  # now and then (shrinks to absent)
        case["child"]["gestational_age"] = {
            "weeks": draw(st.integers(22, 44)),
            "days": draw(st.integers(0, 6)),
        }
    # Where the family lives: mostly a site of some program (so each can be offered),
    # each fact then kept, spelt as another site, another place, or left out.
    place = {}
    if draw(st.integers(0, 3)):
        place = draw(st.sampled_from(e.places[draw(st.sampled_from(sorted(e.places)))]))
    for fact in ("municipality", "listed_bvc", "area"):
        how = draw(st.sampled_from(["keep", "keep", "keep", "keep", "site", "other", "absent"]))
        if how == "keep" and fact in place:
            case[fact] = place[fact]
        elif how == "site":
            case[fact] = draw(st.sampled_from(e.names[fact]))
        elif how == "other":
            case[fact] = draw(OTHER_TEXT)
    first: dict[str, bool] = {}
    first_time = draw(st.sampled_from([True, True, False, None]))
    for name in FIRST_CHILD:
        value = draw(st.sampled_from([first_time, first_time, True, False, None]))
        if value is not None:
            first[name] = value
    if first or draw(st.booleans()):
        case["first_child"] = first  # {} is a case that sent the object empty
    _maybe(draw, "needs_support", case, st.booleans())
    if draw(st.integers(0, 3)) == 3:  # now and then (shrinks to absent)
        case["moved_in_on"] = _days_after(draw, birth, as_of + dt.timedelta(days=30)).isoformat()
    if draw(st.integers(0, 4)) == 4:  # now and then (shrinks to absent)
        case["declined"] = draw(
            st.lists(
                st.sampled_from([*PROGRAM_IDS, "okant_program"]),
                unique=True,
                min_size=1,
                max_size=3,
            )
        )
    visits = [(pid, v[0]) for pid in PROGRAM_IDS for v in e.schedules[pid]]
    done = [
        {"program": pid, "visit": visit, "date": _days_after(draw, birth, as_of).isoformat()}
        for pid, visit in draw(st.lists(st.sampled_from(visits), max_size=8))
    ]
    if done:
        case["visits_done"] = done
    responses = draw(st.lists(responses_for(birth, as_of), max_size=6))
    if responses:
        case["responses"] = responses
    if draw(st.integers(0, 9)) == 9:  # now and then (shrinks to absent)
        case["facts"] = draw(
            st.dictionaries(
                st.sampled_from(["siblings", "interpreter", "language"]),
                st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=5)),
                max_size=2,
            )
        )
    return case, as_of


@st.composite
def responses_for(draw: Any, birth: D, as_of: D) -> dict[str, Any]:
    """One valid response: EPDS or BarnSäkert, given at a visit (by `occasion` or inside
    its window) or on any day, with each item answered, unanswered (null) or left out."""
    e = engines()
    instrument = draw(st.sampled_from(sorted(e.items)))
    _, visit, age, _, _, _ = draw(
        st.sampled_from(
            [(pid, *v) for pid in ("rikshandboken", "barnsakert") for v in e.schedules[pid]]
        )
    )
    if draw(st.booleans()):  # about when the visit is due
        near = ages.add(birth, age) + dt.timedelta(days=draw(st.integers(-20, 20)))
        day = min(max(near, birth), as_of)
    else:
        day = _days_after(draw, birth, as_of)
    out: dict[str, Any] = {"instrument": instrument, "date": day.isoformat()}
    if draw(st.booleans()):
        out["occasion"] = visit
    _maybe(draw, "respondent", out, RESPONDENTS)
    _maybe(draw, "language", out, st.sampled_from(LANGUAGES))
    answers: dict[str, Any] = {}
    complete = draw(st.booleans())
    for item_id, item in e.items[instrument].items():
        # The option that scores least first (where shrinking goes), as on most forms.
        options: list[Any] = (
            ["no", "yes"]
            if item.type == "yes_no"
            else sorted(item.scores, key=lambda value, item=item: (item.scores[value], value))
        )
        answer = st.sampled_from(options)
        choice = draw(answer if complete else st.one_of(answer, st.sampled_from([None, _ABSENT])))
        if choice is not _ABSENT:
            answers[item_id] = choice
    out["answers"] = answers
    return out


@settings(
    max_examples=600,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(cases())
def test_compiled_and_reference_agree_on_cases_built_from_scratch(drawn):
    case, as_of = drawn
    assert not check_case(case, as_of), "the strategy builds valid cases only"
    assert_same(case, as_of)


# --- the two paths are two --------------------------------------------------------------

SUNDSVALL = {
    "case_ref": "sundsvall",
    "child": {"birth_date": "2025-09-14"},
    "municipality": "Sundsvall",
    "first_child": {"either_parent": True},
    "visits_done": [{"program": "rikshandboken", "visit": "bvc_6_8_weeks", "date": "2025-11-01"}],
    "responses": [
        {
            "instrument": "epds",
            "occasion": "bvc_6_8_weeks",
            "date": "2025-11-01",
            "respondent": "birthing_parent",
            "answers": {f"epds_{n}": 3 for n in range(1, 11)},
        },
        {
            "instrument": "barnsakert",
            "date": "2025-11-01",
            "respondent": "birthing_parent",
            "answers": {"money_worry": "yes", "bills_late": "no"},
        },
    ],
}
GOTEBORG = {
    "child": {"birth_date": "2026-02-28"},
    "listed_bvc": "Opaltorget",
    "area": "Västra Göteborg",
    "first_child": {"born_in_sweden": True},
}
NO_FACTS = {"child": {"birth_date": "2024-02-29"}}


def test_the_compiled_path_never_interprets_and_the_reference_always_does(monkeypatch):
    """Count the declarative plugin's hooks: the compiled engine calls none of them, the
    reference calls each for every program; and only the reference's decisions carry a
    trace made eagerly (the compiled one makes the same trace when it is read)."""
    calls: Counter[str] = Counter()

    def counted(name: str, hook: Any) -> Any:
        def count() -> None:
            calls[name] += 1

        if name == "hembesok_screening":

            def wrapper(instrument, response, history):
                count()
                return hook(instrument=instrument, response=response, history=history)

        elif name == "hembesok_visit_schedule":

            def wrapper(program, case, decision, as_of):
                count()
                return hook(program=program, case=case, decision=decision, as_of=as_of)

        else:

            def wrapper(program, case, as_of):
                count()
                return hook(program=program, case=case, as_of=as_of)

        return functools.wraps(hook)(wrapper)  # keeps pluggy's hookimpl marker

    for name in ("hembesok_eligibility", "hembesok_visit_schedule", "hembesok_screening"):
        monkeypatch.setattr(declarative, name, counted(name, getattr(declarative, name)))
    compiled = Engine.from_plugins(make_plugin_manager(env={}))
    reference = Engine.from_plugins(make_plugin_manager(env={}), interpret=True)
    assert not any(compiled.dispatched(pid) for pid in PROGRAM_IDS)
    assert all(reference.dispatched(pid) for pid in PROGRAM_IDS)
    as_of = D(2026, 5, 4)
    examples = [SUNDSVALL, GOTEBORG, NO_FACTS]
    for data in examples:
        assert not check_case(data, as_of)
        plan = compiled.evaluate(Case.from_dict(data), as_of)
        decided = compiled.decide(Case.from_dict(data), as_of)
        plan.to_json()
    assert calls == Counter(), "the compiled engine went through the declarative plugin"
    for data in examples:
        compiled_plan = compiled.evaluate(Case.from_dict(data), as_of)
        reference_plan = reference.evaluate(Case.from_dict(data), as_of)
        assert compiled_plan.to_json() == reference_plan.to_json()
        for mine, theirs in zip(compiled_plan.programs, reference_plan.programs, strict=True):
            lazy, eager = mine.decision, theirs.decision
            assert isinstance(eager[3], Trace), "the reference interprets with its trace"
            assert not isinstance(lazy[3], Trace), "the compiled decision made a trace"
            assert lazy.trace == eager.trace  # made on reading, the same trace
        decided = reference.decide(Case.from_dict(data), as_of)
        assert all(isinstance(d[3], Trace) for d in decided.values())
    planned = len(PROGRAM_IDS) * len(examples)
    assert calls["hembesok_eligibility"] == 2 * planned  # evaluate and decide
    assert calls["hembesok_visit_schedule"] == planned
    assert calls["hembesok_screening"] >= 2  # the two Sundsvall answers at least

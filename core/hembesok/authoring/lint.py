"""Checks of a program file beyond its schema: what is valid JSON Schema but still wrong.

`hembesok validate` runs these after the schema (see docs/decisions/0014-authoring-tools.md
for why here and not at load time). Each problem is located at file:line:column and
says what would be right:

- a fact name that the case schema does not know and no installed plugin derives
  (with "did you mean"); `facts.NAME` is always allowed;
- an `any` or `all` with a single branch (warning: the branch alone says the same);
- an operand of the wrong kind for a case fact (`equals: "yes"` on a yes/no fact);
- a staff role that neither the built-in catalogue nor the program's `roles` names;
- visits out of age order (error) and windows of two visits sharing more than their
  boundary day (warning; Rikshandboken writes adjacent ranges that share one day);
- a blank Swedish or English text (error), or an English text that is the Swedish one
  copied (warning);
- a site that starts or ends outside the program's validity;
- an example whose case cannot be planned, or whose expectation does not hold;
- a schema file named by the editor lines that is not the installed program schema or its
  self-contained copy (warning, with the command that refreshes the copy).

Conditions are checked wherever the program schema allows one (`condition_roots`), not
only under `eligibility`.

The checks read the document defensively: the schema may already have rejected parts
of it, and a check skips what it cannot read rather than repeat the schema's message.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import astuple, replace
from functools import cache
from typing import Any

from hembesok.authoring.schema_copy import schema_reference_problems
from hembesok.engine.evaluator import DERIVED_FACTS_ATTRIBUTE
from hembesok.io import schemas
from hembesok.io.documents import Document, JsonPath
from hembesok.io.loading import load_instrument
from hembesok.io.problems import Problem, json_path, problem_at
from hembesok.language.program import Program
from hembesok.language.sites import BUILT_IN_SITE_FACTS
from hembesok.model import ages
from hembesok.model.case import PRIVATE_KEYS, Case
from hembesok.model.instrument import Instrument
from hembesok.model.texts import ROLES
from hembesok.plugins.manager import LoadedPlugins, make_plugin_manager

#: Facts the core derives for every case (hembesok.plugins.declarative).
CORE_DERIVED_FACTS = frozenset({"child.age_days", "child.age_months"})


_CASE_KEYS_NOT_FACTS = frozenset(
    {"visits_done", "declined", "responses", "facts", "vaccinations_done", "vaccinations_declined"}
)
_FREE_FACT = re.compile(r"^facts\.[a-z][a-z0-9_]*$")


# Birth dates on which visit ages and windows are compared: the 1st and 15th of every
# month of a leap year, so months of every length, but no end-of-month clamping (a
# window that touches the next only because 31 January + 1 month is 29 February is
# how month arithmetic works, not an author's mistake).
_REFERENCE_BIRTHS = tuple(dt.date(2024, month, day) for month in range(1, 13) for day in (1, 15))


def lint_program(
    doc: Document,
    already: Sequence[Problem] = (),
    plugins: LoadedPlugins | None = None,
) -> list[Problem]:
    """Problems of a program document beyond its schema.

    `already` are the problems found so far (schema and semantic ones): an example with
    one of them is not run. `plugins` give the hooks examples run with and the facts
    plugins derive; by default the installed plugins, as `hembesok plan` uses them.
    """
    data = doc.data
    if not isinstance(data, Mapping):
        return []
    loaded = plugins if plugins is not None else make_plugin_manager()
    out: list[Problem] = []
    out += _fact_problems(doc, derived_facts(loaded))
    out += _single_branch_problems(doc, already)
    out += _role_problems(doc)
    out += _schedule_problems(doc)
    out += _text_problems(doc)
    out += _site_problems(doc)
    out += _example_problems(doc, already, loaded)
    out += schema_reference_problems(doc)
    return out


# --- facts ------------------------------------------------------------------------------


@cache
def case_facts() -> dict[str, str]:
    """Every fact name a case document can carry, with its JSON type (date for dates)."""
    found: dict[str, str] = {}

    def walk(node: Mapping[str, Any], prefix: str) -> None:
        for key, spec in node.get("properties", {}).items():
            if key in PRIVATE_KEYS or (not prefix and key in _CASE_KEYS_NOT_FACTS):
                continue
            spec = _resolve(spec)
            if "properties" in spec:
                walk(spec, f"{prefix}{key}.")
            elif spec.get("type") in ("string", "boolean", "integer", "number"):
                kind = "date" if spec.get("format") == "date" else spec["type"]
                found[f"{prefix}{key}"] = kind

    walk(schemas.schema("case"), "")
    return found


def _resolve(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = spec.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        resolved: Mapping[str, Any] = schemas.schema("case")["$defs"][ref.removeprefix("#/$defs/")]
        return {**resolved, **{k: v for k, v in spec.items() if k != "$ref"}}
    return spec


def derived_facts(loaded: LoadedPlugins) -> frozenset[str]:
    """The core's derived facts and those installed plugins declare they derive."""
    names = set(CORE_DERIVED_FACTS)
    for info in loaded.plugins:
        module = loaded.manager.get_plugin(info.name)
        declared = getattr(module, DERIVED_FACTS_ATTRIBUTE, ())
        if isinstance(declared, str):
            declared = (declared,)
        names.update(n for n in declared if isinstance(n, str))
    return frozenset(names)


_CONDITION_REF = "#/$defs/condition"


def condition_roots(doc: Document) -> list[tuple[Any, JsonPath]]:
    """Every condition tree of a program and its path: wherever the program schema places a
    condition (`eligibility` today), read from the schema so that a new place is checked
    as soon as the schema has it."""
    program = schemas.schema("program")
    found: dict[JsonPath, Any] = {}
    stack: list[tuple[Any, Mapping[str, Any], JsonPath]] = [(doc.data, program, ())]
    seen: set[tuple[int, JsonPath]] = set()  # a reference cycle in a schema ends here
    while stack:
        data, spec, path = stack.pop()
        if (id(spec), path) in seen:
            continue
        seen.add((id(spec), path))
        if spec.get("$ref") == _CONDITION_REF:
            found.setdefault(path, data)
            continue
        stack += _schema_children(data, spec, path, program)
    in_file_order = sorted(found, key=lambda path: astuple(doc.locate(path)))
    return [(found[path], path) for path in in_file_order]


def _schema_children(
    data: Any, spec: Mapping[str, Any], path: JsonPath, root: Mapping[str, Any]
) -> list[tuple[Any, Mapping[str, Any], JsonPath]]:
    """The parts of `data` with the subschema each must match (local references followed)."""
    out: list[tuple[Any, Mapping[str, Any], JsonPath]] = []
    ref = spec.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = root.get("$defs", {}).get(ref.removeprefix("#/$defs/"))
        if isinstance(target, Mapping):
            out.append((data, target, path))
    for keyword in ("allOf", "anyOf", "oneOf"):
        out += [(data, s, path) for s in spec.get(keyword, ()) if isinstance(s, Mapping)]
    if isinstance(data, Mapping):
        properties = spec.get("properties", {})
        extra = spec.get("additionalProperties")
        for key, value in data.items():
            child = properties.get(key, extra)
            if isinstance(child, Mapping):
                out.append((value, child, (*path, key)))
    elif isinstance(data, list) and isinstance(spec.get("items"), Mapping):
        out += [(item, spec["items"], (*path, i)) for i, item in enumerate(data)]
    return out


def _conditions(node: Any, path: JsonPath) -> Iterator[tuple[Mapping[str, Any], JsonPath]]:
    if not isinstance(node, Mapping):
        return
    yield node, path
    for kind in ("all", "any"):
        children = node.get(kind)
        if isinstance(children, list):
            for i, child in enumerate(children):
                yield from _conditions(child, (*path, kind, i))
    if "not" in node:
        yield from _conditions(node["not"], (*path, "not"))


def all_conditions(doc: Document) -> Iterator[tuple[Mapping[str, Any], JsonPath]]:
    """Every node of every condition tree of a program, with its path."""
    for root, path in condition_roots(doc):
        yield from _conditions(root, path)


_OPERATOR_KINDS = {
    "equals": "scalar",
    "not_equals": "scalar",
    "in": "list",
    "at_least": "number",
    "at_most": "number",
    "greater_than": "number",
    "less_than": "number",
    "on_or_after": "date",
    "on_or_before": "date",
    "before": "date",
    "after": "date",
}


def site_facts(program: Mapping[str, Any]) -> dict[str, str]:
    """The site.* facts a program's sites give, with their kinds (none without sites)."""
    sites = program.get("sites")
    if not isinstance(sites, Mapping):
        return {}
    found = {name: "string" for name in BUILT_IN_SITE_FACTS}
    declared = sites.get("attributes")
    for name, spec in declared.items() if isinstance(declared, Mapping) else ():
        kind = spec.get("type") if isinstance(spec, Mapping) else None
        found[f"site.{name}"] = {"text": "string", "boolean": "boolean"}.get(str(kind), "number")
    return found


def _fact_problems(doc: Document, derived: frozenset[str]) -> list[Problem]:
    known = {**case_facts(), **site_facts(doc.data)}
    everything = sorted(set(known) | derived)
    out: list[Problem] = []
    for node, path in all_conditions(doc):
        names: list[tuple[str, JsonPath]] = []
        if isinstance(node.get("fact"), str):
            names.append((node["fact"], (*path, "fact")))
        age = node.get("age")
        if isinstance(age, Mapping) and isinstance(age.get("on"), str):
            names.append((age["on"], (*path, "age", "on")))
        for name, where in names:
            if name in known or name in derived or _FREE_FACT.match(name):
                continue
            guess = difflib.get_close_matches(name, everything, n=1, cutoff=0.6)
            hint = (
                f"did you mean '{guess[0]}'?"
                if guess
                else "use a fact of the case schema, facts.NAME for a region's own fact, "
                f"or one a plugin derives (it lists it in {DERIVED_FACTS_ATTRIBUTE})"
            )
            out.append(
                problem_at(
                    doc,
                    where,
                    f"unknown fact '{name}': the case schema has no such fact and no installed "
                    f"plugin derives it; {hint}",
                )
            )
        if isinstance(node.get("fact"), str) and node["fact"] in known:
            out += _operand_problems(doc, node, path, node["fact"], known[node["fact"]])
    return out


def _operand_problems(
    doc: Document, node: Mapping[str, Any], path: JsonPath, fact: str, kind: str
) -> list[Problem]:
    op = next((k for k in node if k in _OPERATOR_KINDS), None)
    if op is None:
        return []
    operand = node[op]
    values = operand if isinstance(operand, list) else [operand]
    wanted = {"boolean": "true or false", "date": "a date", "string": "text"}.get(kind, "a number")
    fits = {
        "boolean": op in ("equals", "not_equals") and all(isinstance(v, bool) for v in values),
        "string": _OPERATOR_KINDS[op] in ("scalar", "list")
        and all(isinstance(v, str) for v in values),
        "date": _OPERATOR_KINDS[op] in ("date", "scalar", "list")
        and all(isinstance(v, str) for v in values),
    }.get(
        kind,
        _OPERATOR_KINDS[op] in ("number", "scalar", "list")
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values),
    )
    if fits:
        return []
    return [
        problem_at(
            doc,
            (*path, op),
            f"'{fact}' is {wanted} in a case, so '{op}: {operand!r}' can never be decided; "
            + (
                "write equals: true or equals: false"
                if kind == "boolean"
                else f"compare it with {wanted}"
            ),
        )
    ]


def _reported_within(problems: Sequence[Problem], path: JsonPath) -> bool:
    """Whether a problem already stands at `path` or inside it."""
    where = json_path(path)
    return any(p.path == where or p.path.startswith((where + ".", where + "[")) for p in problems)


def _single_branch_problems(doc: Document, already: Sequence[Problem]) -> list[Problem]:
    """An `any` or `all` of one branch says no more than the branch; written out, it hides
    that there is nothing to choose between and adds a level to every explanation. Not
    said of a branch the schema already rejects: that error comes first."""
    out: list[Problem] = []
    for node, path in all_conditions(doc):
        for kind in ("any", "all"):
            branches = node.get(kind)
            if not isinstance(branches, list) or len(branches) != 1:
                continue
            if _reported_within(already, (*path, kind)):
                continue
            out.append(
                problem_at(
                    doc,
                    (*path, kind),
                    f"`{kind}` has a single branch, and a single branch needs no `{kind}`: "
                    f"write that branch's condition here in place of `{kind}:` and its "
                    f"one-item list (add `{kind}:` again when a second branch comes)",
                    key=True,
                    severity="warning",
                )
            )
    return out


# --- staff roles -------------------------------------------------------------------------


def _role_problems(doc: Document) -> list[Problem]:
    own = doc.data.get("roles")
    known = set(ROLES) | (set(own) if isinstance(own, Mapping) else set())
    out = []
    for i, visit in _visits(doc):
        staff = visit.get("staff")
        for k, role in enumerate(staff if isinstance(staff, list) else ()):
            if not isinstance(role, str) or role in known:
                continue
            guess = difflib.get_close_matches(role, sorted(known), n=1, cutoff=0.6)
            hint = (
                f"did you mean '{guess[0]}'?"
                if guess
                else f"use one of {', '.join(sorted(ROLES))} or add it under `roles` with its names"
            )
            out.append(
                problem_at(
                    doc,
                    ("schedule", i, "staff", k),
                    f"unknown staff role '{role}'; {hint}",
                )
            )
    return out


# --- schedule ----------------------------------------------------------------------------


def _visits(doc: Document) -> Iterator[tuple[int, Mapping[str, Any]]]:
    schedule = doc.data.get("schedule")
    for i, visit in enumerate(schedule if isinstance(schedule, list) else ()):
        if isinstance(visit, Mapping):
            yield i, visit


def _duration(value: Any) -> ages.Duration | None:
    if not isinstance(value, Mapping) or not value:
        return None
    if any(u not in ages.UNITS or not isinstance(n, int) or n < 0 for u, n in value.items()):
        return None
    return ages.Duration.from_mapping(value)


def _timed_visits(
    doc: Document,
) -> list[tuple[int, str, ages.Duration, ages.Duration | None, ages.Duration | None]]:
    out = []
    for i, visit in _visits(doc):
        age = _duration(visit.get("age"))
        if age is None:
            continue
        window = visit.get("window")
        window = window if isinstance(window, Mapping) else {}
        out.append(
            (
                i,
                str(visit.get("id", f"schedule[{i}]")),
                age,
                _duration(window.get("before")),
                _duration(window.get("after")),
            )
        )
    return out


def _schedule_problems(doc: Document) -> list[Problem]:
    visits = _timed_visits(doc)
    out: list[Problem] = []
    reference = _REFERENCE_BIRTHS[0]
    order = ", ".join(v[1] for v in sorted(visits, key=lambda v: (ages.add(reference, v[2]), v[0])))
    for (_, prev_id, prev_age, _, _), (i, vid, age, _, _) in itertools.pairwise(visits):
        if any(ages.add(b, age) < ages.add(b, prev_age) for b in _REFERENCE_BIRTHS):
            out.append(
                problem_at(
                    doc,
                    ("schedule", i, "age"),
                    f"visit '{vid}' at {age.describe('en')} comes after '{prev_id}' at "
                    f"{prev_age.describe('en')}; list the visits in age order: {order}",
                )
            )
    for a, (i, a_id, a_age, a_before, a_after) in enumerate(visits):
        for j, b_id, b_age, b_before, b_after in visits[a + 1 :]:
            if None in (a_before, a_after, b_before, b_after):
                continue
            assert a_before and a_after and b_before and b_after
            for birth in _REFERENCE_BIRTHS:
                wa = ages.window_around(ages.add(birth, a_age), a_before, a_after)
                wb = ages.window_around(ages.add(birth, b_age), b_before, b_after)
                shared = (min(wa.end, wb.end) - max(wa.start, wb.start)).days + 1
                if shared > 1:  # one shared day is how adjacent ranges are written
                    out.append(
                        problem_at(
                            doc,
                            ("schedule", j, "window"),
                            f"the window of '{b_id}' overlaps the window of '{a_id}' "
                            f"(schedule[{i}]): for a child born {birth} they run "
                            f"{wb.start} – {wb.end} and {wa.start} – {wa.end}, so both visits "
                            f"are current for {shared} days; shorten one window so that they "
                            "share at most their boundary day",
                            severity="warning",
                        )
                    )
                    break
    return out


# --- texts -------------------------------------------------------------------------------


def _texts(doc: Document) -> Iterator[tuple[Any, JsonPath]]:
    data = doc.data
    for key in ("title", "description"):
        if key in data:
            yield data[key], (key,)
    roles = data.get("roles")
    if isinstance(roles, Mapping):
        for role, text in roles.items():
            yield text, ("roles", role)
    for node, path in all_conditions(doc):
        if "label" in node:
            yield node["label"], (*path, "label")
    for i, visit in _visits(doc):
        if "title" in visit:
            yield visit["title"], ("schedule", i, "title")
        topics = visit.get("topics")
        for k, topic in enumerate(topics if isinstance(topics, list) else ()):
            yield topic, ("schedule", i, "topics", k)


_LANG_NAMES = {"sv": "Swedish", "en": "English"}


def _text_problems(doc: Document) -> list[Problem]:
    out: list[Problem] = []
    for text, path in _texts(doc):
        if not isinstance(text, Mapping):
            continue  # the schema says it must be a text
        for lang, name in _LANG_NAMES.items():
            value = text.get(lang)
            if isinstance(value, str) and value and not value.strip():
                out.append(
                    problem_at(doc, (*path, lang), f"the {name} text is blank; write it in {name}")
                )
        sv, en = text.get("sv"), text.get("en")
        if (
            isinstance(sv, str)
            and isinstance(en, str)
            and len(sv.split()) >= 3
            and " ".join(sv.split()).casefold() == " ".join(en.split()).casefold()
        ):
            out.append(
                problem_at(
                    doc,
                    (*path, "en"),
                    "the English text is the Swedish one copied; translate it",
                    severity="warning",
                )
            )
    return out


# --- sites and validity ------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _site_problems(doc: Document) -> list[Problem]:
    data = doc.data
    valid_from, valid_to = _date(data.get("valid_from")), _date(data.get("valid_to"))
    if valid_from is None and valid_to is None:
        return []
    sites = data.get("sites")
    listed = sites.get("list") if isinstance(sites, Mapping) else None
    out: list[Problem] = []
    for i, site in enumerate(listed if isinstance(listed, list) else ()):
        if not isinstance(site, Mapping):
            continue
        name = site.get("name", site.get("id", f"sites.list[{i}]"))
        start, end = _date(site.get("start")), _date(site.get("end"))
        if start is not None and valid_from is not None and start < valid_from:
            out.append(
                problem_at(
                    doc,
                    ("sites", "list", i, "start"),
                    f"site '{name}' starts {start}, before the program's valid_from "
                    f"{valid_from}; set its start on or after {valid_from}, or move valid_from",
                )
            )
        if start is not None and valid_to is not None and start > valid_to:
            out.append(
                problem_at(
                    doc,
                    ("sites", "list", i, "start"),
                    f"site '{name}' starts {start}, after the program's valid_to {valid_to}, "
                    "so it covers nobody; set its start on or before valid_to, or move valid_to",
                )
            )
        if end is not None and valid_from is not None and end < valid_from:
            out.append(
                problem_at(
                    doc,
                    ("sites", "list", i, "end"),
                    f"site '{name}' ends {end}, before the program's valid_from {valid_from}, "
                    "so it covers nobody; remove the site or correct the dates",
                )
            )
    return out


# --- examples ----------------------------------------------------------------------------


def _example_problems(
    doc: Document, already: Sequence[Problem], loaded: LoadedPlugins
) -> list[Problem]:
    from hembesok.authoring.examples import check_example
    from hembesok.engine.engine import Engine  # the engine imports the loader; keep lint importable

    examples = doc.data.get("examples")
    if not isinstance(examples, list) or not examples:
        return []
    try:
        program = Program.compile(doc.data, source=doc.path)
    except Exception:  # the schema problems already say why it cannot compile
        return []
    engine = Engine(loaded, {program.id: program}, instruments=_instruments(loaded))
    out: list[Problem] = []
    for i, example in enumerate(examples):
        if _reported_within(already, ("examples", i)):
            continue
        try:
            Case.from_dict(example["case"])
            check = check_example(engine, program, i, doc)
        except Exception as exc:  # a case the schema let through but the engine cannot plan
            out.append(
                problem_at(
                    doc,
                    ("examples", i),
                    f"example '{example.get('name', i)}' cannot be run ({type(exc).__name__})",
                )
            )
            continue
        name = check.name
        for problem in check.problems:
            out.append(
                Problem(
                    problem.file,
                    problem.line,
                    problem.column,
                    problem.path,
                    f"example '{name}' cannot be planned: {problem.message}",
                )
            )
        for diff in check.diffs:
            out.append(
                problem_at(
                    doc,
                    ("examples", i, *diff.path),
                    f"example '{name}' fails: {diff}",
                )
            )
    return out


def _instruments(loaded: LoadedPlugins) -> dict[str, Instrument]:
    """The installed instruments, so that an example's questionnaire responses are scored
    (an invalid one is reported where the instrument file is validated)."""
    from hembesok.engine.engine import registered

    found: dict[str, Instrument] = {}
    for _, instrument in registered(loaded, "hembesok_instruments", load_instrument):
        if isinstance(instrument, Instrument):
            found.setdefault(instrument.id, instrument)
    return found


def strict(problems: Sequence[Problem]) -> list[Problem]:
    """Warnings turned into errors, for `hembesok validate --strict`."""
    return [replace(p, severity="error") if p.severity == "warning" else p for p in problems]

"""Fuzzing as a test: mutated program files, cases, responses and batch lines never end in
an internal error or a traceback, every refusal is a located problem, and no planted
marker (an identity number, a name, an answer) appears in any problem.

CI runs the `ci` profile (a fixed budget); `--hypothesis-profile=long` runs 10 000 inputs
of each kind (docs/fuzzing.md). Every input that once failed is kept below as an example.
"""

import datetime as dt
import json
import signal
from contextlib import contextmanager
from pathlib import Path

import hembesok_vaggeryd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import hembesok.batch as batch
from hembesok.api import Pipeline
from hembesok.authoring.lint import lint_program
from hembesok.engine.engine import Engine
from hembesok.io.documents import DocumentError, load_text, parse_json
from hembesok.io.loading import program_problems
from hembesok.io.problems import InvalidDocument
from hembesok.plugins.manager import make_plugin_manager

ROOT = Path(__file__).parents[2]
PROGRAM = Path(hembesok_vaggeryd.__file__).with_name("program.yaml").read_text("utf-8")
AS_OF = dt.date(2026, 5, 4)
MARKERS = ("191212121212", "Lilla Hemlis", "SVAR-HEMLIGT")
CASE = {
    "case_ref": "ref",
    "child": {"birth_date": "2026-03-10", "identifier": {"system": "pnr", "value": MARKERS[0]}},
    "municipality": "Vaggeryd",
    "first_child": {"either_parent": True},
    "facts": {"nickname": MARKERS[1]},
    "responses": [
        {
            "instrument": "epds",
            "occasion": "bvc_6_8_weeks",
            "date": "2026-04-28",
            "respondent": "birthing_parent",
            "answers": {f"epds_{i}": 1 for i in range(1, 11)},
        }
    ],
}
ENGINE = Engine.from_installed(env={})
PIPELINE = Pipeline(ENGINE)
PLUGINS = make_plugin_manager(modules=[hembesok_vaggeryd], env={})


@contextmanager
def at_most(seconds):
    """Fail a single input that takes too long (an unbounded expansion would)."""

    def stop(signum, frame):
        raise AssertionError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- mutations ------------------------------------------------------------------------------

NASTY = [
    "\x00",
    "\x7f",
    "\x85",
    "\ufffe",
    "\uffff",
    "\ud800",
    "\t",
    "\r",
    "\\",
    '"',
    "'",
    ":",
    "- ",
    "? ",
    "&a ",
    "*a",
    "!!float x",
    "!!timestamp x",
    "!!python/object:os.system",
    "!!binary AAAA",
    "!!set {}",
    "{",
    "}",
    "[",
    "]",
    "9" * 5000,
    "1e999",
    "-1e999",
    "NaN",
    "Infinity",
    "years: 9000",
    "9999-12-31",
    "0000-01-01",
    "<<: *a",
    "%YAML 1.1\n---\n",
]
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)


def mutate(text, choices):
    for kind, where, what in choices:
        at = where % (len(text) + 1)
        if kind == 0:
            text = text[:at] + what + text[at:]
        elif kind == 1:
            text = text[:at] + text[at + len(what) :]
        elif kind == 2:
            line = text.count("\n", 0, at)
            lines = text.split("\n")
            lines.insert(line, lines[line] if line < len(lines) else what)
            text = "\n".join(lines)
        else:
            text = text[:at] + "  " + text[at:]  # an indentation slip
    return text


MUTATIONS = st.lists(
    st.tuples(
        st.integers(0, 3), st.integers(0, 10**6), st.sampled_from(NASTY) | st.text(max_size=8)
    ),
    min_size=1,
    max_size=6,
)


def assert_located(problems, source):
    for problem in problems:
        assert problem.line >= 1 and problem.column >= 1, problem
        assert problem.file == source
        for marker in MARKERS:
            assert marker not in problem.message


# --- program files -------------------------------------------------------------------------


@given(MUTATIONS)
@example([(0, 0, BOMB)])
@example([(0, 0, "a: &a [*a]\n")])
@example([(0, 10**6, "\n  - {age: {years: 9000}}")])
@example([(0, 0, "x: " + "[" * 600 + "]" * 600 + "\n")])
@example([(0, 0, "? ")])  # a null key: once a crash in the quick schema check
@example([(0, 0, "1: a\n")])
@example([(0, 14, "\ud800")])  # text that is not text
def test_a_mutated_program_file_is_valid_or_located_never_an_internal_error(choices):
    text = mutate(PROGRAM, choices)
    with at_most(10):
        try:
            doc = load_text(text, "program.yaml")
        except DocumentError as exc:
            assert exc.position.line >= 1
            return
        found = program_problems(doc)
        found += lint_program(doc, found, PLUGINS)
    assert_located(found, "program.yaml")


# --- cases, responses, batch lines --------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["2026-02-30", "9999-12-31", "20260504", MARKERS[1], "\x7f\x85\uffff"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=20,
)
PATHS = st.lists(
    st.sampled_from(
        [
            "child",
            "birth_date",
            "municipality",
            "first_child",
            "either_parent",
            "responses",
            0,
            "answers",
            "epds_1",
            "date",
            "occasion",
            "respondent",
            "visits_done",
            "declined",
            "facts",
            "moved_in_on",
            "instrument",
            "language",
        ]
    ),
    min_size=1,
    max_size=4,
)


def put(data, path, value):
    node = data
    for key in path[:-1]:
        if isinstance(node, dict) and isinstance(key, str):
            node = node.setdefault(key, {})
        elif isinstance(node, list) and isinstance(key, int) and node:
            node = node[key % len(node)]
        else:
            return
    last = path[-1]
    if isinstance(node, dict) and isinstance(last, str):
        node[last] = value
    elif isinstance(node, list) and isinstance(last, int) and node:
        node[last % len(node)] = value


def planned_or_refused(case_input, source="<case>"):
    try:
        plan = PIPELINE.plan(case_input, AS_OF, source=source)
    except InvalidDocument as exc:
        assert exc.problems
        assert_located(exc.problems, source)
        return None
    text = PIPELINE.render(plan, "json").decode("utf-8")
    for marker in MARKERS[2:]:
        assert marker not in text
    return plan


@given(st.lists(st.tuples(PATHS, JSON_VALUES), min_size=1, max_size=5))
def test_a_changed_case_plans_or_is_refused_with_located_problems(changes):
    case = json.loads(json.dumps(CASE))
    for path, value in changes:
        put(case, path, value)
    with at_most(10):
        planned_or_refused(case)
        planned_or_refused(json.dumps(case, ensure_ascii=False), "case.json")


@given(MUTATIONS)
@example([(0, 1, '"child": {"birth_date": "2026-03-10"},' * 2)])
@example([(0, 0, "[" * 500)])
@example([(0, 200, "9" * 5000)])
@example([(0, 200, "NaN")])
@example([(0, 2, "\ud800")])
def test_mutated_case_text_plans_or_is_refused(choices):
    text = mutate(json.dumps(CASE, ensure_ascii=False), choices)
    with at_most(10):
        planned_or_refused(text, "case.json")


@given(
    st.lists(
        st.binary(max_size=300) | st.text(max_size=200).map(str.encode), min_size=1, max_size=8
    )
)
def test_batch_lines_of_anything_give_one_line_each_and_no_internal_error(lines):
    records = [(i + 1, i + 1, line) for i, line in enumerate(lines) if line.strip()]
    planner = batch.ChunkPlanner(batch.Settings(AS_OF, "in.ndjson"), ENGINE)
    result = planner.plan_chunk(records)
    assert result.internal == 0
    assert result.records == len(records) == result.output.count(b"\n")
    for marker in MARKERS:
        assert marker.encode() not in result.output


@pytest.mark.parametrize(
    "text", ["\x00key: v\n", "key: \x7f\n", "a: !!float x\n", "a: !!timestamp x\n"]
)
def test_characters_and_tags_that_once_crashed_are_located(text):
    with pytest.raises(DocumentError) as caught:
        load_text(text, "p.yaml")
    assert caught.value.position.line == 1


def test_json_that_once_crashed_is_located():
    for text in ('{"a": ' + "9" * 5000 + "}", '{"a": NaN}', '{"a": 1, "a": 2}', '{"a": 1e999}'):
        with pytest.raises(DocumentError):
            parse_json(text, "c.json")
    deep = '{"child": {"birth_date": "2026-03-10"}, "facts": ' + "[" * 600 + "]" * 600 + "}"
    with pytest.raises(InvalidDocument) as caught:
        PIPELINE.plan(deep, AS_OF, source="c.json")
    assert "nested more than 64 levels" in caught.value.problems[0].message

"""The library's error paths: reading, validating and checking the references of a case,
a case in YAML and a questionnaire response. Every problem, its `str`, its JSON form, the
exception's message and the log hold no marker."""

import json

import hembesok_rikshandboken
import pytest
import yaml

import hembesok
from hembesok.api import Pipeline
from hembesok.engine.engine import Engine
from hembesok.io import documents
from hembesok.io.documents import DocumentError, load_text, parse_json
from hembesok.io.loading import load_responses, response_problems
from hembesok.io.problems import InvalidDocument, from_document_error
from hembesok.io.validation import case_problems

from .hostile import params
from .hostile_cases import CASES, PURE_YAML_LEAKS, YAML_CASES
from .hostile_responses import RESPONSES
from .known_leaks import PURE_YAML
from .markers import ANSWER, AS_OF, ENGINE, PNR, RESPONSE, assert_private, leak, planted


def shown(problems, exc=None):
    """Everything a caller can see of some problems and the exception carrying them."""
    out = [str(p) for p in problems]
    out += [repr(p) for p in problems]
    out += [json.dumps([p.to_json() for p in problems], ensure_ascii=False)]
    if exc is not None:
        out += [str(exc), repr(exc), repr(exc.args)]
    return out


@pytest.mark.parametrize("case", params(CASES))
def test_a_hostile_case_is_refused_by_the_pipeline_without_a_marker(case, logs):
    with pytest.raises(InvalidDocument) as caught:
        Pipeline(ENGINE).plan(case.text, hembesok.api.as_of_date(AS_OF), source="case.json")
    found = caught.value.problems
    assert any(case.expect in str(p) for p in found), found
    assert_private(*shown(found, caught.value), caplog=logs)


@pytest.mark.parametrize("case", params(CASES, stages={"parse", "schema", "dates"}))
def test_a_hostile_case_is_refused_by_check_case_and_read_case_without_a_marker(case, logs):
    found = hembesok.check_case(case.text, AS_OF, engine=ENGINE)
    assert any(case.expect in str(p) for p in found), found
    with pytest.raises(InvalidDocument) as caught:
        hembesok.read_case(case.text, AS_OF)
    assert_private(*shown(found), *shown(caught.value.problems, caught.value), caplog=logs)


@pytest.mark.parametrize("case", params(CASES, stages={"schema", "dates"}))
def test_a_hostile_case_as_a_mapping_is_refused_without_a_marker(case, logs):
    """A journal calling the library passes a mapping: no lines, but the same paths."""
    with pytest.raises(InvalidDocument) as caught:
        hembesok.plan_case(json.loads(case.text), AS_OF, engine=ENGINE)
    assert any(case.expect in str(p) for p in caught.value.problems)
    assert_private(*shown(caught.value.problems, caught.value), caplog=logs)


class _PurePythonLoader(yaml.SafeLoader):
    """hembesok's YAML loader as it is where PyYAML has no libyaml."""


_PurePythonLoader.yaml_implicit_resolvers = documents._StrictSafeLoader.yaml_implicit_resolvers


def yaml_params():
    out = []
    for loader in ("libyaml", "pure Python"):
        for case in YAML_CASES:
            if loader == "pure Python" and case.stage != "parse":
                continue  # the loader only reads; what it reads is checked as before
            reason = case.leak or (
                PURE_YAML if loader == "pure Python" and case.id in PURE_YAML_LEAKS else None
            )
            marks = [leak(reason)] if reason else []
            out.append(pytest.param(loader, case, id=f"{loader}: {case.id}", marks=marks))
    return out


@pytest.mark.parametrize(("loader", "case"), yaml_params())
def test_a_hostile_case_in_yaml_is_refused_without_a_marker(loader, case, logs, monkeypatch):
    if loader == "pure Python":
        monkeypatch.setattr(documents, "_StrictSafeLoader", _PurePythonLoader)
    try:
        found = case_problems(load_text(case.text, "case.yaml"))
    except DocumentError as exc:
        found = [from_document_error(exc)]
        assert_private(str(exc), repr(exc))
    assert any(case.expect in str(p) for p in found), found
    assert_private(*shown(found), caplog=logs)


@pytest.mark.parametrize("response", params(RESPONSES))
def test_a_hostile_response_is_refused_without_a_marker(response, logs):
    try:
        doc = parse_json(response.text, "response.json")
    except DocumentError as exc:
        found = [from_document_error(exc)]
        assert_private(str(exc), repr(exc))
    else:
        found = response_problems(doc, ENGINE.instruments)
        with pytest.raises(InvalidDocument) as caught:
            load_responses(doc, ENGINE.instruments)
        assert_private(*shown(caught.value.problems, caught.value))
    assert any(response.expect in str(p) for p in found), found
    assert_private(*shown(found), caplog=logs)


def test_errors_about_identity_numbers_and_answers_never_quote_them():
    bad_case = {
        **planted(),
        "child": {"birth_date": PNR, "identifier": {"system": "personnummer", "value": 1}},
    }
    found = case_problems(parse_json(json.dumps(bad_case), "c.json"))
    assert found
    assert_private(*shown(found))
    bad_response = {**RESPONSE, "answers": {"epds_1": ANSWER}, "respondent": ANSWER}
    engine = Engine.from_modules([hembesok_rikshandboken])
    found = response_problems(parse_json(json.dumps(bad_response), "r.json"), engine.instruments)
    assert len(found) == 2
    assert_private(*shown(found, InvalidDocument(found)))

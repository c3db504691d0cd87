"""What a case names must exist: a misspelt id is a located problem, never a silent miss."""

import datetime as dt
import json
from pathlib import Path

import hembesok_barnsakert
import hembesok_rikshandboken
import hembesok_vaggeryd
import pytest

import hembesok
from hembesok.engine.engine import Engine

AS_OF = dt.date(2026, 5, 4)
RESPONSE = json.loads((Path(__file__).parents[1] / "data" / "epds-response.json").read_text())
CASE = {"child": {"birth_date": "2026-03-10"}, "municipality": "Vaggeryd"}


@pytest.fixture(scope="module")
def engine():
    return Engine.from_modules([hembesok_rikshandboken, hembesok_vaggeryd, hembesok_barnsakert])


def problems(engine, case):
    return [(p.path, p.message) for p in hembesok.check_case(case, AS_OF, engine=engine)]


def test_a_sound_case_has_none(engine):
    assert problems(engine, {**CASE, "responses": [RESPONSE]}) == []


def test_unknown_programs_and_visits_in_visits_done_and_declined(engine):
    case = {
        **CASE,
        "visits_done": [
            {"program": "vaggeryd", "visit": "newbron", "date": "2026-03-24"},
            {"program": "vagerydd", "visit": "newborn", "date": "2026-03-24"},
        ],
        "declined": ["rinkeby"],
    }
    found = problems(engine, case)
    assert [path for path, _ in found] == [
        "$.declined[0]",
        "$.visits_done[0].visit",
        "$.visits_done[1].program",
    ]
    assert "its visits are: newborn, two_months, eight_months" in found[1][1]


def test_an_answer_the_item_does_not_allow_is_located_and_not_quoted(engine):
    bad = {**RESPONSE, "answers": {**RESPONSE["answers"], "epds_1": "Hemligt svar", "epds_99": 1}}
    found = problems(engine, {**CASE, "responses": [bad]})
    assert [path for path, _ in found] == [
        "$.responses[0].answers.epds_1",
        "$.responses[0].answers.epds_99",
    ]
    assert all("Hemligt" not in message for _, message in found)


def test_response_dates_after_as_of_or_before_the_birth(engine):
    later = {**RESPONSE, "date": "2026-05-05"}
    earlier = {**RESPONSE, "date": "2026-03-09", "occasion": None}
    found = problems(
        engine, {**CASE, "responses": [later, {k: v for k, v in earlier.items() if v}]}
    )
    assert found[0] == (
        "$.responses[0].date",
        "is after the as-of date: a questionnaire cannot be answered in the future",
    )
    assert ("$.responses[1].date", "is before the child's birth date") in found


def test_an_unknown_occasion_is_an_error_naming_the_known_ones(engine):
    bad = {**RESPONSE, "occasion": "bvc_6_weeks"}
    ((path, message),) = problems(engine, {**CASE, "responses": [bad]})
    assert path == "$.responses[0].occasion" and "bvc_6_8_weeks" in message


def test_two_responses_at_one_occasion_need_their_respondents(engine):
    one = {k: v for k, v in RESPONSE.items() if k != "respondent"}
    ((path, message),) = problems(engine, {**CASE, "responses": [one, one]})
    assert path == "$.responses[1]" and "respondent" in message
    named = [{**one, "respondent": "parent_1"}, {**one, "respondent": "parent_2"}]
    assert problems(engine, {**CASE, "responses": named}) == []
    by_window = [{k: v for k, v in one.items() if k != "occasion"}] * 2
    assert [p for p, _ in problems(engine, {**CASE, "responses": by_window})] == ["$.responses[1]"]


def test_a_response_no_occasion_holds_is_an_error(engine):
    stray = {k: v for k, v in RESPONSE.items() if k != "occasion"} | {"date": "2026-03-12"}
    ((path, message),) = problems(engine, {**CASE, "responses": [stray]})
    assert path == "$.responses[0].date" and "occasion" in message


def test_the_pipeline_refuses_such_a_case_and_plan_case_says_where(engine):
    with pytest.raises(hembesok.InvalidDocument) as caught:
        hembesok.plan_case({**CASE, "declined": ["nope"]}, AS_OF, engine=engine)
    assert [p.path for p in caught.value.problems] == ["$.declined[0]"]

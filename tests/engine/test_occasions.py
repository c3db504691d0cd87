"""Screening occasions in a plan: due, done or missed, and the results of the answers."""

import datetime as dt
import json
from pathlib import Path

import hembesok_rikshandboken
import pytest

from hembesok import Case, Engine

RESPONSE = json.loads((Path(__file__).parents[1] / "data" / "epds-response.json").read_text())
BIRTH = {"child": {"birth_date": "2026-03-10"}}  # 6–8 week window 2026-04-21 – 2026-05-05


@pytest.fixture(scope="module")
def engine():
    return Engine.from_modules([hembesok_rikshandboken])


def occasions(engine, case, as_of):
    return engine.evaluate(Case.from_dict(case), as_of).program("rikshandboken").screenings


def test_occasion_follows_the_visit_window_until_answered(engine):
    assert [o.status for o in occasions(engine, BIRTH, dt.date(2026, 4, 20))] == ["upcoming"]
    assert [o.status for o in occasions(engine, BIRTH, dt.date(2026, 4, 22))] == ["due"]
    assert [o.status for o in occasions(engine, BIRTH, dt.date(2026, 5, 6))] == ["missed"]


def test_answered_occasion_is_done_with_its_result(engine):
    (occasion,) = occasions(engine, {**BIRTH, "responses": [RESPONSE]}, dt.date(2026, 5, 4))
    assert (occasion.instrument, occasion.visit.visit.id, occasion.status) == (
        "epds",
        "bvc_6_8_weeks",
        "done",
    )
    (result,) = occasion.results
    assert result.domain("depression").status == "flagged"


def test_response_without_occasion_belongs_by_date():
    engine = Engine.from_modules([hembesok_rikshandboken])
    inside = {k: v for k, v in RESPONSE.items() if k != "occasion"}
    outside = {**inside, "date": "2026-05-20"}
    assert (
        occasions(engine, {**BIRTH, "responses": [inside]}, dt.date(2026, 5, 4))[0].status == "done"
    )
    assert (
        occasions(engine, {**BIRTH, "responses": [outside]}, dt.date(2026, 5, 21))[0].status
        == "missed"
    )


def test_two_parents_at_one_occasion_are_two_results(engine):
    # Items 1, 2 and 4 score their option's position; the others are reverse-keyed.
    calm = {f"epds_{i}": 0 if i in (1, 2, 4) else 3 for i in range(1, 11)}
    other = {**RESPONSE, "respondent": "other_parent", "answers": calm}
    (occasion,) = occasions(engine, {**BIRTH, "responses": [RESPONSE, other]}, dt.date(2026, 5, 4))
    flagged = {r.response.respondent: r.domain("depression").status for r in occasion.results}
    assert flagged == {"birthing_parent": "flagged", "other_parent": "not_flagged"}


def test_plan_json_with_occasions_validates(engine):
    from hembesok.io import schemas as schema_store

    plan = engine.evaluate(
        Case.from_dict({**BIRTH, "responses": [RESPONSE]}), dt.date(2026, 5, 4)
    ).to_json()
    assert list(schema_store.validator("plan").iter_errors(plan)) == []
    assert '"answers"' not in json.dumps(plan)


def test_a_visit_made_without_the_questionnaire_is_not_answered(engine):
    done = {
        **BIRTH,
        "visits_done": [
            {"program": "rikshandboken", "visit": "bvc_6_8_weeks", "date": "2026-04-28"}
        ],
    }
    (occasion,) = occasions(engine, done, dt.date(2026, 5, 4))
    assert (occasion.status, occasion.results) == ("not_answered", ())
    (answered,) = occasions(engine, {**done, "responses": [RESPONSE]}, dt.date(2026, 5, 4))
    assert answered.status == "done"


def test_a_response_may_name_the_visit_its_occasion_is_the_same_contact_as():
    import hembesok_barnsakert

    from hembesok.engine.occasions import screening_occasions

    engine = Engine.from_modules([hembesok_rikshandboken, hembesok_barnsakert])
    program = engine.programs["barnsakert"]
    first = program.schedule[0]
    assert first.same_as is not None  # BarnSäkert's first occasion is held at a national visit
    evaluator = program.evaluator
    birth = dt.date(2026, 3, 10)
    visits = evaluator.visits(birth, dt.date(2026, 5, 4), {}, birth, False)
    answers = {i: "no" for i in engine.instruments["barnsakert"].items}
    from hembesok.model.screening import Response

    named_by_the_ordinary_visit = Response(
        "barnsakert", dt.date(2026, 4, 28), answers, "sv", "parent_1", first.same_as[1]
    )
    found = screening_occasions(program, visits, [named_by_the_ordinary_visit], engine.screen)
    assert found[0].visit.visit.id == first.id and found[0].status == "done"

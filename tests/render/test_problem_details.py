"""RFC 9457 problem documents: the one error shape of the command, batch and the service."""

from hembesok.io.problems import Problem
from hembesok.render.problem_details import INVALID_CASE, invalid_case, problem

FOUND = [
    Problem("case.json", 2, 5, "$.child.birth_date", "must be a date written YYYY-MM-DD"),
    Problem("case.json", 4, 3, "$.municipality", "must be a string, not an integer"),
]


def test_invalid_case_lists_every_located_problem():
    doc = invalid_case(FOUND)
    assert doc["type"] == INVALID_CASE
    assert doc["title"] == "The case has problems"
    assert doc["detail"].startswith("2 problems")
    assert "status" not in doc  # no HTTP status outside HTTP
    assert [(p["line"], p["column"], p["path"]) for p in doc["problems"]] == [
        (2, 5, "$.child.birth_date"),
        (4, 3, "$.municipality"),
    ]


def test_status_and_fields_when_asked():
    doc = invalid_case(FOUND[:1], status=422, field_of=lambda p: p.path[2:])
    assert doc["status"] == 422
    assert doc["detail"].startswith("1 problem;")
    assert doc["problems"][0]["field"] == "child.birth_date"


def test_problem_carries_extension_members():
    doc = problem("about:blank", "Not found", status=404, detail=None, hint="x")
    assert doc == {"type": "about:blank", "title": "Not found", "status": 404, "hint": "x"}

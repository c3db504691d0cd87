"""The CSV column mapping: header checks, cell conversion, located problems without values."""

import pytest

from hembesok.io.csv_cases import CsvLayout
from hembesok.io.problems import InvalidDocument
from hembesok.io.validation import case_problems

HEADER = [
    "case_ref",
    "child.birth_date",
    "municipality",
    "first_child.either_parent",
    "needs_support",
    "child.gestational_age.weeks",
    "declined",
    "visits_done",
    "facts.siblings:number",
    "facts.interpreter:boolean",
    "facts.language",
]


@pytest.fixture
def layout():
    return CsvLayout.from_header(HEADER, "cases.csv")


def test_a_full_row_becomes_the_case_it_describes(layout):
    row = [
        "r1",
        "2026-03-10",
        "Vaggeryd",
        "Ja",
        "no",
        "38",
        "rinkeby; goteborg",
        "vaggeryd:newborn:2026-03-25; vaggeryd:two_months:2026-05-08",
        "2",
        "1",
        "0665",
    ]
    case, found = layout.to_case(row, 2)
    assert found == []
    assert case == {
        "case_ref": "r1",
        "child": {"birth_date": "2026-03-10", "gestational_age": {"weeks": 38}},
        "municipality": "Vaggeryd",
        "first_child": {"either_parent": True},
        "needs_support": False,
        "declined": ["rinkeby", "goteborg"],
        "visits_done": [
            {"program": "vaggeryd", "visit": "newborn", "date": "2026-03-25"},
            {"program": "vaggeryd", "visit": "two_months", "date": "2026-05-08"},
        ],
        "facts": {"siblings": 2, "interpreter": True, "language": "0665"},
    }
    assert case_problems(layout.document(case, 2)) == []


def test_empty_cells_leave_the_fact_unknown_and_a_short_row_is_padded(layout):
    case, found = layout.to_case(["", "2026-03-10", " ", ""], 3)
    assert found == []
    assert case == {"child": {"birth_date": "2026-03-10"}}


def test_cell_problems_name_line_column_and_field_but_not_the_value(layout):
    row = ["r1", "", "Vaggeryd", "kanske", "", "trettioåtta", "", "vaggeryd-newborn", "två", "", ""]
    _, found = layout.to_case(row, 7)
    shown = [(p.line, p.column, layout.field_of(p), p.message) for p in found]
    assert shown == [
        (7, 2, "child.birth_date", "must not be empty: every case needs a birth date"),
        (
            7,
            4,
            "first_child.either_parent",
            "must be true or false (also accepted: yes/no, ja/nej, 1/0)",
        ),
        (7, 6, "child.gestational_age.weeks", "must be a whole number"),
        (7, 8, "visits_done", "must list visits as program:visit:YYYY-MM-DD, separated by ';'"),
        (7, 9, "facts.siblings:number", "must be a number"),
    ]
    text = " ".join(str(p) for p in found)
    for value in ("kanske", "trettioåtta", "vaggeryd-newborn", "två"):
        assert value not in text


def test_schema_problems_point_at_the_cell_of_their_column(layout):
    row = [
        "r1",
        "2026-02-30",
        "Vaggeryd",
        "",
        "",
        "12",
        "",
        "vaggeryd:newborn:2026-13-01",
        "",
        "",
        "",
    ]
    case, found = layout.to_case(row, 5)
    assert found == []
    problems = case_problems(layout.document(case, 5))
    located = sorted((p.column, layout.field_of(p), p.path) for p in problems)
    assert located == [
        (2, "child.birth_date", "$.child.birth_date"),
        (6, "child.gestational_age.weeks", "$.child.gestational_age.weeks"),
        (8, "visits_done", "$.visits_done[0].date"),
    ]
    assert all(p.line == 5 for p in problems)


def test_more_cells_than_columns_is_a_problem_unless_they_are_empty(layout):
    base = ["r1", "2026-03-10", "Vaggeryd", "", "", "", "", "", "", "", ""]
    assert layout.to_case([*base, "", " "], 2)[1] == []
    [problem] = layout.to_case([*base, "extra"], 2)[1]
    assert problem.column == 12 and "more cells" in problem.message


def test_bytes_that_were_not_utf8_are_reported_per_cell(layout):
    broken = b"V\xe4ggeryd".decode("utf-8", errors="surrogateescape")
    _, [problem] = layout.to_case(["r1", "2026-03-10", broken], 2)
    assert (problem.column, problem.message) == (3, "is not UTF-8 text")


def test_header_problems_are_all_reported_with_a_suggestion():
    with pytest.raises(InvalidDocument) as caught:
        CsvLayout.from_header(["muncipality", "listed_bvc", "listed_bvc", "facts.Bad"], "x.csv")
    messages = [(p.column, p.message) for p in caught.value.problems]
    assert messages == [
        (1, "unknown column 'muncipality'; did you mean 'municipality'?"),
        (3, "column 'listed_bvc' is named twice"),
        (
            4,
            "unknown column 'facts.Bad'; see docs/batch.md for the column names (facts.NAME for a region's own facts)",
        ),
        (1, "no column 'child.birth_date': every case needs one"),
    ]


def test_a_first_row_that_names_no_known_column_is_never_shown():
    row = ["191212121212", "2026-03-10", "Vaggeryd", "Lilla Hemlis", "anna"]
    with pytest.raises(InvalidDocument) as caught:
        CsvLayout.from_header(row, "x.csv")
    [problem] = caught.value.problems
    assert (problem.line, problem.column, problem.path) == (1, 1, "header")
    assert "no known column" in problem.message
    for cell in row:
        assert cell not in problem.message


def test_a_header_cell_that_does_not_look_like_a_name_is_not_quoted():
    with pytest.raises(InvalidDocument) as caught:
        CsvLayout.from_header(["child.birth_date", "191212121212", "19121212-1212"], "x.csv")
    messages = [(p.column, p.message) for p in caught.value.problems]
    assert all("1212" not in message for _, message in messages)
    assert [column for column, _ in messages] == [2, 3]
    assert messages[0][1].startswith(
        "unknown column (not shown: it does not look like a column name)"
    )

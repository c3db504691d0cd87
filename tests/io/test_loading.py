"""What a schema cannot check in a program file, checked when it loads, each at its line."""

from pathlib import Path

from hembesok.io.documents import parse_yaml
from hembesok.io.loading import program_problems

BASE = (Path(__file__).parents[1] / "data" / "preterm-program.yaml").read_text(encoding="utf-8")


def problems(extra: str, base: str = BASE) -> list[tuple[int, str, str]]:
    doc = parse_yaml(base + extra, "p.yaml")
    return [(p.line, p.path, p.message) for p in program_problems(doc)]


def test_the_test_program_itself_is_sound():
    assert problems("") == []


def test_doses_must_name_a_vaccine_a_visit_and_be_unique():
    text = BASE.replace(
        "given_at: bvc_18_months}",
        "given_at: bvc_18_months}\n"
        "  - {id: mpr_2, vaccine: mpr, dose: 1, age: {months: 20}, window: {before: {days: 0}, after: {months: 1}}}\n"
        "  - {id: home_newborn, vaccine: bcg, dose: 1, age: {weeks: 1}, window: {before: {days: 0}, after: {weeks: 1}}, given_at: bvc_5_years}",
    )
    found = problems("", text)
    messages = [(path, message.split(";")[0]) for _, path, message in found]
    assert messages == [
        ("$.vaccinations[2].dose", "dose 1 of 'mpr' is listed twice (first at vaccinations[1])"),
        (
            "$.vaccinations[3].id",
            "id 'home_newborn' is already used by a visit or dose of this program",
        ),
        ("$.vaccinations[3].vaccine", "names no vaccine of `vaccines`"),
        ("$.vaccinations[3].given_at", "names no visit of this program"),
    ]
    assert [line for line, _, _ in found] == [15, 16, 16, 16]


def test_a_course_start_names_a_dose_listed_before():
    text = BASE.replace(
        "given_at: bvc_18_months}",
        "given_at: bvc_18_months, course_start: mpr_2}\n"
        "  - {id: mpr_2, vaccine: mpr, dose: 2, age: {months: 20}, "
        "window: {before: {days: 0}, after: {months: 1}}, course_start: mpr_2}\n"
        "  - {id: rota_2, vaccine: rotavirus, dose: 2, age: {weeks: 12}, "
        "window: {before: {days: 0}, after: {weeks: 1}}, course_start: home_newborn}\n"
        "  - {id: rota_3, vaccine: rotavirus, dose: 3, age: {weeks: 20}, "
        "window: {before: {days: 0}, after: {weeks: 1}}, course_start: rota_1}",
    )
    found = problems("", text)
    assert [(line, path, message) for line, path, message in found] == [
        (
            14,
            "$.vaccinations[1].course_start",
            "names no dose listed before this one; they are: rota_1",
        ),
        (
            15,
            "$.vaccinations[2].course_start",
            "names no dose listed before this one; they are: rota_1, mpr_1",
        ),
        (
            16,
            "$.vaccinations[3].course_start",
            "names no dose listed before this one; they are: rota_1, mpr_1, mpr_2",
        ),
    ]  # a later dose, the dose itself, a visit; rota_3 names rota_1 rightly


SITES = """sites:
  match: [listed_bvc, municipality]
  attributes:
    cni: {title: {sv: CNI, en: CNI}, type: number}
  list:
    - id: a
      name: A
      visits: [bvc_6_months, bvc_7_months]
      attributes:
        cni:
          - {value: 1.4, from: "2023-01-01", to: "2023-12-31"}
          - {value: 1.2, from: "2023-06-01"}
          - {value: "high", from: "2025-01-01", to: "2024-01-01"}
        colour: blue
"""


def test_site_data_must_be_declared_typed_and_one_value_per_day():
    found = problems(SITES)
    assert [(line, path, message.split(";")[0]) for line, path, message in found] == [
        (28, "$.sites.list[0].visits[1]", "names no visit of this program"),
        (
            32,
            "$.sites.list[0].attributes.cni[1]",
            "the periods cni[0] and cni[1] overlap: each date must have one value",
        ),
        (
            33,
            "$.sites.list[0].attributes.cni[2]",
            "the periods cni[1] and cni[2] overlap: each date must have one value",
        ),
        (33, "$.sites.list[0].attributes.cni[2]", "its `to` must not be before its `from`"),
        (
            33,
            "$.sites.list[0].attributes.cni[2].value",
            "'cni' is declared as number: write a number",
        ),
        (34, "$.sites.list[0].attributes.colour", "attribute 'colour' is not declared"),
    ]


def test_examples_may_only_expect_what_the_program_has():
    extra = """examples:
  - name: x
    as_of: "2025-06-01"
    case: {child: {birth_date: "2025-01-01"}}
    expect: {decision: eligible, age_basis: {bvc_7_months: corrected}, vaccinations: {bcg_1: done}}
"""
    found = problems(extra)
    assert [(path, message.split(";")[0]) for _, path, message in found] == [
        ("$.examples[0].expect.age_basis.bvc_7_months", "names no visit of this program"),
        ("$.examples[0].expect.vaccinations.bcg_1", "names no vaccine dose of this program"),
    ]

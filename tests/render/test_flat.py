"""The flat rows of a plan say what the plan document says, one row per thing, typed."""

import datetime as dt
import json
from pathlib import Path

import pytest

from hembesok.engine.engine import Engine
from hembesok.model.case import Case
from hembesok.render import flat

ROOT = Path(__file__).parents[2]
EXAMPLES = sorted(
    p for p in (ROOT / "examples").glob("*.json") if "child" in json.loads(p.read_text())
)
DATES = [dt.date(2026, 5, 4), dt.date(2026, 11, 1), dt.date(2031, 1, 31)]


@pytest.fixture(scope="module")
def engine():
    return Engine.from_installed(env={})


def cases():
    for path in EXAMPLES:
        data = json.loads(path.read_text(encoding="utf-8"))
        for day in DATES:
            if data["child"]["birth_date"] <= day.isoformat():
                yield path.name, data, day


def by_name(table, row):
    return dict(zip(flat.column_names(table), row, strict=True))


def test_every_row_has_its_tables_columns_with_their_types(engine):
    checks = {
        flat.STRING: lambda v: isinstance(v, str),
        flat.CATEGORY: lambda v: isinstance(v, str),
        flat.DATE: lambda v: type(v) is dt.date,
        flat.BOOL: lambda v: isinstance(v, bool),
        flat.INT32: lambda v: isinstance(v, int) and not isinstance(v, bool),
        flat.STRINGS: lambda v: isinstance(v, list) and all(isinstance(s, str) for s in v),
    }
    assert set(checks) == flat.TYPES
    seen = dict.fromkeys(flat.TABLES, 0)
    for _name, data, day in cases():
        rows = flat.plan_rows(engine.evaluate(Case.from_dict(data), day), 7, data)
        for table, table_rows in zip(flat.TABLES, rows, strict=True):
            columns = flat.COLUMNS[table]
            for row in table_rows:
                seen[table] += 1
                assert len(row) == len(columns)
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        assert column.nullable, (table, column.name)
                    else:
                        assert checks[column.type](value), (table, column.name, value)
    assert all(seen.values()), seen  # the examples give rows of every table


def test_rows_say_what_the_plan_document_says(engine):
    for name, data, day in cases():
        plan = engine.evaluate(Case.from_dict(data), day)
        doc = plan.to_json()
        rows = flat.plan_rows(plan, 3, data)
        ref = data.get("case_ref", "#3")
        decisions = [by_name(flat.DECISIONS, r) for r in rows.decisions]
        assert [(d["case_ref"], d["as_of"], d["program"]) for d in decisions] == [
            (ref, day, p["program"]["id"]) for p in doc["programs"]
        ], name
        expected_visits = []
        expected_screenings = []
        for d, p in zip(decisions, doc["programs"], strict=True):
            assert d["program_version"] == p["program"]["version"]
            assert d["status"] == p["decision"]["status"]
            assert d["declined"] == p["decision"]["declined"]
            assert d["missing_facts"] == p["decision"]["missing_facts"]
            assert d["municipality"] == data.get("municipality")
            enrolment = p["decision"].get("enrolment_date")
            assert d["enrolment_date"] == (dt.date.fromisoformat(enrolment) if enrolment else None)
            if p["decision"]["status"] != "eligible":
                continue
            for v in p["visits"]:
                replaced = v.get("replaced_by")
                expected_visits.append(
                    (
                        p["program"]["id"],
                        "visit",
                        v["id"],
                        v["target_date"],
                        v["window"]["start"],
                        v["window"]["end"],
                        v["status"],
                        v.get("done_on"),
                        f"{replaced['program']}/{replaced['visit']}" if replaced else None,
                        v["setting"],
                        v["staff"],
                    )
                )
            for v in p["vaccinations"]:
                expected_visits.append(
                    (
                        p["program"]["id"],
                        "dose",
                        v["id"],
                        v["target_date"],
                        v["window"]["start"],
                        v["window"]["end"],
                        v["status"],
                        v.get("given_on"),
                        None,
                        None,
                        [],
                    )
                )
            for s in p["screenings"]:
                head = (p["program"]["id"], s["instrument"], s["visit"], s["status"])
                head += (s["window"]["start"], s["window"]["end"])
                if not s["results"]:
                    expected_screenings.append((*head, None, None, None, None))
                for result in s["results"]:
                    for domain in result["domains"]:
                        expected_screenings.append(
                            (
                                *head,
                                result["date"],
                                domain["id"],
                                domain["status"],
                                domain.get("score"),
                            )
                        )

        def iso(value):
            return value.isoformat() if isinstance(value, dt.date) else value

        visits = [
            tuple(iso(v) for v in row[2:3] + row[4:]) for row in rows.visits
        ]  # without case_ref, as_of and bvc
        assert visits == expected_visits, name
        screenings = [tuple(iso(v) for v in row[2:3] + row[4:-1]) for row in rows.screenings]
        assert screenings == expected_screenings, name
        assert all(r[0] == ref and r[1] == day for r in rows.visits + rows.screenings)


def test_the_bvc_is_the_site_the_decision_was_made_at_else_the_cases_own(engine):
    data = {
        "case_ref": "r1",
        "child": {"birth_date": "2026-03-10"},
        "listed_bvc": "BVC Rinkeby",  # an alias of the site
        "municipality": "Stockholm",
        "first_child": {"either_parent": True, "birthing_parent": True},
    }
    plan = engine.evaluate(Case.from_dict(data), dt.date(2026, 5, 4))
    rows = flat.plan_rows(plan, 1, data)
    bvc = {
        by_name(flat.DECISIONS, r)["program"]: by_name(flat.DECISIONS, r)["bvc"]
        for r in rows.decisions
    }
    assert bvc["rinkeby"] == "Rinkeby BVC"  # the site's own name, not the alias
    assert bvc["rikshandboken"] == "BVC Rinkeby"  # no sites: the case's own
    assert {by_name(flat.DECISIONS, r)["municipality"] for r in rows.decisions} == {"Stockholm"}
    rinkeby_visits = [r for r in rows.visits if r[2] == "rinkeby"]
    assert rinkeby_visits
    assert {r[3] for r in rinkeby_visits} == {"Rinkeby BVC"}
    # without the case's data: only what the plan knows
    alone = flat.plan_rows(plan, 1)
    assert {by_name(flat.DECISIONS, r)["municipality"] for r in alone.decisions} == {None}


def test_a_case_without_case_ref_is_keyed_by_its_record_number(engine):
    data = {"child": {"birth_date": "2026-03-10"}}
    plan = engine.evaluate(Case.from_dict(data), dt.date(2026, 5, 4))
    rows = flat.plan_rows(plan, 17, data)
    assert {r[0] for r in rows.decisions + rows.visits} == {"#17"}
    assert flat.case_ref_of(plan, 17) == "#17"


def test_no_identity_number_or_answer_reaches_a_row(engine):
    path = ROOT / "examples" / "barnsakert-case.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["child"]["identifier"] = {"system": "urn:oid:1.2.752.129.2.1.3.1", "value": "201603102383"}
    plan = engine.evaluate(Case.from_dict(data), dt.date(2026, 5, 4))
    rows = flat.plan_rows(plan, 1, data)
    assert rows.screenings and any(r[-3] is not None for r in rows.screenings)
    cells = repr(rows)
    assert "201603102383" not in cells
    items = {item for response in data["responses"] for item in response["answers"]}
    assert items and not any(item in cells for item in items)  # not even which were answered


def test_the_column_lists_are_read_only():
    with pytest.raises(TypeError):
        flat.COLUMNS["extra"] = ()  # type: ignore[index]
    assert flat.TABLES == ("decisions", "visits", "screenings")
    assert flat.column_names(flat.VISITS)[:4] == ("case_ref", "as_of", "program", "bvc")

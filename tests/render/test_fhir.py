"""A plan as a FHIR R4 Bundle: valid for the FHIR library for every example case, one
CarePlan per offered program, statuses mapped as docs/fhir.md says."""

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from hembesok.api import Pipeline
from hembesok.engine.engine import Engine
from hembesok.model.fhir_systems import ACTIVITY_STATUS, CASE_REF, SHA256, STATUS
from hembesok.model.plan import ELIGIBLE

ROOT = Path(__file__).parents[2]
ENGINE = Engine.from_installed(env={})
#: Every example that is a case (the examples also hold responses and a history).
CASES = sorted(
    p
    for p in (ROOT / "examples").glob("*.json")
    if isinstance(data := json.loads(p.read_text()), dict) and "child" in data
)


def as_of_dates(case):
    """The case's latest date, some months on, and after every window: each status shows."""
    dates = re.findall(r'"([0-9]{4}-[0-9]{2}-[0-9]{2})"', json.dumps(case))
    latest = max(dt.date.fromisoformat(d) for d in dates)
    return [(latest + dt.timedelta(days=days)).isoformat() for days in (0, 120, 400, 2200)]


#: The R4 (4.0.1) value sets of the codes written (required bindings).
R4_ACTIVITY_STATUS = {
    "not-started",
    "scheduled",
    "in-progress",
    "on-hold",
    "completed",
    "cancelled",
    "stopped",
    "unknown",
    "entered-in-error",
}
R4_REQUEST_STATUS = {
    "draft",
    "active",
    "on-hold",
    "revoked",
    "completed",
    "entered-in-error",
    "unknown",
}


def written(pipeline, case, as_of):
    plan = pipeline.plan(case, dt.date.fromisoformat(as_of))
    return plan, pipeline.render(plan, "fhir")


def test_there_are_example_cases():
    assert len(CASES) >= 15
    assert not any(p.name == "barnsakert-response.json" for p in CASES)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_every_example_validates_and_has_a_careplan_per_offered_program(path):
    pipeline = Pipeline(ENGINE)
    case = json.loads(path.read_text())
    for as_of in as_of_dates(case):
        plan, body = written(pipeline, case, as_of)
        Bundle.model_validate_json(body)  # the library's own validation
        bundle = json.loads(body)
        assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "collection")
        careplans = [e["resource"] for e in bundle.get("entry", [])]
        offered = [p for p in plan.programs if p.decision.status == ELIGIBLE]
        assert len(careplans) == len(offered)
        for part, careplan in zip(offered, careplans, strict=True):
            check_careplan(part, careplan)


def check_careplan(part, careplan):
    program = part.program
    assert careplan["instantiatesCanonical"] == [
        f"urn:hembesok:program:{program.id}|{program.version}"
    ]
    assert careplan["instantiatesUri"] == [f"{SHA256}:{program.sha256}"]
    assert careplan["intent"] == "plan"
    assert careplan["status"] in R4_REQUEST_STATUS
    assert careplan["title"] == program.title["sv"]
    activities = careplan.get("activity", [])
    planned = [*part.visits, *part.vaccinations]
    assert len(activities) == len(planned)
    for item, activity in zip(planned, activities, strict=True):
        detail = activity["detail"]
        assert detail["status"] == ACTIVITY_STATUS[item.status]
        assert detail["status"] in R4_ACTIVITY_STATUS
        assert detail["statusReason"]["coding"][0] == {
            **detail["statusReason"]["coding"][0],
            "system": STATUS,
            "code": item.status,
        }
        assert detail["scheduledPeriod"] == {
            "start": item.window.start.isoformat(),
            "end": item.window.end.isoformat(),
        }
        ident = item.visit.id if hasattr(item, "visit") else item.dose.id
        assert detail["code"]["coding"][0]["code"] == ident
    contained = {r["id"]: r for r in careplan.get("contained", [])}
    for visit, activity in zip(part.visits, activities, strict=False):
        detail = activity["detail"]
        location = contained[detail["location"]["reference"][1:]]
        assert location["resourceType"] == "Location"
        assert location["type"][0]["coding"][0]["code"] == visit.visit.setting
        roles = [contained[p["reference"][1:]] for p in detail["performer"]]
        assert [r["code"][0]["coding"][0]["code"] for r in roles] == list(visit.visit.staff)


def test_statuses_map_into_the_r4_value_sets():
    assert set(ACTIVITY_STATUS.values()) <= R4_ACTIVITY_STATUS
    assert set(ACTIVITY_STATUS) == {
        "upcoming",
        "due",
        "done",
        "missed",
        "not_offered",
        "declined",
        "replaced",
        "not_started",
    }


def bundle_of(case, as_of="2026-09-01"):
    body = Pipeline(ENGINE).render(
        Pipeline(ENGINE).plan(case, dt.date.fromisoformat(as_of)), "fhir"
    )
    Bundle.model_validate_json(body)
    return json.loads(body), body


def careplan(bundle, program_id):
    (found,) = [
        e["resource"]
        for e in bundle.get("entry", [])
        if e["resource"]["id"] == "hembesok-" + program_id.replace("_", "-")
    ]
    return found


GOTEBORG = json.loads((ROOT / "examples" / "goteborg-first-child-opaltorget.json").read_text())


def test_a_visit_done_missed_and_replaced_each_maps_with_its_reason():
    case = json.loads(json.dumps(GOTEBORG))
    birth = dt.date.fromisoformat(case["child"]["birth_date"])
    plan = Pipeline(ENGINE).plan(case, birth + dt.timedelta(days=200))
    goteborg = plan.program("goteborg")
    first = goteborg.visits[0]
    case["visits_done"] = [
        {"program": "goteborg", "visit": first.visit.id, "date": first.window.start.isoformat()}
    ]
    bundle, _ = bundle_of(case, (birth + dt.timedelta(days=200)).isoformat())
    details = [a["detail"] for a in careplan(bundle, "goteborg")["activity"]]
    reasons = {d["statusReason"]["coding"][0]["code"]: d["status"] for d in details}
    assert reasons["done"] == "completed"
    assert reasons["missed"] == "cancelled"
    assert reasons["upcoming"] == "not-started"
    national = [a["detail"] for a in careplan(bundle, "rikshandboken")["activity"]]
    replaced = [d for d in national if d["statusReason"]["coding"][0]["code"] == "replaced"]
    assert replaced, "Göteborg's visits replace the national home visits"
    assert all(d["status"] == "cancelled" for d in replaced)
    assert all(d["description"].startswith("Ersätts av") for d in replaced)
    assert all(
        d["_description"]["extension"][0]["extension"][1]["valueString"].startswith("Replaced by")
        for d in replaced
    )


def test_not_offered_and_undetermined_programs_get_no_careplan():
    case = json.loads((ROOT / "examples" / "nassjo-undetermined.json").read_text())
    bundle, _ = bundle_of(case)
    ids = [e["resource"]["id"] for e in bundle["entry"]]
    assert ids == ["hembesok-rikshandboken"]  # nassjo undetermined, the rest not eligible


def test_a_declined_program_is_revoked():
    case = {**GOTEBORG, "declined": ["goteborg"]}
    bundle, _ = bundle_of(case)
    assert careplan(bundle, "goteborg")["status"] == "revoked"


def test_the_subject_carries_only_what_the_case_gave():
    pnr = "201903212389"
    with_identifier = json.loads(json.dumps(GOTEBORG))
    with_identifier.pop("case_ref", None)
    with_identifier["child"]["identifier"] = {
        "system": "http://electronichealth.se/identifier/personnummer",
        "value": pnr,
    }
    bundle, body = bundle_of(with_identifier)
    assert careplan(bundle, "goteborg")["subject"] == {
        "identifier": {"system": "http://electronichealth.se/identifier/personnummer", "value": pnr}
    }
    bundle, body = bundle_of({**GOTEBORG, "case_ref": "Patient/abc-123"})
    assert careplan(bundle, "goteborg")["subject"] == {"reference": "Patient/abc-123"}
    bundle, body = bundle_of({**GOTEBORG, "case_ref": "ärende 7"})
    assert careplan(bundle, "goteborg")["subject"] == {
        "identifier": {"system": CASE_REF, "value": "ärende 7"}
    }
    bare = {k: v for k, v in GOTEBORG.items() if k != "case_ref"}
    bundle, body = bundle_of(bare)
    subject = careplan(bundle, "goteborg")["subject"]
    assert set(subject) == {"display", "_display"} and subject["display"] == "barnet"
    assert pnr.encode() not in body


def test_what_a_program_writes_the_same_way_is_prepared_once_per_pipeline():
    pipeline = Pipeline(ENGINE)
    plan = pipeline.plan(GOTEBORG, dt.date(2026, 9, 1))
    first = pipeline.render(plan, "fhir")
    prepared = dict(pipeline.state.prepared["fhir"])
    assert {pid for pid, _ in prepared} == {"goteborg", "rikshandboken"}
    again = pipeline.render(plan, "fhir")
    assert again == first
    assert all(pipeline.state.prepared["fhir"][k] is v for k, v in prepared.items())


def test_titles_are_swedish_with_english_translations():
    bundle, _ = bundle_of(GOTEBORG)
    plan = careplan(bundle, "goteborg")
    translation = plan["_title"]["extension"][0]
    assert translation["url"] == "http://hl7.org/fhir/StructureDefinition/translation"
    assert translation["extension"][0] == {"url": "lang", "valueCode": "en"}
    home = next(r for r in plan["contained"] if r["id"] == "setting-home")
    assert home["name"] == "barnets hem"
    assert home["physicalType"]["coding"][0] == {
        "system": "http://terminology.hl7.org/CodeSystem/location-physical-type",
        "code": "ho",
        "display": "House",
    }
    roles = {
        r["code"][0]["coding"][0]["code"]: r
        for r in plan["contained"]
        if r["resourceType"] == "PractitionerRole"
    }
    assert roles["foraldrastodjare"]["code"][0]["coding"][0]["display"] == "föräldrastödjare"

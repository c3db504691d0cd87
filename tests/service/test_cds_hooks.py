"""CDS Hooks 2.0: discovery, the patient-view service's cards, and its errors.

Requests have the shape of the specification's patient-view example (hookInstance, fhirServer,
fhirAuthorization, context with userId Practitioner/example, patientId and encounterId, and a
Patient as prefetch), with the hembesok case as a second prefetch key. Answers are checked
against tests/data/cds-hooks-2.0.schema.json, written from the specification's tables.
Most calls go to the ASGI application in this process; one goes over a real loopback socket.
"""

import asyncio
import copy
import datetime as dt
import http.client
import json
import uuid
from pathlib import Path

import jsonschema
import pytest

from hembesok.engine.engine import Engine
from hembesok.service.cds_hooks import PREFETCH, SERVICE_ID
from hembesok.service.openapi import openapi_document
from hembesok.service.routes import ROUTES
from hembesok.service.server import create_app

ROOT = Path(__file__).parents[2]
ENGINE = Engine.from_installed(env={})
SPEC = json.loads((ROOT / "tests" / "data" / "cds-hooks-2.0.schema.json").read_text("utf-8"))
PATH = f"/cds-services/{SERVICE_ID}"
JSON = {"content-type": "application/json"}
PERSONNUMMER = "20260101-2384"
VERSIONS = {p.id: p.version for p in ENGINE.programs.values()}


def spec_validator(part):
    return jsonschema.Draft202012Validator({**SPEC, "$ref": f"#/$defs/{part}"})


def app_on(day):
    return create_app(ENGINE, today=lambda: dt.date.fromisoformat(day))


def call(app, method, path, body=b"", headers=None):
    """One request through the ASGI application, as a server would send it: (status, body)."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("ascii"),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent = []

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.Event().wait()

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    answer = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    media = dict(start["headers"]).get(b"content-type", b"").decode("latin-1")
    return start["status"], media, answer


def hook_request(case, birth_date="2026-01-01", patient_id="1288992"):
    """The specification's patient-view example, with our case as a second prefetch key."""
    return {
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "fhirServer": "http://hooks.smarthealthit.org:9080",
        "hook": "patient-view",
        "fhirAuthorization": {
            "access_token": "some-opaque-fhir-access-token",
            "token_type": "Bearer",
            "expires_in": 300,
            "scope": "user/Patient.read user/Observation.read",
            "subject": "cds-service4",
        },
        "context": {
            "userId": "Practitioner/example",
            "patientId": patient_id,
            "encounterId": "89284",
        },
        "prefetch": {
            "patient": {
                "resourceType": "Patient",
                "gender": "female",
                "birthDate": birth_date,
                "id": patient_id,
                "active": True,
                "identifier": [
                    {
                        "system": "http://electronichealth.se/identifier/personnummer",
                        "value": PERSONNUMMER,
                    }
                ],
            },
            "hembesokCase": case,
        },
    }


def post(day, request):
    status, media, body = call(app_on(day), "POST", PATH, json.dumps(request).encode(), JSON)
    assert PERSONNUMMER.encode() not in body
    assert b"Traceback" not in body
    return status, media, json.loads(body)


def cards_of(day, case, **patient):
    status, media, answer = post(day, hook_request(case, **patient))
    assert (status, media) == (200, "application/json"), answer
    assert list(spec_validator("response").iter_errors(answer)) == []
    return answer["cards"]


NEWBORN = {"child": {"birth_date": "2026-01-01"}}
EPDS = json.loads((ROOT / "tests" / "data" / "epds-response.json").read_text("utf-8"))
EPDS["answers"]["epds_10"] = 1  # "ibland": thoughts of self-harm, flagged whatever the total
DEPRESSED = {
    "case_ref": "bvc-epds-1",
    "child": {"birth_date": "2026-03-10"},
    "visits_done": [
        {"program": "rikshandboken", "visit": "home_newborn", "date": "2026-03-20"},
        {"program": "rikshandboken", "visit": "bvc_4_weeks", "date": "2026-04-07"},
        {"program": "rikshandboken", "visit": "bvc_6_8_weeks", "date": "2026-04-28"},
    ],
    "responses": [EPDS],
}


# --- discovery ------------------------------------------------------------------------


def test_discovery_lists_the_patient_view_service_with_its_prefetch_templates():
    status, media, body = call(app_on("2026-05-04"), "GET", "/cds-services")
    answer = json.loads(body)
    assert (status, media) == (200, "application/json")
    assert list(spec_validator("discovery").iter_errors(answer)) == []
    (service,) = answer["services"]
    assert (service["id"], service["hook"]) == (SERVICE_ID, "patient-view")
    assert service["prefetch"] == {
        "patient": "Patient/{{context.patientId}}",
        "hembesokCase": PREFETCH["hembesokCase"],
    }
    assert "{{context.patientId}}" in service["prefetch"]["hembesokCase"]
    for text in (service["title"], service["description"], service["usageRequirements"]):
        swedish, english = text.split(" / ")
        assert swedish and english
    assert "412" in service["usageRequirements"]


def test_the_openapi_document_lists_the_cds_hooks_endpoints():
    paths = openapi_document(ROUTES)["paths"]
    assert "get" in paths["/cds-services"]
    operation = paths[PATH]["post"]
    assert {"400", "404", "412", "422"} <= set(operation["responses"])
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body["properties"]["prefetch"]["properties"]["hembesokCase"]["$ref"] == (
        "#/components/schemas/case"
    )


# --- cards ----------------------------------------------------------------------------


def test_the_spec_example_request_gets_cards_of_the_spec_structure():
    cards = cards_of("2026-02-20", NEWBORN)
    assert cards
    for card in cards:
        uuid.UUID(card["uuid"])
        label = card["source"]["label"]
        program, version = label.removeprefix("hembesok · ").split(" ")
        assert VERSIONS[program] == version
        assert set(card["source"]) == {"label", "topic"}  # no url, no icon: nothing outside
        assert "links" not in card and "suggestions" not in card
        assert "http" not in card["detail"] and "](" not in card["detail"]
        swedish, english = card["detail"].split("\n\n---\n\n")
        assert swedish.startswith("**") and english.startswith("**English**")


def test_a_due_visit_is_an_info_card_and_nothing_due_is_no_card():
    assert cards_of("2026-01-03", NEWBORN) == []
    (card,) = cards_of("2026-01-12", NEWBORN)
    assert card["indicator"] == "info"
    assert card["source"]["topic"]["code"] == "visit-due"
    assert card["summary"] == (
        "Aktuellt: Hembesök nyfödd (1–3 veckor) (Nationella programmet), senast 2026-01-22"
    )
    assert "10 dagar kvar" in card["detail"] and "10 days left" in card["detail"]


def test_a_missed_visit_is_a_warning_listed_before_what_is_due():
    cards = cards_of("2026-02-20", NEWBORN)
    kinds = [(c["source"]["topic"]["code"], c["indicator"]) for c in cards]
    assert kinds == [
        ("visit-missed", "warning"),
        ("visit-missed", "warning"),
        ("visit-due", "info"),
        ("vaccination-due", "info"),
        ("screening-due", "info"),
    ]
    assert cards[0]["summary"].startswith("Missat: Hembesök nyfödd")
    assert "EPDS" in cards[4]["summary"]
    # only programs the family is offered: the undetermined ones' visits are provisional
    assert {c["source"]["label"] for c in cards} == {
        f"hembesok · rikshandboken {VERSIONS['rikshandboken']}"
    }


def test_a_declined_program_gives_no_card():
    assert cards_of("2026-02-20", {**NEWBORN, "declined": ["rikshandboken"]}) == []


def test_flagged_domains_are_warning_or_critical_by_their_action_and_never_quote_answers():
    cards = cards_of("2026-05-04", DEPRESSED, birth_date="2026-03-10")
    flagged = [c for c in cards if c["source"]["topic"]["code"] == "domain-flagged"]
    assert [(c["indicator"], c["summary"]) for c in flagged] == [
        (
            "critical",
            "EPDS: Tankar på att skada sig själv flaggat (första tillfället), bedöm samma dag",
        ),
        ("warning", "EPDS: Tecken på depression flaggat (första tillfället), erbjud stöd"),
    ]
    assert cards[: len(flagged)] == flagged
    for card in flagged:
        assert "epds_10" not in card["detail"]  # item ids would tell the answers
        assert "födande förälder" in card["detail"] and "birthing parent" in card["detail"]
        assert "orosanmälan" in card["detail"]


def test_a_flag_that_a_later_response_resolved_is_not_carded():
    case = json.loads((ROOT / "examples" / "barnsakert-case.json").read_text("utf-8"))
    cards = cards_of("2026-03-10", case, birth_date="2025-09-04")
    flagged = [c["summary"] for c in cards if c["source"]["topic"]["code"] == "domain-flagged"]
    # child safety was flagged in October and resolved in January; money worries persist
    assert flagged == ["BarnSäkert: Ekonomisk oro flaggat (kvarstår), erbjud stöd"]


def test_the_birth_date_comes_from_the_patient_when_the_case_leaves_it_out():
    without = {"visits_done": DEPRESSED["visits_done"], "responses": [EPDS]}
    same = cards_of("2026-05-04", without, birth_date="2026-03-10")
    with_case_ref = cards_of(
        "2026-05-04", {**without, "case_ref": "bvc-epds-1"}, birth_date="2026-03-10"
    )
    assert [c["summary"] for c in same] == [c["summary"] for c in with_case_ref]
    assert (
        same != [] and cards_of("2026-05-04", DEPRESSED, birth_date="2026-03-10") == with_case_ref
    )


def test_card_uuids_are_stable_per_subject_and_item():
    first = [c["uuid"] for c in cards_of("2026-02-20", NEWBORN)]
    again = hook_request(NEWBORN)
    again["hookInstance"] = str(uuid.uuid4())
    status, _, answer = post("2026-02-20", again)
    assert status == 200 and [c["uuid"] for c in answer["cards"]] == first
    assert len(set(first)) == len(first)
    other = [c["uuid"] for c in cards_of("2026-02-20", NEWBORN, patient_id="77")]
    assert set(other).isdisjoint(first)


def test_summaries_stay_under_140_characters_whatever_the_titles():
    cards = cards_of("2029-12-30", NEWBORN)  # every visit of the national programme missed
    assert len(cards) > 5
    assert all(len(c["summary"]) < 140 for c in cards)


# --- errors ---------------------------------------------------------------------------


def problem(day, request_bytes, path=PATH):
    status, media, body = call(app_on(day), "POST", path, request_bytes, JSON)
    assert media == "application/problem+json"
    assert PERSONNUMMER.encode() not in body and b"Traceback" not in body
    return status, json.loads(body)


def test_json_that_does_not_parse_is_400():
    status, answer = problem("2026-05-04", b'{"hook": "patient-view",')
    assert status == 400 and answer["problems"][0]["line"] == 1


def test_a_request_missing_its_fields_is_400_with_each_located():
    request = hook_request(NEWBORN)
    request["hook"] = "order-sign"
    del request["hookInstance"]
    request["context"] = {"userId": "example"}
    del request["fhirServer"]  # while fhirAuthorization is sent
    status, answer = problem("2026-05-04", json.dumps(request, indent=1).encode())
    assert status == 400 and answer["title"] == "Invalid CDS Hooks request"
    paths = sorted(p["path"] for p in answer["problems"])
    assert paths == [
        "$.context.patientId",
        "$.context.userId",
        "$.fhirServer",
        "$.hook",
        "$.hookInstance",
    ]
    assert b"some-opaque-fhir-access-token" not in json.dumps(answer).encode()
    assert all(p["line"] >= 1 for p in answer["problems"])


def test_an_unknown_service_id_is_404():
    status, answer = problem(
        "2026-05-04", json.dumps(hook_request(NEWBORN)).encode(), "/cds-services/nope"
    )
    assert (status, answer["title"]) == (404, "Not found")


def test_feedback_is_not_offered_and_discovery_does_not_name_it():
    feedback = {
        "feedback": [
            {
                "card": "9368d37b-283f-44a0-93ea-547cebab93ed",
                "outcome": "overridden",
                "overrideReason": {"userComment": f"mamma {PERSONNUMMER} vill inte"},
                "outcomeTimestamp": "2026-05-04T09:00:00Z",
            }
        ]
    }
    status, answer = problem("2026-05-04", json.dumps(feedback).encode(), f"{PATH}/feedback")
    assert (status, answer["title"]) == (404, "Not found")
    listed = call(app_on("2026-05-04"), "GET", "/cds-services")[2]
    assert b"feedback" not in listed


def test_the_authorization_header_is_left_to_the_gateway():
    # docs/cds-hooks.md: the gateway verifies the journal's JWT; hembesok neither checks
    # nor keeps it, so a call is answered alike with a token, without one or with rubbish.
    request = json.dumps(hook_request(NEWBORN)).encode()
    answers = {
        call(app_on("2026-02-20"), "POST", PATH, request, {**JSON, **extra})
        for extra in ({}, {"authorization": "Bearer not.a.jwt"})
    }
    assert len(answers) == 1 and next(iter(answers))[0] == 200


@pytest.mark.parametrize(
    "prefetch",
    [
        None,
        {"patient": {"resourceType": "Patient", "birthDate": "2026-01-01"}},
        {"patient": {"resourceType": "Patient", "birthDate": "2026-01-01"}, "hembesokCase": None},
        {"patient": {"resourceType": "OperationOutcome"}, "hembesokCase": NEWBORN},
    ],
    ids=["no prefetch", "no case", "case null", "patient failed"],
)
def test_missing_prefetch_is_412_naming_the_template(prefetch):
    request = hook_request(NEWBORN)
    if prefetch is None:
        del request["prefetch"]
    else:
        request["prefetch"] = prefetch
    status, answer = problem("2026-05-04", json.dumps(request).encode())
    assert status == 412 and answer["title"] == "Prefetch required"
    assert "never fetches" in answer["detail"] and "{{context.patientId}}" in answer["detail"]


def test_a_bad_case_in_prefetch_is_422_located_in_the_request_body():
    case = copy.deepcopy(DEPRESSED)
    case["child"]["identifier"] = {
        "system": "http://electronichealth.se/identifier/personnummer",
        "value": PERSONNUMMER,
    }
    case["visits_done"][0]["date"] = "2026-13-01"
    case["needs_support"] = "ja"
    text = json.dumps(hook_request(case, birth_date="2026-03-10"), indent=2).encode()
    status, answer = problem("2026-05-04", text)
    assert status == 422
    assert sorted(p["path"] for p in answer["problems"]) == [
        "$.prefetch.hembesokCase.needs_support",
        "$.prefetch.hembesokCase.visits_done[0].date",
    ]
    lines = text.decode().splitlines()
    for found in answer["problems"]:
        key = found["path"].rsplit(".", 1)[-1]
        assert key in lines[found["line"] - 1]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"birthDate": "2026-01"}, "$.prefetch.patient.birthDate"),
        ({"birthDate": "2027-01-01"}, "$.prefetch.patient.birthDate"),
        ({"id": "someone-else"}, "$.prefetch.patient.id"),
        ({"resourceType": "Practitioner"}, "$.prefetch.patient.resourceType"),
    ],
)
def test_a_patient_that_cannot_be_used_is_422_located(change, path):
    request = hook_request(NEWBORN)
    request["prefetch"]["patient"].update(change)
    status, answer = problem("2026-05-04", json.dumps(request).encode())
    assert status == 422 and [p["path"] for p in answer["problems"]] == [path]


def test_a_case_birth_date_other_than_the_patients_is_422():
    status, answer = problem(
        "2026-05-04", json.dumps(hook_request(NEWBORN, birth_date="2026-01-02")).encode()
    )
    assert status == 422
    assert [p["path"] for p in answer["problems"]] == ["$.prefetch.hembesokCase.child.birth_date"]


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'"patient-view"',
        b"null",
        b'{"hook": null, "context": [], "prefetch": 3}',
        b'{"hook": "patient-view", "hookInstance": "x", "context": {"userId": "Practitioner/1", '
        b'"patientId": "1"}, "prefetch": {"patient": {"resourceType": "Patient", "birthDate": 5}, '
        b'"hembesokCase": {"child": []}}}',
        b'{"hook": "patient-view", "hookInstance": "x", "context": {"userId": "Practitioner/1", '
        b'"patientId": "1"}, "prefetch": {"patient": [], "hembesokCase": "case"}}',
    ],
)
def test_hostile_bodies_are_answered_4xx_never_500(body):
    status, answer = problem("2026-05-04", body)
    assert 400 <= status < 500 and answer["status"] == status


# --- over a real socket ---------------------------------------------------------------


def test_a_journal_gets_cards_over_loopback(serving):
    with serving(app_on("2026-02-20"), access_log=False) as port:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", "/cds-services")
            services = json.loads(conn.getresponse().read())["services"]
            conn.request(
                "POST",
                f"/cds-services/{services[0]['id']}",
                json.dumps(hook_request(NEWBORN)),
                JSON,
            )
            response = conn.getresponse()
            status, answer = response.status, json.loads(response.read())
        finally:
            conn.close()
    assert status == 200
    assert list(spec_validator("response").iter_errors(answer)) == []
    assert [c["indicator"] for c in answer["cards"]] == [
        "warning",
        "warning",
        "info",
        "info",
        "info",
    ]

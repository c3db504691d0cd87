"""CDS Hooks 2.0 for journal systems: discovery, and the `patient-view` service's request.

A journal that speaks CDS Hooks opens a child's record and posts the hook to
`/cds-services/hembesok-patient-view`. The child and the case facts arrive as prefetch,
which the journal fills before the call (docs/cds-hooks.md):

- `patient`: the FHIR Patient (`Patient/{{context.patientId}}`); its `birthDate` is the
  registered birth date, the one fact every plan needs. Nothing else of it is read.
- `hembesokCase`: the hembesok case document (schemas/case.schema.json), which the
  journal's hembesok adapter fills from the journal's own records. Its `child.birth_date`
  may be left out: the Patient's is used. When both are given they must agree.

The service never reads the FHIR server itself (hembesok uses no network at run time), so
a request without both prefetch keys is answered 412 Precondition Failed, as the
specification says for a service that cannot obtain the data it needs. The plan is made
by the one pipeline (`api.Pipeline`), like every other shell's, and written as cards by
`render.cds_cards`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Any

from hembesok.api import Pipeline
from hembesok.io.dates import InvalidDate, parse_date
from hembesok.io.documents import Document, Position
from hembesok.io.problems import InvalidDocument, Problem, problem_at
from hembesok.render.cds_cards import plan_cards

SERVICE_ID = "hembesok-patient-view"
HOOK = "patient-view"
PATIENT, CASE = "patient", "hembesokCase"
#: Where the case sits in the request: problems of the case are located there.
CASE_AT = ("prefetch", CASE)

#: The prefetch templates a journal fills before it calls the service.
PREFETCH: Mapping[str, str] = MappingProxyType(
    {
        PATIENT: "Patient/{{context.patientId}}",
        CASE: "Basic?subject=Patient/{{context.patientId}}&code=hembesok-case",
    }
)

#: The one service of the discovery answer (its prefetch is PREFETCH). The specification gives each text one string:
#: Swedish first, then " / " and English.
SERVICE: Mapping[str, Any] = MappingProxyType(
    {
        "hook": HOOK,
        "title": "hembesok: besök och screening i barnhälsovården / "
        "hembesok: child health visits and screening",
        "description": "Kort om besök och vaccinationer som är aktuella eller missade, "
        "frågeformulär som ska erbjudas och områden som flaggats i screening, enligt de "
        "program familjen erbjuds. / Cards for visits and vaccinations due or missed, "
        "questionnaires to offer and domains flagged in screening, by the programmes the "
        "family is offered.",
        "id": SERVICE_ID,
        "usageRequirements": "Journalen fyller båda prefetch-nycklarna: patient (FHIR Patient "
        "med birthDate) och hembesokCase (hembesoks falldokument från journalens adapter). "
        "Tjänsten hämtar aldrig något från fhirServer; utan dem svarar den 412. / "
        "The journal fills both prefetch keys: patient (a FHIR Patient with birthDate) and "
        "hembesokCase (the hembesok case document from the journal's adapter). The service "
        "never fetches from fhirServer; without them it answers 412.",
    }
)


def discovery() -> dict[str, Any]:
    """The answer of `GET /cds-services`."""
    return {"services": [{**SERVICE, "prefetch": dict(PREFETCH)}]}


class RequestProblem(Exception):
    """A request the service cannot answer with cards: its HTTP status and what to send."""

    def __init__(
        self, status: int, title: str, detail: str, problems: list[Problem] | None = None
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.detail = detail
        self.problems = problems or []


def patient_view(pipeline: Pipeline, request: Document, today: dt.date) -> dict[str, Any]:
    """The cards for one `patient-view` call, planned as of `today`.

    RequestProblem (400) for a request that is not a patient-view call, (412) for missing
    prefetch; InvalidDocument (422) for a Patient or case with problems, each located in
    the request body.
    """
    _check_envelope(request)
    data = request.data
    prefetch = _prefetch(data.get("prefetch"))
    birth_date = _birth_date(request, prefetch[PATIENT], data["context"]["patientId"], today)
    document = _with_birth_date(request, birth_date)
    case = pipeline.read(document, today, base=CASE_AT)
    plan = pipeline.plan(case, today)
    subject = case.case_ref or data["context"]["patientId"]
    return {"cards": plan_cards(plan, subject, pipeline.engine.instruments)}


def _check_envelope(request: Document) -> None:
    """400 with every problem of the call itself: hook, hookInstance, context, prefetch."""
    data = request.data
    if not isinstance(data, dict):
        raise RequestProblem(
            400, "Invalid CDS Hooks request", "the body must be one CDS Hooks request object"
        )
    found: list[Problem] = []

    def need(path: tuple[str, ...], message: str) -> None:
        found.append(problem_at(request, path, message))

    def text(container: Mapping[str, Any], path: tuple[str, ...], required: bool) -> None:
        value = container.get(path[-1])
        if value is None and not required:
            return
        if not isinstance(value, str) or not value.strip():
            need(path, "is required: a non-empty string" if required else "must be a string")

    hook = data.get("hook")
    if hook != HOOK:
        need(("hook",), f"must be {HOOK!r}: this service answers the {HOOK} hook only")
    text(data, ("hookInstance",), True)
    text(data, ("fhirServer",), False)
    if "fhirAuthorization" in data:
        if not isinstance(data["fhirAuthorization"], dict):
            need(("fhirAuthorization",), "must be an object")
        if "fhirServer" not in data:
            need(("fhirServer",), "is required when fhirAuthorization is sent")
    context = data.get("context")
    if not isinstance(context, dict):
        need(("context",), "is required: an object with userId and patientId")
    else:
        text(context, ("context", "userId"), True)
        user = context.get("userId")
        if isinstance(user, str) and user.strip() and "/" not in user.strip("/"):
            need(
                ("context", "userId"), "must be written [ResourceType]/[id], e.g. Practitioner/123"
            )
        text(context, ("context", "patientId"), True)
        text(context, ("context", "encounterId"), False)
    if "prefetch" in data and not isinstance(data["prefetch"], dict):
        need(("prefetch",), "must be an object of prefetch keys")
    if found:
        raise RequestProblem(
            400,
            "Invalid CDS Hooks request",
            f"{len(found)} problem{'s' if len(found) != 1 else ''}; each names its place",
            found,
        )


def _prefetch(given: Any) -> dict[str, Any]:
    """Both prefetch keys, or 412 naming what is missing (absent, null, or an error the
    journal met fetching it, sent as an OperationOutcome)."""
    prefetch = given if isinstance(given, dict) else {}
    missing = []
    for key in PREFETCH:
        value = prefetch.get(key)
        if value is None or (
            isinstance(value, dict) and value.get("resourceType") == "OperationOutcome"
        ):
            missing.append(key)
    if missing:
        keys = ", ".join(f"{key} ({PREFETCH[key]})" for key in missing)
        raise RequestProblem(
            412,
            "Prefetch required",
            f"send the prefetch {keys}: this service never fetches from fhirServer "
            "(see GET /cds-services)",
        )
    return prefetch


def _birth_date(request: Document, patient: Any, patient_id: str, today: dt.date) -> str:
    """The Patient's birthDate, checked: a Patient, the one in context, a full date, not later
    than today."""
    at = ("prefetch", PATIENT)
    if not isinstance(patient, dict):
        raise InvalidDocument([problem_at(request, at, "must be a FHIR Patient (an object)")])
    found: list[Problem] = []
    if patient.get("resourceType") != "Patient":
        found.append(problem_at(request, (*at, "resourceType"), "must be 'Patient'"))
    given_id = patient.get("id")
    if given_id is not None and given_id != patient_id.removeprefix("Patient/"):
        found.append(
            problem_at(
                request,
                (*at, "id"),
                "is not the patient in context.patientId: send the Patient whose record is open",
            )
        )
    birth = patient.get("birthDate")
    try:
        day = parse_date(birth) if isinstance(birth, str) else None
    except InvalidDate:
        day = None
    if day is None:
        found.append(
            problem_at(
                request,
                (*at, "birthDate"),
                "is required: the registered birth date as a full date YYYY-MM-DD",
            )
        )
    elif day > today:
        found.append(problem_at(request, (*at, "birthDate"), "is after today's date"))
    if found:
        raise InvalidDocument(found)
    assert isinstance(birth, str)
    return birth


def _with_birth_date(request: Document, birth_date: str) -> Document:
    """The request with the case's child.birth_date taken from the Patient when the case
    leaves it out; 422 when the case gives another one. The positions stay the request's."""
    case = request.data["prefetch"][CASE]
    child = case.get("child") if isinstance(case, dict) else None
    if not isinstance(case, dict) or (child is not None and not isinstance(child, dict)):
        return request  # the case schema says what is wrong
    given = (child or {}).get("birth_date")
    if given is not None:
        if isinstance(given, str) and given != birth_date:
            path = (*CASE_AT, "child", "birth_date")
            raise InvalidDocument(
                [
                    problem_at(
                        request,
                        path,
                        "differs from prefetch.patient.birthDate: leave it out, or send the "
                        "registered birth date",
                    )
                ]
            )
        return request
    data = dict(request.data)
    data["prefetch"] = {
        **data["prefetch"],
        CASE: {**case, "child": {**(child or {}), "birth_date": birth_date}},
    }
    return _Amended(request, data)


class _Amended(Document):
    """The request with a value filled in: located as the request is (a filled-in value at
    the place of the nearest part the request has)."""

    def __init__(self, request: Document, data: Any) -> None:
        super().__init__(request.path, data, duplicate_keys=request.duplicate_keys)
        self.request = request

    def locate(self, json_path: Sequence[str | int], *, key: bool = False) -> Position:
        return self.request.locate(json_path, key=key)

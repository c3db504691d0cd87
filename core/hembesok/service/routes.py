"""The HTTP service's endpoints as plain data and functions, free of any web framework.

Each `Endpoint` names its method and path, the JSON Schemas of its body and answer,
and a handler that takes a `Call` and returns JSON data. `hembesok.service.server` serves the
registry `ROUTES` and `hembesok.service.openapi` documents it, so an endpoint added here (such as
a screening endpoint) is served and documented with no other change. A handler raises
InvalidDocument for a body with problems (422) or HttpProblem for anything else.

An endpoint with a body names the media types it accepts (`media_types`, by default
`application/json` only); anything else is refused with 415 before the body is read. An
endpoint that will also take, say, `application/fhir+json` adds it to its own set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hembesok.api import FORMATS, Pipeline, UnknownProgram, as_of_date, list_programs
from hembesok.engine.engine import Engine
from hembesok.engine.guard import HookFailure
from hembesok.io.documents import Document
from hembesok.io.limits import MAX_BODY_BYTES
from hembesok.io.loading import load_responses
from hembesok.io.problems import Problem
from hembesok.model.fhir_systems import FHIR_JSON
from hembesok.render.formats import PLAN_FORMATS, MissingExtra
from hembesok.render.problem_details import INVALID_REQUEST, PLUGIN_FAILED, problem
from hembesok.service import cds_hooks
from hembesok.version import __version__

DEFAULT_MAX_BODY = MAX_BODY_BYTES

#: The media type of every JSON body and answer.
JSON = "application/json"
#: What an endpoint with a body accepts unless it says otherwise.
JSON_ONLY: frozenset[str] = frozenset({JSON})


@dataclass(frozen=True)
class Call:
    """What a handler gets: the engine, the query, the parsed JSON body and the server's date,
    and the service's pipeline (its plan writers keep what they prepare between requests)."""

    engine: Engine
    query: Mapping[str, Sequence[str]]
    body: Document | None
    today: dt.date
    pipeline: Pipeline | None = None

    @property
    def planner(self) -> Pipeline:
        return self.pipeline if self.pipeline is not None else Pipeline(self.engine)

    def first(self, name: str) -> str | None:
        values = self.query.get(name) or ()
        return values[0] if values else None


class HttpProblem(Exception):
    """An answer with an error status, sent as application/problem+json."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        type_: str = INVALID_REQUEST,
        problems: Sequence[Problem] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.detail = detail
        self.type = type_
        self.problems = list(problems)
        self.headers = dict(headers or {})  # such as Retry-After

    def to_json(self) -> dict[str, Any]:
        extra = {"problems": [p.to_json() for p in self.problems]} if self.problems else {}
        return problem(self.type, self.title, status=self.status, detail=self.detail, **extra)


@dataclass(frozen=True)
class Rendered:
    """An answer already written: its bytes and media type (a plan in a chosen format)."""

    body: bytes
    media_type: str


#: A handler answers JSON data (sent as application/json) or a Rendered answer.
Handler = Callable[[Call], Any]


@dataclass(frozen=True)
class Endpoint:
    method: str  # GET or POST
    path: str
    operation_id: str
    summary: str
    handler: Handler
    #: The body's schema: the name of a shipped JSON Schema (hembesok schema NAME), or inline.
    request_schema: str | Mapping[str, Any] | None = None
    response_schema: str | Mapping[str, Any] = field(default_factory=dict)  # a name, or inline
    parameters: tuple[Mapping[str, Any], ...] = ()  # OpenAPI parameter objects
    errors: tuple[int, ...] = ()  # the problem statuses it answers with, besides those of a body
    #: The media types its body may be sent as (each also with `; charset=utf-8`); the extension
    #: point for a second one, such as application/fhir+json on one endpoint.
    media_types: frozenset[str] = JSON_ONLY


def _health(call: Call) -> dict[str, Any]:
    return {
        "status": "ok",
        "engine": {"name": "hembesok", "version": __version__},
        "programs": sorted(call.engine.programs),
    }


def _programs(call: Call) -> dict[str, Any]:
    return {"programs": list_programs(call.engine)}


def _plan(call: Call) -> Rendered:
    written = call.first("as_of")
    try:
        as_of = as_of_date(written) if written is not None else call.today
    except ValueError as exc:
        raise HttpProblem(400, "Invalid as_of", str(exc)) from None
    fmt = call.first("format") or "json"
    found = PLAN_FORMATS.get(fmt)
    if found is None:
        raise HttpProblem(400, "Unknown format", f"format must be one of {', '.join(FORMATS)}")
    assert call.body is not None
    pipeline = call.planner
    try:
        plan = pipeline.plan(call.body, as_of, call.query.get("program") or None)
    except UnknownProgram as exc:
        raise HttpProblem(400, "Unknown program", str(exc)) from None
    try:
        return Rendered(pipeline.render(plan, fmt), found.media_type)
    except MissingExtra as exc:
        raise HttpProblem(501, "Format not installed", str(exc)) from None


def _decide(call: Call) -> dict[str, Any]:
    written = call.first("as_of")
    try:
        as_of = as_of_date(written) if written is not None else call.today
    except ValueError as exc:
        raise HttpProblem(400, "Invalid as_of", str(exc)) from None
    assert call.body is not None
    try:
        decisions = Pipeline(call.engine).decide(
            call.body, as_of, call.query.get("program") or None
        )
    except UnknownProgram as exc:
        raise HttpProblem(400, "Unknown program", str(exc)) from None
    return {
        "as_of": as_of.isoformat(),
        "decisions": {pid: decision.to_json() for pid, decision in decisions.items()},
    }


_PROGRAM_ROW = {
    "type": "object",
    "required": ["id", "version", "title", "distribution", "visits", "sha256"],
    "properties": {
        "id": {"type": "string"},
        "version": {"type": "string"},
        "title": {"type": "object", "additionalProperties": {"type": "string"}},
        "distribution": {"type": "string"},
        "visits": {"type": "array", "items": {"type": "string"}},
        "sha256": {"type": "string"},
    },
}

HEALTH = Endpoint(
    "GET",
    "/health",
    "health",
    "Liveness: the engine's version and the installed program ids",
    _health,
    response_schema={
        "type": "object",
        "required": ["status", "engine", "programs"],
        "properties": {
            "status": {"const": "ok"},
            "engine": {
                "type": "object",
                "properties": {"name": {"const": "hembesok"}, "version": {"type": "string"}},
            },
            "programs": {"type": "array", "items": {"type": "string"}},
        },
    },
)

PROGRAMS = Endpoint(
    "GET",
    "/v1/programs",
    "listPrograms",
    "The installed programs, as `hembesok programs --json` lists them",
    _programs,
    response_schema={
        "type": "object",
        "required": ["programs"],
        "properties": {"programs": {"type": "array", "items": _PROGRAM_ROW}},
    },
)

PLAN = Endpoint(
    "POST",
    "/v1/plan",
    "planCase",
    "Plan one case as of a date: decisions, visits with statuses, the merged timeline",
    _plan,
    request_schema="case",
    response_schema="plan",
    parameters=(
        {
            "name": "as_of",
            "in": "query",
            "required": False,
            "description": "Plan as of this date (YYYY-MM-DD); default the server's date.",
            "schema": {"type": "string", "format": "date"},
        },
        {
            "name": "program",
            "in": "query",
            "required": False,
            "description": "Only these programs (repeat the parameter); default every installed one.",
            "schema": {"type": "array", "items": {"type": "string"}},
            "style": "form",
            "explode": True,
        },
        {
            "name": "format",
            "in": "query",
            "required": False,
            "description": "; ".join(f"{f.name}: {f.summary}" for f in PLAN_FORMATS.values())
            + " (a format an optional extra gives answers 501 when it is not installed).",
            "schema": {"type": "string", "enum": list(FORMATS), "default": "json"},
        },
    ),
    errors=(400, 422),
)


def _screen(call: Call) -> dict[str, Any]:
    assert call.body is not None
    if not isinstance(call.body.data, dict):
        raise HttpProblem(400, "Invalid response", "the body must be one response object")
    (response,) = load_responses(call.body, call.engine.instruments)
    try:
        return call.engine.screen(response).to_json()
    except HookFailure as failure:  # the service's own fault, not the request's
        raise HttpProblem(
            500,
            "Plugin failed",
            f"the plugin {', '.join(failure.plugins)} failed ({failure.hook}: {failure.how})",
            PLUGIN_FAILED,
        ) from None


SCREEN = Endpoint(
    "POST",
    "/v1/screen",
    "screenResponse",
    "Score one questionnaire response per domain (to follow domains over occasions, send the "
    "case with its responses to /v1/plan)",
    _screen,
    request_schema="response",
    response_schema="screening",
    errors=(400, 422),
    # a journal's FHIR R4 QuestionnaireResponse too, read as plain JSON (docs/fhir.md)
    media_types=frozenset({JSON, FHIR_JSON}),
)

DECIDE = Endpoint(
    "POST",
    "/v1/decide",
    "decideCase",
    "Only the decisions for one case as of a date: offered or not, why, and the facts "
    "missing; no visits are planned",
    _decide,
    request_schema="case",
    response_schema={
        "type": "object",
        "required": ["as_of", "decisions"],
        "properties": {
            "as_of": {"type": "string", "format": "date"},
            "decisions": {
                "type": "object",
                "description": "By program id: the decision as in a plan.",
                "additionalProperties": {
                    "$ref": "#/components/schemas/plan/$defs/program_plan/properties/decision"
                },
            },
        },
    },
    parameters=PLAN.parameters[:2],
    errors=(400, 422),
)


def _cds_services(call: Call) -> dict[str, Any]:
    return cds_hooks.discovery()


def _cds_patient_view(call: Call) -> dict[str, Any]:
    assert call.body is not None
    try:
        return cds_hooks.patient_view(call.planner, call.body, call.today)
    except cds_hooks.RequestProblem as exc:
        raise HttpProblem(exc.status, exc.title, exc.detail, problems=exc.problems) from None


_CODING = {
    "type": "object",
    "properties": {
        "system": {"type": "string"},
        "code": {"type": "string"},
        "display": {"type": "string"},
    },
}

CDS_SERVICES = Endpoint(
    "GET",
    "/cds-services",
    "cdsDiscovery",
    "CDS Hooks 2.0 discovery: the patient-view service, its prefetch templates and usage "
    "requirements (docs/cds-hooks.md)",
    _cds_services,
    response_schema={
        "type": "object",
        "required": ["services"],
        "properties": {
            "services": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["hook", "description", "id"],
                    "properties": {
                        "hook": {"type": "string"},
                        "title": {"type": "string"},
                        "description": {"type": "string"},
                        "id": {"type": "string"},
                        "prefetch": {"type": "object", "additionalProperties": {"type": "string"}},
                        "usageRequirements": {"type": "string"},
                    },
                },
            }
        },
    },
)

CDS_PATIENT_VIEW = Endpoint(
    "POST",
    f"/cds-services/{cds_hooks.SERVICE_ID}",
    "cdsPatientView",
    "CDS Hooks 2.0 patient-view: cards for visits due or missed, questionnaires due and "
    "flagged domains, from the Patient and the hembesok case sent as prefetch; 412 without them",
    _cds_patient_view,
    request_schema={
        "type": "object",
        "required": ["hook", "hookInstance", "context"],
        "properties": {
            "hook": {"const": cds_hooks.HOOK},
            "hookInstance": {"type": "string", "description": "A UUID for this call."},
            "fhirServer": {"type": "string", "description": "Never called by this service."},
            "fhirAuthorization": {"type": "object", "description": "Never used."},
            "context": {
                "type": "object",
                "required": ["userId", "patientId"],
                "properties": {
                    "userId": {"type": "string", "description": "[ResourceType]/[id]"},
                    "patientId": {"type": "string"},
                    "encounterId": {"type": "string"},
                },
            },
            "prefetch": {
                "type": "object",
                "description": "Both keys are needed; see GET /cds-services for the templates.",
                "properties": {
                    cds_hooks.PATIENT: {
                        "type": "object",
                        "description": "The FHIR Patient: only resourceType, id and birthDate "
                        "are read.",
                        "required": ["resourceType", "birthDate"],
                        "properties": {
                            "resourceType": {"const": "Patient"},
                            "id": {"type": "string"},
                            "birthDate": {"type": "string", "format": "date"},
                        },
                    },
                    cds_hooks.CASE: {
                        "$ref": "#/components/schemas/case",
                        "description": "The hembesok case; child.birth_date may be left out.",
                    },
                },
            },
        },
    },
    response_schema={
        "type": "object",
        "required": ["cards"],
        "properties": {
            "cards": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["summary", "indicator", "source"],
                    "properties": {
                        "uuid": {"type": "string", "format": "uuid"},
                        "summary": {"type": "string", "maxLength": 139},
                        "detail": {"type": "string", "description": "GitHub-flavoured Markdown"},
                        "indicator": {"enum": ["info", "warning", "critical"]},
                        "source": {
                            "type": "object",
                            "required": ["label"],
                            "properties": {"label": {"type": "string"}, "topic": _CODING},
                        },
                    },
                },
            }
        },
    },
    errors=(400, 404, 412, 422),
)

#: The endpoints `hembesok serve` answers.
ROUTES: tuple[Endpoint, ...] = (
    HEALTH,
    PROGRAMS,
    PLAN,
    DECIDE,
    SCREEN,
    CDS_SERVICES,
    CDS_PATIENT_VIEW,
)

"""A plan as an HL7 FHIR R4 (4.0.1) Bundle: one CarePlan per program the family is offered.

The format `fhir` of hembesok.render.formats (`plan --format fhir`, `?format=fhir`). What
a program always writes the same way (its canonical URL, titles, the contained
locations and roles, each visit's code, kind, place and performers) is prepared once per
program in `state.prepared["fhir"]` and checked there, once, with fhir.resources' R4B
CarePlan model (structurally R4 for every element written here:
docs/decisions/0022-fhir-r4-with-fhir-resources.md). What changes per plan (statuses from
the closed table `ACTIVITY_STATUS`, dates, the subject) is filled in with no per-plan
validation, which would cost some 40 ms a plan. docs/fhir.md is the whole mapping.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from fhir.resources.R4B.careplan import CarePlan

from hembesok.io.json_text import dumps
from hembesok.model.fhir_systems import (
    ACTIVITY_STATUS,
    CASE_REF,
    PHYSICAL_TYPE,
    ROLE,
    ROLE_CODE,
    SETTING,
    SHA256,
    STATUS,
    VACCINE,
    activity_system,
    fhir_id,
    program_canonical,
)
from hembesok.model.plan import ELIGIBLE
from hembesok.model.texts import ROLES, SETTINGS, STATUSES, Text
from hembesok.render.fhir_text import coding, sv_en

if TYPE_CHECKING:
    from hembesok.language.program import Dose, Program, Visit
    from hembesok.model.plan import Plan, PlannedDose, PlannedVisit, ProgramPlan
    from hembesok.render.state import RenderState

#: A case_ref that is already a FHIR reference to a Patient (relative, absolute or urn:uuid).
_PATIENT_REFERENCE = re.compile(
    r"(?:[A-Za-z][A-Za-z0-9+.-]*://\S+/)?Patient/[A-Za-z0-9\-.]{1,64}"
    r"(?:/_history/[A-Za-z0-9\-.]{1,64})?"
    r"|urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)
_URI = re.compile(r"\S+")
_CHILD: Text = {"sv": "barnet", "en": "the child"}
_REPLACED_BY: Text = {
    "sv": "Ersätts av {visit} ({program})",
    "en": "Replaced by {visit} ({program})",
}
_HOME: Text = {"sv": "barnets hem", "en": "the child's home"}
#: The standard codes that say "home": HL7 location physical type `ho` (house) and v3
#: RoleCode `PTRES` (patient's residence).
_HOME_CODES = (
    {"system": PHYSICAL_TYPE, "code": "ho", "display": "House"},
    {"system": ROLE_CODE, "code": "PTRES", "display": "patient's residence"},
)
#: One statusReason per hembesok status, made once (read-only: never changed in place).
_STATUS_REASONS: Mapping[str, dict[str, Any]] = {
    status: {"coding": [coding(STATUS, status, text)]} for status, text in STATUSES.items()
}


class Prepared(NamedTuple):
    """What one program writes the same way in every plan."""

    careplan: dict[str, Any]  # the CarePlan without status, subject, period and activities
    visits: Mapping[str, dict[str, Any]]  # visit id -> activity.detail without status, dates
    doses: Mapping[str, dict[str, Any]]  # dose id -> the same


def write(plan: Plan, state: RenderState) -> bytes:
    """The plan as a FHIR R4 Bundle (type collection) in compact UTF-8 JSON."""
    return dumps(bundle(plan, state))


def bundle(plan: Plan, state: RenderState) -> dict[str, Any]:
    """The Bundle as JSON data: one CarePlan per program whose decision is eligible."""
    cache: dict[tuple[str, str], Prepared] = state.prepared.setdefault("fhir", {})
    subject = _subject(plan)
    entries = []
    for part in plan.programs:
        if part.decision.status != ELIGIBLE:
            continue  # not eligible or undetermined: no plan of care (docs/fhir.md)
        key = (part.program.id, part.program.sha256)
        prepared = cache.get(key)
        if prepared is None:
            prepared = cache[key] = prepare(part.program)
        entries.append({"resource": _careplan(plan, part, prepared, subject)})
    out: dict[str, Any] = {"resourceType": "Bundle", "type": "collection"}
    if entries:
        out["entry"] = entries
    return out


def _careplan(
    plan: Plan, part: ProgramPlan, prepared: Prepared, subject: dict[str, Any]
) -> dict[str, Any]:
    activities = [_visit_activity(plan, v, prepared.visits[v.visit.id]) for v in part.visits]
    activities += [_dose_activity(d, prepared.doses[d.dose.id]) for d in part.vaccinations]
    out = dict(prepared.careplan)
    out["status"] = _careplan_status(part, activities)
    out["subject"] = subject
    if part.decision.enrolment_date is not None:
        out["period"] = {"start": part.decision.enrolment_date.isoformat()}
    if activities:
        out["activity"] = activities
    return out


def _careplan_status(part: ProgramPlan, activities: list[dict[str, Any]]) -> str:
    """revoked: the family declined the program; active: something is still to be done;
    completed: nothing is (every visit and dose done, missed or otherwise closed)."""
    if part.decision.declined:
        return "revoked"
    open_ = any(a["detail"]["status"] == "not-started" for a in activities)
    return "active" if open_ or not activities else "completed"


def _visit_activity(plan: Plan, visit: PlannedVisit, static: dict[str, Any]) -> dict[str, Any]:
    detail = dict(static)
    detail["status"] = ACTIVITY_STATUS[visit.status]
    detail["statusReason"] = _STATUS_REASONS[visit.status]
    detail["scheduledPeriod"] = {
        "start": visit.window.start.isoformat(),
        "end": visit.window.end.isoformat(),
    }
    if visit.replaced_by is not None:
        detail.update(sv_en("description", _replaced_by(plan, *visit.replaced_by)))
    return {"detail": detail}


def _dose_activity(dose: PlannedDose, static: dict[str, Any]) -> dict[str, Any]:
    detail = dict(static)
    detail["status"] = ACTIVITY_STATUS[dose.status]
    detail["statusReason"] = _STATUS_REASONS[dose.status]
    detail["scheduledPeriod"] = {
        "start": dose.window.start.isoformat(),
        "end": dose.window.end.isoformat(),
    }
    return {"detail": detail}


def _replaced_by(plan: Plan, program_id: str, visit_id: str) -> Text:
    """'Replaced by <visit title> (<program title>)', by titles when the plan has them."""
    visit_title: Text = {"sv": visit_id, "en": visit_id}
    program_title: Text = {"sv": program_id, "en": program_id}
    for part in plan.programs:
        if part.program.id == program_id:
            program_title = part.program.title
            for v in part.program.schedule:
                if v.id == visit_id:
                    visit_title = v.title
    return {
        lang: _REPLACED_BY[lang].format(
            visit=visit_title.get(lang) or visit_title.get("sv", visit_id),
            program=(program_title.get(lang) or program_title.get("sv", program_id)).split(" – ")[
                0
            ],
        )
        for lang in ("sv", "en")
    }


def _subject(plan: Plan) -> dict[str, Any]:
    """CarePlan.subject (required in R4): the child's identifier as the case gave it, the
    case_ref as a reference or an identifier, or else only a display. Nothing else."""
    out: dict[str, Any] = {}
    ref = plan.case_ref
    if ref and _PATIENT_REFERENCE.fullmatch(ref):
        out["reference"] = ref
    given = plan.child_identifier
    if given is not None and _URI.fullmatch(given[0]) and given[1].strip():
        out["identifier"] = {"system": given[0], "value": given[1]}
    elif ref and "reference" not in out and ref.strip():
        out["identifier"] = {"system": CASE_REF, "value": ref}
    if not out:
        out.update(sv_en("display", _CHILD))
    return out


# --- what a program always writes the same way -----------------------------------------


def prepare(program: Program) -> Prepared:
    """A program's fixed part, checked once with the FHIR library (ValueError if invalid)."""
    roles = sorted({role for v in program.schedule for role in v.staff})
    settings = sorted({v.setting for v in program.schedule})
    contained = [_location(s) for s in settings] + [_role(program, r) for r in roles]
    careplan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": fhir_id(program.id, "hembesok-"),
        "language": "sv",
        "contained": contained,
        "instantiatesCanonical": [program_canonical(program.id, program.version)],
        "instantiatesUri": [f"{SHA256}:{program.sha256}"],
        "intent": "plan",
        **sv_en("title", program.title),
    }
    visits = {v.id: _visit_detail(program, v) for v in program.schedule}
    doses = {d.id: _dose_detail(program, d) for d in program.vaccinations}
    _check(careplan, visits, doses)
    return Prepared(careplan, visits, doses)


def _visit_detail(program: Program, visit: Visit) -> dict[str, Any]:
    setting = SETTINGS.get(visit.setting, {"sv": visit.setting})
    return {
        "kind": "Appointment",
        "code": {
            "coding": [
                coding(activity_system(program.id), visit.id, visit.title),
                coding(SETTING, visit.setting, SETTINGS.get(visit.setting)),
            ],
            **sv_en("text", visit.title),
        },
        "location": {
            "reference": "#" + fhir_id(visit.setting, "setting-"),
            **sv_en("display", _HOME if visit.setting == "home" else setting),
        },
        "performer": [
            {
                "reference": "#" + fhir_id(role, "role-"),
                **sv_en("display", _role_text(program, role)),
            }
            for role in visit.staff
        ],
    }


def _dose_detail(program: Program, dose: Dose) -> dict[str, Any]:
    return {
        "code": {
            "coding": [
                coding(activity_system(program.id), dose.id, dose.title),
                coding(VACCINE, dose.vaccine),
            ],
            **sv_en("text", dose.title),
        },
    }


def _role_text(program: Program, role: str) -> Text:
    return program.roles.get(role) or ROLES.get(role) or {"sv": role}


def _role(program: Program, role: str) -> dict[str, Any]:
    """A contained PractitionerRole that names only a role (R4's performer is a Reference)."""
    return {
        "resourceType": "PractitionerRole",
        "id": fhir_id(role, "role-"),
        "code": [{"coding": [coding(ROLE, role, _role_text(program, role))]}],
    }


def _location(setting: str) -> dict[str, Any]:
    """A contained Location that is a kind of place (mode `kind`), not an address."""
    text = _HOME if setting == "home" else SETTINGS.get(setting, {"sv": setting})
    out: dict[str, Any] = {
        "resourceType": "Location",
        "id": fhir_id(setting, "setting-"),
        "mode": "kind",
        **sv_en("name", text),
        "type": [{"coding": [coding(SETTING, setting, SETTINGS.get(setting))]}],
    }
    if setting == "home":
        out["type"][0]["coding"].append(dict(_HOME_CODES[1]))
        out["physicalType"] = {"coding": [dict(_HOME_CODES[0])]}
    return out


def _check(
    careplan: dict[str, Any],
    visits: Mapping[str, dict[str, Any]],
    doses: Mapping[str, dict[str, Any]],
) -> None:
    """Validate the fixed part as a whole CarePlan: every visit's and dose's detail, and
    every status and statusReason a plan may give (each at least once); a failure is
    hembesok's bug, never the case's."""
    period = {"start": "2000-01-01", "end": "2000-02-01"}
    details = [*visits.values(), *doses.values()] or [{}]
    statuses = list(ACTIVITY_STATUS.items())
    activities = [
        {
            "detail": {
                **details[i % len(details)],
                "status": statuses[i % len(statuses)][1],
                "statusReason": _STATUS_REASONS[statuses[i % len(statuses)][0]],
                "scheduledPeriod": period,
                **sv_en("description", _REPLACED_BY),
            }
        }
        for i in range(max(len(details), len(statuses)))
    ]
    whole = {
        **careplan,
        "status": "active",
        "subject": {"identifier": {"system": CASE_REF, "value": "x"}, **sv_en("display", _CHILD)},
        "period": {"start": "2000-01-01"},
        "activity": activities,
    }
    CarePlan.model_validate(whole)

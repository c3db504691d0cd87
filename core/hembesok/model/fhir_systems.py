"""The names hembesok gives things in HL7 FHIR R4: canonical URLs, code systems, value maps.

Shared by the writers (hembesok.render.fhir, hembesok.render.fhir_questionnaire) and the
reader of QuestionnaireResponses (hembesok.io.fhir_response), so what one writes the
other reads. Plain strings and read-only tables only: no FHIR library is needed to use
them. docs/fhir.md explains each.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

#: The media type of FHIR JSON (FHIR R4, http.html#mime-type).
FHIR_JSON = "application/fhir+json"
#: The FHIR version every resource written here is checked against: R4.
FHIR_VERSION = "4.0.1"

#: A program's canonical URL: `urn:hembesok:program:<id>`, cited as `…|<version>`.
PROGRAM = "urn:hembesok:program:"
#: An instrument's canonical URL (Questionnaire.url): `urn:hembesok:instrument:<id>`.
INSTRUMENT = "urn:hembesok:instrument:"
#: The SHA-256 of a definition's canonical form: as an identifier system, and as a URI
#: `urn:hembesok:sha256:<hex>` (CarePlan.instantiatesUri).
SHA256 = "urn:hembesok:sha256"
#: Code systems of hembesok's own names (no standard code system has them).
ROLE = "urn:hembesok:role"  # staff roles: bhv_sjukskoterska, foraldrastodjare, ...
SETTING = "urn:hembesok:setting"  # home, bvc, phone, video
STATUS = "urn:hembesok:status"  # hembesok's visit and dose statuses, exactly
VACCINE = "urn:hembesok:vaccine"  # vaccine ids as the programs' schedules name them
RESPONDENT = "urn:hembesok:respondent"  # who answered, as a role (parent_1), never a name
CASE_REF = "urn:hembesok:case-ref"  # the journal's opaque case reference

#: HL7 v2 table 0136, yes/no: the answer codes of every yes/no item.
YES_NO = "http://terminology.hl7.org/CodeSystem/v2-0136"
YES_NO_CODES: Mapping[str, str] = MappingProxyType({"yes": "Y", "no": "N"})
YES_NO_ANSWERS: Mapping[str, str] = MappingProxyType({"Y": "yes", "N": "no"})
#: The R4 extension that gives a string element in another language.
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
#: HL7 location physical type and v3 RoleCode, for the child's home.
PHYSICAL_TYPE = "http://terminology.hl7.org/CodeSystem/location-physical-type"
ROLE_CODE = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"

#: A visit's or dose's status → CarePlan.activity.detail.status (R4 value set
#: care-plan-activity-status, a required binding). What hembesok knows more exactly is in
#: detail.statusReason, coded in `STATUS`.
ACTIVITY_STATUS: Mapping[str, str] = MappingProxyType(
    {
        "upcoming": "not-started",
        "due": "not-started",
        "done": "completed",
        "missed": "cancelled",
        "not_offered": "cancelled",
        "declined": "cancelled",
        "replaced": "cancelled",
        "not_started": "cancelled",
    }
)


def activity_system(program_id: str) -> str:
    """The code system of one program's visit and dose ids (unique within a program)."""
    return f"{PROGRAM}{program_id}:activity"


def answer_system(instrument_id: str) -> str:
    """The code system of one instrument's option values (choice items)."""
    return f"{INSTRUMENT}{instrument_id}:answer"


def program_canonical(program_id: str, version: str) -> str:
    return f"{PROGRAM}{program_id}|{version}"


def instrument_url(instrument_id: str) -> str:
    return f"{INSTRUMENT}{instrument_id}"


def fhir_id(name: str, prefix: str = "") -> str:
    """A hembesok id (lower case, digits, underscores) as a FHIR id ([A-Za-z0-9-.]{1,64})."""
    return (prefix + name.replace("_", "-"))[:64]

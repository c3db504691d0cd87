"""An instrument as an HL7 FHIR R4 Questionnaire, checked with fhir.resources' R4B model.

One item per instrument item, in the file's order, `linkId` = the item id, so a
QuestionnaireResponse to it reads back with hembesok.io.fhir_response. Answers are codings:
yes/no items use HL7 v2 table 0136 (Y, N), choice items the instrument's own code system
with the option value as code. docs/fhir.md#questionnaire is the whole mapping.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.questionnaire import Questionnaire

from hembesok.model.fhir_systems import (
    SHA256,
    YES_NO,
    YES_NO_CODES,
    answer_system,
    fhir_id,
    instrument_url,
)
from hembesok.model.instrument import Instrument, Item
from hembesok.render.fhir_text import coding, sv_en, translation

_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
#: v2-0136's own displays, with the Swedish as a translation (the one place the
#: translation runs the other way: the code system's display is English).
_YES_NO_DISPLAY = {"Y": ("Yes", "Ja"), "N": ("No", "Nej")}


def questionnaire(instrument: Instrument) -> dict[str, Any]:
    """The instrument as a Questionnaire (JSON data), validated; ValueError if it is not."""
    out: dict[str, Any] = {
        "resourceType": "Questionnaire",
        "id": fhir_id(instrument.id, "hembesok-"),
        "language": "sv",
        "url": instrument_url(instrument.id),
        "identifier": [{"system": SHA256, "value": instrument.sha256}],
        "version": instrument.version,
        **sv_en("title", instrument.title),
        # a representative item set is not the licensed form: never for use with families
        "status": "draft" if instrument.representative else "active",
        "experimental": instrument.representative,
        "subjectType": ["Patient"],
        "item": [_item(instrument, item) for item in instrument.items.values()],
    }
    description = instrument.definition.get("description")
    if description:
        out.update(sv_en("description", description))
    Questionnaire.model_validate(out)
    return out


def _item(instrument: Instrument, item: Item) -> dict[str, Any]:
    out: dict[str, Any] = {"linkId": item.id, **sv_en("text", item.text)}
    if item.type == "yes_no":
        out["type"] = "choice"
        out["answerOption"] = [
            {"valueCoding": _yes_no(code)} for code in (YES_NO_CODES["yes"], YES_NO_CODES["no"])
        ]
    elif item.type == "choice":
        out["type"] = "choice"
        options = _options(instrument, item.id)
        out["answerOption"] = [
            {"valueCoding": coding(answer_system(instrument.id), str(o["value"]), o["text"])}
            for o in options
        ]
    else:
        out["type"] = "decimal"
        bounds = [
            {"url": url, "valueDecimal": value}
            for url, value in ((_MIN_VALUE, item.minimum), (_MAX_VALUE, item.maximum))
            if value is not None
        ]
        if bounds:
            out["extension"] = bounds
    return out


def _yes_no(code: str) -> dict[str, Any]:
    english, swedish = _YES_NO_DISPLAY[code]
    out = coding(YES_NO, code, {"sv": english, "en": english})
    out["_display"] = translation(swedish, "sv")
    return out


def _options(instrument: Instrument, item_id: str) -> list[dict[str, Any]]:
    """The item's options as the file lists them (the compiled item keeps only scores)."""
    for raw in instrument.definition["items"]:
        if raw["id"] == item_id:
            options: list[dict[str, Any]] = raw["answer"]["options"]
            return options
    return []

"""A FHIR R4 QuestionnaireResponse read as hembesok's own response, with located problems.

`hembesok screen` and `POST /v1/screen` take either form; hembesok.io.loading asks this
module about any document whose `resourceType` is QuestionnaireResponse. It reads plain
JSON data, so it needs no FHIR library: reading is a mapping of a few elements
(docs/fhir.md#questionnaireresponse), checked here against the installed instrument
exactly as a native response is. No message ever quotes an answer, a name or an
identifier: only item ids (linkIds), element names and the codes the form allows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from hembesok.io import problems as P
from hembesok.io.dates import InvalidDate, parse_date
from hembesok.io.documents import Document, JsonPath
from hembesok.io.redact import quoted
from hembesok.model.fhir_systems import (
    INSTRUMENT,
    PROGRAM,
    RESPONDENT,
    YES_NO,
    YES_NO_ANSWERS,
    answer_system,
)
from hembesok.model.instrument import Instrument, Item

RESOURCE_TYPE = "QuestionnaireResponse"
_STATUSES = ("in-progress", "completed", "amended", "entered-in-error", "stopped")
_AUTHORED = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(T[0-9:.]+(Z|[+-][0-9]{2}:[0-9]{2})?)?")
_LANGUAGE = re.compile(r"([A-Za-z]{2})(-[A-Za-z0-9]{2,8})*")
_ROLE = re.compile(r"[a-z][a-z0-9_]*")
_ACTIVITY = re.compile(re.escape(PROGRAM) + r"[a-z][a-z0-9_]*:activity")


def is_questionnaire_response(data: Any) -> bool:
    return isinstance(data, Mapping) and data.get("resourceType") == RESOURCE_TYPE


def native_response(
    doc: Document, instruments: Mapping[str, Instrument], base: JsonPath = ()
) -> tuple[dict[str, Any], list[P.Problem]]:
    """The QuestionnaireResponse at `base` as a native response (data for
    `Response.from_dict`), and every problem found; the data is usable only with none."""
    data: Any = doc.data
    for key in base:
        data = data[key]
    reader = _Reader(doc, base)
    out: dict[str, Any] = {"answers": {}}
    instrument = reader.instrument(data, instruments)
    reader.status(data)
    date = reader.authored(data)
    if date is not None:
        out["date"] = date
    language = reader.language(data)
    if language is not None:
        out["language"] = language
    respondent = reader.respondent(data)
    if respondent is not None:
        out["respondent"] = respondent
    occasion = reader.occasion(data)
    if occasion is not None:
        out["occasion"] = occasion
    if instrument is not None:
        out["instrument"] = instrument.id
        out["answers"] = reader.answers(data, instrument)
    return out, reader.found


class _Reader:
    """Reads one QuestionnaireResponse, collecting located problems as it goes."""

    def __init__(self, doc: Document, base: JsonPath) -> None:
        self.doc, self.base = doc, base
        self.found: list[P.Problem] = []

    def problem(self, path: JsonPath, message: str, *, key: bool = False) -> None:
        self.found.append(P.problem_at(self.doc, (*self.base, *path), message, key=key))

    def instrument(
        self, data: Mapping[str, Any], instruments: Mapping[str, Instrument]
    ) -> Instrument | None:
        url = data.get("questionnaire")
        wanted = f"must name the Questionnaire by its canonical URL {INSTRUMENT}<id>"
        if not isinstance(url, str) or not url.startswith(INSTRUMENT):
            where = ("questionnaire",) if "questionnaire" in data else ()
            self.problem(where, wanted + " (as `hembesok fhir questionnaire ID` writes it)")
            return None
        found = instruments.get(url[len(INSTRUMENT) :].split("|", 1)[0])
        if found is None:
            known = ", ".join(sorted(instruments)) or "none installed"
            self.problem(("questionnaire",), f"names no installed instrument; installed: {known}")
        return found

    def status(self, data: Mapping[str, Any]) -> None:
        status = data.get("status")
        if status == "entered-in-error":
            self.problem(("status",), "is entered-in-error: such a response is never scored")
        elif status not in _STATUSES:
            where = ("status",) if "status" in data else ()
            self.problem(where, f"status must be one of {', '.join(_STATUSES)}")

    def authored(self, data: Mapping[str, Any]) -> str | None:
        authored = data.get("authored")
        match = _AUTHORED.fullmatch(authored) if isinstance(authored, str) else None
        if match is not None:
            try:
                return parse_date(match.group(1)).isoformat()
            except InvalidDate:
                pass
        where = ("authored",) if "authored" in data else ()
        self.problem(
            where, "authored must be the date the form was answered: YYYY-MM-DD or a dateTime"
        )
        return None

    def language(self, data: Mapping[str, Any]) -> str | None:
        if "language" not in data:
            return None
        given = data["language"]
        if isinstance(given, str) and _LANGUAGE.fullmatch(given):
            return given[:2].lower()
        self.problem(("language",), "must be a language code such as sv, en or sv-SE")
        return None

    def respondent(self, data: Mapping[str, Any]) -> str | None:
        """Who answered, as a role: source.identifier in the hembesok respondent system."""
        source = data.get("source")
        identifier = source.get("identifier") if isinstance(source, Mapping) else None
        if not isinstance(identifier, Mapping) or identifier.get("system") != RESPONDENT:
            return None
        value = identifier.get("value")
        if isinstance(value, str) and _ROLE.fullmatch(value):
            return value
        self.problem(
            ("source", "identifier", "value"),
            "must be a role such as parent_1 or birthing_parent (lower-case letters, digits, "
            "underscores), never a name",
        )
        return None

    def occasion(self, data: Mapping[str, Any]) -> str | None:
        """The visit the form was given at: a basedOn identifier in a program's activity
        code system (`urn:hembesok:program:<id>:activity`), as the CarePlan codes visits."""
        based_on = data.get("basedOn")
        if not isinstance(based_on, list):
            return None
        for i, ref in enumerate(based_on):
            identifier = ref.get("identifier") if isinstance(ref, Mapping) else None
            system = identifier.get("system") if isinstance(identifier, Mapping) else None
            if isinstance(system, str) and _ACTIVITY.fullmatch(system):
                assert isinstance(identifier, Mapping)
                value = identifier.get("value")
                if isinstance(value, str) and _ROLE.fullmatch(value):
                    return value
                self.problem(
                    ("basedOn", i, "identifier", "value"),
                    "must be the id of a visit (lower-case letters, digits, underscores)",
                )
        return None

    def answers(self, data: Mapping[str, Any], instrument: Instrument) -> dict[str, Any]:
        answers: dict[str, Any] = {}
        self._items(data.get("item", []), ("item",), instrument, answers)
        return answers

    def _items(
        self, items: Any, where: JsonPath, instrument: Instrument, answers: dict[str, Any]
    ) -> None:
        if not isinstance(items, list):
            self.problem(where, "must be a list of items")
            return
        for i, entry in enumerate(items):
            at = (*where, i)
            if not isinstance(entry, Mapping):
                self.problem(at, "must be an item object with a linkId")
                continue
            if "item" in entry:  # a group: its items count as the form's own
                self._items(entry["item"], (*at, "item"), instrument, answers)
            self._item(entry, at, instrument, answers)

    def _item(
        self,
        entry: Mapping[str, Any],
        at: JsonPath,
        instrument: Instrument,
        answers: dict[str, Any],
    ) -> None:
        link = entry.get("linkId")
        given = entry.get("answer")
        if not isinstance(link, str):
            self.problem(at, "needs a linkId: the id of an item of the Questionnaire")
            return
        item = instrument.items.get(link)
        if item is None:
            if given or "item" not in entry:  # a group's own linkId need not be an item
                self.problem(
                    (*at, "linkId"),
                    f"{quoted(link)} is not an item of instrument '{instrument.id}'",
                )
            return
        if link in answers:
            self.problem((*at, "linkId"), f"'{link}' is answered twice; answer each item once")
            return
        if given is None or given == []:
            return  # unanswered: scored as missing
        if not isinstance(given, list) or len(given) != 1 or not isinstance(given[0], Mapping):
            self.problem((*at, "answer"), f"must be a list of one answer to '{link}'")
            return
        value = self._value(given[0], (*at, "answer", 0), instrument, item)
        if value is not None:
            answers[link] = value

    def _value(
        self, answer: Mapping[str, Any], at: JsonPath, instrument: Instrument, item: Item
    ) -> Any:
        kinds = [k for k in answer if k.startswith("value")]
        kind = kinds[0] if len(kinds) == 1 else None
        value = answer.get(kind) if kind is not None else None
        if item.type == "yes_no":
            found = _yes_no(kind, value)
            wanted = f"a valueCoding Y or N of {YES_NO}, or a valueBoolean"
        elif item.type == "choice":
            found = _choice(kind, value, instrument, item)
            codes = ", ".join(str(v) for v in item.scores)
            wanted = f"a valueCoding of {answer_system(instrument.id)} with a code of {codes}"
        else:
            number = kind in ("valueInteger", "valueDecimal") and not isinstance(value, bool)
            found = value if number and item.accepts(value) else None
            wanted = "a valueInteger or valueDecimal " + _bounds(item)
        if found is None:
            where = (*at, kind) if kind is not None else at
            self.problem(where, f"is not an allowed answer to '{item.id}': give {wanted}")
        return found


def _yes_no(kind: str | None, value: Any) -> str | None:
    if kind == "valueBoolean" and isinstance(value, bool):
        return "yes" if value else "no"
    if (
        kind == "valueCoding"
        and isinstance(value, Mapping)
        and value.get("system", YES_NO) == YES_NO
        and isinstance(value.get("code"), str)
    ):
        return YES_NO_ANSWERS.get(value["code"])
    return None


def _choice(kind: str | None, value: Any, instrument: Instrument, item: Item) -> Any:
    if kind == "valueCoding" and isinstance(value, Mapping):
        if value.get("system", answer_system(instrument.id)) != answer_system(instrument.id):
            return None
        code = value.get("code")
        return next((v for v in item.scores if str(v) == code), None)
    if kind == "valueInteger" and not isinstance(value, bool) and item.accepts(value):
        return value
    return None


def _bounds(item: Item) -> str:
    parts = [
        f"at least {item.minimum:g}" if item.minimum is not None else "",
        f"at most {item.maximum:g}" if item.maximum is not None else "",
    ]
    return " and ".join(p for p in parts if p) or "(a number)"

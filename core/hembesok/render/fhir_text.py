"""Bilingual strings and codings in FHIR R4: Swedish in the element, English beside it.

FHIR's string elements hold one language; R4's `translation` extension, on the element's
`_name` sibling, holds another. Every text hembesok writes is Swedish first (the
journal's language) with the English as a translation, so one reader sees Swedish and a
reader that knows the extension finds English too.
"""

from __future__ import annotations

from typing import Any

from hembesok.model.fhir_systems import TRANSLATION
from hembesok.model.texts import Text, pick


def translation(content: str, lang: str = "en") -> dict[str, Any]:
    """The `_element` value that gives an element's translation into `lang`."""
    return {
        "extension": [
            {
                "url": TRANSLATION,
                "extension": [
                    {"url": "lang", "valueCode": lang},
                    {"url": "content", "valueString": content},
                ],
            }
        ]
    }


def sv_en(name: str, text: Text) -> dict[str, Any]:
    """`{name: Swedish, _name: English translation}`; without `_name` when the English is
    missing or the same."""
    swedish = pick(text, "sv")
    english = text.get("en")
    out: dict[str, Any] = {name: swedish}
    if english and english != swedish:
        out["_" + name] = translation(english)
    return out


def coding(system: str, code: str, display: Text | None = None) -> dict[str, Any]:
    """A Coding, its display in Swedish with the English as a translation."""
    out: dict[str, Any] = {"system": system, "code": code}
    if display:
        out.update(sv_en("display", display))
    return out

"""Every text the engine itself shows a reader, in Swedish and English.

Program files bring their own texts; this module names the built-in things: facts
of the case schema, staff roles, statuses, and how a rule reads when its program
gave it no label (rule sentences are made in hembesok.language.describe).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hembesok.model.truth import Truth

LANGS = ("sv", "en")

Text = Mapping[str, str]

FACTS: dict[str, Text] = {
    "child.birth_date": {"sv": "barnets födelsedatum", "en": "the child's birth date"},
    "child.gestational_age.weeks": {
        "sv": "graviditetslängd vid födseln (fulla veckor)",
        "en": "gestational age at birth (completed weeks)",
    },
    "child.gestational_age.days": {
        "sv": "graviditetslängd vid födseln (dagar utöver fulla veckor)",
        "en": "gestational age at birth (days beyond completed weeks)",
    },
    "site.id": {"sv": "platsen", "en": "the site"},
    "site.municipality": {"sv": "platsens kommun", "en": "the site's municipality"},
    "site.district": {"sv": "platsens stadsdel", "en": "the site's district"},
    "listed_bvc": {"sv": "listad BVC", "en": "listed BVC"},
    "municipality": {"sv": "hemkommun", "en": "municipality of residence"},
    "area": {"sv": "bostadsområde", "en": "residential area"},
    "moved_in_on": {"sv": "inflyttningsdatum", "en": "date of moving in"},
    "first_child.either_parent": {
        "sv": "första barnet för minst en förälder",
        "en": "first child of at least one parent",
    },
    "first_child.both_parents": {
        "sv": "första barnet för båda föräldrarna",
        "en": "first child of both parents",
    },
    "first_child.birthing_parent": {
        "sv": "den födande förälderns första barn",
        "en": "first-born of the birthing parent",
    },
    "first_child.born_in_sweden": {
        "sv": "familjens första barn fött i Sverige",
        "en": "the family's first child born in Sweden",
    },
    "first_child.in_municipality": {
        "sv": "familjens första barn, fött medan familjen bor i kommunen",
        "en": "the family's first child, born while the family lives in the municipality",
    },
    "needs_support": {
        "sv": "identifierat behov av mer stöd",
        "en": "identified need of more support",
    },
}

ROLES: dict[str, Text] = {
    "bhv_sjukskoterska": {"sv": "BHV-sjuksköterska", "en": "BHV nurse"},
    "bhv_lakare": {"sv": "BHV-läkare", "en": "BHV physician"},
    "kurator": {"sv": "kurator (familjecentral)", "en": "counsellor (family centre)"},
    "foraldraradgivare": {"sv": "föräldrarådgivare", "en": "parental advisor (social services)"},
    "foraldrastodjare": {"sv": "föräldrastödjare", "en": "parent supporter (social services)"},
    "familjebehandlare": {"sv": "familjebehandlare", "en": "family therapist (social services)"},
    "tolk": {"sv": "tolk", "en": "interpreter"},
}

SETTINGS: dict[str, Text] = {
    "home": {"sv": "hembesök", "en": "home visit"},
    "bvc": {"sv": "på BVC", "en": "at the BVC"},
    "phone": {"sv": "telefon", "en": "phone"},
    "video": {"sv": "video", "en": "video"},
}

DECISIONS: dict[str, Text] = {
    "eligible": {"sv": "erbjuds programmet", "en": "eligible"},
    "not_eligible": {"sv": "erbjuds inte programmet", "en": "not eligible"},
    "undetermined": {"sv": "kan inte avgöras", "en": "undetermined"},
}

STATUSES: dict[str, Text] = {
    "upcoming": {"sv": "kommande", "en": "upcoming"},
    "due": {"sv": "aktuellt nu", "en": "due"},
    "not_answered": {"sv": "inte besvarat", "en": "not answered"},
    "missed": {"sv": "missat", "en": "missed"},
    "done": {"sv": "genomfört", "en": "done"},
    "not_offered": {
        "sv": "erbjuds ej (fönstret stängt före start)",
        "en": "not offered (window closed before enrolment)",
    },
    "declined": {"sv": "avböjt", "en": "declined"},
    "replaced": {"sv": "ersatt", "en": "replaced"},
    "not_started": {
        "sv": "ges inte (serien påbörjades inte i tid)",
        "en": "not given (the course was not started in time)",
    },
}

TRUTH: dict[Truth, Text] = {
    Truth.TRUE: {"sv": "uppfyllt", "en": "holds"},
    Truth.FALSE: {"sv": "ej uppfyllt", "en": "does not hold"},
    Truth.UNKNOWN: {"sv": "okänt", "en": "unknown"},
}

UI: dict[str, Text] = {
    "decision": {"sv": "Beslut", "en": "Decision"},
    "reasons": {"sv": "Skäl", "en": "Reasons"},
    "missing": {"sv": "Uppgifter som behövs", "en": "Facts needed"},
    "visit": {"sv": "Besök", "en": "Visit"},
    "target": {"sv": "Måldatum", "en": "Target"},
    "window": {"sv": "Tidsintervall", "en": "Window"},
    "setting": {"sv": "Form", "en": "Setting"},
    "counted_from": {"sv": "Räknat från", "en": "Counted from"},
    "basis_corrected": {"sv": "korrigerad ålder", "en": "corrected age"},
    "basis_chronological": {"sv": "födelsedatum", "en": "birth date"},
    "vaccinations": {"sv": "Vaccinationer", "en": "Vaccinations"},
    "dose": {"sv": "Dos", "en": "Dose"},
    "given_at": {"sv": "Ges vid", "en": "Given at"},
    "missed_doses": {
        "sv": "Obs: missade vaccinationer (tidsintervallet har passerat utan registrerad dos)",
        "en": "Note: missed vaccinations (the window has passed with no dose recorded)",
    },
    "doses_at": {"sv": "vaccination: {doses}", "en": "vaccination: {doses}"},
    "ages": {"sv": "Åldrar", "en": "Ages"},
    "staff": {"sv": "Personal", "en": "Staff"},
    "status": {"sv": "Status", "en": "Status"},
    "as_of": {"sv": "Per datum", "en": "As of"},
    "no_programs": {"sv": "Inga program är installerade.", "en": "No programs are installed."},
    "missing_value": {"sv": "saknas", "en": "not given"},
    "timeline": {
        "sv": "Samlad tidslinje (program som erbjuds)",
        "en": "Combined timeline (programs offered)",
    },
    "program": {"sv": "Program", "en": "Program"},
    "note": {"sv": "Anmärkning", "en": "Note"},
    "replaces": {"sv": "ersätter", "en": "replaces"},
    "by": {"sv": "av", "en": "by"},
    "join_with": {
        "sv": "samma vecka som {visit}: kan samordnas",
        "en": "same week as {visit}: may be joined",
    },
    "not_offered": {"sv": "Erbjuds inte", "en": "Not offered"},
    "show_all": {
        "sv": "(--all visar dem i sin helhet; JSON-planen har alltid allt)",
        "en": "(--all shows them in full; the JSON plan always has everything)",
    },
    "days_left": {"sv": "{n} dagar kvar", "en": "{n} days left"},
    "day_left": {"sv": "1 dag kvar", "en": "1 day left"},
    "last_day": {"sv": "sista dagen", "en": "last day"},
    "same_contact": {"sv": "vid samma besök: {visit}", "en": "at the same visit: {visit}"},
    "provisional": {
        "sv": "Besöken nedan är preliminära tills beslutet kan fattas.",
        "en": "The visits below are provisional until the decision can be made.",
    },
}

_BOOLEANS: dict[bool, Text] = {True: {"sv": "ja", "en": "yes"}, False: {"sv": "nej", "en": "no"}}


def pick(text: Text | None, lang: str) -> str:
    """A text in `lang`, falling back to Swedish, then to any language given."""
    if not text:
        return ""
    return text.get(lang) or text.get("sv") or next(iter(text.values()), "")


def days_left_label(left: int, lang: str) -> str:
    """ "12 dagar kvar", "1 dag kvar" or "sista dagen": the days an open window has left."""
    key = "last_day" if left == 0 else "day_left" if left == 1 else "days_left"
    return pick(UI[key], lang).format(n=left)


def fact_label(name: str, lang: str) -> str:
    return pick(FACTS.get(name), lang) or name


def role_label(role: str, lang: str, extra: Mapping[str, Text] | None = None) -> str:
    text = (extra or {}).get(role) or ROLES.get(role)
    return pick(text, lang) if text else role


#: Respondents are roles (the response schema allows no names): words for the usual ones.
RESPONDENTS: dict[str, Text] = {
    "birthing_parent": {"sv": "födande förälder", "en": "birthing parent"},
    "other_parent": {"sv": "andra föräldern", "en": "other parent"},
    "parent": {"sv": "förälder", "en": "parent"},
    "guardian": {"sv": "vårdnadshavare", "en": "guardian"},
}


def respondent_label(role: str, lang: str) -> str:
    """`parent_1` as "förälder 1", `birthing_parent` as "födande förälder"; others as given."""
    known = RESPONDENTS.get(role)
    if known is not None:
        return pick(known, lang)
    base, _, number = role.rpartition("_")
    if number.isdigit() and base in RESPONDENTS:
        return f"{pick(RESPONDENTS[base], lang)} {number}"
    return role.replace("_", " ")


def short_title(title: Text, lang: str) -> str:
    """A program's or instrument's title up to its dash: "Göteborg", "EPDS"."""
    return pick(title, lang).split(" – ")[0]


def show_value(value: Any, lang: str) -> str:
    if value is None:
        return pick(UI["missing_value"], lang)
    if isinstance(value, bool):
        return pick(_BOOLEANS[value], lang)
    if isinstance(value, list | tuple):
        return ", ".join(show_value(item, lang) for item in value)
    return str(value)

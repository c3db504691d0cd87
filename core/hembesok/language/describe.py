"""A rule as a sentence, in Swedish and English: the words of reasons and explanations.

A program's own `label` wins; otherwise the sentence is built from the rule itself. It
depends on the rule alone, never on a case, so a compiled program makes it once.
"""

from __future__ import annotations

from hembesok.language.conditions import Condition, Trace, operator_of
from hembesok.model.ages import Duration
from hembesok.model.texts import LANGS, Text, fact_label, pick, show_value

_OPERATORS: dict[str, Text] = {
    "equals": {"sv": "är", "en": "is"},
    "not_equals": {"sv": "är inte", "en": "is not"},
    "in": {"sv": "är en av", "en": "is one of"},
    "at_least": {"sv": "är minst", "en": "is at least"},
    "at_most": {"sv": "är högst", "en": "is at most"},
    "greater_than": {"sv": "är större än", "en": "is greater than"},
    "less_than": {"sv": "är mindre än", "en": "is less than"},
    "on_or_after": {"sv": "är tidigast", "en": "is on or after"},
    "on_or_before": {"sv": "är senast", "en": "is on or before"},
    "before": {"sv": "är före", "en": "is before"},
    "after": {"sv": "är efter", "en": "is after"},
}


def describe_rule(trace: Trace | Condition, lang: str) -> str:
    """A rule as a sentence: its program's label if it has one, else built from the spec."""
    label = trace.spec.get("label")
    if label:
        return pick(label, lang)
    spec = trace.spec
    if trace.kind in ("all", "any"):
        word = {"all": {"sv": "alla av", "en": "all of"}, "any": {"sv": "något av", "en": "any of"}}
        parts = "; ".join(describe_rule(child, lang) for child in trace.children)
        return f"{pick(word[trace.kind], lang)} ({parts})"
    if trace.kind == "not":
        return f"{'inte' if lang == 'sv' else 'not'} ({describe_rule(trace.children[0], lang)})"
    if trace.kind == "age":
        age = spec["age"]
        bits = []
        if "at_least" in age:
            bits.append(
                ("minst " if lang == "sv" else "at least ")
                + Duration.from_mapping(age["at_least"]).describe(lang)
            )
        if "under" in age:
            bits.append("under " + Duration.from_mapping(age["under"]).describe(lang))
        subject = "barnets ålder" if lang == "sv" else "the child's age"
        if "on" in age:
            subject += (" vid " if lang == "sv" else " on ") + fact_label(age["on"], lang)
        joiner = " och " if lang == "sv" else " and "
        return f"{subject} {joiner.join(bits)}"
    op = operator_of(spec)
    name = fact_label(spec["fact"], lang)
    if op == "exists":
        known = {"sv": ("är känd", "är inte känd"), "en": ("is known", "is not known")}[
            lang if lang in LANGS else "sv"
        ]
        return f"{name} {known[0] if spec['exists'] else known[1]}"
    if op == "equals" and isinstance(spec[op], bool):
        return name if spec[op] else ("inte " if lang == "sv" else "not ") + name
    return f"{name} {pick(_OPERATORS[op], lang)} {show_value(spec[op], lang)}"

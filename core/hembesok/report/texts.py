"""The report's words, in Swedish and English: headings, column names, what the numbers mean.

Domain terms stay Swedish in both (BVC). Statuses of visits and names of facts come from
hembesok.model.texts, so a report says them as a plan does.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from hembesok.model.texts import STATUSES, Text, fact_label, pick

_T = dict[str, Text]

_WORDS: _T = {
    "title": {"sv": "Rapport: hembesök och screening", "en": "Report: home visits and screening"},
    "lead": {
        "sv": "Arbetslistor för vecka {week} ({monday} – {sunday}), täckning och screening "
        "per program och BVC. Planerat per {as_of}.",
        "en": "Worklists for week {week} ({monday} – {sunday}), coverage and screening per "
        "programme and BVC. Planned as of {as_of}.",
    },
    "suppression": {
        "sv": "Antal från 1 till {limit} visas som <{min}, och ibland ytterligare ett antal "
        "i samma summa, så att inget barn kan pekas ut (se docs/report.md). "
        "Arbetslistorna är inga sammanställningar: de är BVC:s egna listor att arbeta med.",
        "en": "Counts from 1 to {limit} are shown as <{min}, and sometimes one more count in "
        "the same sum, so that no child can be singled out (see docs/report.md). The "
        "worklists are not aggregates: they are each BVC's own lists to work with.",
    },
    "contents": {"sv": "Innehåll", "en": "Contents"},
    "coverage": {"sv": "Täckning per program och BVC", "en": "Coverage per programme and BVC"},
    "coverage_note": {
        "sv": "Målgrupp: barn som erbjuds programmet eller där beslut saknas. Varje barn "
        "räknas en gång: ej fastställt, avböjt, missat besök, genomfört besök (inget "
        "missat), väntar (inget genomfört eller missat ännu). En BVC märkt * i ett diagram "
        "har något antal dolt; den feta raden i varje tabell är alla BVC tillsammans.",
        "en": "Target group: children offered the programme or not yet decided. Each child "
        "counts once: undetermined, declined, a visit missed, a visit done (none missed), "
        "waiting (nothing done or missed yet). A BVC marked * in a chart has a count "
        "suppressed; the bold row of each table is all BVCs together.",
    },
    "not_drawn": {
        "sv": "{count} BVC utan något antal att rita (alla dolda eller 0) finns bara i tabellen.",
        "en": "{count} BVCs with no count to draw (all suppressed or 0) are in the table only.",
    },
    "only_bvcs": {"sv": "Bara BVC", "en": "Only the BVCs"},
    "only_programs": {"sv": "Bara programmen", "en": "Only the programmes"},
    "only_note": {
        "sv": "Antalen och deras döljning är desamma som i rapporten för hela regionen; "
        "raden Alla BVC och screeningen gäller hela regionen.",
        "en": "The counts, and which are suppressed, are those of the whole region's report; "
        "the row All BVCs and the screening are the whole region's.",
    },
    "worklist_summary": {
        "sv": "{bvc}: {count} att göra, varav {missed} missade",
        "en": "{bvc}: {count} to act on, {missed} of them missed",
    },
    "visits": {
        "sv": "Besök och doser per program och BVC",
        "en": "Visits and doses per programme and BVC",
    },
    "missing_facts": {"sv": "Uppgifter som saknas", "en": "Facts missing"},
    "missing_note": {
        "sv": "Barn med ej fastställt beslut, per uppgift som skulle avgöra det.",
        "en": "Children whose decision is undetermined, per fact that would settle it.",
    },
    "screening": {"sv": "Screening: flaggade områden", "en": "Screening: flagged domains"},
    "screening_note": {
        "sv": "Per tillfälle (formulär × besök × område), jämfört med barnets föregående "
        "besvarade tillfälle med samma formulär.",
        "en": "Per occasion (instrument × visit × domain), compared with the child's "
        "previous answered occasion of the same instrument.",
    },
    "timeline": {"sv": "Programmen över tid", "en": "The programmes over time"},
    "timeline_note": {
        "sv": "Genomförda besök per månad.",
        "en": "Visits done per month.",
    },
    "worklists": {"sv": "Arbetslistor vecka {week}", "en": "Worklists week {week}"},
    "worklist_note": {
        "sv": "Att göra: inte genomfört, ersatt eller avböjt, och fönstret är öppet någon dag "
        "i veckan (aktuellt) eller stängde under de {days} dagarna före veckans måndag (missat).",
        "en": "To act on: not done, replaced or declined, and the window is open on some day "
        "of the week (due) or closed in the {days} days before the week's Monday (missed).",
    },
    "no_rows": {"sv": "Inget att visa.", "en": "Nothing to show."},
    "all_bvcs": {"sv": "Alla BVC", "en": "All BVCs"},
    "no_bvc": {"sv": "(ingen BVC)", "en": "(no BVC)"},
    "table_rows": {"sv": "Tabell: {count} rader", "en": "Table: {count} rows"},
    "chart_coverage": {
        "sv": "Målgruppen per BVC: {program}",
        "en": "The target group per BVC: {program}",
    },
    "chart_timeline": {"sv": "Genomförda besök per månad", "en": "Visits done per month"},
    "chart_screening": {"sv": "Flaggade områden: {program}", "en": "Flagged domains: {program}"},
    "chart_hidden": {
        "sv": "Dolda antal ritas inte.",
        "en": "Suppressed counts are not drawn.",
    },
    "made_by": {"sv": "Gjord av hembesok {version}.", "en": "Made by hembesok {version}."},
}

WORDS: Mapping[str, Text] = MappingProxyType(_WORDS)

#: Column headings, by the column names of the report's tables (docs/report.md).
COLUMNS: Mapping[str, Text] = MappingProxyType(
    {
        "program": {"sv": "program", "en": "programme"},
        "bvc": {"sv": "BVC", "en": "BVC"},
        "kind": {"sv": "typ", "en": "kind"},
        "item": {"sv": "besök/dos", "en": "visit/dose"},
        "fact": {"sv": "uppgift", "en": "fact"},
        "instrument": {"sv": "formulär", "en": "instrument"},
        "visit": {"sv": "besök", "en": "visit"},
        "domain": {"sv": "område", "en": "domain"},
        "month": {"sv": "månad", "en": "month"},
        "case_ref": {"sv": "ärende", "en": "case"},
        "week_status": {"sv": "läge", "en": "status"},
        "plan_status": {"sv": "status i planen", "en": "status in the plan"},
        "target": {"sv": "måldatum", "en": "target"},
        "window": {"sv": "fönster", "en": "window"},
        "target_group": {"sv": "målgrupp", "en": "target group"},
        "offered": {"sv": "erbjudna", "en": "offered"},
        "done": {"sv": "genomfört", "en": "done"},
        "waiting": {"sv": "väntar", "en": "waiting"},
        "missed": {"sv": "missat", "en": "missed"},
        "declined": {"sv": "avböjt", "en": "declined"},
        "undetermined": {"sv": "ej fastställt", "en": "undetermined"},
        "planned": {"sv": "planerade", "en": "planned"},
        "due": {"sv": "aktuellt", "en": "due"},
        "upcoming": {"sv": "kommande", "en": "upcoming"},
        "replaced": {"sv": "ersatt", "en": "replaced"},
        "other": {"sv": "övrigt", "en": "other"},
        "children": {"sv": "barn", "en": "children"},
        "answered": {"sv": "besvarade", "en": "answered"},
        "flagged": {"sv": "flaggade", "en": "flagged"},
        "new": {"sv": "nya", "en": "new"},
        "persisting": {"sv": "kvarstående", "en": "persisting"},
        "no_comparison": {"sv": "utan jämförelse", "en": "no comparison"},
        "resolved": {"sv": "upphörda", "en": "resolved"},
    }
)

KINDS: Mapping[str, Text] = MappingProxyType(
    {
        "visit": {"sv": "besök", "en": "visit"},
        "dose": {"sv": "dos", "en": "dose"},
        "questionnaire": {"sv": "formulär", "en": "questionnaire"},
    }
)


def word(name: str, lang: str, **values: object) -> str:
    """A text of the report in `lang`, with its `{placeholders}` filled."""
    return pick(_WORDS[name], lang).format(**values)


def column(name: str, lang: str) -> str:
    return pick(COLUMNS.get(name), lang) or name


def kind(name: str, lang: str) -> str:
    return pick(KINDS.get(name), lang) or name


def status(name: str, lang: str) -> str:
    return pick(STATUSES.get(name), lang) or name


def fact(name: str, lang: str) -> str:
    return fact_label(name, lang)

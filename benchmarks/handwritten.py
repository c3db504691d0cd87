"""The rules of every bundled programme written by hand in plain Python: the yardstick for
the engine's speed.

The same answers as the engine gives under the eight bundled program files (barnsakert,
goteborg, jonkopings_lan, nassjo, rikshandboken, rinkeby, vaggeryd, vaxa_tryggt) and the
two instruments (epds, barnsakert), with none of the engine's generality: no plugins, no
condition language, no reasons, no traces, no provenance. Each programme's eligibility is
a function below, its schedule, vaccine doses and site list constants (Växa tryggt's
sites with their CNI over time, Jönköping's municipalities with the visit each offers);
visit and dose statuses, corrected ages, replaced visits and questionnaire scores are
worked out directly. A case is the parsed JSON (already schema-valid).

- `decide(case, as_of)`: per programme id, (status, missing facts), as
  `Engine.decide` gives them (`Decision.status`, `Decision.missing_facts`);
- `plan(case, as_of)`: the compact plan, as
  `hembesok.render.compact.compact(engine.evaluate(Case.from_dict(case), as_of))`.

Only the programs' ids, versions and SHA-256 digests are read from their files, once,
when this module is imported. `tests/test_benchmarks.py` checks that both functions
agree with the engine on thousands of generated families and on every example of the
program files, and that the constants here are the files' own;
`library_vs_handwritten.py` times the two side by side.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from importlib import resources
from typing import Any

from hembesok.io.documents import load_text
from hembesok.model.definition import canonical_hash

ELIGIBLE, NOT_ELIGIBLE, UNDETERMINED = "eligible", "not_eligible", "undetermined"
FLAGGED, NOT_FLAGGED, OPEN = "flagged", "not_flagged", "undetermined"
COMPACT_SCHEMA = "urn:hembesok:schema:compact-plan:1"

# --- the programs' files: id, version and the first 12 hex digits of their hash -----------

PROGRAM_IDS = (
    "barnsakert",
    "goteborg",
    "jonkopings_lan",
    "nassjo",
    "rikshandboken",
    "rinkeby",
    "vaggeryd",
    "vaxa_tryggt",
)


def _read_program(pid: str) -> tuple[str, str]:
    source = resources.files(f"hembesok_{pid}") / "program.yaml"
    data = load_text(source.read_text(encoding="utf-8"), str(source)).data
    assert data["id"] == pid, source
    return data["version"], canonical_hash(data)[:12]


HEADERS = {pid: _read_program(pid) for pid in PROGRAM_IDS}  # id -> (version, sha256 prefix)

# --- strings and dates -------------------------------------------------------------------

_normal: dict[str, str] = {}


def normal(text: str) -> str:
    """Names compare after NFC normalisation, stripping and case folding (remembered)."""
    found = _normal.get(text)
    if found is None:
        found = unicodedata.normalize("NFC", text).strip().casefold()
        if len(_normal) < 4096:
            _normal[text] = found
    return found


_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_DAY = dt.timedelta(days=1)


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's last day (31 January + 1 month = 28/29 Feb)."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = _MONTH_DAYS[month0]
    if month0 == 1 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        last = 29
    return dt.date(year, month0 + 1, min(day.day, last))


# --- sites: normalised name -> the day the site starts (PLANNED: it has not) ------------

PLANNED = dt.date.max  # a planned site covers nobody: it starts on no date


def _site_table(*sites: tuple[tuple[str, ...], dt.date | None]) -> dict[str, dt.date | None]:
    table: dict[str, dt.date | None] = {}
    for names, start in sites:
        for name in names:
            table.setdefault(normal(name), start)
    return table


def _places(*names: str) -> frozenset[str]:
    """The municipalities a program's sites lie in, normalised: a family whose journal
    sends no site but lives elsewhere is not eligible."""
    return frozenset(normal(n) for n in names)


# fmt: off
# BarnSäkert: by listed BVC (placeholders, one per municipality), from each site's start
# on, whatever the child's age.
BARNSAKERT_SITES = _site_table(
    (("sundsvall_bvc", "BVC i Sundsvall (platshållare)", "Sundsvall BVC", "Sundsvalls BVC",
      "BVC Sundsvall"), dt.date(2022, 1, 1)),
    (("timra_bvc", "BVC i Timrå (platshållare)", "Timrå BVC", "Timrås BVC", "BVC Timrå",
      "Timra BVC"), dt.date(2023, 3, 1)),
    (("harnosand_bvc", "BVC i Härnösand (platshållare)", "Härnösand BVC", "Härnösands BVC",
      "Harnosand BVC"), PLANNED),
    (("kramfors_bvc", "BVC i Kramfors (platshållare)", "Kramfors BVC"), PLANNED),
    (("solleftea_bvc", "BVC i Sollefteå (platshållare)", "Sollefteå BVC", "Solleftea BVC"),
     PLANNED),
    (("ange_bvc", "BVC i Ånge (platshållare)", "Ånge BVC", "Ange BVC"), PLANNED),
    (("ornskoldsvik_bvc", "BVC i Örnsköldsvik (platshållare)", "Örnsköldsvik BVC",
      "Örnsköldsviks BVC", "Ornskoldsvik BVC"), PLANNED),
)
BARNSAKERT_PLACES = _places(
    "Sundsvall", "Timrå", "Härnösand", "Kramfors", "Sollefteå", "Ånge", "Örnsköldsvik"
)
# Göteborg: by listed BVC, for children born on or after the BVC's start.
GOTEBORG_SITES = _site_table(
    (("opaltorget", "Närhälsan Opaltorget BVC", "Opaltorget BVC", "Opaltorget",
      "BVC Opaltorget", "Närhälsan Opaltorget"), dt.date(2018, 11, 1)),
    (("hjallbo", "Närhälsan Hjällbo BVC", "Hjällbo BVC", "Hjällbo", "BVC Hjällbo",
      "Närhälsan Hjällbo"), dt.date(2019, 1, 1)),
    (("lovgardet", "Närhälsan Lövgärdet BVC", "Lövgärdet BVC", "Lövgärdet", "BVC Lövgärdet",
      "Närhälsan Lövgärdet"), dt.date(2019, 1, 1)),
    (("gardsten", "Gårdsten BVC", "Gårdsten", "BVC Gårdsten"), dt.date(2019, 1, 1)),
    (("angered", "Närhälsan Angered BVC", "Angered BVC", "BVC Angered", "Närhälsan Angered"),
     dt.date(2019, 1, 1)),
    (("biskopsgarden", "Närhälsan Biskopsgården BVC", "Biskopsgården BVC", "Biskopsgården",
      "BVC Biskopsgården", "Närhälsan Biskopsgården"), dt.date(2019, 1, 1)),
    (("friskvaderstorget", "Nötkärnan Friskväderstorget BVC", "Friskväderstorget BVC",
      "Friskväderstorget", "BVC Friskväderstorget", "Nötkärnan Friskväderstorget"),
     dt.date(2019, 1, 1)),
    (("ostra_goteborg", "Östra Göteborg (planerad)", "Östra Göteborg"), PLANNED),
)
GOTEBORG_PLACES = _places("Göteborg")
NASSJO_SITES = frozenset(normal(n) for n in ("nassjo", "Nässjö", "Nässjö kommun", "0682"))
NASSJO_VALID_FROM = dt.date(2020, 9, 1)
# Rinkeby: by listed BVC, for children born on or after the BVC's start.
RINKEBY_SITES = _site_table(
    (("rinkeby_bvc", "Rinkeby BVC", "BVC Rinkeby", "Rinkeby barnavårdscentral",
      "Barnavårdscentralen Rinkeby", "Rinkeby"), dt.date(2013, 9, 1)),
    (("ragsved_bvc", "Rågsved BVC", "BVC Rågsved", "Rågsveds BVC", "Ragsved BVC", "Rågsved"),
     dt.date(2018, 9, 1)),
    (("skarholmen_bvc", "Skärholmen BVC", "BVC Skärholmen", "Skärholmens BVC",
      "Skarholmen BVC", "Skärholmen"), dt.date(2018, 9, 1)),
    (("hasselby_bvc", "Hässelby BVC", "BVC Hässelby", "Hässelby barnavårdscentral",
      "Hasselby BVC", "Hässelby"), dt.date(2018, 9, 1)),
    (("fittja_bvc", "Fittja BVC", "BVC Fittja", "Fittja barnavårdscentral", "Fittja"),
     dt.date(2018, 9, 1)),
    (("rissne_hallonbergen_bvc", "Rissne-Hallonbergen BVC", "BVC Rissne-Hallonbergen",
      "Rissne/Hallonbergen BVC", "Rissne-Hallonbergen"), dt.date(2018, 9, 1)),
    (("flemingsberg_bvc", "Flemingsberg BVC", "BVC Flemingsberg",
      "Flemingsberg barnavårdscentral", "Flemingsberg"), dt.date(2018, 9, 1)),
    (("kista_husby_bvc", "Kista-Husby BVC", "BVC Kista-Husby", "Kista/Husby BVC",
      "Kista-Husby"), dt.date(2018, 9, 1)),
)
RINKEBY_PLACES = _places("Stockholm", "Botkyrka", "Sundbyberg", "Huddinge")
VAGGERYD_SITES = frozenset(normal(n) for n in ("vaggeryd", "Vaggeryd", "Vaggeryds kommun", "0665"))
# Jönköpings län: by municipality (not Nässjö or Vaggeryd); each offers one of the two
# visits, the newborn one everywhere for now.
_NEWBORN_ONLY = ("newborn",)
JONKOPING_SITES: dict[str, tuple[str, ...]] = {
    normal(name): visits
    for names, visits in (
        (("aneby", "Aneby", "Aneby kommun", "0604"), _NEWBORN_ONLY),
        (("eksjo", "Eksjö", "Eksjö kommun", "0686"), _NEWBORN_ONLY),
        (("gislaved", "Gislaved", "Gislaveds kommun", "0662"), _NEWBORN_ONLY),
        (("gnosjo", "Gnosjö", "Gnosjö kommun", "0617"), _NEWBORN_ONLY),
        (("habo", "Habo", "Habo kommun", "0643"), _NEWBORN_ONLY),
        (("jonkoping", "Jönköping", "Jönköpings kommun", "0680"), _NEWBORN_ONLY),
        (("mullsjo", "Mullsjö", "Mullsjö kommun", "0642"), _NEWBORN_ONLY),
        (("savsjo", "Sävsjö", "Sävsjö kommun", "0684"), _NEWBORN_ONLY),
        (("tranas", "Tranås", "Tranås kommun", "0687"), _NEWBORN_ONLY),
        (("vetlanda", "Vetlanda", "Vetlanda kommun", "0685"), _NEWBORN_ONLY),
        (("varnamo", "Värnamo", "Värnamo kommun", "0683"), _NEWBORN_ONLY),
    )
    for name in names
}
# Växa tryggt (placeholder sites): by listed BVC, else by municipality. Per site: its CNI
# over time ((value, from, to), both inclusive, None an open end) and whether it works in a
# particularly vulnerable municipality (None: not said, so the default, False), both read
# on the birth date. The municipalities the sites lie in (a municipality site lies in
# itself): a family living elsewhere, with no listed BVC, is not eligible.
VaxaSite = tuple[tuple[tuple[float, dt.date | None, dt.date | None], ...], bool | None]
_2023 = dt.date(2023, 1, 1)
VAXA_SITES: dict[str, VaxaSite] = {
    normal(name): site
    for names, site in (
        (("bvc_a", "BVC A (platshållare)", "BVC A"), (((1.52, _2023, None),), False)),
        (("bvc_b", "BVC B (platshållare)", "BVC B"), (((1.12, _2023, None),), False)),
        (("bvc_c", "BVC C (platshållare)", "BVC C"),
         (((1.42, _2023, dt.date(2023, 6, 30)), (1.21, dt.date(2023, 7, 1), None)), False)),
        (("bvc_d", "BVC D (platshållare)", "BVC D"), (((1.3, _2023, None),), False)),
        (("bvc_e", "BVC E (platshållare)", "BVC E"), (((1.05, _2023, None),), True)),
        (("kommun_x", "Kommun X (platshållare)", "Kommun X"), ((), True)),
        (("kommun_y", "Kommun Y (platshållare)", "Kommun Y"), ((), True)),
    )
    for name in names
}
VAXA_PLACES = _places(
    "Kommun W (platshållare)", "Kommun X (platshållare)",  # where the BVCs lie
    "kommun_x", "Kommun X", "kommun_y", "Kommun Y (platshållare)", "Kommun Y",  # municipalities
)
VAXA_VALID_FROM = dt.date(2023, 1, 1)
VAXA_CNI_ABOVE = 1.3  # site.cni greater_than
# fmt: on

# --- eligibility, one function per programme: (status, missing facts) --------------------
# A fact the case leaves out makes a rule undetermined (None below), never false. The
# missing facts are named site fact first, then in the order the rules read them.


def either_parent(first: dict[str, Any] | None) -> bool | None:
    """first_child.either_parent as sent, or as it follows from both_parents/birthing_parent."""
    if not first:
        return None
    either = first.get("either_parent")
    if either is None and (
        first.get("both_parents") is True or first.get("birthing_parent") is True
    ):
        return True
    return either


def lives_elsewhere(case: dict[str, Any], places: frozenset[str]) -> bool:
    """The case names a municipality none of a program's sites lies in (asked only when it
    sends no site)."""
    municipality = case.get("municipality")
    return municipality is not None and normal(municipality) not in places


def barnsakert(case: dict[str, Any], as_of: dt.date) -> tuple[str, tuple[str, ...], dt.date | None]:
    """Every family at a BVC whose site has started by `as_of`; and that start."""
    bvc = case.get("listed_bvc")
    if bvc is None:
        if lives_elsewhere(case, BARNSAKERT_PLACES):
            return NOT_ELIGIBLE, (), None
        return UNDETERMINED, ("listed_bvc",), None
    start = BARNSAKERT_SITES.get(normal(bvc))
    if start is None or as_of < start:
        return NOT_ELIGIBLE, (), None
    return ELIGIBLE, (), start


def goteborg(
    case: dict[str, Any], birth: dt.date, either: bool | None
) -> tuple[str, tuple[str, ...]]:
    """Listed at a BVC that had started when the child was born (or, no BVC sent, living
    in Göteborg); first child of at least one parent, or the first born in Sweden."""
    bvc = case.get("listed_bvc")
    if bvc is None:
        site = False if lives_elsewhere(case, GOTEBORG_PLACES) else None
    else:
        start = GOTEBORG_SITES.get(normal(bvc))
        site = start is not None and birth >= start
    first = case.get("first_child")
    born_in_sweden = first.get("born_in_sweden") if first else None
    if either is True or born_in_sweden is True:
        first_child: bool | None = True
    elif either is None or born_in_sweden is None:
        first_child = None
    else:
        first_child = False
    if site is False or first_child is False:
        return NOT_ELIGIBLE, ()
    if site and first_child:
        return ELIGIBLE, ()
    missing = []
    if site is None:
        missing.append("listed_bvc")
    if first_child is None:
        if either is None:
            missing.append("first_child.either_parent")
        if born_in_sweden is None:
            missing.append("first_child.born_in_sweden")
    return UNDETERMINED, tuple(missing)


def in_municipality(case: dict[str, Any], either: bool | None) -> bool | None:
    """first_child.in_municipality as sent, or derived: no first child here when it is no
    parent's first or the family moved in after the birth (moved_in_on); a first child
    when it is a parent's first and the family did not move in after the birth."""
    first = case.get("first_child")
    sent = first.get("in_municipality") if first else None
    if sent is not None:
        return bool(sent)
    if either is False or case.get("moved_in_on") is not None:
        return False
    return True if either is True else None


def nassjo(
    case: dict[str, Any], birth: dt.date, either: bool | None
) -> tuple[str, tuple[str, ...]]:
    """Living in Nässjö, born on or after 2020-09-01; first child in the municipality (sent
    or derived), or an identified need of more support."""
    municipality = case.get("municipality")
    site = None if municipality is None else normal(municipality) in NASSJO_SITES
    in_municipality_ = in_municipality(case, either)
    support = case.get("needs_support")
    if in_municipality_ is True or support is True:
        rule: bool | None = True
    elif in_municipality_ is None or support is None:
        rule = None
    else:
        rule = False
    if site is False or rule is False or birth < NASSJO_VALID_FROM:
        return NOT_ELIGIBLE, ()
    if site and rule:
        return ELIGIBLE, ()
    missing = []
    if site is None:
        missing.append("municipality")
    if rule is None:
        if in_municipality_ is None:
            missing.append("first_child.in_municipality")
        if support is None:
            missing.append("needs_support")
    return UNDETERMINED, tuple(missing)


def rinkeby(
    case: dict[str, Any], birth: dt.date, either: bool | None
) -> tuple[str, tuple[str, ...]]:
    """Listed at a BVC that had started when the child was born; first child of at least one
    parent."""
    bvc = case.get("listed_bvc")
    if bvc is None:
        site = False if lives_elsewhere(case, RINKEBY_PLACES) else None
    else:
        start = RINKEBY_SITES.get(normal(bvc))
        site = start is not None and birth >= start
    if site is False or either is False:
        return NOT_ELIGIBLE, ()
    if site and either:
        return ELIGIBLE, ()
    missing = ("listed_bvc",) if site is None else ()
    if either is None:
        missing += ("first_child.either_parent",)
    return UNDETERMINED, missing


def vaggeryd(case: dict[str, Any], either: bool | None) -> tuple[str, tuple[str, ...]]:
    """Living in Vaggeryd; first child of at least one parent."""
    municipality = case.get("municipality")
    site = None if municipality is None else normal(municipality) in VAGGERYD_SITES
    if site is False or either is False:
        return NOT_ELIGIBLE, ()
    if site and either:
        return ELIGIBLE, ()
    missing = ("municipality",) if site is None else ()
    if either is None:
        missing += ("first_child.either_parent",)
    return UNDETERMINED, missing


def birthing_parent(first: dict[str, Any] | None) -> bool | None:
    """first_child.birthing_parent as sent, or false when it is no parent's first child, or
    true when it is both parents' first."""
    if not first:
        return None
    birthing = first.get("birthing_parent")
    if birthing is None:
        if first.get("either_parent") is False:
            return False
        if first.get("both_parents") is True:
            return True
    return birthing


def jonkopings_lan(
    case: dict[str, Any], either: bool | None
) -> tuple[str, tuple[str, ...], tuple[str, ...] | None]:
    """Living in one of the county's municipalities (not Nässjö or Vaggeryd); first child
    of at least one parent. Also the visits the municipality offers (None: not known)."""
    municipality = case.get("municipality")
    offers = None if municipality is None else JONKOPING_SITES.get(normal(municipality))
    if (municipality is not None and offers is None) or either is False:
        return NOT_ELIGIBLE, (), offers
    if offers is not None and either:
        return ELIGIBLE, (), offers
    missing = ("municipality",) if municipality is None else ()
    if either is None:
        missing += ("first_child.either_parent",)
    return UNDETERMINED, missing, offers


def vaxa_tryggt(
    case: dict[str, Any], birth: dt.date, first: dict[str, Any] | None
) -> tuple[str, tuple[str, ...]]:
    """Born from 2023 on, to a first-time mother; listed at a BVC (else living in a
    municipality) whose CNI on the birth date is above 1.3, or that works in a
    particularly vulnerable municipality. The BVC's own values win over its
    municipality's."""
    bvc = case.get("listed_bvc")
    municipality = case.get("municipality")
    at_bvc = VAXA_SITES.get(normal(bvc)) if bvc is not None else None
    at_home = VAXA_SITES.get(normal(municipality)) if municipality is not None else None
    vulnerable: bool | None = None  # the any-rule on the site facts
    if at_bvc is not None or at_home is not None:
        site: bool | None = True
        matched = [s for s in (at_bvc, at_home) if s is not None]
        cni = None
        for periods, _ in matched:
            for value, start, end in periods:
                if (start is None or start <= birth) and (end is None or birth <= end):
                    cni = value
                    break
            if cni is not None:
                break
        pv = next((v for _, v in matched if v is not None), False)
        if pv or (cni is not None and cni > VAXA_CNI_ABOVE):
            vulnerable = True
        elif cni is not None:
            vulnerable = False
    elif bvc is None or municipality is None:
        # Not named, or named nowhere; living elsewhere settles it.
        away = municipality is not None and normal(municipality) not in VAXA_PLACES
        site = False if away else None
    else:
        site = False
    birthing = birthing_parent(first)
    if birthing is False or vulnerable is False:
        rule: bool | None = False
    elif birthing and vulnerable:
        rule = True
    else:
        rule = None
    if site is False or rule is False or birth < VAXA_VALID_FROM:
        return NOT_ELIGIBLE, ()
    if site and rule:
        return ELIGIBLE, ()
    missing: tuple[str, ...] = ()
    if site is None:
        missing = ("listed_bvc",) if bvc is None else ()
        if municipality is None:
            missing += ("municipality",)
    if rule is None and birthing is None:
        missing += ("first_child.birthing_parent",)
    return UNDETERMINED, missing


def decide(case: dict[str, Any], as_of: dt.date) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Per programme id: (eligible | not_eligible | undetermined, the facts missing)."""
    birth = dt.date.fromisoformat(case["child"]["birth_date"])
    first = case.get("first_child")
    either = either_parent(first)
    status, missing, _ = barnsakert(case, as_of)
    j_status, j_missing, _ = jonkopings_lan(case, either)
    return {
        "barnsakert": (status, missing),
        "goteborg": goteborg(case, birth, either),
        "jonkopings_lan": (j_status, j_missing),
        "nassjo": nassjo(case, birth, either),
        "rikshandboken": (ELIGIBLE, ()),  # every child
        "rinkeby": rinkeby(case, birth, either),
        "vaggeryd": vaggeryd(case, either),
        "vaxa_tryggt": vaxa_tryggt(case, birth, first),
    }


# --- schedules: (visit id, age (months, days), window before and after (months, days)) ---

_1W = (0, 7)
_2W = (0, 14)
_1M = (1, 0)
_3M = (3, 0)
RIKSHANDBOKEN_VISITS = (
    ("home_newborn", (0, 14), _1W, _1W),
    ("bvc_4_weeks", (0, 28), _1W, _1W),
    ("bvc_6_8_weeks", (0, 49), _1W, _1W),
    ("bvc_3_5_months", (4, 0), _1M, _1M),
    ("bvc_6_months", (6, 0), _1M, _1M),
    ("home_8_months", (8, 0), _1M, _1M),
    ("bvc_10_months", (10, 0), _1M, _1M),
    ("bvc_12_months", (12, 0), _1M, _1M),
    ("bvc_18_months", (18, 0), _1M, _1M),
    ("bvc_2_5_years", (33, 0), _3M, _3M),  # 2½–3 years, target 2¾
    ("bvc_4_years", (48, 0), _3M, _3M),
    ("bvc_5_years", (60, 0), _3M, _3M),
)
# BarnSäkert's occasions are ordinary national visits: a record of either counts (same_as).
BARNSAKERT_VISITS = (
    ("six_eight_weeks", (0, 49), _1W, _1W),
    ("four_months", (4, 0), _1M, _1M),
    ("ten_months", (10, 0), _1M, _1M),
    ("eighteen_months", (18, 0), _1M, _1M),
    ("two_and_a_half_years", (33, 0), _3M, _3M),
    ("four_years", (48, 0), _3M, _3M),
)
BARNSAKERT_SAME_AS = {
    "six_eight_weeks": "bvc_6_8_weeks",
    "four_months": "bvc_3_5_months",
    "ten_months": "bvc_10_months",
    "eighteen_months": "bvc_18_months",
    "two_and_a_half_years": "bvc_2_5_years",
    "four_years": "bvc_4_years",
}
GOTEBORG_VISITS = RINKEBY_VISITS = (
    ("newborn", (0, 14), _1W, _1W),
    ("two_months", (2, 0), _2W, _2W),
    ("four_months", (4, 0), _2W, _2W),
    ("eight_months", (8, 0), _1M, _1M),
    ("twelve_months", (12, 0), _1M, _1M),
    ("fifteen_months", (15, 0), _1M, _1M),
)
JONKOPING_VISITS = (
    ("newborn", (0, 14), _1W, _1W),
    ("eight_months", (8, 0), _1M, _1M),
)
NASSJO_VISITS = (
    ("newborn", (0, 14), _1W, _1W),
    ("four_months", (4, 0), _2W, _2W),
    ("eight_months", (8, 0), _1M, _1M),
    ("fifteen_months", (15, 0), _1M, _1M),
)
VAGGERYD_VISITS = (
    ("newborn", (0, 14), _1W, _1W),
    ("two_months", (2, 0), _2W, _2W),
    ("eight_months", (8, 0), _1M, _1M),
)
VAXA_VISITS = (
    ("newborn", (0, 10), (0, 3), (0, 4)),
    ("two_months", (2, 0), _2W, _2W),
    ("four_months", (4, 0), _2W, _2W),
    ("eight_months", (8, 0), _1M, _1M),
    ("twelve_months", (12, 0), _1M, _1M),
    ("fifteen_months", (15, 0), _1M, _1M),
)
SCHEDULES = {
    "barnsakert": BARNSAKERT_VISITS,
    "goteborg": GOTEBORG_VISITS,
    "jonkopings_lan": JONKOPING_VISITS,
    "nassjo": NASSJO_VISITS,
    "rikshandboken": RIKSHANDBOKEN_VISITS,
    "rinkeby": RINKEBY_VISITS,
    "vaggeryd": VAGGERYD_VISITS,
    "vaxa_tryggt": VAXA_VISITS,
}
# Corrected age: the national developmental checks without a vaccination count from the
# date the child would have been born at term (40+0), for a child born before 37+0
# weeks, while the visit's chronological target is under 2 years.
CORRECTED = {"rikshandboken": frozenset({"bvc_4_weeks", "bvc_6_months", "bvc_10_months"})}
TERM_DAYS = 280
CORRECTED_BELOW_DAYS = 37 * 7
CORRECTED_UNTIL_MONTHS = 24
# The national vaccine doses: (dose id, vaccine, dose number, age, window before and after),
# always by chronological age.
RIKSHANDBOKEN_DOSES = (
    ("rotavirus_1", "rotavirus", 1, (0, 42), (0, 0), (0, 42)),
    ("rotavirus_2", "rotavirus", 2, (3, 0), _2W, (0, 98)),
    ("rotavirus_3", "rotavirus", 3, (5, 0), _2W, (0, 70)),
    ("dtp_polio_hib_hepb_1", "dtp_polio_hib_hepb", 1, (3, 0), _2W, _1M),
    ("dtp_polio_hib_hepb_2", "dtp_polio_hib_hepb", 2, (5, 0), _2W, _1M),
    ("dtp_polio_hib_hepb_3", "dtp_polio_hib_hepb", 3, (12, 0), _1M, (2, 0)),
    ("pneumokock_1", "pneumokock", 1, (3, 0), _2W, _1M),
    ("pneumokock_2", "pneumokock", 2, (5, 0), _2W, _1M),
    ("pneumokock_3", "pneumokock", 3, (12, 0), _1M, (2, 0)),
    ("mpr_1", "mpr", 1, (18, 0), _1M, (6, 0)),
    ("dtp_polio_4", "dtp_polio", 4, (60, 0), _3M, (6, 0)),
)
DOSES = {"rikshandboken": RIKSHANDBOKEN_DOSES}
# A rotavirus course not started by the first dose's window is not started at all: the
# later doses are then not_started (the dose that starts each one's course).
COURSE_STARTS = {"rikshandboken": {"rotavirus_2": "rotavirus_1", "rotavirus_3": "rotavirus_1"}}
_RIKSHANDBOKEN_STARTS = COURSE_STARTS["rikshandboken"]
# The local programmes take over the national newborn and 8-month home visits when the
# family is offered them (eligible, not declined) and their plan has the visit that takes
# the place (Jönköping's municipalities offer one of the two). Where several do, the engine
# keeps the one it plans last (in the order of PROGRAM_IDS), so the first here names it.
LOCAL_REPLACING = ("vaxa_tryggt", "vaggeryd", "rinkeby", "nassjo", "jonkopings_lan", "goteborg")
REPLACED = {"home_newborn": "newborn", "home_8_months": "eight_months"}

#: A visit's dates for one birth date: (id, target, window start, window end, the three as
#: ISO text, and whether they count from corrected age).
Dated = tuple[str, dt.date, dt.date, dt.date, str, str, str, bool]
#: A dose's: (id, (vaccine, dose number), window start, window end, the three as ISO text).
DatedDose = tuple[str, tuple[str, int], dt.date, dt.date, str, str, str]
_dates: dict[str, tuple[dt.date, dict[str, tuple[Dated, ...]], tuple[DatedDose, ...]]] = {}
_corrected: dict[tuple[str, int], tuple[Dated, ...]] = {}


def _dated(
    vid: str,
    target: dt.date,
    before: tuple[int, int],
    after: tuple[int, int],
    corrected: bool = False,
) -> Dated:
    start = add_months(target, -before[0]) - before[1] * _DAY
    end = add_months(target, after[0]) + after[1] * _DAY
    return (
        vid,
        target,
        start,
        end,
        target.isoformat(),
        start.isoformat(),
        end.isoformat(),
        corrected,
    )


def visit_dates(
    birth_iso: str,
) -> tuple[dt.date, dict[str, tuple[Dated, ...]], tuple[DatedDose, ...]]:
    """The birth date, every programme's visit dates (by chronological age) and the
    national doses' dates for it, remembered per birth date: months first (clamped), then
    days; the window from the target, both ends inclusive."""
    found = _dates.get(birth_iso)
    if found is None:
        birth = dt.date.fromisoformat(birth_iso)
        by_program = {
            pid: tuple(
                _dated(vid, add_months(birth, months) + days * _DAY, before, after)
                for vid, (months, days), before, after in schedule
            )
            for pid, schedule in SCHEDULES.items()
        }
        doses = tuple(
            (did, (vaccine, number), *_dated(did, add_months(birth, m) + d * _DAY, bf, af)[2:7])
            for did, vaccine, number, (m, d), bf, af in RIKSHANDBOKEN_DOSES
        )
        if len(_dates) >= 8192:
            _dates.clear()
        found = _dates[birth_iso] = (birth, by_program, doses)
    return found


def days_early(gestational: dict[str, int] | None) -> int:
    """The days before term corrected visits move by: 0 unless born before 37+0 weeks."""
    if gestational is None:
        return 0
    born = gestational["weeks"] * 7 + gestational.get("days", 0)
    return TERM_DAYS - born if born < CORRECTED_BELOW_DAYS else 0


def corrected_dates(birth_iso: str, birth: dt.date, early: int) -> tuple[Dated, ...]:
    """The national visits for a child born `early` days before term (remembered): the
    corrected checks from the term date while their chronological target is under 2
    years, the others as by chronological age."""
    key = (birth_iso, early)
    found = _corrected.get(key)
    if found is None:
        term = birth + early * _DAY
        until = add_months(birth, CORRECTED_UNTIL_MONTHS)
        corrected = CORRECTED["rikshandboken"]
        rows = []
        for vid, (months, days), before, after in RIKSHANDBOKEN_VISITS:
            target = add_months(birth, months) + days * _DAY
            if vid in corrected and target < until:
                rows.append(
                    _dated(vid, add_months(term, months) + days * _DAY, before, after, True)
                )
            else:
                rows.append(_dated(vid, target, before, after))
        if len(_corrected) >= 8192:
            _corrected.clear()
        found = _corrected[key] = tuple(rows)
    return found


def plan_visits(
    pid: str,
    rows: tuple[Dated, ...],
    done: dict[tuple[str, str], str],
    declined: bool,
    enrolment: dt.date,
    as_of: dt.date,
    offers: tuple[str, ...] | None = None,
) -> list[dict[str, Any]]:
    """Each visit's dates and status on `as_of` (done, declined, not offered, upcoming, due
    while the window is open, missed: the first that applies); only the visits `offers`
    names, when a site names them."""
    out = []
    for vid, _target, start, end, target_iso, start_iso, end_iso, corrected in rows:
        if offers is not None and vid not in offers:
            continue
        done_on = None
        if done:
            done_on = done.get((pid, vid))
            if done_on is None and pid == "barnsakert":
                done_on = done.get(("rikshandboken", BARNSAKERT_SAME_AS[vid]))
        if done_on is not None:
            status = "done"
        elif declined:
            status = "declined"
        elif end < enrolment:
            status = "not_offered"
        elif as_of < start:
            status = "upcoming"
        elif as_of <= end:
            status = "due"  # never late while the window is open
        else:
            status = "missed"
        visit = {"id": vid, "target": target_iso, "window": [start_iso, end_iso], "status": status}
        if done_on is not None:
            visit["done_on"] = done_on
        if corrected:
            visit["basis"] = "corrected"
        out.append(visit)
    return out


def plan_doses(
    rows: tuple[DatedDose, ...],
    given: dict[tuple[str, int], str],
    declined: Any,
    all_declined: bool,
    as_of: dt.date,
) -> list[dict[str, Any]]:
    """Each dose's dates and status on `as_of`: done, declined (the vaccine or the
    programme), not_started (the dose starting its course missed or not started),
    upcoming, due while the window is open, missed: never not offered."""
    out = []
    statuses: dict[str, str] = {}
    for did, key, start, end, target_iso, start_iso, end_iso in rows:
        given_on = given.get(key) if given else None
        course = _RIKSHANDBOKEN_STARTS.get(did)
        if given_on is not None:
            status = "done"
        elif all_declined or key[0] in declined:
            status = "declined"
        elif course is not None and statuses.get(course) in ("missed", "not_started"):
            status = "not_started"
        elif as_of < start:
            status = "upcoming"
        elif as_of <= end:
            status = "due"
        else:
            status = "missed"
        statuses[did] = status
        dose = {"id": did, "target": target_iso, "window": [start_iso, end_iso], "status": status}
        if given_on is not None:
            dose["given_on"] = given_on
        out.append(dose)
    return out


# --- questionnaires ----------------------------------------------------------------------

Scores = tuple[tuple[str, str], ...]  # (domain id, flagged | not_flagged | undetermined)
# EPDS: option value -> score; items 3 and 5-10 are reverse-keyed.
_FORWARD = {0: 0, 1: 1, 2: 2, 3: 3}
_REVERSE = {0: 3, 1: 2, 2: 1, 3: 0}
EPDS_SCORES = tuple((f"epds_{n}", _FORWARD if n in (1, 2, 4) else _REVERSE) for n in range(1, 11))
EPDS_THRESHOLD = {"sv": 12, "en": 13, "ar": 10, "fr": 11}  # no default: others undetermined
BARNSAKERT_DOMAINS = (
    ("child_safety", ("smoke_detector", "hazards_in_reach", "car_seat")),
    ("economic_worries", ("money_worry", "bills_late")),
    ("low_mood", ("feeling_down", "lost_joy", "hard_to_cope")),
    ("parental_stress", ("more_than_i_can_manage", "child_hard_to_handle", "no_relief")),
    ("need_for_help", ("wants_help", "no_one_to_turn_to")),
    ("violence", ("partner_threat_push_hit", "afraid_of_someone", "child_saw_violence")),
    ("alcohol", ("drinking_too_much", "others_worry_drinking")),
)


def score_epds(response: dict[str, Any]) -> Scores:
    """Depression: the total against the language's validated cut-off (a total below it with
    an unanswered item, or a language without a cut-off, is undetermined); self-harm: item
    10 from "hardly ever" (score 1) on."""
    answers = response["answers"]
    total = 0
    unanswered = False
    for item, scores in EPDS_SCORES:
        answer = answers.get(item)
        if answer is None:
            unanswered = True
        else:
            total += scores[answer]
    threshold = EPDS_THRESHOLD.get(response.get("language", "sv"))
    if threshold is None:
        depression = OPEN
    elif total >= threshold:
        depression = FLAGGED
    else:
        depression = OPEN if unanswered else NOT_FLAGGED
    last = answers.get("epds_10")
    if last is None:
        self_harm = OPEN
    elif _REVERSE[last] >= 1:  # item 10 is positive from score 1
        self_harm = FLAGGED
    else:
        self_harm = NOT_FLAGGED
    return (("depression", depression), ("self_harm", self_harm))


def score_barnsakert(response: dict[str, Any]) -> Scores:
    """Each domain flagged by any "yes"; else undetermined if an item is unanswered."""
    answers = response["answers"]
    out = []
    for domain, items in BARNSAKERT_DOMAINS:
        status = NOT_FLAGGED
        for item in items:
            answer = answers.get(item)
            if answer == "yes":
                status = FLAGGED
                break
            if answer is None:
                status = OPEN
        out.append((domain, status))
    return tuple(out)


def _change(was: str, now: str) -> str:
    if was == OPEN or now == OPEN:
        return "no_comparison"
    if now == FLAGGED:
        return "persisting" if was == FLAGGED else "new"
    return "resolved" if was == FLAGGED else "not_flagged"


def screenings(
    instrument: str,
    scorer: Callable[[dict[str, Any]], Scores],
    occasions: tuple[str, ...],
    visits: list[dict[str, Any]],
    responses: list[dict[str, Any]],
    same_as: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The questionnaire at each of its visits: done when a response names the visit (or
    the ordinary visit it is the same contact as, or, naming none, is dated in its
    window), not answered when the visit was made without one, else the visit's status;
    each response's domains compared with the same respondent's latest earlier response."""
    # ISO dates sort and compare as text; sorted() is stable, so ties keep the case's order.
    given = sorted((r for r in responses if r["instrument"] == instrument), key=_date)
    scored: dict[int, Scores] = {}

    def score(index: int) -> Scores:
        found = scored.get(index)
        if found is None:
            found = scored[index] = scorer(given[index])
        return found

    by_id = {visit["id"]: visit for visit in visits}
    out = []
    for vid in occasions:
        visit = by_id[vid]
        start, end = visit["window"]
        other_name = same_as.get(vid) if same_as else None
        results = []
        for index, response in enumerate(given):
            occasion = response.get("occasion")
            if occasion is None:
                if not start <= response["date"] <= end:
                    continue
            elif occasion != vid and occasion != other_name:
                continue
            date, respondent = response["date"], response.get("respondent")
            previous = None
            for earlier in range(index):
                other = given[earlier]
                if other["date"] >= date:
                    break
                if other.get("respondent") == respondent and (
                    previous is None or other["date"] > given[previous]["date"]
                ):
                    previous = earlier
            result: dict[str, Any] = {"date": date}
            if respondent is not None:
                result["respondent"] = respondent
            flagged, undetermined, resolved = {}, [], []
            before = score(previous) if previous is not None else None
            for position, (domain, now) in enumerate(score(index)):
                change = "first" if before is None else _change(before[position][1], now)
                if now == FLAGGED:
                    flagged[domain] = change
                elif now == OPEN:
                    undetermined.append(domain)
                if change == "resolved":
                    resolved.append(domain)
            if flagged:
                result["flagged"] = flagged
            if undetermined:
                result["undetermined"] = undetermined
            if resolved:
                result["resolved"] = resolved
            results.append(result)
        if results:
            status = "done"
        elif visit["status"] == "done":
            status = "not_answered"  # the visit was made, the questionnaire not answered
        else:
            status = visit["status"]
        out.append({"instrument": instrument, "visit": vid, "status": status, "results": results})
    return out


def _date(response: dict[str, Any]) -> str:
    return response["date"]


EPDS_AT = ("bvc_6_8_weeks",)
BARNSAKERT_AT = tuple(v[0] for v in BARNSAKERT_VISITS)

# --- the plan --------------------------------------------------------------------------


def plan(case: dict[str, Any], as_of: dt.date) -> dict[str, Any]:
    """The compact plan: per programme its decision, visits with dates and statuses (and
    the age they count from), the national doses, and the questionnaires' occasions with
    their flags."""
    child = case["child"]
    birth_iso = child["birth_date"]
    birth, dated, dose_rows = visit_dates(birth_iso)
    first = case.get("first_child")
    either = either_parent(first)
    b_status, b_missing, b_start = barnsakert(case, as_of)
    j_status, j_missing, j_offers = jonkopings_lan(case, either)
    decisions = (
        ("barnsakert", b_status, b_missing),
        ("goteborg", *goteborg(case, birth, either)),
        ("jonkopings_lan", j_status, j_missing),
        ("nassjo", *nassjo(case, birth, either)),
        ("rikshandboken", ELIGIBLE, ()),
        ("rinkeby", *rinkeby(case, birth, either)),
        ("vaggeryd", *vaggeryd(case, either)),
        ("vaxa_tryggt", *vaxa_tryggt(case, birth, first)),
    )
    declined = case.get("declined") or ()
    moved = case.get("moved_in_on")
    enrolment = birth
    if moved is not None:
        enrolment = max(birth, dt.date.fromisoformat(moved))
    visits_done = case.get("visits_done")
    done = {(v["program"], v["visit"]): v["date"] for v in visits_done} if visits_done else {}
    responses = case.get("responses") or ()
    # Who takes over the national home visits: per visit, the last offered programme (in
    # the engine's order) whose plan has the visit that takes its place.
    replaced_by: dict[str, dict[str, str]] = {}
    for pid in LOCAL_REPLACING:
        if pid in declined:
            continue
        status = decisions[_POSITION[pid]][1]
        if status != ELIGIBLE:
            continue
        offers = j_offers if pid == "jonkopings_lan" else None
        for visit_id, by in REPLACED.items():
            if visit_id not in replaced_by and (offers is None or by in offers):
                replaced_by[visit_id] = {"program": pid, "visit": by}

    programs = []
    for pid, status, missing in decisions:
        version, sha = HEADERS[pid]
        out: dict[str, Any] = {"id": pid, "version": version, "sha256": sha, "status": status}
        if status == UNDETERMINED:
            out["missing_facts"] = list(missing)
        is_declined = pid in declined
        if is_declined:
            out["declined"] = True
        if status != NOT_ELIGIBLE:
            if pid == "rikshandboken":
                rows = dated[pid]
                gestational = child.get("gestational_age")
                if gestational is not None:
                    early = days_early(gestational)
                    if early:
                        rows = corrected_dates(birth_iso, birth, early)
                visits = plan_visits(pid, rows, done, is_declined, enrolment, as_of)
                # The occasion shows its visit's own status, before any replacement.
                occasions = screenings("epds", score_epds, EPDS_AT, visits, responses)
                if replaced_by:
                    for visit in visits:
                        by = replaced_by.get(visit["id"])
                        if by is not None and visit["status"] != "done":
                            visit["status"] = "replaced"
                            visit["replaced_by"] = by
                out["visits"] = visits
                given = case.get("vaccinations_done")
                out["vaccinations"] = plan_doses(
                    dose_rows,
                    {(v["vaccine"], v["dose"]): v["date"] for v in given} if given else {},
                    case.get("vaccinations_declined") or (),
                    is_declined,
                    as_of,
                )
                out["screenings"] = occasions
            elif pid == "barnsakert":
                start = enrolment
                if b_start is not None and b_start > start:
                    start = b_start  # the site applies by visit date: visits from its start
                visits = plan_visits(pid, dated[pid], done, is_declined, start, as_of)
                out["visits"] = visits
                out["screenings"] = screenings(
                    "barnsakert",
                    score_barnsakert,
                    BARNSAKERT_AT,
                    visits,
                    responses,
                    BARNSAKERT_SAME_AS,
                )
            else:
                offers = j_offers if pid == "jonkopings_lan" else None
                out["visits"] = plan_visits(
                    pid, dated[pid], done, is_declined, enrolment, as_of, offers
                )
        programs.append(out)
    result: dict[str, Any] = {"$schema": COMPACT_SCHEMA, "as_of": as_of.isoformat()}
    case_ref = case.get("case_ref")
    if case_ref is not None:
        result["case_ref"] = case_ref
    result["programs"] = programs
    return result


_POSITION = {pid: index for index, pid in enumerate(PROGRAM_IDS)}

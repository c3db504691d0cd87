"""BarnSäkert: all families at participating BVCs in Västernorrland; a yes/no questionnaire
at six ordinary BVC visits, flagged per domain and followed from occasion to occasion."""

import datetime as dt
import json
import os
import re
from pathlib import Path

import hembesok_barnsakert
import pytest
from click.testing import CliRunner

from hembesok import cli
from hembesok.authoring.testing import engine_with, failing_examples, plan_for, statuses
from hembesok.engine.engine import Engine
from hembesok.io.documents import load_file
from hembesok.io.loading import instrument_problems, load_responses, read_document
from hembesok.io.problems import InvalidDocument
from hembesok.model.case import Case
from hembesok.model.screening import Response

PACKAGE = Path(hembesok_barnsakert.__file__).parent
INSTRUMENT_FILE = PACKAGE / "instrument.yaml"
REPO = Path(__file__).resolve().parents[3]
EXAMPLES = REPO / "examples"

VISITS = [
    "six_eight_weeks",
    "four_months",
    "ten_months",
    "eighteen_months",
    "two_and_a_half_years",
    "four_years",
]
DOMAINS = [
    "child_safety",
    "economic_worries",
    "low_mood",
    "parental_stress",
    "need_for_help",
    "violence",
    "alcohol",
]
SUNDSVALL = {
    "child": {"birth_date": "2025-09-04"},
    "municipality": "Sundsvall",
    "listed_bvc": "Sundsvall BVC",
}


@pytest.fixture
def no_override(monkeypatch):
    monkeypatch.delenv(hembesok_barnsakert.INSTRUMENT_VARIABLE, raising=False)


@pytest.fixture(scope="module")
def engine():
    # The bundled instrument, whatever the environment running the tests names.
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(hembesok_barnsakert.INSTRUMENT_VARIABLE, raising=False)
        return engine_with(hembesok_barnsakert)


@pytest.fixture(scope="module")
def instrument(engine):
    return engine.instruments["barnsakert"]


def answers(instrument, yes=(), unanswered=()):
    """Every item answered no, except `yes` (answered yes) and `unanswered` (left out)."""
    return {
        item: "yes" if item in yes else "no" for item in instrument.items if item not in unanswered
    }


def response(instrument, date, yes=(), unanswered=(), respondent="parent_1", occasion=None):
    data = {
        "instrument": "barnsakert",
        "date": date,
        "respondent": respondent,
        "answers": answers(instrument, yes, unanswered),
    }
    if occasion:
        data["occasion"] = occasion
    return data


def by_domain(result):
    return {d.domain.id: d for d in result.domains}


# --- the program ------------------------------------------------------------------------


def test_program_examples_pass(engine):
    program = engine.programs["barnsakert"]
    assert len(program.definition["examples"]) >= 10
    assert failing_examples(engine, "barnsakert") == []


def test_six_ordinary_bvc_visits_with_the_nurse(engine):
    plan = plan_for(engine, SUNDSVALL, "2025-09-10", "barnsakert")
    assert plan.decision.status == "eligible"
    assert [(v.visit.id, v.target) for v in plan.visits] == [
        ("six_eight_weeks", dt.date(2025, 10, 23)),
        ("four_months", dt.date(2026, 1, 4)),
        ("ten_months", dt.date(2026, 7, 4)),
        ("eighteen_months", dt.date(2027, 3, 4)),
        ("two_and_a_half_years", dt.date(2028, 6, 4)),  # 2¾ years, the middle of 2½–3
        ("four_years", dt.date(2029, 9, 4)),
    ]
    for visit in plan.visits:
        assert visit.visit.staff == ("bhv_sjukskoterska",)
        assert visit.visit.setting == "bvc"


def test_windows_follow_the_national_age_ranges(engine):
    plan = plan_for(engine, SUNDSVALL, "2025-09-10", "barnsakert")
    windows = {v.visit.id: (v.window.start, v.window.end) for v in plan.visits}
    assert windows["six_eight_weeks"] == (dt.date(2025, 10, 16), dt.date(2025, 10, 30))  # 6–8 w
    assert windows["four_months"] == (dt.date(2025, 12, 4), dt.date(2026, 2, 4))  # 3–5 months
    assert windows["two_and_a_half_years"] == (dt.date(2028, 3, 4), dt.date(2028, 9, 4))  # 2½–3 y


def test_the_questionnaire_is_given_at_all_six_visits_and_no_national_visit_is_replaced(engine):
    program = engine.programs["barnsakert"]
    assert [(s.instrument, s.visits) for s in program.screening] == [("barnsakert", tuple(VISITS))]
    # Not extra visits, and not instead of the national ones: they still take place.
    assert program.replaces == ()
    assert "inga extra besök" in program.definition["description"]["sv"]
    assert "no extra visits" in program.definition["description"]["en"]


# --- who: every parent at a participating BVC ---------------------------------------------


def test_participation_is_by_listed_bvc_not_by_municipality(engine):
    sites = engine.programs["barnsakert"].definition["sites"]
    assert sites["match"] == "listed_bvc"
    assert sites["applies_by"] == "visit_date"


@pytest.mark.parametrize(
    "bvc",
    [
        "Sundsvall BVC",
        "sundsvalls bvc",
        "BVC i Sundsvall (platshållare)",
        "sundsvall_bvc",
        "Timrå BVC",
        "TIMRA BVC",
    ],
)
def test_a_family_at_a_participating_bvc_is_eligible(engine, bvc):
    case = {"child": {"birth_date": "2025-09-04"}, "listed_bvc": bvc}
    plan = plan_for(engine, case, "2026-05-04", "barnsakert")
    assert plan.decision.status == "eligible"
    assert plan.decision.missing_facts == ()


def test_the_bvcs_are_labelled_placeholders_with_their_municipality(engine):
    definition = engine.programs["barnsakert"].definition
    for site in definition["sites"]["list"]:
        assert "platshållare" in site["name"], site["id"]
        assert site["note"].startswith("[U]"), site["id"]
    sites = engine.programs["barnsakert"].sites.sites
    assert {s.id: (s.municipality, s.start, s.planned) for s in sites} == {
        "sundsvall_bvc": ("Sundsvall", dt.date(2022, 1, 1), False),
        "timra_bvc": ("Timrå", dt.date(2023, 3, 1), False),
        "harnosand_bvc": ("Härnösand", None, True),
        "kramfors_bvc": ("Kramfors", None, True),
        "solleftea_bvc": ("Sollefteå", None, True),
        "ange_bvc": ("Ånge", None, True),
        "ornskoldsvik_bvc": ("Örnsköldsvik", None, True),
    }
    notes = " ".join(s.get("note", "") for s in definition["sources"])
    assert "placeholder" in notes and "HSA-id" in notes


@pytest.mark.parametrize(
    "bvc",
    ["Härnösand BVC", "Kramfors BVC", "Sollefteå BVC", "ange bvc", "Örnsköldsviks BVC"],
)
def test_the_rest_of_vasternorrland_is_planned_and_covers_nobody_yet(engine, bvc):
    case = {**SUNDSVALL, "listed_bvc": bvc}
    plan = plan_for(engine, case, "2026-05-04", "barnsakert")
    assert plan.decision.status == "not_eligible"
    assert plan.visits == ()
    assert "planned" in plan.decision.reasons[0].text["en"]


def test_a_family_at_a_bvc_that_does_not_take_part_is_not_eligible(engine):
    for municipality in ("Sundsvall", "Umeå"):
        case = {**SUNDSVALL, "municipality": municipality, "listed_bvc": "Nacksta BVC"}
        plan = plan_for(engine, case, "2026-05-04", "barnsakert")
        assert plan.decision.status == "not_eligible"
        assert "Nacksta BVC does not take part" in plan.decision.reasons[0].text["en"]


def test_a_family_outside_vasternorrland_without_a_bvc_is_not_eligible(engine):
    case = {"child": {"birth_date": "2025-09-04"}, "municipality": "Göteborg"}
    plan = plan_for(engine, case, "2026-05-04", "barnsakert")
    assert plan.decision.status == "not_eligible"
    assert plan.decision.missing_facts == ()
    assert (
        plan.decision.reasons[0]
        .text["en"]
        .startswith(
            "The family lives in Göteborg; the programme runs only at BVCs in Sundsvall, Timrå"
        )
    )


@pytest.mark.parametrize("municipality", ["Sundsvall", None])
def test_a_missing_bvc_is_undetermined_and_named(engine, municipality):
    case = {"child": {"birth_date": "2025-09-04"}}
    if municipality:
        case["municipality"] = municipality
    plan = plan_for(engine, case, "2026-05-04", "barnsakert")
    assert plan.decision.status == "undetermined"
    assert plan.decision.missing_facts == ("listed_bvc",)


def test_no_family_outside_barnsakert_sees_a_tick_on_being_at_a_participating_bvc(engine):
    label = engine.programs["barnsakert"].definition["eligibility"]["label"]
    assert label == {
        "sv": "Inga villkor utöver BVC:n: alla föräldrar där erbjuds BarnSäkert",
        "en": "No conditions beyond the BVC: every parent there is offered BarnSäkert",
    }
    for case in (
        {**SUNDSVALL, "listed_bvc": "Nacksta BVC"},
        {"child": {"birth_date": "2025-09-04"}, "municipality": "Göteborg"},
    ):
        plan = plan_for(engine, case, "2026-05-04", "barnsakert")
        ticked = [r.text["sv"] for r in plan.decision.reasons if r.truth.value == "true"]
        assert not [t for t in ticked if "deltagande BVC" in t], ticked


@pytest.mark.parametrize(
    ("bvc", "start"), [("Sundsvall BVC", dt.date(2022, 1, 1)), ("Timrå BVC", dt.date(2023, 3, 1))]
)
def test_site_start_applies_by_visit_date(engine, bvc, start):
    case = {"child": {"birth_date": "2021-06-15"}, "listed_bvc": bvc}
    day_before = plan_for(engine, case, start - dt.timedelta(days=1), "barnsakert")
    assert day_before.decision.status == "not_eligible"
    assert start.isoformat() in day_before.decision.reasons[0].text["en"]
    on_start = plan_for(engine, case, start, "barnsakert")
    assert on_start.decision.status == "eligible"
    assert on_start.decision.enrolment_date == start


def test_a_child_born_before_timra_started_gets_the_occasions_after_the_start(engine):
    # Born 2022-10-01: the 4-month window (2023-01-01..03-01) is still open on Timrå's
    # first day; born 2022-09-30 it closed on 2023-02-28 (30 February clamped).
    open_case = {"child": {"birth_date": "2022-10-01"}, "listed_bvc": "Timrå BVC"}
    closed_case = {"child": {"birth_date": "2022-09-30"}, "listed_bvc": "Timrå BVC"}
    assert statuses(plan_for(engine, open_case, "2023-03-01", "barnsakert")) == {
        "six_eight_weeks": "not_offered",
        "four_months": "due",  # past its target, its window open on the start day
        "ten_months": "upcoming",
        "eighteen_months": "upcoming",
        "two_and_a_half_years": "upcoming",
        "four_years": "upcoming",
    }
    closed = statuses(plan_for(engine, closed_case, "2023-03-01", "barnsakert"))
    assert closed["four_months"] == "not_offered"
    assert closed["ten_months"] == "upcoming"


def test_an_older_child_is_offered_the_occasions_left_when_sundsvall_starts(engine):
    case = {"child": {"birth_date": "2019-06-15"}, "listed_bvc": "Sundsvall BVC"}
    plan = plan_for(engine, case, "2022-01-01", "barnsakert")
    assert statuses(plan) == {
        "six_eight_weeks": "not_offered",
        "four_months": "not_offered",
        "ten_months": "not_offered",
        "eighteen_months": "not_offered",
        "two_and_a_half_years": "due",  # window 2021-12-15..2022-06-15 (2½–3 years)
        "four_years": "upcoming",
    }


def test_a_family_that_declines_keeps_what_was_done_and_is_not_asked_again(engine):
    case = {
        **SUNDSVALL,
        "declined": ["barnsakert"],
        "visits_done": [
            {"program": "barnsakert", "visit": "six_eight_weeks", "date": "2025-10-22"}
        ],
    }
    plan = plan_for(engine, case, "2026-05-04", "barnsakert")
    assert plan.decision.status == "eligible"
    assert plan.decision.declined is True
    assert statuses(plan) == {"six_eight_weeks": "done"} | {v: "declined" for v in VISITS[1:]}
    # The visit was made, but no questionnaire was answered at it.
    assert [o.status for o in plan.screenings] == ["not_answered"] + ["declined"] * 5


# --- the instrument ---------------------------------------------------------------------


def test_eighteen_yes_no_items_in_seven_domains_yes_signals_risk(instrument):
    assert len(instrument.items) == 18
    assert {i.type for i in instrument.items.values()} == {"yes_no"}
    assert {i.positive_answer for i in instrument.items.values()} == {"yes"}
    assert [d.id for d in instrument.domains] == DOMAINS
    in_domains = [item for d in instrument.domains for item in d.items]
    assert sorted(in_domains) == sorted(instrument.items)  # each item in exactly one domain
    for item in instrument.items.values():
        assert item.text["sv"] and item.text["en"] and item.text["sv"] != item.text["en"]


def test_named_example_items_are_in_their_domains(instrument):
    domains = {d.id: d.items for d in instrument.domains}
    assert "smoke_detector" in domains["child_safety"]
    assert "money_worry" in domains["economic_worries"]
    assert "partner_threat_push_hit" in domains["violence"]
    assert instrument.items["smoke_detector"].text == {
        "sv": "Behöver ni en fungerande brandvarnare hemma?",
        "en": "Do you need a working smoke alarm at home?",
    }


def test_each_domain_flags_on_any_positive_item_and_tolerates_no_missing_answer(instrument):
    for domain in instrument.domains:
        assert domain.rule == "any_positive", domain.id
        assert domain.max_missing == 0, domain.id


def test_each_action_is_a_conversation_or_a_voluntary_offer_with_the_family_therapists(
    instrument,
):
    for domain in instrument.domains:
        action = domain.action
        assert action is not None, domain.id
        assert action.level in ("conversation", "offer_support"), domain.id
        assert action.follow_up_by == ("bhv_sjukskoterska", "familjebehandlare"), domain.id
        assert "familjebehandlare" in action.text["sv"], domain.id
        assert "family therapists" in action.text["en"], domain.id
    violence = next(d for d in instrument.domains if d.id == "violence").action
    assert "information about support" in violence.text["en"]
    assert "not a report of concern" in violence.text["en"]


def test_the_bundled_set_says_it_is_representative_and_how_to_replace_it(instrument):
    assert instrument.representative is True
    definition = instrument.definition
    assert "HEMBESOK_BARNSAKERT_INSTRUMENT" in definition["replace_with"]["en"]
    assert "HEMBESOK_BARNSAKERT_INSTRUMENT" in definition["replace_with"]["sv"]
    assert "NOT the licensed" in definition["description"]["en"]
    assert "THIS IS NOT THE LICENSED BARNSÄKERT / SEEK FORM" in INSTRUMENT_FILE.read_text("utf-8")


# --- scoring and following over time (the "Done when") --------------------------


def test_smoke_detector_and_money_worry_flag_child_safety_and_economic_worries(engine, instrument):
    first = Response.from_dict(
        response(instrument, "2025-10-22", yes=("smoke_detector", "money_worry"))
    )
    result = by_domain(engine.screen(first))
    assert result["child_safety"].status == "flagged"
    assert result["child_safety"].deciding_items == ("smoke_detector",)
    assert result["economic_worries"].status == "flagged"
    assert result["economic_worries"].deciding_items == ("money_worry",)
    for other in set(DOMAINS) - {"child_safety", "economic_worries"}:
        assert result[other].status == "not_flagged", other
        assert result[other].action is None
    assert result["child_safety"].action.level == "conversation"
    assert result["economic_worries"].action.level == "offer_support"
    assert result["economic_worries"].action.follow_up_by == (
        "bhv_sjukskoterska",
        "familjebehandlare",
    )
    assert {d.change for d in result.values()} == {"first"}


def test_next_response_with_only_money_worry_resolves_child_safety_and_economic_persists(
    engine, instrument
):
    first = Response.from_dict(
        response(instrument, "2025-10-22", yes=("smoke_detector", "money_worry"))
    )
    second = Response.from_dict(response(instrument, "2026-01-08", yes=("money_worry",)))
    result = engine.screen(second, [first])
    assert result.previous_date == dt.date(2025, 10, 22)
    domains = by_domain(result)
    assert (domains["child_safety"].status, domains["child_safety"].change) == (
        "not_flagged",
        "resolved",
    )
    assert domains["child_safety"].action is None
    assert (domains["economic_worries"].status, domains["economic_worries"].change) == (
        "flagged",
        "persisting",
    )
    assert domains["economic_worries"].action is not None
    assert domains["low_mood"].change == "not_flagged"
    assert result.to_json()["flagged"] == ["economic_worries"]


@pytest.mark.parametrize("how", ["left out", "null"])
def test_unanswered_items_make_a_domain_undetermined_not_negative(engine, instrument, how):
    data = response(instrument, "2026-01-08", yes=("money_worry",))
    if how == "left out":
        del data["answers"]["feeling_down"]
    else:
        data["answers"]["feeling_down"] = None
    result = by_domain(engine.screen(Response.from_dict(data)))
    assert result["low_mood"].status == "undetermined"
    assert result["low_mood"].missing_items == ("feeling_down",)
    assert result["low_mood"].action is None
    assert result["economic_worries"].status == "flagged"
    assert result["child_safety"].status == "not_flagged"


def test_a_yes_flags_a_domain_whatever_else_is_unanswered(engine, instrument):
    data = response(instrument, "2026-01-08", yes=("partner_threat_push_hit",))
    del data["answers"]["afraid_of_someone"], data["answers"]["child_saw_violence"]
    result = by_domain(engine.screen(Response.from_dict(data)))
    assert result["violence"].status == "flagged"
    assert result["violence"].missing_items == ("afraid_of_someone", "child_saw_violence")


def test_an_undetermined_domain_cannot_be_compared_with_the_previous_occasion(engine, instrument):
    first = Response.from_dict(response(instrument, "2025-10-22", yes=("feeling_down",)))
    second = Response.from_dict(response(instrument, "2026-01-08", unanswered=("lost_joy",)))
    low_mood = by_domain(engine.screen(second, [first]))["low_mood"]
    assert (low_mood.status, low_mood.change) == ("undetermined", "no_comparison")


def test_two_parents_at_one_occasion_are_two_responses_each_followed_on_its_own(engine, instrument):
    case = {
        **SUNDSVALL,
        "responses": [
            response(
                instrument, "2025-10-22", ("smoke_detector",), (), "parent_1", "six_eight_weeks"
            ),
            response(instrument, "2025-10-22", (), (), "parent_2", "six_eight_weeks"),
            response(instrument, "2026-01-08", ("smoke_detector",), (), "parent_1", "four_months"),
            response(instrument, "2026-01-08", ("smoke_detector",), (), "parent_2", "four_months"),
        ],
    }
    plan = plan_for(engine, case, "2026-05-04", "barnsakert")
    occasions = {o.visit.visit.id: o for o in plan.screenings}
    at_six_weeks = occasions["six_eight_weeks"].results
    assert [r.response.respondent for r in at_six_weeks] == ["parent_1", "parent_2"]
    at_four_months = {r.response.respondent: r for r in occasions["four_months"].results}
    assert set(at_four_months) == {"parent_1", "parent_2"}
    # The same answer, compared with each parent's own previous response.
    assert at_four_months["parent_1"].domain("child_safety").change == "persisting"
    assert at_four_months["parent_2"].domain("child_safety").change == "new"
    assert at_four_months["parent_2"].previous_date == dt.date(2025, 10, 22)


def test_plan_shows_the_occasions_done_with_their_results(engine):
    case = json.loads((EXAMPLES / "barnsakert-case.json").read_text("utf-8"))
    plan = engine.evaluate(Case.from_dict(case), dt.date(2026, 5, 4), ["barnsakert"])
    screenings = plan.program("barnsakert").screenings
    assert [(o.instrument, o.visit.visit.id, o.status) for o in screenings] == [
        ("barnsakert", "six_eight_weeks", "done"),
        ("barnsakert", "four_months", "done"),
        ("barnsakert", "ten_months", "upcoming"),
        ("barnsakert", "eighteen_months", "upcoming"),
        ("barnsakert", "two_and_a_half_years", "upcoming"),
        ("barnsakert", "four_years", "upcoming"),
    ]
    (first,) = screenings[0].results
    assert first.to_json()["flagged"] == ["child_safety", "economic_worries"]
    (second,) = screenings[1].results
    assert second.domain("child_safety").change == "resolved"
    assert second.domain("economic_worries").change == "persisting"
    as_json = plan.program("barnsakert").to_json()["screenings"]
    assert as_json[1]["results"][0]["compared_with"] == "2025-10-22"


def test_a_response_makes_its_occasion_done_even_if_the_visit_is_not_recorded(engine, instrument):
    # Given inside the 6–8 week window without naming the occasion, and no visits_done.
    case = {**SUNDSVALL, "responses": [response(instrument, "2025-10-20")]}
    plan = plan_for(engine, case, "2026-05-04", "barnsakert")
    occasion = plan.screenings[0]
    assert (occasion.visit.visit.id, occasion.status, len(occasion.results)) == (
        "six_eight_weeks",
        "done",
        1,
    )
    assert occasion.visit.status == "missed"  # the visit itself is what visits_done says
    assert plan.screenings[1].status == "missed"


def test_a_bvc_not_taking_part_has_no_occasions(engine, instrument):
    case = {
        **SUNDSVALL,
        "municipality": "Härnösand",
        "listed_bvc": "Härnösand BVC",
        "responses": [response(instrument, "2025-10-20")],
    }
    assert plan_for(engine, case, "2026-05-04", "barnsakert").screenings == ()


# --- the example files of the README ---------------------------------------------------


def test_example_response_against_its_history(engine):
    current = load_responses(
        load_file(str(EXAMPLES / "barnsakert-response.json")), engine.instruments
    )
    history = load_responses(
        load_file(str(EXAMPLES / "barnsakert-history.json")), engine.instruments
    )
    assert len(current) == 1 and len(history) == 2
    result = by_domain(engine.screen(current[0], history))
    assert (result["economic_worries"].status, result["economic_worries"].change) == (
        "flagged",
        "persisting",
    )
    assert (result["parental_stress"].status, result["parental_stress"].change) == (
        "flagged",
        "new",
    )
    assert (result["low_mood"].status, result["low_mood"].change) == (
        "undetermined",
        "no_comparison",
    )
    assert (result["child_safety"].status, result["child_safety"].change) == (
        "not_flagged",
        "not_flagged",
    )


def test_hembesok_screen_on_the_example_files(no_override):
    result = CliRunner().invoke(
        cli.main,
        [
            "screen",
            str(EXAMPLES / "barnsakert-response.json"),
            "--history",
            str(EXAMPLES / "barnsakert-history.json"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["instrument"]["representative"] is True
    assert out["compared_with"] == "2026-01-08"
    assert out["flagged"] == ["economic_worries", "parental_stress"]
    changes = {d["id"]: (d["status"], d["change"]) for d in out["domains"]}
    assert changes["low_mood"] == ("undetermined", "no_comparison")
    assert '"yes"' not in result.output  # answers are never printed


# --- validation, and loading the licensed form ---------------------------------------------


def test_hembesok_validate_accepts_the_bundled_instrument():
    result = CliRunner().invoke(cli.main, ["validate", str(INSTRUMENT_FILE)])
    assert result.exit_code == 0, result.output
    assert instrument_problems(read_document(INSTRUMENT_FILE)) == []


def _copy_with_missing_item(tmp_path):
    text = INSTRUMENT_FILE.read_text("utf-8")
    old = "    items: [money_worry, bills_late]\n"
    assert text.count(old) == 1
    line = text[: text.index(old)].count("\n") + 1
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace(old, "    items: [money_worry, rent_arrears]\n"), "utf-8")
    return broken, line


def test_a_domain_naming_a_missing_item_is_rejected_at_its_line(tmp_path):
    broken, line = _copy_with_missing_item(tmp_path)
    errors = [p for p in instrument_problems(read_document(broken)) if p.severity == "error"]
    assert len(errors) == 1
    (error,) = errors
    assert (error.line, error.path) == (line, "$.domains[1].items[1]")
    assert "rent_arrears" in error.message
    result = CliRunner().invoke(cli.main, ["validate", str(broken)])
    assert result.exit_code != 0
    assert f"broken.yaml:{line}:" in result.output


def test_the_bundled_instrument_is_used_by_default(no_override):
    engine = Engine.from_modules([hembesok_barnsakert])
    assert engine.errors == []
    assert Path(engine.instruments["barnsakert"].source).resolve() == INSTRUMENT_FILE.resolve()
    assert engine.instruments["barnsakert"].representative is True


def test_a_blank_variable_keeps_the_bundled_instrument():
    assert hembesok_barnsakert.instrument_source({"HEMBESOK_BARNSAKERT_INSTRUMENT": " "}) == (
        hembesok_barnsakert.instrument_source({})
    )


def test_a_region_loads_its_licensed_form_from_the_variable(tmp_path, monkeypatch):
    licensed = tmp_path / "licensed.yaml"
    text = INSTRUMENT_FILE.read_text("utf-8").replace(
        "representative: true", "representative: false"
    )
    licensed.write_text(re.sub(r"(?m)^version: .*$", 'version: "2.3.0"', text), "utf-8")
    monkeypatch.setenv(hembesok_barnsakert.INSTRUMENT_VARIABLE, str(licensed))
    engine = Engine.from_modules([hembesok_barnsakert])
    assert engine.errors == []
    loaded = engine.instruments["barnsakert"]
    assert (Path(loaded.source), loaded.version, loaded.representative) == (
        licensed,
        "2.3.0",
        False,
    )
    # The program finds it under the same id and scores with it.
    plan = plan_for(engine, SUNDSVALL, "2026-05-04", "barnsakert")
    assert len(plan.screenings) == 6


def test_a_licensed_form_is_validated_like_any_instrument(tmp_path, monkeypatch):
    broken, line = _copy_with_missing_item(tmp_path)
    monkeypatch.setenv(hembesok_barnsakert.INSTRUMENT_VARIABLE, str(broken))
    engine = Engine.from_modules([hembesok_barnsakert])
    assert "barnsakert" not in engine.instruments
    problems = [p for e in engine.errors for p in e.problems]
    assert any(p.line == line and p.path == "$.domains[1].items[1]" for p in problems)
    # ... and the program then names the instrument it cannot find.
    assert any(
        "no installed plugin registers instrument 'barnsakert'" in p.message for p in problems
    )


def test_nothing_in_a_licensed_form_is_executed(tmp_path, monkeypatch):
    sentinel = tmp_path / "ran"
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(f'id: !!python/object/apply:os.system ["touch {sentinel}"]\n', "utf-8")
    monkeypatch.setenv(hembesok_barnsakert.INSTRUMENT_VARIABLE, str(hostile))
    engine = Engine.from_modules([hembesok_barnsakert])
    assert "barnsakert" not in engine.instruments
    assert engine.errors
    assert not sentinel.exists()


def test_a_missing_licensed_file_is_an_error_not_a_silent_fallback(tmp_path, monkeypatch):
    monkeypatch.setenv(hembesok_barnsakert.INSTRUMENT_VARIABLE, str(tmp_path / "nowhere.yaml"))
    engine = Engine.from_modules([hembesok_barnsakert])
    assert "barnsakert" not in engine.instruments
    assert engine.errors
    assert os.fspath(tmp_path / "nowhere.yaml") in " ".join(
        str(p) for e in engine.errors for p in e.problems
    )


def test_the_ordinary_visit_recorded_under_the_national_programme_counts():
    import hembesok_rikshandboken

    from hembesok import Engine

    engine = Engine.from_modules([hembesok_rikshandboken, hembesok_barnsakert])
    assert engine.errors == []
    case = {
        "child": {"birth_date": "2026-03-10"},
        "municipality": "Sundsvall",
        "visits_done": [
            {"program": "rikshandboken", "visit": "bvc_6_8_weeks", "date": "2026-04-28"}
        ],
    }
    plan = engine.evaluate(Case.from_dict(case), dt.date(2026, 5, 20)).program("barnsakert")
    visit = next(v for v in plan.visits if v.visit.id == "six_eight_weeks")
    assert (visit.status, visit.done_on) == ("done", dt.date(2026, 4, 28))


# --- occasions named by the ordinary visit, and visits made without an answer -------------


@pytest.mark.parametrize(
    ("occasion", "visit"),
    [("bvc_6_8_weeks", "six_eight_weeks"), ("bvc_3_5_months", "four_months")],
)
def test_a_response_naming_the_ordinary_visit_counts_for_its_occasion(
    engine, instrument, occasion, visit
):
    # Dated after the window closed, so only the name can place it.
    case = {
        **SUNDSVALL,
        "responses": [
            response(instrument, "2026-03-02", ("money_worry",), (), "parent_1", occasion)
        ],
    }
    plan = plan_for(engine, case, "2026-05-04", "barnsakert")
    occasions = {o.visit.visit.id: o for o in plan.screenings}
    assert occasions[visit].status == "done"
    (result,) = occasions[visit].results
    assert result.domain("economic_worries").status == "flagged"
    others = [o.status for v, o in occasions.items() if v != visit]
    assert "done" not in others


def test_a_response_naming_an_occasion_barnsakert_does_not_have_is_a_located_problem(
    engine, instrument
):
    case = {**SUNDSVALL, "responses": [response(instrument, "2025-10-22", occasion="bvc_6_months")]}
    with pytest.raises(InvalidDocument) as raised:
        plan_for(engine, case, "2026-05-04", "barnsakert")
    (problem,) = raised.value.problems
    assert problem.path == "$.responses[0].occasion"
    assert "bvc_6_8_weeks (six_eight_weeks)" in problem.message


def test_a_visit_made_without_the_questionnaire_is_not_answered(engine):
    case = {
        **SUNDSVALL,
        "visits_done": [
            {"program": "barnsakert", "visit": "six_eight_weeks", "date": "2025-10-22"}
        ],
    }
    plan = plan_for(engine, case, "2026-05-04", "barnsakert")
    first = plan.screenings[0]
    assert (first.visit.status, first.status, first.results) == ("done", "not_answered", ())


def test_the_car_seat_question_names_the_infant_carrier_asked_from_6_8_weeks(instrument):
    text = instrument.items["car_seat"].text
    assert "babyskydd eller en bilbarnstol" in text["sv"]
    assert "infant car seat" in text["en"]

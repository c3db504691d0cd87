"""The report's tables over small flat tables built in the test: definitions and suppression."""

import datetime as dt

import pytest

from hembesok.report import sources
from hembesok.report.tables import build
from hembesok.report.weeks import IsoWeek

D = dt.date
W20 = IsoWeek(2026, 20)  # Monday 2026-05-11 to Sunday 2026-05-17; the tables are as of 2026-05-04


def _report(flat, **options):
    return build(sources.open_arrow(flat.arrow()), options.pop("week", W20), **options)


def _rows(table, **where):
    return [r for r in table.rows if all(r[k] == v for k, v in where.items())]


def _add_children(flat, bvc, outcomes, program="p"):
    """One child per outcome; its visit v1 (window 2026-03-01 – 2026-03-31) says the outcome."""
    for n, outcome in enumerate(outcomes):
        ref = f"{bvc}-{n}"
        status = "undetermined" if outcome == "undetermined" else "eligible"
        flat.decision(
            case_ref=ref,
            program=program,
            status=status,
            bvc=bvc,
            declined=outcome == "declined",
            missing_facts=["listed_bvc"] if status == "undetermined" else [],
        )
        if status == "undetermined":
            continue
        visit = {
            "done": ("done", D(2026, 3, 10)),
            "missed": ("missed", None),
            "declined": ("declined", None),
        }.get(outcome)
        window = (D(2026, 3, 1), D(2026, 3, 31)) if visit else (D(2026, 6, 1), D(2026, 6, 30))
        status, done_on = visit or ("upcoming", None)
        flat.visit(
            case_ref=ref,
            program=program,
            bvc=bvc,
            item="v1",
            target=window[0] + dt.timedelta(days=14),
            window_start=window[0],
            window_end=window[1],
            status=status,
            done_on=done_on,
        )


def test_coverage_counts_each_child_once_by_its_outcome(flat):
    outcomes = ["done"] * 6 + ["missed"] * 5 + ["declined"] * 2 + ["waiting"] * 7 + ["undetermined"]
    _add_children(flat, "Norra BVC", outcomes)
    flat.decision(case_ref="other", program="p", status="not_eligible", bvc="Norra BVC")
    report = _report(flat, min_count=1)
    (row,) = _rows(report.coverage, bvc="Norra BVC")
    expected = {o: outcomes.count(o) for o in set(outcomes)}
    assert row["target_group"] == len(outcomes)  # the child not eligible is not in it
    assert row["offered"] == len(outcomes) - expected["undetermined"]
    assert {o: row[o] for o in expected} == expected
    (total,) = _rows(report.coverage, all_bvcs=True)
    assert total["target_group"] == len(outcomes)
    (fact,) = _rows(report.missing_facts, bvc="Norra BVC")
    assert (fact["fact"], fact["children"]) == ("listed_bvc", 1)
    (visit,) = _rows(report.visits, bvc="Norra BVC")
    assert (visit["planned"], visit["done"], visit["missed"], visit["upcoming"]) == (20, 6, 5, 7)


def test_a_bvc_with_three_children_shows_no_three_anywhere(flat):
    _add_children(flat, "Lilla BVC", ["done", "done", "missed"])
    _add_children(flat, "Stora BVC", ["done"] * 7 + ["missed"] * 6)
    report = _report(flat)
    for table in report.aggregates:
        for row in table.rows:
            for count in table.counts:
                assert row[count] is None or row[count] == 0 or row[count] >= 5, (table.name, row)
    (small,) = _rows(report.coverage, bvc="Lilla BVC")
    assert small["target_group"] is None and "target_group" in small["suppressed"]
    # The region's 16 beside Stora BVC's 13 would give Lilla BVC's 3 back: one of them goes too.
    (big,) = _rows(report.coverage, bvc="Stora BVC")
    (total,) = _rows(report.coverage, all_bvcs=True)
    assert big["target_group"] is None or total["target_group"] is None
    assert big["done"] is None or total["done"] is None  # 9 - 7 would give 2


def test_suppressed_counts_are_named_in_their_row(flat):
    _add_children(flat, "Lilla BVC", ["done", "done", "missed"])
    report = _report(flat)
    for table in report.aggregates:
        for row in table.rows:
            assert {c for c in table.counts if row[c] is None} == set(row["suppressed"])


def _visit(flat, ref, window, status="upcoming", done_on=None, kind="visit", item="v"):
    flat.decision(case_ref=ref, program="p", status="eligible", bvc="BVC")
    flat.visit(
        case_ref=ref,
        program="p",
        bvc="BVC",
        kind=kind,
        item=item,
        target=window[0],
        window_start=window[0],
        window_end=window[1],
        status=status,
        done_on=done_on,
    )


@pytest.mark.parametrize(
    ("window", "status", "done_on", "listed"),
    [
        ((D(2026, 5, 12), D(2026, 5, 14)), "upcoming", None, "due"),  # inside the week
        ((D(2026, 4, 1), D(2026, 6, 1)), "due", None, "due"),  # spans the week
        ((D(2026, 4, 1), D(2026, 5, 11)), "due", None, "due"),  # its last day is the Monday
        ((D(2026, 5, 17), D(2026, 6, 17)), "upcoming", None, "due"),  # opens on the Sunday
        ((D(2026, 5, 18), D(2026, 6, 17)), "upcoming", None, None),  # opens the week after
        ((D(2026, 4, 1), D(2026, 5, 10)), "due", None, "missed"),  # closed the Sunday before
        ((D(2026, 3, 1), D(2026, 4, 13)), "missed", None, "missed"),  # 28 days before Monday
        ((D(2026, 3, 1), D(2026, 4, 12)), "missed", None, None),  # 29 days before: too old
        ((D(2026, 5, 1), D(2026, 5, 20)), "done", D(2026, 5, 2), None),  # done
        ((D(2026, 5, 1), D(2026, 5, 20)), "replaced", None, None),  # another visit instead
        ((D(2026, 5, 1), D(2026, 5, 20)), "declined", None, None),  # the family declined
    ],
)
def test_a_worklist_lists_what_is_due_in_the_week_or_missed_just_before(
    flat, window, status, done_on, listed
):
    _visit(flat, "c1", window, status, done_on)
    rows = _report(flat).worklist.rows
    assert [r["week_status"] for r in rows] == ([listed] if listed else [])
    if listed:
        assert (rows[0]["case_ref"], rows[0]["plan_status"]) == ("c1", status)


def test_a_worklist_lists_doses_and_questionnaires_not_answered(flat):
    _visit(flat, "c1", (D(2026, 5, 1), D(2026, 5, 31)), "due", item="v6w")
    flat.visit(
        case_ref="c1",
        program="p",
        bvc="BVC",
        kind="dose",
        item="mmr_1",
        target=D(2026, 5, 13),
        window_start=D(2026, 5, 6),
        window_end=D(2026, 6, 6),
        status="due",
    )
    for ref, answered in (("c1", None), ("c2", D(2026, 5, 2))):
        flat.screening(
            case_ref=ref,
            program="p",
            bvc="BVC",
            instrument="epds",
            visit="v6w",
            occasion_status="done" if answered else "due",
            window_start=D(2026, 5, 1),
            window_end=D(2026, 5, 31),
            answered_on=answered,
            domain="mood" if answered else None,
            result="flagged" if answered else None,
        )
    rows = _report(flat).worklist.rows
    listed = {(r["case_ref"], r["kind"], r["item"], r["instrument"], r["target"]) for r in rows}
    assert listed == {
        ("c1", "visit", "v6w", None, D(2026, 5, 1)),
        ("c1", "dose", "mmr_1", None, D(2026, 5, 13)),
        ("c1", "questionnaire", "v6w", "epds", D(2026, 5, 1)),  # the target of its visit
    }


def test_the_reference_date_recounts_open_statuses_from_their_windows(flat):
    _add_children(flat, "BVC", ["waiting"] * 6)  # windows in June, upcoming on 2026-05-04
    assert _rows(_report(flat).coverage, bvc="BVC")[0]["waiting"] == 6
    later = _report(flat, as_of=D(2026, 7, 1))
    assert (_rows(later.coverage, bvc="BVC")[0]["missed"], later.as_of) == (6, D(2026, 7, 1))


def _answer(flat, ref, visit, day, result, domain="mood"):
    flat.screening(
        case_ref=ref,
        program="p",
        bvc="BVC",
        instrument="epds",
        visit=visit,
        occasion_status="done",
        window_start=day - dt.timedelta(days=7),
        window_end=day + dt.timedelta(days=7),
        answered_on=day,
        domain=domain,
        result=result,
    )


def test_screening_counts_new_persisting_and_resolved_against_the_previous_occasion(flat):
    first, second, third = D(2025, 6, 1), D(2025, 9, 1), D(2026, 1, 1)
    for n in range(3):  # not flagged, then flagged (new), then flagged (persisting)
        _answer(flat, f"a{n}", "v1", first, "not_flagged")
        _answer(flat, f"a{n}", "v2", second, "flagged")
        _answer(flat, f"a{n}", "v3", third, "flagged")
    for n in range(2):  # flagged at the first occasion, then not (resolved)
        _answer(flat, f"b{n}", "v1", first, "flagged")
        _answer(flat, f"b{n}", "v2", second, "not_flagged")
    _answer(flat, "c", "v2", second, "flagged")  # only the second: nothing to compare with
    _answer(flat, "c", "v2", second, "not_flagged")  # ... a second respondent: still flagged
    rows = {r["visit"]: r for r in _report(flat, min_count=1).screening.rows}
    counts = ("answered", "flagged", "new", "persisting", "no_comparison", "resolved")
    assert tuple(rows["v1"][c] for c in counts) == (5, 2, 0, 0, 2, 0)
    assert tuple(rows["v2"][c] for c in counts) == (6, 4, 3, 0, 1, 2)
    assert tuple(rows["v3"][c] for c in counts) == (3, 3, 0, 3, 0, 0)


def test_the_timeline_counts_visits_done_per_month(flat):
    _add_children(flat, "BVC", ["done"] * 6)
    (row,) = _report(flat).timeline.rows
    assert (row["program"], row["kind"], row["month"], row["done"]) == (
        "p",
        "visit",
        D(2026, 3, 1),
        6,
    )


def _document(report):
    from hembesok.report.machine import document

    return document(report)


def test_parquet_csv_and_part_files_give_the_same_report(flat, tmp_path):
    _add_children(flat, "BVC", ["done"] * 6 + ["missed"] * 2 + ["undetermined"] * 5)
    _answer(flat, "BVC-0", "v1", D(2026, 3, 10), "flagged")
    one = _document(build(sources.open_directory(flat.write_parquet(tmp_path / "pq")), W20))
    two = _document(build(sources.open_directory(flat.write_csv(tmp_path / "csv")), W20))
    parts = tmp_path / "parts"
    flat.write_parquet(tmp_path / "tmp")
    for name in sources.TABLES:
        (parts / name).mkdir(parents=True)
        (tmp_path / "tmp" / f"{name}.parquet").rename(parts / name / "part-00000.parquet")
    three = _document(build(sources.open_directory(parts), W20))
    assert one == two == three
    assert one["tables"]["coverage"][0]["offered"] == 8


def test_a_directory_without_the_tables_is_named_as_such(tmp_path):
    with pytest.raises(sources.SourceError, match=r"no decisions\.parquet"):
        sources.open_directory(tmp_path)


def test_a_wrong_value_is_reported_without_quoting_it(flat, tmp_path):
    from hembesok.report.queries import QueryError

    _add_children(flat, "BVC", ["done"])
    folder = flat.write_csv(tmp_path)
    text = (folder / "visits.csv").read_text()
    (folder / "visits.csv").write_text(text.replace("2026-03-10", "Anna Andersson"))
    with pytest.raises(QueryError) as caught:
        build(sources.open_directory(folder), W20)
    assert "Anna" not in str(caught.value)


def _region(flat):
    """Three BVCs in two programmes, each child with a visit open in week 20."""
    _add_children(flat, "Lilla BVC", ["done", "done", "missed"])
    _add_children(flat, "Stora BVC", ["done"] * 7 + ["missed"] * 6 + ["waiting"] * 2)
    _add_children(flat, "Mellan BVC", ["done"] * 5 + ["missed"] * 5)
    _add_children(flat, "Stora BVC", ["done"] * 6, program="q")
    for n, bvc in enumerate(("Lilla BVC", "Stora BVC", "Mellan BVC")):
        _visit_at(flat, f"open-{bvc}", bvc, "p")
        _visit_at(flat, f"open-q-{n}", bvc, "q")


def _visit_at(flat, ref, bvc, program):
    flat.decision(case_ref=ref, program=program, status="eligible", bvc=bvc)
    flat.visit(
        case_ref=ref,
        program=program,
        bvc=bvc,
        item="v2",
        target=D(2026, 5, 12),
        window_start=D(2026, 5, 4),
        window_end=D(2026, 5, 25),
        status="due",
    )


def test_one_bvcs_report_has_its_own_rows_and_the_regions_suppression(flat):
    _region(flat)
    region = _report(flat)
    own = build(sources.open_arrow(flat.arrow()), W20, bvcs=["Lilla BVC"])
    assert {r["bvc"] for r in own.worklist.rows} == {"Lilla BVC"}
    assert {r["case_ref"] for r in own.worklist.rows} == {"open-Lilla BVC", "open-q-0"}
    for mine, whole in zip(own.aggregates, region.aggregates, strict=True):
        if "bvc" not in mine.keys:  # screening and over time are the region's
            assert mine.rows == whole.rows
            continue
        assert {r["bvc"] for r in mine.rows if not r["all_bvcs"]} <= {"Lilla BVC"}
        # Every row shown is the region's row, suppressed the same way: side by side, the
        # two pages give back nothing neither gives alone.
        assert [r for r in mine.rows if not r["all_bvcs"]] == [
            r for r in whole.rows if r["bvc"] == "Lilla BVC"
        ], mine.name
        assert all(r in whole.rows for r in mine.rows), mine.name
        assert bool([r for r in mine.rows if r["all_bvcs"]]) == bool(whole.rows), mine.name
    # A programme the BVC has no child in is left out, its region's row too.
    _add_children(flat, "Stora BVC", ["done"] * 6, program="r")
    own = build(sources.open_arrow(flat.arrow()), W20, bvcs=["Lilla BVC"])
    assert "r" not in {r["program"] for r in own.coverage.rows}
    assert own.only_bvcs == ("Lilla BVC",) and own.only_programs is None


def test_a_programme_alone_counts_as_in_the_whole_report(flat):
    _region(flat)
    region = _report(flat)
    only_q = build(sources.open_arrow(flat.arrow()), W20, programs=["q"])
    assert only_q.only_programs == ("q",)
    for mine, whole in zip(only_q.tables, region.tables, strict=True):
        assert list(mine.rows) == [r for r in whole.rows if r["program"] == "q"], mine.name
    assert only_q.coverage.rows, "q has children"

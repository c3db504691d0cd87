from hypothesis import given
from hypothesis import strategies as st

from hembesok.report.suppression import Group, suppress


def test_counts_from_one_to_the_threshold_minus_one_are_hidden_and_zero_is_shown():
    assert suppress({"a": 0, "b": 1, "c": 4, "d": 5}, [], 5) == {"b", "c"}


def test_a_threshold_of_one_hides_nothing():
    assert suppress({"a": 1, "b": 2}, [Group("t", ("a", "b"))], 1) == frozenset()


def test_a_part_next_to_its_total_takes_the_smallest_other_part_with_it():
    counts = {"total": 40, "a": 3, "b": 20, "c": 17}
    assert suppress(counts, [Group("total", ("a", "b", "c"))], 5) == {"a", "c"}


def test_a_total_hidden_by_one_sum_hides_a_part_of_its_own_sum():
    # T is a part of the sum `all` (beside u, 2) and the total of its own (p + q)
    counts = {"all": 9, "T": 7, "u": 2, "p": 0, "q": 7}
    groups = [Group("all", ("T", "u")), Group("T", ("p", "q"))]
    assert suppress(counts, groups, 5) == {"u", "T", "p"}


def test_a_group_without_a_shown_total_counts_its_total_as_known():
    counts = {"may": 3, "june": 9, "july": 12}
    assert suppress(counts, [Group(None, ("may", "june", "july"))], 5) == {"may", "june"}


def test_secondary_suppression_goes_on_until_no_group_has_one_hidden_cell():
    # rows r1, r2 and a total row; columns x, y and a total column (2 x 2 table with margins)
    counts = {
        ("r1", "x"): 3, ("r1", "y"): 10, ("r1", "all"): 13,
        ("r2", "x"): 8, ("r2", "y"): 9, ("r2", "all"): 17,
        ("all", "x"): 11, ("all", "y"): 19, ("all", "all"): 30,
    }  # fmt: skip
    groups = [Group((r, "all"), ((r, "x"), (r, "y"))) for r in ("r1", "r2", "all")]
    groups += [Group(("all", c), (("r1", c), ("r2", c))) for c in ("x", "y", "all")]
    hidden = suppress(counts, groups, 5)
    assert {("r1", "x"), ("r1", "y"), ("r2", "x"), ("r2", "y")} <= hidden
    for group in groups:
        members = [group.total, *group.parts]
        assert sum(m in hidden for m in members) != 1


@given(
    st.lists(st.lists(st.integers(0, 30), min_size=2, max_size=5), min_size=2, max_size=6),
    st.integers(1, 8),
)
def test_no_group_of_a_table_with_margins_keeps_exactly_one_hidden_cell(rows, threshold):
    width = min(len(r) for r in rows)
    rows = [r[:width] for r in rows]
    counts = {(i, j): v for i, r in enumerate(rows) for j, v in enumerate(r)}
    for i, r in enumerate(rows):
        counts[(i, "all")] = sum(r)
    for j in range(width):
        counts[("all", j)] = sum(r[j] for r in rows)
    counts[("all", "all")] = sum(map(sum, rows))
    groups = [Group((i, "all"), tuple((i, j) for j in range(width))) for i in range(len(rows))]
    groups.append(Group(("all", "all"), tuple(("all", j) for j in range(width))))
    groups += [
        Group(("all", j), tuple((i, j) for i in range(len(rows)))) for j in [*range(width), "all"]
    ]
    hidden = suppress(counts, groups, threshold)
    assert {k for k, v in counts.items() if 0 < v < threshold} <= hidden
    for group in groups:
        assert sum(m in hidden for m in (group.total, *group.parts)) != 1

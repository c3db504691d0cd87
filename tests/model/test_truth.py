"""Kleene three-valued logic: the full truth tables."""

import itertools

import pytest

from hembesok.model.truth import Truth, all_of, any_of

T, F, U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN

AND = {
    (T, T): T,
    (T, F): F,
    (T, U): U,
    (F, T): F,
    (F, F): F,
    (F, U): F,
    (U, T): U,
    (U, F): F,
    (U, U): U,
}
OR = {
    (T, T): T,
    (T, F): T,
    (T, U): T,
    (F, T): T,
    (F, F): F,
    (F, U): U,
    (U, T): T,
    (U, F): U,
    (U, U): U,
}


@pytest.mark.parametrize(("a", "b"), list(itertools.product((T, F, U), repeat=2)))
def test_and_or_tables(a, b):
    assert all_of([a, b]) is AND[(a, b)]
    assert any_of([a, b]) is OR[(a, b)]


def test_not_table():
    assert (~T, ~F, ~U) == (F, T, U)


def test_empty_combinations_are_identities():
    assert all_of([]) is T
    assert any_of([]) is F


def test_de_morgan_holds_in_three_values():
    for a, b in itertools.product((T, F, U), repeat=2):
        assert ~all_of([a, b]) is any_of([~a, ~b])

"""Disclosure control: suppression, rounding and the recoverability proof."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ncmd.stats import DisclosureRule, find_recoverable, protect_table
from ncmd.stats.disclosure import round_to_base, with_margins


def test_small_counts_are_suppressed_and_others_rounded_to_five():
    table = protect_table([3, 20, 41, 0, 12])
    assert table.as_text()[2] == "40" and table.as_text()[3] == "0"
    assert table.primary[0] and table.suppressed[0]
    assert table.suppressed.sum() == 2  # one more cell so the total does not give 3 away
    assert not find_recoverable([(table.suppressed, None)])


def test_rule_is_configurable():
    rule = DisclosureRule(suppress_from=1, suppress_to=4, rounding_base=10)
    table = protect_table([5, 25, 40], rule)
    assert not table.suppressed.any()
    assert list(table.rounded) == [10, 30, 40, 70]


def test_rounding_is_half_up():
    assert list(round_to_base([2, 3, 7, 8, 15, 25], 5)) == [0, 5, 5, 10, 15, 25]
    assert list(round_to_base([15, 25], 10)) == [20, 30]


def test_two_way_table_with_margins_protects_every_cell():
    counts = np.array([[3, 20, 40], [15, 12, 30], [50, 60, 9]])
    table = protect_table(counts)
    assert table.counts.shape == (4, 4)
    assert table.counts[-1, -1] == counts.sum()
    assert table.suppressed[0, 0]
    for line in list(table.suppressed) + list(table.suppressed.T):
        assert line.sum() != 1
    assert not find_recoverable([(table.suppressed, None)])


def test_checker_reports_the_recoverable_cell_and_how():
    suppressed = np.zeros((3, 3), dtype=bool)
    suppressed[0, 0] = True  # alone in its row: total minus the other cell gives it away
    found = find_recoverable([(suppressed, None)])
    assert [f.position for f in found] == [(0, 0)]
    counts = with_margins([[4, 10], [20, 30]]).ravel()
    value = sum(w * counts[np.ravel_multi_index(pos, (3, 3))] for _, pos, w in found[0].derivation)
    assert value == pytest.approx(4)


def test_checker_links_tables_that_share_cells():
    # Table A suppresses cells 0 and 1 of a 1-way table; table B publishes cell 0 by another
    # breakdown, so A's cell 1 follows from A's total.
    a = np.array([True, True, False, False])
    b = np.array([False, False])
    atoms_a = np.eye(3)
    atoms_b = np.array([[1.0, 0, 0]])
    found = find_recoverable([(a, atoms_a), (b, atoms_b)])
    assert {(f.table, f.position) for f in found} == {(0, (0,)), (0, (1,))}


tables = arrays(
    np.int64, st.tuples(st.integers(1, 5), st.integers(1, 5)), elements=st.integers(0, 40)
)


@settings(max_examples=60, deadline=None)
@given(tables)
def test_protected_tables_never_leave_a_recoverable_cell(counts):
    table = protect_table(counts)
    assert (table.suppressed | ~table.primary).all()
    assert not find_recoverable([(table.suppressed, None)])


@settings(max_examples=40, deadline=None)
@given(arrays(np.int64, st.integers(1, 8), elements=st.integers(0, 30)))
def test_protected_one_way_tables_never_leave_a_recoverable_cell(counts):
    table = protect_table(counts)
    assert not find_recoverable([(table.suppressed, None)])


def test_negative_counts_are_refused_with_their_position():
    message = r"counts has a negative value \(-2\) at position \(1, 0\)"
    with pytest.raises(ValueError, match=message):
        protect_table([[1, 2], [-2, 3]])

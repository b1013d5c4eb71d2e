"""Disclosure control of analysis tables: hand-worked tables, then random ones."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ncmd.analysis.tables import TOTAL, Column, Kind, Table
from ncmd.publishing.disclosure import (
    CONFIDENTIAL,
    LOW_RELIABILITY,
    check_published,
    protect,
    protect_tables,
    small_cells,
)
from ncmd.stats import DisclosureRule
from tests.publishing_fakes import age_table, region_sex_table, region_table

RULE = DisclosureRule(1, 7, 5)
EXACT = DisclosureRule(1, 7, 1)
REGION = Column("region", "Region", Kind.DIMENSION, geographic=True)
DEATHS = Column("deaths", "Deaths", Kind.COUNT)


def cells(protected, key):
    return dict(
        zip(protected.cells(protected.table.dimensions[0].key), protected.cells(key), strict=True)
    )


def test_a_small_regional_count_and_its_complement_are_suppressed():
    table = Table("t", "T", "d", (REGION, DEATHS), (("A", 3), ("B", 50), ("C", 60), (TOTAL, 113)))
    published = cells(protect(table, EXACT), "deaths")
    # 3 is primary; B is the smallest figure that stops A being total - B - C.
    assert published == {"A": CONFIDENTIAL, "B": CONFIDENTIAL, "C": 60, TOTAL: 113}


def test_the_national_total_is_never_suppressed_even_when_small():
    table = Table("t", "T", "d", (REGION, DEATHS), (("A", 3), ("B", 2), (TOTAL, 5)))
    published = cells(protect(table, EXACT), "deaths")
    assert published[TOTAL] == 5
    assert published["A"] == published["B"] == CONFIDENTIAL
    assert check_published([protect(table, EXACT)]) == []


def test_a_national_table_is_published_as_counted():
    protected = protect(age_table("2024-25"), RULE)
    assert protected.rows == age_table("2024-25").rows  # 4 deaths at 15-17 stay: national
    assert protected.withheld == frozenset()


def test_sub_national_counts_are_rounded_to_the_base_and_national_ones_are_not():
    protected = protect(region_sex_table(), RULE)
    rows = {(r[0], r[1]): r[2] for r in protected.rows}
    assert rows[("London", "Male")] == 35  # 33 rounded to 5
    assert rows[(TOTAL, "Male")] == 50  # national margin, exact
    assert rows[(TOTAL, TOTAL)] == 129


def test_derived_columns_are_withheld_with_their_count():
    protected = protect(region_table(), RULE)
    isles = next(r for r in protected.rows if r[0] == "Isles")
    # deaths, rate and both limits withheld; the population is a denominator, published.
    assert isles[1:] == (CONFIDENTIAL, 20_000, CONFIDENTIAL, CONFIDENTIAL, CONFIDENTIAL)


def test_a_rate_on_fewer_than_20_deaths_is_flagged_low_reliability():
    rate = Column("rate", "Rate", Kind.RATE, unit="per 100,000", of="deaths")
    table = Table(
        "t",
        "T",
        "d",
        (REGION, DEATHS, rate),
        (("A", 12, 1.2), ("B", 300, 3.0), ("C", 250, 2.5), (TOTAL, 562, 2.6)),
    )
    protected = protect(table, EXACT)
    assert [c.key for c in protected.columns] == ["region", "deaths", "rate", "rate_reliability"]
    assert protected.cells("rate_reliability") == [LOW_RELIABILITY, "", "", ""]


def test_a_two_way_table_leaves_nothing_recoverable():
    protected = protect(region_sex_table(), RULE)
    assert small_cells([protected], RULE) == []
    assert check_published([protected]) == []
    assert ("North East", "Male") in {
        (protected.table.rows[r][0], protected.table.rows[r][1]) for r, _ in protected.primary
    }


def test_the_checker_finds_a_figure_that_is_recoverable():
    """The proof is not vacuous: suppressing only the small cell of a 1-D table is caught."""
    from dataclasses import replace

    table = Table("t", "T", "d", (REGION, DEATHS), (("A", 3), ("B", 50), (TOTAL, 53)))
    weak = replace(protect(table, EXACT), withheld=frozenset({(0, "deaths")}))
    assert check_published([weak]) == [("t", 0, "deaths")]


def test_table_ids_must_be_unique():
    table = Table("t", "T", "d", (REGION, DEATHS), (("A", 30),))
    with pytest.raises(Exception, match="repeat"):
        protect_tables([table, table])


def _full_table(counts, dims):
    """A long-form table with every margin from a dict of interior counts."""
    columns = tuple(
        Column(f"d{i}", f"D{i}", Kind.DIMENSION, geographic=(i == 0)) for i in range(dims)
    ) + (DEATHS,)
    values = [sorted({k[i] for k in counts}) + [TOTAL] for i in range(dims)]
    rows = []
    for key in itertools.product(*values):
        rows.append(
            (
                *key,
                sum(
                    v
                    for k, v in counts.items()
                    if all(a in (b, TOTAL) for a, b in zip(key, k, strict=True))
                ),
            )
        )
    return Table("random", "Random", "d", columns, tuple(rows))


@settings(max_examples=40, deadline=None)
@given(
    dims=st.integers(1, 3),
    shape=st.tuples(st.integers(1, 4), st.integers(1, 3), st.integers(1, 2)),
    data=st.data(),
)
def test_random_tables_leave_no_small_cell_and_nothing_recoverable(dims, shape, data):
    keys = list(itertools.product(*[[f"v{j}" for j in range(shape[i])] for i in range(dims)]))
    counts = {k: data.draw(st.sampled_from([0, 1, 2, 5, 7, 8, 9, 12, 30, 100])) for k in keys}
    protected = protect(_full_table(counts, dims), RULE)
    assert small_cells([protected], RULE) == []
    assert check_published([protected]) == []


def _pair(counts):
    """A region table and a region by sex table of the same deaths."""
    two_way = _full_table(counts, 2)
    regions = sorted({k[0] for k in counts})
    rows = [(r, sum(v for k, v in counts.items() if k[0] == r)) for r in regions]
    rows.append((TOTAL, sum(counts.values())))
    columns = (Column("d0", "D0", Kind.DIMENSION, geographic=True), DEATHS)
    return Table("by-region", "By region", "d", columns, tuple(rows)), two_way


def test_tables_that_share_cells_are_protected_together():
    """Protected one by one, a region table can be differenced against a region by sex table
    of the same deaths; protected together, nothing is recoverable."""
    import random
    from dataclasses import replace

    chooser = random.Random(7)
    leaks_alone = 0
    for _ in range(60):
        regions, sexes = chooser.randint(2, 4), 2
        counts = {
            (f"r{i}", f"s{j}"): chooser.choice([0, 1, 2, 3, 5, 9, 12, 20, 40])
            for i in range(regions)
            for j in range(sexes)
        }
        one_way, two_way = _pair(counts)
        together = protect_tables([one_way, two_way], RULE)
        assert together[0].links == (("deaths", "random"),)
        assert check_published(together) == [] and small_cells(together, RULE) == []
        alone = [replace(protect(one_way, RULE), links=together[0].links), protect(two_way, RULE)]
        leaks_alone += bool(check_published(alone))
    assert leaks_alone > 0  # the joint protection has work to do

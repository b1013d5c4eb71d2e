"""Financial years and the rounding of published cells."""

import datetime

import pytest

from ncmd.analysis.cells import half_day, percent_values, rate_values, ratio_values
from ncmd.analysis.years import parse_year, previous_year, year_bounds, year_label, year_of


def test_financial_years():
    assert parse_year("2024-25") == 2024
    assert year_label(1999) == "1999-00"
    assert year_bounds("2024-25") == (datetime.date(2024, 4, 1), datetime.date(2025, 3, 31))
    assert year_of(datetime.date(2025, 3, 31)) == "2024-25"
    assert year_of(datetime.date(2025, 4, 1)) == "2025-26"
    assert previous_year("2000-01") == "1999-00"


@pytest.mark.parametrize("label", ["2024", "2024-26", "24-25", "2024/25", ""])
def test_a_label_that_is_not_a_financial_year_is_refused(label):
    with pytest.raises(ValueError, match="write it as 2024-25"):
        parse_year(label)


def test_cells_without_a_denominator_are_blank():
    assert rate_values(3, None) == (None, None, None)
    assert rate_values(3, 0) == (None, None, None)
    assert percent_values(0, 0) == (None, None, None)
    assert ratio_values(0, 100, 0, 100) == (None, None, None)


def test_small_counts_use_exact_limits():
    # 0 deaths in 100,000: upper limit chi2(0.975; 2) / 2 = 3.689.
    assert rate_values(0, 100_000) == (0.0, 0.0, 3.7)


def test_days_round_to_the_nearest_half_day():
    assert [half_day(v) for v in (135.75, 180.5, 226.0, 0.2, None)] == [136.0, 180.5, 226.0, 0.0,
                                                                      None]  # fmt: skip

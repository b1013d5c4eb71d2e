"""Before and after a change: the comparison computed with ncmd.stats' XmR chart (fixed baseline
and declared change) and Wilson intervals."""

import datetime

import numpy as np
import pytest

from ncmd.learning.movement import for_series, split_at
from ncmd.stats import proportion, xmr_chart


def months(n, start=datetime.date(2023, 1, 1)):
    return [
        datetime.date(start.year + (start.month - 1 + k) // 12, (start.month - 1 + k) % 12 + 1, 1)
        for k in range(n)
    ]


def test_the_month_of_the_change_is_left_out_unless_it_began_on_the_first():
    periods = months(6)
    assert split_at(periods, datetime.date(2023, 3, 15)) == ([0, 1], [3, 4, 5])
    assert split_at(periods, datetime.date(2023, 3, 1)) == ([0, 1], [2, 3, 4, 5])


def test_a_step_up_after_training_is_special_cause_improvement():
    periods = months(24)
    numerators = [60 + (k % 3) for k in range(12)] + [90 + (k % 3) for k in range(12)]
    denominators = [100] * 24
    m = for_series(
        periods=periods,
        numerators=numerators,
        denominators=denominators,
        change_on=datetime.date(2024, 1, 1),
        improvement="increase",
    )
    assert m.compared and m.before.months == 12 and m.after.months == 12
    assert m.before.mean == pytest.approx(0.61)
    assert m.after.mean == pytest.approx(0.91)
    assert m.signals_improvement == 12 and m.signals_concern == 0
    assert m.verdict.startswith("Improved")
    assert not m.trial_limits
    # The numbers are ncmd.stats' own.
    values = np.array(numerators, dtype=float) / 100
    fixed = xmr_chart(values[None, :], fix_after_n_points=12)
    assert m.before.upper_limit == pytest.approx(fixed.upper_limit[0, 0])
    pooled = proportion([sum(numerators[:12]), sum(numerators[12:])], [1200, 1200])
    assert m.after.pooled_lower == pytest.approx(pooled.lower[1])


def test_a_drop_is_concern_when_higher_is_better_and_improvement_when_lower_is():
    periods = months(10)
    numerators = [80, 82, 81, 79, 80, 50, 52, 51, 49, 50]
    args = {
        "periods": periods,
        "numerators": numerators,
        "denominators": [100] * 10,
        "change_on": datetime.date(2023, 6, 1),
    }
    worse = for_series(**args, improvement="increase")
    assert worse.signals_concern == 5 and worse.verdict.startswith("Worse")
    assert worse.trial_limits
    better = for_series(**args, improvement="decrease")
    assert better.signals_improvement == 5


def test_no_change_when_the_months_after_stay_within_the_limits():
    periods = months(12)
    numerators = [70, 72, 68, 71, 69, 70, 71, 69, 70, 72, 68, 70]
    m = for_series(
        periods=periods,
        numerators=numerators,
        denominators=[100] * 12,
        change_on=datetime.date(2023, 7, 1),
    )
    assert m.signals_improvement == m.signals_concern == 0
    assert m.verdict.startswith("No significant change")


def test_too_few_months_on_one_side_says_so():
    periods = months(5)
    m = for_series(
        periods=periods,
        numerators=[1, 2, 3, 4, 5],
        denominators=[10] * 5,
        change_on=datetime.date(2023, 5, 1),
    )
    assert not m.compared
    assert "4 before and 1 after" in m.verdict

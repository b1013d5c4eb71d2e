"""Bad input raises a ValueError naming the argument and position; never a silent NaN."""

import numpy as np
import pytest

from ncmd.stats import (
    crude_rate,
    directly_standardised_rate,
    funnel_limits,
    p_chart,
    proportion,
    u_chart,
    xmr_chart,
)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: proportion([1, -1], [5, 5]), r"x has a negative value \(-1\) at position 1"),
        (lambda: proportion([1, 6], [5, 5]), "x is greater than n at position 1"),
        (lambda: proportion([1, 2], [5, 0]), "n is zero at position 1"),
        (
            lambda: crude_rate([1, np.nan], [5, 5]),
            "x has a missing or infinite value at position 1",
        ),
        (lambda: crude_rate([], []), "x is empty"),
        (lambda: proportion(1, 5, confidence=1.5), "confidence must be between"),
        (
            lambda: directly_standardised_rate([[1, 2]], [[10, 10]], [1, 2, 3]),
            "standard_population has 3 strata",
        ),
        (
            lambda: xmr_chart([1.0, np.nan, 3.0]),
            "values has a missing or infinite value at position",
        ),
        (lambda: xmr_chart(np.array([]).reshape(1, 0)), "at least one point"),
        (lambda: xmr_chart([1.0, 2.0], improvement="up"), "improvement must be one of"),
        (lambda: xmr_chart([1.0, 2.0, 3.0], rebase=[False, False, True]), "single point"),
        (lambda: p_chart([1, 9], [5, 5]), "counts is greater than denominators at position"),
        (lambda: u_chart([1, 2], [5, 0]), "denominators is zero at position"),
        (lambda: funnel_limits([1], [2]), "at least two units"),
        # Each kind of bad count is found by the same two passes (lowest and highest value),
        # then named with its position.
        (lambda: funnel_limits([1, np.nan], [2, 3]), "numerator has a missing .* at position 1"),
        (lambda: funnel_limits([1, np.inf], [2, 3]), "numerator has a missing .* at position 1"),
        (lambda: funnel_limits([-np.inf, 1], [2, 3]), "numerator has a missing .* at position 0"),
        (
            lambda: funnel_limits([1, -2], [2, 3]),
            r"numerator has a negative value \(-2\) at position 1",
        ),
        (lambda: funnel_limits([1, 2], [2, np.nan]), "denominator has a missing .* at position 1"),
        (lambda: funnel_limits([1, 2], [np.inf, 3]), "denominator has a missing .* at position 0"),
        (lambda: funnel_limits([1, 2], [2, -3]), "denominator has a negative value"),
        (
            lambda: funnel_limits([[1, 2], [0, 1]], [[2, 3], [4, 0]]),
            r"denominator is zero at position \(1, 1\)",
        ),
        (lambda: funnel_limits([1, 2], [2, 3], data_type="odds"), "data_type must be one of"),
    ],
)
def test_bad_input_raises_a_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_zero_counts_pass_where_only_denominators_must_be_positive():
    result = funnel_limits([0.0, 0.0, 3.0], [2.0, 3.0, 4.0])
    assert result.value.tolist() == [0.0, 0.0, 0.75]
    assert proportion([0, 0], [5, 1]).estimate.tolist() == [0.0, 0.0]


def test_padding_past_a_series_length_may_be_nan():
    chart = xmr_chart([[1.0, 2.0, 4.0, 3.0], [1.0, 2.0, np.nan, np.nan]], lengths=[4, 2])
    assert not np.isnan(chart.upper_limit[1, :2]).any()

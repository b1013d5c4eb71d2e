"""Properties every result must have, whatever the data (hypothesis)."""

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ncmd.stats import (
    crude_rate,
    directly_standardised_rate,
    funnel_limits,
    p_chart,
    proportion,
    rate_ratio,
    standardised_ratio,
    xmr_chart,
)

counts_and_sizes = st.integers(1, 10**6).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))
levels = st.sampled_from([0.9, 0.95, 0.99, 0.998])


@given(counts_and_sizes, levels)
def test_proportion_interval_contains_the_estimate_and_widens(xn, level):
    x, n = xn
    narrow, wide = proportion(x, n, confidence=level), proportion(x, n, confidence=0.999)
    assert 0 <= narrow.lower <= narrow.estimate <= narrow.upper <= 1
    assert wide.lower <= narrow.lower and narrow.upper <= wide.upper


@given(st.integers(0, 10**6), st.integers(1, 10**8), levels)
def test_rate_interval_contains_the_estimate_and_widens(x, n, level):
    narrow, wide = crude_rate(x, n, confidence=level), crude_rate(x, n, confidence=0.999)
    assert 0 <= narrow.lower <= narrow.estimate <= narrow.upper
    assert wide.lower <= narrow.lower and narrow.upper <= wide.upper


@given(st.integers(0, 5000), st.floats(0.5, 5000), levels)
def test_standardised_ratio_interval_contains_the_estimate(observed, expected, level):
    ratio = standardised_ratio(observed, expected, confidence=level)
    assert ratio.lower <= ratio.estimate <= ratio.upper


@given(st.integers(1, 5000), st.integers(1, 5000), st.sampled_from(["log", "exact"]))
def test_rate_ratio_interval_contains_the_estimate(x1, x2, method):
    ratio = rate_ratio(x1, 10_000, x2, 20_000, method=method)
    assert ratio.lower <= ratio.estimate * (1 + 1e-12) and ratio.estimate <= ratio.upper


@settings(deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 300), min_size=4, max_size=4), min_size=2, max_size=6),
    st.randoms(use_true_random=False),
)
def test_dsr_contains_the_estimate_and_ignores_unit_order(counts, random):
    counts = np.array(counts, dtype=float)
    populations = np.full_like(counts, 5000.0)
    standard = [5000, 5500, 6000, 4000]
    result = directly_standardised_rate(counts, populations, standard)
    shown = ~result.withheld
    assert (result.lower[shown] <= result.value[shown]).all()
    assert (result.value[shown] <= result.upper[shown]).all()
    order = list(range(len(counts)))
    random.shuffle(order)
    shuffled = directly_standardised_rate(counts[order], populations[order], standard)
    np.testing.assert_allclose(shuffled.value, result.value[order])


@settings(deadline=None, max_examples=50)
@given(
    st.lists(st.tuples(st.integers(0, 400), st.integers(400, 2000)), min_size=3, max_size=40),
    st.randoms(use_true_random=False),
    st.sampled_from(["proportion", "ratio", "rate"]),
)
def test_funnel_results_do_not_depend_on_unit_order(units, random, data_type):
    num = np.array([u[0] for u in units], dtype=float)
    den = np.array([u[1] for u in units], dtype=float)
    if data_type != "proportion":
        num = num + 1  # log-scale z-scores need events
    order = list(range(len(units)))
    random.shuffle(order)
    a, b = (
        funnel_limits(num, den, data_type=data_type),
        funnel_limits(num[order], den[order], data_type=data_type),
    )
    assert a.phi == pytest.approx(b.phi) and a.tau2 == pytest.approx(b.tau2, rel=1e-9, abs=1e-15)
    np.testing.assert_allclose(a.upper998[order], b.upper998)
    np.testing.assert_array_equal(a.class95[order], b.class95)
    assert (a.lower998 <= a.lower95).all() and (a.upper95 <= a.upper998).all()


@settings(deadline=None, max_examples=40)
@given(
    st.lists(st.lists(st.floats(-100, 100), min_size=12, max_size=12), min_size=2, max_size=6),
    st.randoms(use_true_random=False),
)
def test_xmr_results_do_not_depend_on_series_order(series, random):
    values = np.array(series)
    assume(np.ptp(values, axis=1).min() > 0)
    order = list(range(len(series)))
    random.shuffle(order)
    a, b = xmr_chart(values), xmr_chart(values[order])
    np.testing.assert_array_equal(a.special_cause[order], b.special_cause)
    np.testing.assert_allclose(a.upper_limit[order], b.upper_limit)
    assert (a.lower_limit <= a.mean).all() and (a.mean <= a.upper_limit).all()


@given(st.lists(counts_and_sizes, min_size=3, max_size=30))
def test_p_chart_limits_bracket_the_centre_line(units):
    chart = p_chart([u[0] for u in units], [u[1] for u in units])
    assert (chart.lower_limit <= chart.centre).all() and (chart.centre <= chart.upper_limit).all()
    assert (chart.lower_limit_95 >= chart.lower_limit).all()

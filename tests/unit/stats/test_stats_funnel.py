"""Funnel limits against FunnelPlotR 0.6.0's tests (tests/testthat/test-*.R)."""

import numpy as np
import pytest

from ncmd.stats import funnel_limits
from ncmd.stats.funnel import _poisson_ratio_limits, classify

# test-poisson_limits.R: calculate_limits(number_seq = c(15, 20, 30), target = 1), unadjusted.
POISSON = {
    "ll95": [0.5596924, 0.6108260, 0.6746958],
    "ul95": [1.649348, 1.544419, 1.427562],
    "ll99": [0.3862650, 0.4479107, 0.5289724],
    "ul99": [2.082907, 1.902094, 1.702771],
}
# test-funnel_plot.R
NUMERATOR = [100, 150, 180, 80, 120, 225]
DENOMINATOR = [108, 112, 165, 95, 100, 220]


def test_unadjusted_ratio_limits_are_exact_poisson_as_in_funnelplotr():
    ll95, ul95, ll99, ul99 = _poisson_ratio_limits(np.array([15.0, 20.0, 30.0]), 1)
    # The reference rounds to 7 decimals (ll) and 6 decimals (ul): compare at that precision.
    np.testing.assert_array_equal(np.round(ll95, 7), POISSON["ll95"])
    np.testing.assert_array_equal(np.round(ul95, 6), POISSON["ul95"])
    np.testing.assert_array_equal(np.round(ll99, 7), POISSON["ll99"])
    np.testing.assert_array_equal(np.round(ul99, 6), POISSON["ul99"])


def test_units_are_classed_as_outliers_as_in_funnelplotr():
    # test-outliers_func.R: rr against fixed limits; outlier = outside [LCL, UCL].
    rr = np.array([1, 0.95, 1.05, 0.8, 1.2, 0.6, 1.4, 0.4, 1.6, 0])
    cases = [
        ((0.9, 1.1), [0, 0, 0, 1, 1, 1, 1, 1, 1, 1]),
        ((0.79, 1.21), [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]),
        ((0.59, 1.41), [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]),
        ((0.38, 1.62), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
    ]
    for (lower, upper), outlier in cases:
        assert list(classify(rr, lower, upper) != 0) == [bool(o) for o in outlier]
    assert (classify(rr * 100, 0.9, 1.1) != 0).all()  # multiplier = 100
    assert list(classify(rr, 0.9, 1.1)[[3, 4]]) == [-1, 1]


def test_overdispersed_ratio_limits_relate_as_in_funnelplotr():
    adjusted = funnel_limits(NUMERATOR, DENOMINATOR, data_type="ratio")
    plain = funnel_limits(
        NUMERATOR, DENOMINATOR, data_type="ratio", multiplier=100, adjust_for_overdispersion=False
    )
    cqc = funnel_limits(
        NUMERATOR, DENOMINATOR, data_type="ratio", sr_method="CQC", trim_by=0.05, multiplier=100
    )
    assert adjusted.adjusted and not plain.adjusted
    # expect_gt(b$LCL95[5], a$OD95LCL[5]): Poisson limits are inside the adjusted ones.
    assert plain.lower95[4] / 100 > adjusted.lower95[4]
    # expect_lt(b$OD95LCL[5], c$OD95LCL[5]): SHMI limits with tau2 = 0 are below CQC's.
    assert 100 * np.exp(-1.959964 * np.sqrt(1 / DENOMINATOR[4])) < cqc.lower95[4]


def test_no_adjustment_when_there_is_no_overdispersion():
    n = np.full(20, 1000.0)
    result = funnel_limits(np.full(20, 100.0), n)
    assert result.phi == 0 and not result.adjusted
    np.testing.assert_array_equal(result.lower95, result.unadjusted[0])


def test_proportion_limits_on_the_arcsine_scale_with_tau2():
    num, den = np.array([10, 20, 30, 5, 50, 44]), np.array([100, 150, 200, 90, 220, 300])
    result = funnel_limits(num, den)
    target = num.sum() / den.sum()
    s = np.sqrt(1 / (4 * den) + result.tau2)
    expected = np.sin(np.arcsin(np.sqrt(target)) + 3.090232 * s) ** 2
    np.testing.assert_allclose(result.upper998, expected if result.adjusted else expected)
    assert ((result.lower998 <= result.lower95) & (result.upper95 <= result.upper998)).all()


def test_many_funnels_in_one_call_match_one_at_a_time():
    rng = np.random.default_rng(7)
    den = rng.integers(50, 500, size=(5, 30)).astype(float)
    num = rng.binomial(den.astype(int), 0.2).astype(float)
    together = funnel_limits(num, den)
    for i in range(5):
        alone = funnel_limits(num[i], den[i])
        np.testing.assert_allclose(together.upper95[i], alone.upper95)
        np.testing.assert_array_equal(together.class998[i], alone.class998)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="numerator is greater than denominator at position 1"):
        funnel_limits([1, 5], [2, 4])


def test_unadjusted_limits_of_an_overdispersed_funnel_are_the_plain_ones():
    rng = np.random.default_rng(11)
    den = rng.integers(50, 2000, size=200).astype(float)
    num = rng.binomial(den.astype(int), rng.uniform(0.1, 0.3, 200)).astype(float)
    adjusted = funnel_limits(num, den)
    plain = funnel_limits(num, den, adjust_for_overdispersion=False)
    assert adjusted.adjusted and not plain.adjusted
    used = (plain.lower95, plain.upper95, plain.lower998, plain.upper998)
    for mine, theirs in zip(adjusted.unadjusted, used, strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-15)
    assert (adjusted.lower998 < plain.lower998).all()  # tau² widens every limit


@pytest.mark.parametrize("rate", [0.002, 0.998])
def test_proportion_limits_are_truncated_at_0_and_1_like_funnelplotr(rate):
    # FunnelPlotR: sin(centre ∓ z·s)² where the angle stays within [0, π/2], else 0 or 1.
    den = np.array([2.0, 5, 40, 400, 4000])
    num = np.round(den * rate)
    result = funnel_limits(num, den, adjust_for_overdispersion=False)
    centre, s = np.arcsin(np.sqrt(result.target)), np.sqrt(1 / (4 * den))
    for z, lower, upper in ((1.959964, result.lower95, result.upper95),
                            (3.090232, result.lower998, result.upper998)):  # fmt: skip
        expected_lower = np.where(centre - z * s > 0, np.sin(centre - z * s) ** 2, 0.0)
        expected_upper = np.where(centre + z * s < np.pi / 2, np.sin(centre + z * s) ** 2, 1.0)
        np.testing.assert_allclose(lower, expected_lower, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(upper, expected_upper, rtol=1e-12, atol=1e-15)
    assert (result.lower998 == 0).any() if rate < 0.5 else (result.upper998 == 1).any()


def test_adjusted_proportion_limits_are_the_arcsine_formula_funnel_by_funnel():
    # Limits come from tan(z·s) rather than sin(c ± z·s), and the truncation masks are skipped
    # when no unit of any funnel reaches 0 or 1: check both against the reference formula, in
    # one call where one funnel truncates (a rare event, small units) and the other does not.
    rng = np.random.default_rng(3)
    den = np.stack([rng.integers(20, 200, 400), rng.integers(500, 5000, 400)]).astype(float)
    num = rng.binomial(
        den.astype(int), np.array([[0.01], [0.3]]) * rng.uniform(0.3, 1.7, den.shape)
    )
    result = funnel_limits(num.astype(float), den)
    assert result.adjusted.all()
    assert (result.lower998[0] == 0).any() and (result.lower998[1] > 0).all()
    for row in range(2):
        centre = np.arcsin(np.sqrt(result.target[row]))
        s = np.sqrt(1 / (4 * den[row]) + result.tau2[row])
        for z, lower, upper in ((1.959964, result.lower95, result.upper95),
                                (3.090232, result.lower998, result.upper998)):  # fmt: skip
            expected_lower = np.where(centre - z * s > 0, np.sin(centre - z * s) ** 2, 0.0)
            expected_upper = np.where(centre + z * s < np.pi / 2, np.sin(centre + z * s) ** 2, 1.0)
            np.testing.assert_allclose(lower[row], expected_lower, rtol=1e-12, atol=1e-16)
            np.testing.assert_allclose(upper[row], expected_upper, rtol=1e-14)
        alone = funnel_limits(num[row].astype(float), den[row])
        np.testing.assert_array_equal(alone.class998, result.class998[row])


@pytest.mark.parametrize("shape", [(2,), (10,), (11,), (7, 33), (3, 1)])
def test_trimming_quantiles_are_bit_identical_to_r_type_7(shape):
    from ncmd.stats.funnel import _quantiles

    values = np.random.default_rng(sum(shape)).normal(size=shape)
    for probabilities in ((0.1, 0.9), (0.05, 0.95), (0.25, 0.75)):
        expected = np.quantile(values, probabilities, axis=-1, keepdims=True)
        for mine, theirs in zip(_quantiles(values, probabilities), expected, strict=True):
            np.testing.assert_array_equal(mine, theirs)

"""The Poisson model of the deprivation gradient, on data whose answers are known exactly."""

import math

import numpy as np
import pytest

from ncmd.analysis.gradient import GradientNotEstimable, deprivation_gradient
from ncmd.stats import rate_ratio

Z = 1.959963984540054


def test_exactly_log_linear_deaths_give_the_ratio_per_decile():
    # Deciles 10, 9, 8, 7 (0 to 3 steps more deprived), equal populations, deaths doubling with
    # each step: the model fits exactly, the rate ratio per decile is 2 and the dispersion 0.
    fit = deprivation_gradient([10, 9, 8, 7], [5, 10, 20, 40], [1000] * 4)
    assert fit.rate_ratio == pytest.approx(2.0, rel=1e-9)
    assert fit.dispersion == pytest.approx(0.0, abs=1e-9)
    assert (fit.deaths, fit.deciles) == (75, 4)
    # Fisher information of the slope: sum(mu * s^2) - (sum(mu * s))^2 / sum(mu).
    steps, mu = np.array([0, 1, 2, 3]), np.array([5, 10, 20, 40])
    information = (mu * steps**2).sum() - (mu * steps).sum() ** 2 / mu.sum()
    se = 1 / math.sqrt(information)
    assert fit.lower == pytest.approx(2 * math.exp(-Z * se), rel=1e-6)
    assert fit.upper == pytest.approx(2 * math.exp(Z * se), rel=1e-6)


def test_two_deciles_saturate_the_model_and_match_the_two_group_rate_ratio():
    # Deciles 9 and 10, one step apart: the slope is the log of the ratio of their rates, and
    # its interval is the log-method rate ratio interval.
    fit = deprivation_gradient([9, 10], [30, 10], [2000, 1000])
    assert fit.rate_ratio == pytest.approx(1.5)
    expected = rate_ratio(np.array([30]), np.array([2000]), np.array([10]), np.array([1000]))
    assert fit.lower == pytest.approx(float(expected.lower[0]), rel=1e-6)
    assert fit.upper == pytest.approx(float(expected.upper[0]), rel=1e-6)
    assert fit.dispersion is None  # no residual degrees of freedom


def test_populations_vary_and_the_offset_accounts_for_them():
    # Rates 1, 1.1, 1.21 per 1,000 with different populations: ratio 1.1 per decile.
    fit = deprivation_gradient([10, 9, 8], [10, 22, 48.4], [10_000, 20_000, 40_000])
    assert fit.rate_ratio == pytest.approx(1.1, rel=1e-9)


@pytest.mark.parametrize(
    ("deciles", "deaths", "population", "reason"),
    [
        ([5], [3], [100], "two deciles"),
        ([5, 6], [0, 0], [100, 100], "at least one death"),
        ([5, 6], [3, 4], [0, 0], "two deciles"),
    ],
)
def test_a_gradient_that_cannot_be_estimated_says_why(deciles, deaths, population, reason):
    with pytest.raises(GradientNotEstimable, match=reason):
        deprivation_gradient(deciles, deaths, population)

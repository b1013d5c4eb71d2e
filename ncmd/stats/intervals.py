"""Confidence intervals for proportions and counts, as published by OHID Fingertips.

The formulas are those of PHEindicatormethods (``R/utils.R``: ``wilson_lower``, ``byars_lower``
and their upper twins; ``R/Rates.R`` for the exact Poisson interval), so that our figures agree
with every Fingertips indicator. All functions are vectorised: give arrays of any shape.
"""

from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri
from scipy.stats import chi2

from ._checks import as_counts, as_positive, confidence_level, not_above, same_shape

#: Count at or above which Byar's approximation replaces the exact Poisson interval.
BYAR_THRESHOLD = 10


@dataclass(frozen=True)
class Interval:
    """An estimate with its confidence limits, arrays of one shape."""

    estimate: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    confidence: float


def z_value(confidence):
    """Two-sided normal quantile: 1.959964 for 95%, 3.090232 for 99.8%."""
    level = confidence_level(confidence)
    return float(ndtri(level + (1 - level) / 2))


def wilson_limits(x, n, confidence=0.95):
    """Wilson score limits for ``x`` successes in ``n`` (unvalidated: see ``wilson_interval``)."""
    z = z_value(confidence)
    centre = 2 * x + z**2
    spread = z * np.sqrt(z**2 + 4 * x * (1 - x / n))
    denominator = 2 * (n + z**2)
    return (centre - spread) / denominator, (centre + spread) / denominator


def wilson_interval(x, n, confidence=0.95):
    """Proportion ``x / n`` with its Wilson score interval.

    Wilson's interval stays inside [0, 1] and behaves at 0 and n, unlike the normal
    approximation, which is why Fingertips uses it for every proportion.
    """
    x = as_counts("x", x)
    n = as_positive("n", n)
    x, n = same_shape(("x", "n"), x, n)
    not_above("x", x, "n", n)
    lower, upper = wilson_limits(x, n, confidence)
    # Rounding can leave the limit a hair past the estimate at x = 0 or x = n.
    estimate = x / n
    return Interval(
        estimate,
        np.clip(lower, 0, estimate),
        np.clip(upper, estimate, 1),
        confidence_level(confidence),
    )


def byar_limits(x, confidence=0.95):
    """Byar's approximation to the Poisson limits of a count ``x`` (unvalidated).

    PHEindicatormethods returns NA where the lower cube goes negative (tiny counts at high
    confidence); a count's lower limit cannot be below zero, so we return 0 there. Rates use
    Byar only from ``BYAR_THRESHOLD`` upwards, where this never happens.
    """
    z = z_value(confidence)
    safe = np.where(x > 0, x, 1.0)
    lower = safe * (1 - 1 / (9 * safe) - z / (3 * np.sqrt(safe))) ** 3
    lower = np.where((x > 0) & (lower > 0), lower, 0.0)
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    return lower, upper


def exact_poisson_limits(x, confidence=0.95):
    """Exact (Garwood) Poisson limits of a count ``x`` via the chi-squared distribution."""
    level = confidence_level(confidence)
    alpha = 1 - level
    lower = np.where(x > 0, chi2.ppf(alpha / 2, 2 * np.maximum(x, 1e-300)) / 2, 0.0)
    upper = chi2.ppf(level + alpha / 2, 2 * x + 2) / 2
    return lower, upper


def poisson_limits(x, confidence=0.95):
    """Fingertips' rule: exact limits below ``BYAR_THRESHOLD`` events, Byar's from there up."""
    exact_lower, exact_upper = exact_poisson_limits(x, confidence)
    byar_lower, byar_upper = byar_limits(x, confidence)
    small = x < BYAR_THRESHOLD
    return np.where(small, exact_lower, byar_lower), np.where(small, exact_upper, byar_upper)


def poisson_interval(x, confidence=0.95):
    """A count with its confidence interval, exact below 10 events and Byar's from 10."""
    x = as_counts("x", x)
    lower, upper = poisson_limits(x, confidence)
    return Interval(x, lower, upper, confidence_level(confidence))


def poisson_method(x):
    """Name the method used for each count, as PHEindicatormethods labels it."""
    return np.where(np.asarray(x) < BYAR_THRESHOLD, "Exact", "Byars")

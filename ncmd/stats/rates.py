"""Rates, proportions, standardised rates and ratios, with Fingertips confidence intervals.

Every function takes one value per unit (a CDOP, a region, a year) in NumPy arrays and returns
arrays of the same shape, so a whole table is computed in one call. The methods and their
thresholds follow PHEindicatormethods (``phe_proportion``, ``phe_rate``, ``calculate_dsr``,
``calculate_ISRatio``); ``docs/methods.md`` gives the formulas.
"""

from dataclasses import dataclass

import numpy as np
from scipy.stats import beta

from ._checks import (
    as_counts,
    as_positive,
    choice,
    confidence_level,
    not_above,
    same_shape,
)
from .intervals import Interval, byar_limits, poisson_limits, wilson_limits, z_value

#: Directly standardised rates are withheld below this total count (Fingertips rule).
DSR_MINIMUM_COUNT = 10
DSR_WITHHELD_REASON = "total count below 10: a directly standardised rate is not published"


def proportion(x, n, *, confidence=0.95, multiplier=1):
    """Proportion (or percentage, with ``multiplier=100``) with its Wilson score interval."""
    x = as_counts("x", x)
    n = as_positive("n", n)
    x, n = same_shape(("x", "n"), x, n)
    not_above("x", x, "n", n)
    lower, upper = wilson_limits(x, n, confidence)
    estimate = x / n
    lower, upper = np.clip(lower, 0, estimate), np.clip(upper, estimate, 1)
    return Interval(
        estimate * multiplier, lower * multiplier, upper * multiplier, confidence_level(confidence)
    )


def crude_rate(x, n, *, multiplier=100_000, confidence=0.95):
    """Events per ``multiplier`` population: exact Poisson limits below 10 events, Byar's above."""
    x = as_counts("x", x)
    n = as_positive("n", n)
    x, n = same_shape(("x", "n"), x, n)
    lower, upper = poisson_limits(x, confidence)
    scale = multiplier / n
    return Interval(x * scale, lower * scale, upper * scale, confidence_level(confidence))


@dataclass(frozen=True)
class StandardisedRate:
    """Directly standardised rates per unit; ``withheld`` units carry NaN and ``reason``."""

    value: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    total_count: np.ndarray
    total_population: np.ndarray
    withheld: np.ndarray
    reason: np.ndarray
    confidence: float


def directly_standardised_rate(
    counts, populations, standard_population, *, multiplier=100_000, confidence=0.95
):
    """Directly standardised rate per unit with Dobson's confidence interval.

    ``counts`` and ``populations`` are units × strata (usually age bands), ``standard_population``
    is one weight per stratum (for example ESP 2013). Dobson et al. (1991) scale Byar's interval
    for the total count by the DSR's own variance. Units with fewer than 10 events in total are
    withheld, as Fingertips does, and say so in ``reason``.
    """
    counts = np.atleast_2d(as_counts("counts", counts))
    populations = np.atleast_2d(as_positive("populations", populations))
    standard = as_positive("standard_population", standard_population)
    if counts.shape != populations.shape:
        raise ValueError(
            f"counts {counts.shape} and populations {populations.shape} must have the same "
            "shape: units × strata."
        )
    if standard.shape != counts.shape[-1:]:
        raise ValueError(
            f"standard_population has {standard.size} strata but counts has "
            f"{counts.shape[-1]}: give one standard weight per stratum."
        )
    weight = standard / populations
    total_count = counts.sum(axis=-1)
    value = (counts * weight).sum(axis=-1) / standard.sum()
    variance = (counts * weight**2).sum(axis=-1) / standard.sum() ** 2
    withheld = total_count < DSR_MINIMUM_COUNT
    safe_total = np.where(withheld, DSR_MINIMUM_COUNT, total_count)
    byar_lower, byar_upper = byar_limits(safe_total, confidence)
    scale = np.sqrt(variance / safe_total)
    lower = value + scale * (byar_lower - safe_total)
    upper = value + scale * (byar_upper - safe_total)

    def publish(values):
        return np.where(withheld, np.nan, values * multiplier)

    return StandardisedRate(
        value=publish(value),
        lower=publish(lower),
        upper=publish(upper),
        total_count=total_count,
        total_population=populations.sum(axis=-1),
        withheld=withheld,
        reason=np.where(withheld, DSR_WITHHELD_REASON, ""),
        confidence=confidence_level(confidence),
    )


def expected_events(populations, reference_counts, reference_populations):
    """Events expected in each unit at the reference rates: the denominator of an SMR/ISR."""
    populations = np.atleast_2d(as_counts("populations", populations))
    reference_counts = as_counts("reference_counts", reference_counts)
    reference_populations = as_positive("reference_populations", reference_populations)
    if (
        reference_counts.shape != populations.shape[-1:]
        or reference_populations.shape != (populations.shape[-1:])
    ):
        raise ValueError("give one reference count and population per stratum of populations.")
    return (populations * reference_counts / reference_populations).sum(axis=-1)


def standardised_ratio(observed, expected, *, multiplier=1, confidence=0.95):
    """Indirectly standardised ratio observed / expected (an SMR with ``multiplier=100``).

    The limits are the Fingertips Poisson limits of the observed count divided by the expected
    count, as ``calculate_ISRatio`` does.
    """
    observed = as_counts("observed", observed)
    expected = as_positive("expected", expected)
    observed, expected = same_shape(("observed", "expected"), observed, expected)
    lower, upper = poisson_limits(observed, confidence)
    scale = multiplier / expected
    return Interval(observed * scale, lower * scale, upper * scale, confidence_level(confidence))


def rate_ratio(x1, n1, x2, n2, *, confidence=0.95, method="log"):
    """Ratio of two crude rates, (x1 / n1) / (x2 / n2), with its confidence interval.

    ``method="log"`` is the Wald interval on the log scale, exp(log RR ± z √(1/x1 + 1/x2)), the
    same as a two-group Poisson regression reports; it needs events in both groups.
    ``method="exact"`` conditions on x1 + x2 and uses the Clopper-Pearson interval for
    x1 / (x1 + x2), which is valid for small and zero counts.
    """
    choice("method", method, ("log", "exact"))
    x1, x2 = as_counts("x1", x1), as_counts("x2", x2)
    n1, n2 = as_positive("n1", n1), as_positive("n2", n2)
    x1, n1, x2, n2 = same_shape(("x1", "n1", "x2", "n2"), x1, n1, x2, n2)
    level = confidence_level(confidence)
    ratio_of_denominators = n2 / n1
    if method == "log":
        for name, x in (("x1", x1), ("x2", x2)):
            if (x == 0).any():
                where = int(np.argwhere(x.ravel() == 0)[0][0])
                raise ValueError(
                    f"{name} is zero at position {where}: the log method needs events in both "
                    'groups; use method="exact".'
                )
        estimate = x1 / x2 * ratio_of_denominators
        spread = z_value(level) * np.sqrt(1 / x1 + 1 / x2)
        return Interval(estimate, estimate * np.exp(-spread), estimate * np.exp(spread), level)
    total = x1 + x2
    if (total == 0).any():
        where = int(np.argwhere(total.ravel() == 0)[0][0])
        raise ValueError(f"x1 and x2 are both zero at position {where}: no ratio can be formed.")
    alpha = 1 - level
    p_lower = np.where(x1 > 0, beta.ppf(alpha / 2, np.maximum(x1, 1), x2 + 1), 0.0)
    p_upper = np.where(x2 > 0, beta.ppf(1 - alpha / 2, x1 + 1, np.maximum(x2, 1)), 1.0)
    with np.errstate(divide="ignore"):
        estimate = np.where(x2 > 0, x1 / np.where(x2 > 0, x2, 1) * ratio_of_denominators, np.inf)
        upper = np.where(p_upper < 1, p_upper / (1 - np.minimum(p_upper, 1 - 1e-300)), np.inf)
    lower = p_lower / (1 - p_lower) * ratio_of_denominators
    return Interval(estimate, lower, upper * ratio_of_denominators, level)

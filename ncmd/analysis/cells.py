"""Building the columns and values of analysis tables: rates and proportions with their
intervals, rounded as the notes state. Pure: no Django."""

import math

import numpy as np

from ncmd import stats

from .tables import Column, Kind

RATE_DECIMALS = 1  # rates per 100,000 children and percentages
BIRTH_RATE_DECIMALS = 2  # rates per 1,000 live births
RATIO_DECIMALS = 3  # rate ratios
ROUNDING_NOTE = (
    "Rounding: rates per 100,000 children and percentages to 1 decimal place, rates per 1,000 "
    "live births to 2, ratios to 3, days to the nearest half day. Intervals are 95% confidence "
    "intervals: exact Poisson below 10 deaths and Byar's method from 10 for rates, Wilson score "
    "for percentages."
)


def rounded(value, decimals):
    if value is None:
        return None
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        return None
    return round(value, decimals)


def rate_columns(count_key, *, prefix="", unit="per 100,000 children", label="Rate"):
    rate = f"{prefix}rate"
    return (
        Column(rate, label, Kind.RATE, unit=unit, of=count_key),
        Column(f"{prefix}rate_lower", "Lower 95% limit", Kind.LOWER, unit=unit, of=rate),
        Column(f"{prefix}rate_upper", "Upper 95% limit", Kind.UPPER, unit=unit, of=rate),
    )


def rate_values(count, denominator, *, multiplier=100_000, decimals=RATE_DECIMALS):
    """(rate, lower, upper), or Nones when there is no denominator."""
    if count is None or not denominator:
        return (None, None, None)
    interval = stats.crude_rate(np.array([count]), np.array([denominator]), multiplier=multiplier)
    return tuple(rounded(v[0], decimals) for v in (interval.estimate, interval.lower,
                                                     interval.upper))  # fmt: skip


def percent_columns(count_key, *, prefix="", label="Percentage"):
    percent = f"{prefix}percent"
    return (
        Column(percent, label, Kind.PROPORTION, unit="%", of=count_key),
        Column(f"{prefix}percent_lower", "Lower 95% limit", Kind.LOWER, unit="%", of=percent),
        Column(f"{prefix}percent_upper", "Upper 95% limit", Kind.UPPER, unit="%", of=percent),
    )


def percent_values(count, total):
    if count is None or not total:
        return (None, None, None)
    interval = stats.proportion(np.array([count]), np.array([total]), multiplier=100)
    return tuple(rounded(v[0], RATE_DECIMALS) for v in (interval.estimate, interval.lower,
                                                          interval.upper))  # fmt: skip


def ratio_values(x1, n1, x2, n2):
    """Ratio of the rates x1/n1 to x2/n2 with its interval: the log method when both have
    deaths, the exact conditional method when either has none."""
    if None in (x1, n1, x2, n2) or not n1 or not n2 or x1 + x2 == 0:
        return (None, None, None)
    method = "log" if x1 > 0 and x2 > 0 else "exact"
    interval = stats.rate_ratio(np.array([x1]), np.array([n1]), np.array([x2]), np.array([n2]),
                                method=method)  # fmt: skip
    return tuple(rounded(v[0], RATIO_DECIMALS) for v in (interval.estimate, interval.lower,
                                                           interval.upper))  # fmt: skip


def half_day(value):
    """Days rounded to the nearest half day."""
    return None if value is None else round(float(value) * 2) / 2

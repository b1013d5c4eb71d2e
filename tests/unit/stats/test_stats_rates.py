"""Intervals and rates against PHEindicatormethods 2.1.0's own expected results."""

import numpy as np
import pytest
from _reference import assert_close, load

from ncmd.stats import (
    crude_rate,
    directly_standardised_rate,
    expected_events,
    proportion,
    rate_ratio,
    standardised_ratio,
    wilson_interval,
)
from ncmd.stats.intervals import byar_limits, poisson_method

BYARS_WILSON = load("phe_byars_wilson.json")["rows"]


@pytest.mark.parametrize("row", [r for r in BYARS_WILSON if r["method"] == "Byars"])
def test_byar_limits_match_phe(row):
    confidence = float(row["confidence"].rstrip("%")) / 100
    lower, upper = byar_limits(np.array(row["x"]), confidence)
    assert_close(upper, row["uppercl"])
    if row["lowercl"] is None:  # the package returns NA where the cube goes negative
        assert lower == 0
    else:
        assert_close(lower, row["lowercl"])


@pytest.mark.parametrize("row", [r for r in BYARS_WILSON if r["method"] == "Wilson"])
def test_wilson_limits_match_phe(row):
    confidence = float(row["confidence"].rstrip("%")) / 100
    interval = wilson_interval(row["x"], row["n"], confidence)
    assert_close(interval.lower, row["lowercl"])
    assert_close(interval.upper, row["uppercl"])


@pytest.mark.parametrize("row", load("phe_rates.json")["rows"])
def test_crude_rates_match_phe(row):
    x, n, multiplier = row["Numerator"], row["Denominator"], row["multiplier"]
    ci95 = crude_rate(x, n, multiplier=multiplier, confidence=0.95)
    ci998 = crude_rate(x, n, multiplier=multiplier, confidence=0.998)
    assert_close(ci95.estimate, row["value"])
    assert_close([ci95.lower, ci95.upper], [row["lower95_0cl"], row["upper95_0cl"]])
    assert_close([ci998.lower, ci998.upper], [row["lower99_8cl"], row["upper99_8cl"]])
    assert poisson_method(x) == row["method"]


def test_crude_rates_are_vectorised_over_units():
    rows = load("phe_rates.json")["rows"]
    x = [r["Numerator"] for r in rows]
    n = [r["Denominator"] for r in rows]
    interval = crude_rate(x, n, multiplier=np.array([r["multiplier"] for r in rows]))
    assert_close(interval.lower, [r["lower95_0cl"] for r in rows])


@pytest.mark.parametrize("row", load("phe_proportions.json")["rows"])
def test_proportions_match_phe(row):
    x, n, multiplier = row["Numerator"], row["Denominator"], row["multiplier"]
    ci95 = proportion(x, n, multiplier=multiplier)
    ci998 = proportion(x, n, multiplier=multiplier, confidence=99.8)
    assert_close(ci95.estimate, row["value"])
    assert_close([ci95.lower, ci95.upper], [row["lower95_0cl"], row["upper95_0cl"]])
    assert_close([ci998.lower, ci998.upper], [row["lower99_8cl"], row["upper99_8cl"]])


def _dsr_inputs():
    data = load("phe_dsr.json")
    # calculate_dsr treats a missing count as zero (na.zero); our API takes the zero explicitly.
    counts = [[0 if c is None else c for c in row] for row in data["counts"]]
    return data, counts


@pytest.mark.parametrize(
    "multiplier, key", [(100_000, "expected_per_100000"), (10_000, "expected_per_10000")]
)
def test_dsr_matches_phe_dobson(multiplier, key):
    data, counts = _dsr_inputs()
    ci95 = directly_standardised_rate(
        counts, data["populations"], data["esp2013"], multiplier=multiplier
    )
    ci998 = directly_standardised_rate(
        counts, data["populations"], data["esp2013"], multiplier=multiplier, confidence=0.998
    )
    expected = data[key]
    assert list(ci95.total_count) == [r["total_count"] for r in expected]
    assert list(ci95.total_population) == [r["total_pop"] for r in expected]
    assert_close(ci95.value, [r["value"] for r in expected])
    assert_close(ci95.lower, [r["lower95_0cl"] for r in expected])
    assert_close(ci95.upper, [r["upper95_0cl"] for r in expected])
    assert_close(ci998.lower, [r["lower99_8cl"] for r in expected])
    assert_close(ci998.upper, [r["upper99_8cl"] for r in expected])


def test_dsr_is_withheld_with_a_reason_below_ten_events():
    data, counts = _dsr_inputs()
    result = directly_standardised_rate(counts, data["populations"], data["esp2013"])
    assert list(result.withheld) == [False, False, True]
    assert result.reason[2].startswith("total count below 10")
    assert result.reason[0] == ""


def test_dsr_with_own_standard_population_matches_phe():
    case = load("phe_dsr.json")["esp1976_case"]
    result = directly_standardised_rate(case["counts"], case["populations"], case["standard"])
    expected = case["expected_per_100000"]
    assert_close(
        [result.value, result.lower, result.upper],
        [expected["value"], expected["lower95_0cl"], expected["upper95_0cl"]],
    )


def test_indirectly_standardised_ratios_match_phe():
    data = load("phe_isratio.json")
    counts = np.array([[0 if c is None else c for c in row] for row in data["counts"]])
    expected_count = expected_events(
        data["populations"], data["reference_counts"], data["reference_populations"]
    )
    observed = counts.sum(axis=1)
    for multiplier, rows in ((1, data["expected"][:3]), (100, data["expected"][3:])):
        assert_close(expected_count, [r["expected"] for r in rows])
        ci95 = standardised_ratio(observed, expected_count, multiplier=multiplier)
        ci998 = standardised_ratio(
            observed, expected_count, multiplier=multiplier, confidence=0.998
        )
        assert_close(ci95.estimate, [r["value"] for r in rows])
        assert_close(ci95.lower, [r["lower95_0cl"] for r in rows])
        assert_close(ci95.upper, [r["upper95_0cl"] for r in rows])
        assert_close(ci998.lower, [r["lower99_8cl"] for r in rows])
        assert_close(ci998.upper, [r["upper99_8cl"] for r in rows])


def test_rate_ratio_log_method_is_the_poisson_regression_wald_interval():
    # 30 events in 10,000 against 15 in 10,000: RR 2, SE(log RR) = sqrt(1/30 + 1/15).
    ratio = rate_ratio(30, 10_000, 15, 10_000)
    spread = 1.959963984540054 * np.sqrt(1 / 30 + 1 / 15)
    assert_close(
        [ratio.estimate, ratio.lower, ratio.upper],
        [2.0, 2 * np.exp(-spread), 2 * np.exp(spread)],
        rtol=1e-12,
    )


def test_rate_ratio_exact_method_handles_zero_events():
    ratio = rate_ratio([0, 4], [1000, 1000], [5, 4], [1000, 1000], method="exact")
    assert ratio.lower[0] == 0 and ratio.estimate[0] == 0 and ratio.upper[0] > 0
    assert ratio.lower[1] < 1 < ratio.upper[1]


def test_rate_ratio_log_method_refuses_zero_events_and_says_what_to_do():
    with pytest.raises(ValueError, match=r'x2 is zero at position 0.*method="exact"'):
        rate_ratio(3, 100, 0, 100)

"""p-, u-, c-charts and the Anhøj runs analysis against qicharts2 0.8.1's reference outputs."""

import numpy as np
import pytest
from _reference import assert_close, load

from ncmd.stats import c_chart, p_chart, p_prime_chart, run_chart, u_chart, u_prime_chart

QIC = load("qicharts2_charts.json")


def _run(case):
    args, n_points = case["args"], len(case["count"])
    exclude = parts = None
    if "exclude" in args:
        exclude = np.zeros(n_points, dtype=bool)
        exclude[np.array(args["exclude"]) - 1] = True  # R positions are 1-based
    if "part" in args:
        parts = np.zeros(n_points, dtype=bool)
        parts[np.array(args["part"])] = True  # part = 30: a new part starts at point 31
    options = {
        "exclude": exclude,
        "parts": parts,
        "baseline_points": args.get("freeze"),
        "multiply": args.get("multiply", 1),
    }
    if case["chart"] == "c":
        return c_chart(case["count"], **options)
    chart = {"p": p_chart, "u": u_chart}[case["chart"]]
    return chart(case["count"], case["denominator"], **options)


@pytest.mark.parametrize("case", QIC["charts"], ids=lambda c: c["name"])
def test_centre_and_limits_match_qicharts2(case):
    chart, expected = _run(case), case["expected"]
    assert_close(chart.values, expected["y"])
    assert_close(chart.centre, expected["cl"])
    assert_close(chart.upper_limit, expected["ucl"])
    assert_close(chart.lower_limit, expected["lcl"], atol=1e-15)


@pytest.mark.parametrize("case", QIC["charts"], ids=lambda c: c["name"])
def test_signals_and_runs_match_qicharts2_exactly(case):
    chart, expected = _run(case), case["expected"]
    assert list(chart.sigma_signal[0]) == expected["sigma.signal"]
    assert list(chart.include[0]) == expected["include"]
    runs = chart.runs
    assert list(runs.signal[0]) == expected["runs.signal"]
    for field, key in [
        ("n_obs", "n.obs"),
        ("n_useful", "n.useful"),
        ("longest_run", "longest.run"),
        ("longest_run_max", "longest.run.max"),
        ("n_crossings", "n.crossings"),
        ("n_crossings_min", "n.crossings.min"),
    ]:
        assert list(getattr(runs, field)[0]) == expected[key], field


@pytest.mark.parametrize("summary", QIC["hai_summaries"], ids=lambda s: s["name"])
def test_u_chart_summaries_match_qicharts2_for_every_facet_in_one_call(summary):
    series = summary["series"]
    chart = u_chart([s["count"] for s in series], [s["denominator"] for s in series])
    by_facet = {tuple(str(v) for v in (r["facet1"], r["facet2"])): r for r in summary["expected"]}
    for i, s in enumerate(series):
        key = (s["facets"] + ["1.0", "1.0"])[:2] if s["facets"] else ["1.0", "1.0"]
        expected = by_facet[tuple(key)]
        assert_close(chart.lower_limit[i].mean(), expected["aLCL"], atol=1e-15)
        assert_close(chart.centre[i, 0], expected["CL"])
        assert_close(chart.upper_limit[i].mean(), expected["aUCL"])
        assert chart.sigma_signal[i].sum() == expected["sigma.signal"]
        assert chart.runs.longest_run[i, 0] == expected["longest.run"]
        assert chart.runs.n_crossings[i, 0] == expected["n.crossings"]
        assert chart.runs.n_crossings_min[i, 0] == expected["n.crossings.min"]
        assert int(chart.runs.signal[i, 0]) == expected["runs.signal"]


def test_prime_charts_scale_the_limits_by_the_z_scores_moving_range_sigma():
    # The definition: limits are the p-chart's, widened by sigma_z = mean |diff(z)| / 1.128
    # around the centre. qicharts2's own p'/u' values are compared in test_stats_reference_r.py.
    case = QIC["charts"][1]  # tbl_7.4_1: no exclusions, no parts
    count, n = np.array(case["count"]), np.array(case["denominator"])
    plain, prime = p_chart(count, n), p_prime_chart(count, n)
    z = (count / n - plain.centre[0]) / np.sqrt(plain.centre[0] * (1 - plain.centre[0]) / n)
    ranges = np.abs(np.diff(z))
    sigma_z = ranges[ranges < 3.267 * ranges.mean()].mean() / 1.128
    width = prime.upper_limit[0] - prime.centre[0]
    np.testing.assert_allclose(width, (plain.upper_limit[0] - plain.centre[0]) * sigma_z)
    u_plain, u_prime = u_chart(count, n), u_prime_chart(count, n)
    assert u_prime.centre[0, 0] == u_plain.centre[0, 0]


def test_prime_chart_period_without_a_moving_range_has_no_limits_and_no_signal():
    # As qicharts2: sigma_z is undefined when no moving range is left to average (here a
    # period of zero counts, whose z-scores are 0/0, and a period of one point), so that
    # period gets NaN limits and no sigma signal rather than limits collapsed onto its centre.
    count = np.array([3, 5, 4, 6, 0, 0, 0, 9])
    n = np.array([50, 60, 55, 58, 40, 45, 50, 70])
    parts = np.isin(np.arange(8), [4, 7])
    for chart in (p_prime_chart(count, n, parts=parts), u_prime_chart(count, n, parts=parts)):
        assert np.isfinite(chart.upper_limit[0, :4]).all()
        assert np.isnan(chart.upper_limit[0, 4:]).all() and np.isnan(chart.lower_limit[0, 4:]).all()
        assert chart.centre[0, 4] == 0 and chart.centre[0, 7] == 9 / 70
        assert not chart.sigma_signal.any()


def test_run_chart_uses_the_median_and_anhoej_limits():
    y = np.r_[np.arange(10.0), np.arange(10.0) + 20]  # a shift: one long run each side
    chart = run_chart(y)
    assert chart.centre[0, 0] == pytest.approx(14.5)
    assert chart.runs.longest_run[0, 0] == 10
    assert chart.runs.longest_run_max[0, 0] == round(np.log2(20)) + 3
    assert chart.runs.signal[0, 0]


def test_baseline_and_parts_cannot_both_be_given():
    with pytest.raises(ValueError, match="baseline_points or parts"):
        run_chart(np.arange(10.0), baseline_points=5, parts=np.arange(10) == 5)

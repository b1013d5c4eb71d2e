"""Laney's p'/u' charts and FunnelPlotR's overdispersion-adjusted limits against the packages.

Neither package publishes these values in its tests, so the reference values were computed by
running the packages themselves (qicharts2 0.8.1 and FunnelPlotR 0.6.0, built from the commits
named in each JSON file's provenance) on their own data sets and test data:
``reference/make_r_references.sh`` regenerates ``qicharts2_prime.json`` and
``funnelplotr_od.json`` with ``make_qicharts2_prime.R`` and ``make_funnelplotr_od.R``.
"""

from pathlib import Path

import numpy as np
import pytest
from _reference import REFERENCE, assert_close, load

from ncmd.stats import funnel_limits, p_prime_chart, u_prime_chart

PRIME = load("qicharts2_prime.json")
FUNNEL = load("funnelplotr_od.json")
DATA_TYPES = {"PR": "proportion", "SR": "ratio", "RC": "rate"}
ADJUSTED = ("OD95LCL", "OD95UCL", "OD99LCL", "OD99UCL")  # FunnelPlotR's column names
UNADJUSTED = ("LCL95", "UCL95", "LCL99", "UCL99")


def _series(values):
    return np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float)


def _prime(case):
    count, denominator = _series(case["count"]), _series(case["denominator"])
    args, n_points = case["args"], count.shape[1]
    exclude = parts = None
    if "exclude" in args:
        exclude = np.zeros(n_points, dtype=bool)
        exclude[np.atleast_1d(args["exclude"]) - 1] = True  # R positions are 1-based
    if "part" in args:
        parts = np.zeros(n_points, dtype=bool)
        parts[np.atleast_1d(args["part"])] = True  # part = 10: a new part starts at point 11
    chart = {"pp": p_prime_chart, "up": u_prime_chart}[case["chart"]]
    return chart(
        count,
        denominator,
        exclude=exclude,
        parts=parts,
        baseline_points=args.get("freeze"),
        multiply=args.get("multiply", 1),
    )


def _funnel(case):
    return funnel_limits(
        case["numerator"],
        case["denominator"],
        data_type=DATA_TYPES[case["data_type"]],
        sr_method=case["sr_method"],
        trim_by=case["trim_by"],
        multiplier=case["multiplier"],
    )


@pytest.mark.parametrize("reference", [PRIME, FUNNEL], ids=["qicharts2", "FunnelPlotR"])
def test_reference_files_say_where_every_value_came_from(reference):
    provenance = reference["provenance"]
    for key in ("package", "version", "repository", "commit", "files", "r_version", "date"):
        assert provenance[key], key
    assert len(provenance["commit"]) == 40
    script = Path(provenance["script"])
    assert (REFERENCE / script.name).is_file()
    assert (REFERENCE / "make_r_references.sh").read_text().count(provenance["commit"]) == 1


@pytest.mark.parametrize("case", PRIME["charts"], ids=lambda c: c["name"])
def test_prime_chart_centre_and_limits_match_qicharts2(case):
    chart, expected = _prime(case), case["expected"]
    assert_close(chart.values, _series(expected["y"]))
    assert_close(chart.centre, _series(expected["cl"]))
    assert_close(chart.upper_limit, _series(expected["ucl"]))
    assert_close(chart.upper_limit_95, _series(expected["ucl.95"]))
    # Lower limits clipped at 0 in both: an absolute tolerance only for those zeros.
    assert_close(chart.lower_limit, _series(expected["lcl"]), atol=1e-15)
    assert_close(chart.lower_limit_95, _series(expected["lcl.95"]), atol=1e-15)


@pytest.mark.parametrize("case", PRIME["charts"], ids=lambda c: c["name"])
def test_prime_chart_signals_and_runs_match_qicharts2_exactly(case):
    chart, expected = _prime(case), case["expected"]
    assert chart.sigma_signal.tolist() == expected["sigma.signal"]
    assert chart.include.tolist() == expected["include"]
    assert (chart.period + 1).tolist() == expected["part"]
    runs = chart.runs
    assert runs.signal.tolist() == expected["runs.signal"]
    for field, key in [
        ("n_obs", "n.obs"),
        ("n_useful", "n.useful"),
        ("longest_run", "longest.run"),
        ("longest_run_max", "longest.run.max"),
        ("n_crossings", "n.crossings"),
        ("n_crossings_min", "n.crossings.min"),
    ]:
        # A period with no useful point: qicharts2 writes NA, ncmd 0 (see RunsAnalysis).
        missing = np.isnan(_series(expected[key]))
        assert (np.array(expected["n.useful"])[missing] == 0).all()
        assert getattr(runs, field).tolist() == np.where(missing, 0, expected[key]).tolist()


def test_prime_chart_references_exercise_signals_and_moving_range_screening():
    # Guards the tests above against passing vacuously: the reference cases hold 3-sigma
    # signals, and in some the screening of large moving ranges (qic.screenedmr) changes sigma_z.
    assert PRIME["provenance"]["options"]["qic.screenedmr"] is True
    signals = sum(np.sum(case["expected"]["sigma.signal"]) for case in PRIME["charts"])
    assert signals >= 5
    screened = []
    for case in PRIME["charts"]:
        count, n = _series(case["count"]), _series(case["denominator"])
        scale = case["args"].get("multiply", 1)
        centre = _series(case["expected"]["cl"]) / scale
        sd = np.sqrt(centre * (1 - centre) / n if case["chart"] == "pp" else centre / n)
        for z in (count / n - centre) / sd:
            ranges = np.abs(np.diff(z))
            screened.append(bool((ranges >= 3.267 * ranges.mean()).any()))
    assert any(screened)


def test_prime_charts_of_many_facets_match_in_one_call():
    case = next(c for c in PRIME["charts"] if c["name"] == "hospital_infections_up_facets")
    assert len(case["count"]) == 18  # 3 infections x 6 hospitals, one row each
    chart = _prime(case)
    for i in range(len(case["count"])):
        alone = _prime({**case, "count": case["count"][i : i + 1],
                        "denominator": case["denominator"][i : i + 1]})  # fmt: skip
        np.testing.assert_array_equal(chart.upper_limit[i], alone.upper_limit[0])


@pytest.mark.parametrize("case", FUNNEL["funnels"], ids=lambda c: c["name"])
def test_dispersion_phi_and_tau2_match_funnelplotr(case):
    result, expected = _funnel(case), case["expected"]
    assert_close(result.z, expected["Uzscore"])
    assert_close(result.phi, expected["phi"])
    assert_close(result.tau2, expected["tau2"], atol=1e-15)
    assert bool(result.adjusted) == expected["draw_adjusted"]


def _reflected_at_the_last_grid_row(case, result, name):
    """Units whose proportion limit FunnelPlotR leaves reflected instead of truncated.

    FunnelPlotR computes proportion limits as sin²(θ* ∓ zS) and truncates them, where the angle
    leaves [0, π/2], by comparing each row of its plotting grid with the next one; the grid's
    last row, the largest denominator, has no next row and keeps sin² of an angle below 0 (or
    above π/2): a lower limit above 0 that should be 0 (or an upper one below 1 that should be
    1). ncmd truncates by the angle itself. Returns the mask of such units and the reflected
    values that FunnelPlotR gives them.
    """
    denominator = np.asarray(case["denominator"], dtype=float)
    if case["data_type"] != "PR":
        return np.zeros(denominator.shape, dtype=bool), None
    z = 1.959964 if "95" in name else 3.090232
    sign = -1 if "LCL" in name else 1
    tau2 = result.tau2 if name.startswith("OD") else 0.0
    angle = np.arcsin(np.sqrt(result.target / case["multiplier"])) + sign * z * np.sqrt(
        0.25 / denominator + tau2
    )
    outside = (angle < 0) if sign < 0 else (angle > np.pi / 2)
    mask = outside & (denominator == denominator.max())
    return mask, np.sin(angle) ** 2 * case["multiplier"]


@pytest.mark.parametrize("case", FUNNEL["funnels"], ids=lambda c: c["name"])
def test_funnel_limits_match_funnelplotr(case):
    result, expected = _funnel(case), case["expected"]
    assert_close(result.value, np.array(expected["rr"]) * case["multiplier"])
    # FunnelPlotR draws the overdispersion-adjusted limits only when phi > 1.
    names = ADJUSTED if expected["draw_adjusted"] else UNADJUSTED
    used = (result.lower95, result.upper95, result.lower998, result.upper998)
    pairs = list(zip(used, names, strict=True))
    pairs += list(zip(result.unadjusted, UNADJUSTED, strict=True))
    for mine, name in pairs:
        theirs = np.array(expected[name], dtype=float)
        reflected, values = _reflected_at_the_last_grid_row(case, result, name)
        assert_close(mine[~reflected], theirs[~reflected], atol=1e-15)
        if reflected.any():  # the one documented difference: ncmd truncates, FunnelPlotR not
            assert_close(theirs[reflected], values[reflected])
            assert (mine[reflected] == (0 if "LCL" in name else case["multiplier"])).all()


def test_the_documented_proportion_difference_occurs_only_where_expected():
    # Only the funnel drawn to show it (small denominators, tau² large against the target) has
    # a limit that FunnelPlotR leaves reflected: one unit, the largest denominator.
    found = {}
    for case in FUNNEL["funnels"]:
        result = _funnel(case)
        for name in ADJUSTED + UNADJUSTED:
            mask, _ = _reflected_at_the_last_grid_row(case, result, name)
            if mask.any():
                found[(case["name"], name)] = int(mask.sum())
    assert found == {("drawn_PR_small_denominators", "OD99LCL"): 1}


@pytest.mark.parametrize("case", FUNNEL["funnels"], ids=lambda c: c["name"])
def test_funnel_classes_and_outliers_match_funnelplotr_exactly(case):
    result, expected = _funnel(case), case["expected"]
    assert result.class95.tolist() == expected["class95"]
    assert result.class998.tolist() == expected["class998"]
    assert (result.class95 != 0).astype(int).tolist() == expected["outlier95"]
    assert (result.class998 != 0).astype(int).tolist() == expected["outlier99"]


def test_funnel_references_exercise_every_method_and_both_directions():
    funnels = FUNNEL["funnels"]
    kinds = {(f["data_type"], f["sr_method"] if f["data_type"] == "SR" else "") for f in funnels}
    assert kinds == {("PR", ""), ("RC", ""), ("SR", "SHMI"), ("SR", "CQC")}
    adjusted = [f for f in funnels if f["expected"]["draw_adjusted"]]
    assert {f["data_type"] for f in adjusted} == {"PR", "RC", "SR"}
    classes = np.concatenate([f["expected"]["class95"] for f in adjusted])
    assert {-1, 0, 1} <= set(classes.tolist())


def test_phi_of_the_package_test_data_is_the_published_value():
    # tests/testthat/test-classes_methods.R: expect_equal(round(phi.funnelplot(a), 6), 2.948033)
    case = next(f for f in FUNNEL["funnels"] if f["name"] == "package_test_data_SR_SHMI")
    assert round(float(_funnel(case).phi), 6) == 2.948033
    assert round(case["expected"]["phi"], 6) == 2.948033

"""Making Data Count XmR charts against NHSRplotthedots 0.2.2's tests and snapshots."""

import numpy as np
import pytest
from _reference import assert_close, load

from ncmd.stats import spc_rules as rules
from ncmd.stats import xmr_chart

PTD = load("nhsrplotthedots.json")
STANDARD = PTD["standard"]


def _one_segment(n):
    return np.zeros((1, n), dtype=int)


def test_limits_match_the_snapshot():
    chart = xmr_chart(STANDARD["y"])
    expected = STANDARD["expected_plain"]
    # The snapshot prints mean and upl to 7 significant figures and lpl to 6.
    assert_close(chart.mean[0, 0], expected["mean"], rtol=5e-7)
    assert_close(chart.upper_limit[0, 0], expected["upl"], rtol=5e-7)
    assert_close(chart.lower_limit[0, 0], expected["lpl"], rtol=5e-6)
    assert list(chart.relative_to_mean[0, :15]) == expected["relative_to_mean_first_15"]
    # _snaps/ptd_spc.md: all 20 points common cause (one is close to a limit, but alone).
    assert not chart.outside_limits.any()
    assert (chart.labels("point_type") == "common_cause").all()


@pytest.mark.parametrize(
    "screen, key", [(True, "expected_outlier_screened"), (False, "expected_outlier_unscreened")]
)
def test_screening_of_large_moving_ranges_matches_the_snapshot(screen, key):
    y = np.array(STANDARD["y"])
    y[STANDARD["outlier_position"] - 1] = STANDARD["outlier_value"]
    chart = xmr_chart(y, screen_outliers=screen)
    assert_close(
        [chart.mean[0, 0], chart.lower_limit[0, 0], chart.upper_limit[0, 0]],
        [STANDARD[key]["mean"], STANDARD[key]["lpl"], STANDARD[key]["upl"]],
    )


def _icon_series(name):
    icons = PTD["icons"]
    y24 = np.array(icons["y24"])
    high, low = y24.copy(), y24.copy()
    high[12:], low[12:] = icons["high12"], icons["low12"]
    return {
        "s1": y24,
        "s2": y24,
        "s3": y24.reshape(2, 12),
        "s5": high,
        "s6": high,
        "s7": low,
        "s8": low,
        "s9": low,
    }[name]


@pytest.mark.parametrize("case", PTD["icons"]["cases"], ids=lambda c: c["name"])
def test_variation_and_assurance_icons_match_the_reference(case):
    chart = xmr_chart(
        _icon_series(case["name"]), improvement=case["direction"], target=case["target"]
    )
    assert set(chart.labels("variation")) == {case["variation"]}
    assert set(chart.labels("assurance")) == {case["assurance"]}


def test_many_series_in_one_call_match_one_at_a_time():
    cases = PTD["icons"]["cases"]
    series = np.vstack([_icon_series(c["name"]) for c in cases if c["name"] != "s3"])
    directions = [c["direction"] for c in cases if c["name"] != "s3"]
    targets = [np.nan if c["target"] is None else c["target"] for c in cases if c["name"] != "s3"]
    together = xmr_chart(series, improvement=directions, target=targets)
    for i, (row, direction, target) in enumerate(zip(series, directions, targets, strict=True)):
        alone = xmr_chart(row, improvement=direction, target=target)
        np.testing.assert_array_equal(together.special_cause[i], alone.special_cause[0])
        assert together.variation[i] == alone.variation[0]
        assert together.assurance[i] == alone.assurance[0]


# Helper expectations from tests/testthat/test-ptd_calculate_point_type.R.
@pytest.mark.parametrize(
    "side, expected",
    [
        ([1] * 6, [0] * 6),
        ([1] * 6 + [-1], [0] * 7),
        ([1] * 8 + [-1], [0, 0, 0, 0, 0, 0, 1, 1, 0]),
        ([-1] * 8 + [1], [0, 0, 0, 0, 0, 0, 1, 1, 0]),
    ],
)
def test_seven_point_one_side_mean(side, expected):
    side = np.array([side], dtype=np.int8)
    assert list(rules.seven_one_side(side, _one_segment(side.size))[0]) == expected


@pytest.mark.parametrize(
    "ends, expected",
    [
        ([0] * 6, [0] * 6),
        ([0] * 6 + [1, 0], [1] * 7 + [0]),
        ([0] * 7 + [1, 0], [0] + [1] * 7 + [0]),
        ([0] * 6 + [-1, 0], [1] * 7 + [0]),
    ],
)
def test_part_of_seven_trend(ends, expected):
    assert list(rules.part_of_window(np.array([ends]) != 0)[0]) == [bool(e) for e in expected]


@pytest.mark.parametrize(
    "y, expected",
    [
        (list(range(1, 7)), [0] * 6),
        ([1, 2, 3, 3, 4, 5, 6], [0] * 7),
        (list(range(1, 8)), [0] * 6 + [1]),
        ([2, *range(1, 8), 3], [0] * 7 + [1, 0]),
        (list(range(7, 0, -1)), [0] * 6 + [-1]),
        ([2, *range(7, 0, -1), 3], [0] * 7 + [-1, 0]),
    ],
)
def test_seven_point_trend(y, expected):
    y = np.array([y], dtype=float)
    assert list(rules.seven_point_trend(y, _one_segment(y.size))[0][0]) == expected


@pytest.mark.parametrize(
    "close, side, expected",
    [
        ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
        ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
        ([1, 0, 0, 1], [1] * 4, [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 0, 1, 1, 0, 0, 0], [-1, 1, -1, 1, -1, 1, -1], [0] * 7),
    ],
)
def test_part_of_two_in_three(close, side, expected):
    close = np.array([close], dtype=bool)
    side = np.array([side], dtype=np.int8)
    flagged = rules.two_in_three(close, side, _one_segment(close.size))
    assert list(flagged[0]) == [bool(e) for e in expected]


def test_two_close_points_on_opposite_sides_are_common_cause():
    # test-ptd_spc_standard.R: symmetric data with 5.5 and -5.5 as the last two points.
    y = np.array([1.0, -1.0] * 8)
    y[14], y[15] = 5.5, -5.5
    chart = xmr_chart(y)
    assert list(chart.labels("point_type")[0, -2:]) == ["common_cause", "common_cause"]


def test_special_cause_precedence_and_orientation():
    # A shift up of 8 points after 12 stable ones: 7+ above the mean, improvement if increasing.
    y = np.r_[np.tile([10.0, 11.0, 10.5, 9.5], 3), np.full(8, 12.0) + np.tile([0, 0.2], 4)]
    chart = xmr_chart(y)
    labels = chart.labels("special_cause")[0]
    assert set(labels[12:]) <= {"7 Points Above CL", "Above UCL", "2 in 3 Above CL"}
    assert chart.labels("variation")[0] == "improvement_high"
    down = xmr_chart(y, improvement="decrease")
    assert down.labels("variation")[0] == "concern_high"


def test_rebase_starts_new_limits_and_fix_after_n_points_freezes_them():
    y = np.array(STANDARD["y"])
    rebase = np.zeros(20, dtype=bool)
    rebase[10] = True
    chart = xmr_chart(y, rebase=rebase)
    assert list(chart.period[0]) == [0] * 10 + [1] * 10
    assert chart.mean[0, 0] == pytest.approx(y[:10].mean())
    assert chart.mean[0, 10] == pytest.approx(y[10:].mean())
    fixed = xmr_chart(y, fix_after_n_points=12)
    assert fixed.mean[0, 0] == pytest.approx(y[:12].mean())
    assert fixed.upper_limit[0, 0] != xmr_chart(y).upper_limit[0, 0]


def test_ragged_series_equal_their_unpadded_selves():
    y = np.array(STANDARD["y"])
    padded = np.vstack([y, np.r_[y[:15], np.full(5, np.nan)]])
    chart = xmr_chart(padded, lengths=[20, 15])
    alone = xmr_chart(y[:15])
    np.testing.assert_allclose(chart.upper_limit[1, :15], alone.upper_limit[0])
    np.testing.assert_array_equal(chart.special_cause[1, :15], alone.special_cause[0])
    assert np.isnan(chart.upper_limit[1, 15:]).all()

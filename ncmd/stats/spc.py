"""NHS "Making Data Count" XmR charts for many series at once.

The calculation is NHSRplotthedots 0.2.2 (``ptd_spc_standard``, ``ptd_calculate_point_type``,
``ptd_calculate_assurance_type``, ``ptd_get_icons``): mean of the baseline, moving ranges
screened at 3.267 times their mean, process limits at 2.66 times the mean moving range, the four
special-cause rules, and the variation and assurance icons of the latest point.

Series are rows of a 2-D array (series × points). Ragged series are right-padded: pass
``lengths`` and whatever lies past a series' length (NaN, say) is ignored.
"""

from dataclasses import dataclass

import numpy as np

from ._checks import choice
from ._series import segment_mean, series_layout
from .spc_rules import SPECIAL_CAUSE_SIGN, special_cause_type

LIMIT = 2.66  # process limits, 3 / d2 with d2 = 1.128 rounded as Making Data Count does
NEAR_LIMIT = 2 * LIMIT / 3  # "close to a limit" starts two thirds of the way out
MR_SCREEN = 3.267  # moving ranges at or above 3.267 × mean moving range are left out
SHORT_PERIOD = 13  # fewer points than this: limits are trial limits (reference warns)

DIRECTIONS = ("increase", "decrease", "neutral")
_DIRECTION_SIGN = {"increase": 1, "decrease": -1, "neutral": 0}

COMMON_CAUSE, IMPROVEMENT, CONCERN, NEUTRAL_HIGH, NEUTRAL_LOW = 0, 1, 2, 3, 4
POINT_TYPE_LABELS = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
#: Variation icons, named after the Making Data Count SVGs (inst/icons/variation).
VARIATION_LABELS = (
    "common_cause",
    "improvement_high",
    "improvement_low",
    "concern_high",
    "concern_low",
    "neutral_high",
    "neutral_low",
)
NO_ASSURANCE, CONSISTENT_PASS, CONSISTENT_FAIL, INCONSISTENT = 0, 1, 2, 3
ASSURANCE_LABELS = (None, "consistent_pass", "consistent_fail", "inconsistent")


@dataclass(frozen=True)
class XmRChart:
    """Per-point arrays are series × points (NaN or False past a series' length)."""

    values: np.ndarray
    lengths: np.ndarray
    period: np.ndarray  # baseline period index of each point, 0 until the first rebase
    mean: np.ndarray
    lower_limit: np.ndarray
    upper_limit: np.ndarray
    moving_range: np.ndarray
    outside_limits: np.ndarray
    close_to_limits: np.ndarray
    relative_to_mean: np.ndarray
    special_cause: np.ndarray  # codes into spc_rules.SPECIAL_CAUSE_LABELS
    point_type: np.ndarray  # codes into POINT_TYPE_LABELS
    short_period: np.ndarray  # period has fewer than 13 points: trial limits
    variation: np.ndarray  # per series, codes into VARIATION_LABELS
    assurance: np.ndarray  # per series, codes into ASSURANCE_LABELS

    @property
    def special_cause_flag(self):
        return self.special_cause > 0

    def labels(self, field):
        """Human labels for a coded field, e.g. ``chart.labels("variation")``."""
        from .spc_rules import SPECIAL_CAUSE_LABELS

        table = {
            "special_cause": SPECIAL_CAUSE_LABELS,
            "point_type": POINT_TYPE_LABELS,
            "variation": VARIATION_LABELS,
            "assurance": ASSURANCE_LABELS,
        }[field]
        return np.asarray(table, dtype=object)[getattr(self, field)]


def xmr_chart(
    values,
    *,
    lengths=None,
    improvement="increase",
    target=None,
    rebase=None,
    fix_after_n_points=None,
    screen_outliers=True,
):
    """XmR charts with Making Data Count rules and icons for every series in ``values``.

    ``improvement`` is "increase", "decrease" or "neutral", for all series or one per series.
    ``target`` (scalar or one per series, NaN for none) drives the assurance icon. ``rebase``
    is a boolean array marking the first point of each new baseline period (a declared change);
    ``fix_after_n_points`` fixes each period's mean and limits on its first n points.
    """
    layout = series_layout("values", values, lengths, rebase, "rebase")
    y, lengths, valid, segment = layout.values, layout.lengths, layout.valid, layout.segment
    n_series, n_points = y.shape
    directions = np.broadcast_to(np.asarray(improvement, dtype=object), (n_series,))
    for name in set(directions):
        choice("improvement", name, DIRECTIONS)
    direction = np.array([_DIRECTION_SIGN[d] for d in directions], dtype=np.int8)

    baseline = valid
    if fix_after_n_points is not None:
        baseline = valid & (layout.position < fix_after_n_points)
    mean, _ = segment_mean(layout, baseline, y)
    has_mr = baseline & (layout.position >= 1)
    moving_range = np.where(has_mr, np.abs(y - np.roll(y, 1, axis=1)), np.nan)
    amr, n_mr = segment_mean(layout, has_mr, moving_range)
    short = valid & (n_mr == 0)
    if short.any():
        series, point = np.argwhere(short)[0]
        raise ValueError(
            f"values: series {series} has a baseline period with a single point (at position "
            f"{point}); limits need at least two points: move the rebase or drop the series."
        )
    if screen_outliers:
        kept = has_mr & (moving_range < MR_SCREEN * amr)
        screened, n_kept = segment_mean(layout, kept, moving_range)
        # All moving ranges equal zero (a constant period): nothing to screen, limits collapse.
        amr = np.where(n_kept > 0, screened, 0.0)

    lower, upper = mean - LIMIT * amr, mean + LIMIT * amr
    outside = valid & ((y > upper) | (y < lower))
    side = np.where(valid, np.sign(y - mean), 0).astype(np.int8)
    close = valid & ~outside & ((y < mean - NEAR_LIMIT * amr) | (y > mean + NEAR_LIMIT * amr))
    special = np.where(valid, special_cause_type(y, side, close, outside, segment), 0)

    oriented = SPECIAL_CAUSE_SIGN[special] * np.where(direction == 0, 1, direction)[:, None]
    point_type = np.select(
        [
            (direction == 0)[:, None] & (oriented > 0),
            (direction == 0)[:, None] & (oriented < 0),
            oriented > 0,
            oriented < 0,
        ],
        [NEUTRAL_HIGH, NEUTRAL_LOW, IMPROVEMENT, CONCERN],
        COMMON_CAUSE,
    ).astype(np.int8)

    last = (np.arange(n_series), lengths - 1)
    _, period_size = segment_mean(layout, valid, y)
    pad = np.where(valid, 1.0, np.nan)
    return XmRChart(
        values=np.where(valid, y, np.nan),
        lengths=lengths,
        period=layout.period,
        mean=mean * pad,
        lower_limit=lower * pad,
        upper_limit=upper * pad,
        moving_range=moving_range,
        outside_limits=outside,
        close_to_limits=close,
        relative_to_mean=side,
        special_cause=special,
        point_type=point_type,
        short_period=valid & (period_size < SHORT_PERIOD),
        variation=_variation_icon(point_type[last], direction),
        assurance=_assurance(target, lower[last], upper[last], direction, n_series),
    )


def _variation_icon(point_type, direction):
    """The icon of each series' latest point, oriented by its improvement direction."""
    increasing = direction >= 0
    return np.select(
        [
            point_type == IMPROVEMENT,
            point_type == CONCERN,
            point_type == NEUTRAL_HIGH,
            point_type == NEUTRAL_LOW,
        ],
        [np.where(increasing, 1, 2), np.where(increasing, 4, 3), 5, 6],
        0,
    ).astype(np.int8)


def _assurance(target, lower, upper, direction, n_series):
    """Will the process meet its target? Compare the target with the latest limits."""
    if target is None:
        return np.zeros(n_series, dtype=np.int8)
    target = np.broadcast_to(np.asarray(target, dtype=float), (n_series,))
    increasing = direction > 0
    code = np.select(
        [target > upper, target < lower],
        [
            np.where(increasing, CONSISTENT_FAIL, CONSISTENT_PASS),
            np.where(increasing, CONSISTENT_PASS, CONSISTENT_FAIL),
        ],
        INCONSISTENT,
    )
    return np.where(np.isnan(target) | (direction == 0), NO_ASSURANCE, code).astype(np.int8)

"""The Making Data Count special-cause rules, applied to many series at once.

Each rule follows NHSRplotthedots 0.2.2 (``R/ptd_calculate_point_type.R``) to the letter,
including its edge cases, but works on 2-D arrays (series × points) instead of looping. A
``segment`` array gives each point the id of its series and baseline period; points beyond a
series' length carry -1. A window of points counts only if all of it lies in one segment, which
is what the reference's per-group zero padding achieves.
"""

import numpy as np

RUN_LENGTH = 7  # "7 points above/below the centre line", "7 point trend"

# Special-cause codes, in the reference's order of precedence (first match wins).
COMMON_CAUSE = 0
ABOVE_UCL, BELOW_LCL = 1, 2
TREND_INCREASING, TREND_DECREASING = 3, 4
TWO_IN_THREE_ABOVE, TWO_IN_THREE_BELOW = 5, 6
SEVEN_ABOVE, SEVEN_BELOW = 7, 8
SPECIAL_CAUSE_LABELS = (
    "Common Cause",
    "Above UCL",
    "Below LCL",
    "7 Point Trend (Increasing)",
    "7 Point Trend (Decreasing)",
    "2 in 3 Above CL",
    "2 in 3 Below CL",
    "7 Points Above CL",
    "7 Points Below CL",
)
#: +1 for special causes the reference reads as high ("Above", "Increasing"), -1 for low.
SPECIAL_CAUSE_SIGN = np.array([0, 1, -1, 1, -1, 1, -1, 1, -1], dtype=np.int8)


def shifted(array, k, fill):
    """``array`` moved ``k`` points later along the last axis (negative k: earlier)."""
    out = np.full_like(array, fill)
    if k > 0:
        out[..., k:] = array[..., :-k]
    elif k < 0:
        out[..., :k] = array[..., -k:]
    else:
        out[...] = array
    return out


def window_in_segment(segment, back):
    """True where the window of the ``back`` previous points and this one lies in one segment."""
    return (segment >= 0) & (shifted(segment, back, -1) == segment)


def part_of_window(ends, width=RUN_LENGTH):
    """Mark every point of each window ending where ``ends`` is true (ptd_part_of_seven_trend)."""
    part = ends.copy()
    for k in range(1, width):
        part |= shifted(ends, -k, False)
    return part


def seven_one_side(side, segment):
    """Ends of 7 consecutive points on one side of the mean (ptd_seven_point_one_side_mean)."""
    ends = (side != 0) & window_in_segment(segment, RUN_LENGTH - 1)
    for k in range(1, RUN_LENGTH):
        ends &= shifted(side, k, 0) == side
    return ends


def seven_point_trend(values, segment):
    """+1/-1 at the end of 7 points each strictly above/below the last (ptd_seven_point_trend)."""
    step = np.sign(values - shifted(values, 1, np.nan))
    step = np.where(window_in_segment(segment, 1), step, 0)
    rising = window_in_segment(segment, RUN_LENGTH - 1)
    falling = rising.copy()
    for k in range(RUN_LENGTH - 1):
        previous = shifted(step, k, 0)
        rising &= previous == 1
        falling &= previous == -1
    return rising.astype(np.int8) - falling.astype(np.int8), step


def two_in_three(close, side, segment):
    """Points in a window of 3 with 2+ close to a limit, all 3 on one side (ptd_two_in_three)."""
    close_i = close.astype(np.int8)
    in_window = window_in_segment(segment, 2)
    close_sum = close_i + shifted(close_i, 1, 0) + shifted(close_i, 2, 0)
    side_sum = side + shifted(side, 1, 0) + shifted(side, 2, 0)
    window_ends = in_window & (close_sum >= 2) & (np.abs(side_sum) == 3)
    flagged = window_ends | shifted(window_ends, -1, False) | shifted(window_ends, -2, False)
    return flagged & close  # ptd_part_of_two_in_three: only the close points themselves


def special_cause_type(values, side, close, outside, segment):
    """Special-cause code per point, with the reference's precedence and trend direction."""
    trend_end, step = seven_point_trend(values, segment)
    in_trend = part_of_window(trend_end != 0)
    in_two_of_three = two_in_three(close, side, segment)
    in_seven = part_of_window(seven_one_side(side, segment))

    # A trend point takes the direction of the step after it if the next point is in a trend
    # too, else the step before it; a zero step counts as decreasing (as the reference does).
    next_in_trend = shifted(in_trend, -1, False) & window_in_segment(shifted(segment, -1, -1), 1)
    direction = np.where(next_in_trend & in_trend, shifted(step, -1, 0), step)

    above = side > 0
    return np.select(
        [outside, in_trend, in_two_of_three, in_seven],
        [
            np.where(side == 1, ABOVE_UCL, BELOW_LCL),
            np.where(direction == 1, TREND_INCREASING, TREND_DECREASING),
            np.where(above, TWO_IN_THREE_ABOVE, TWO_IN_THREE_BELOW),
            np.where(above, SEVEN_ABOVE, SEVEN_BELOW),
        ],
        COMMON_CAUSE,
    ).astype(np.int8)

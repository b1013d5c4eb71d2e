"""Layout of many time series in one array, and per-segment reductions without loops.

Every chart takes series as rows of a 2-D array (series × points). Ragged series are
right-padded and described by ``lengths``; padding is never read. A series may be cut into
periods (a rebase in Making Data Count, a part in qicharts2) by a boolean array marking the first
point of each new period. A *segment* is one period of one series; the reductions below work on
all segments at once with ``np.bincount``.
"""

from dataclasses import dataclass

import numpy as np

from ._checks import as_float_array


@dataclass(frozen=True)
class Layout:
    values: np.ndarray  # padding replaced by 0.0 so arithmetic stays finite
    lengths: np.ndarray
    valid: np.ndarray  # inside the series' length
    period: np.ndarray  # period index within the series (0 before the first break)
    segment: np.ndarray  # unique id of (series, period); -1 for padding
    position: np.ndarray  # index of the point within its period

    @property
    def n_bins(self):
        return self.values.size


def as_series(name, values):
    """Return ``values`` as a 2-D float array, a 1-D input becoming one series."""
    raw = np.asarray(values, dtype=float)
    if raw.ndim == 1:
        raw = raw[None, :]
    if raw.ndim != 2 or raw.shape[1] == 0:
        raise ValueError(
            f"{name} must be a series (1-D) or series × points (2-D) with at least one point."
        )
    return raw


def series_layout(name, values, lengths=None, breaks=None, break_name="breaks"):
    """Validate ``values`` (NaN only in padding) and locate each point's period and segment."""
    raw = as_series(name, values)
    n_series, n_points = raw.shape
    if lengths is None:
        lengths = np.full(n_series, n_points)
    lengths = np.asarray(lengths)
    if lengths.shape != (n_series,) or (lengths < 1).any() or (lengths > n_points).any():
        raise ValueError(
            f"lengths must give each of the {n_series} series a length between 1 and {n_points}."
        )
    valid = np.arange(n_points)[None, :] < lengths[:, None]
    values = as_float_array(name, np.where(valid, raw, 0.0))
    starts = np.zeros_like(valid)
    if breaks is not None:
        try:
            starts = np.broadcast_to(np.asarray(breaks, dtype=bool), raw.shape) & valid
        except ValueError:
            raise ValueError(f"{break_name} must have the shape of {name} {raw.shape}.") from None
        starts = starts.copy()
        starts[:, 0] = False
    period = np.cumsum(starts, axis=1)
    segment = np.where(valid, np.arange(n_series)[:, None] * n_points + period, -1)
    first = np.maximum.accumulate(np.where(starts, np.arange(n_points), 0), axis=1)
    position = np.arange(n_points)[None, :] - first
    return Layout(values, lengths, valid, np.where(valid, period, -1), segment, position)


def segment_sum(layout, mask, values):
    """Sum and count of ``values`` over ``mask`` in each segment, broadcast back to points."""
    ids = layout.segment[mask]
    total = np.bincount(ids, weights=values[mask], minlength=layout.n_bins)
    count = np.bincount(ids, minlength=layout.n_bins)
    at = np.maximum(layout.segment, 0)
    return total[at], count[at]


def segment_mean(layout, mask, values):
    """Mean of ``values`` over ``mask`` per segment (NaN where a segment has none) and count."""
    total, count = segment_sum(layout, mask, values)
    with np.errstate(invalid="ignore", divide="ignore"):
        return total / count, count


def segment_median(layout, mask, values):
    """Median of ``values`` over ``mask`` per segment, as R's ``median`` computes it."""
    ids = layout.segment[mask]
    chosen = values[mask]
    order = np.lexsort((chosen, ids))
    ids, chosen = ids[order], chosen[order]
    count = np.bincount(ids, minlength=layout.n_bins)
    start = np.concatenate(([0], np.cumsum(count)[:-1]))
    has = count > 0
    low = start + (count - 1) // 2
    high = start + count // 2
    median = np.full(layout.n_bins, np.nan)
    median[has] = (chosen[low[has]] + chosen[high[has]]) / 2
    return median[np.maximum(layout.segment, 0)]


def consecutive_differences(layout, mask, values):
    """Absolute differences between consecutive ``mask`` points of a segment, with their ids.

    Points left out of ``mask`` are skipped, so the difference spans them, as R's
    ``diff(y[base])`` does.
    """
    ids = layout.segment[mask]
    chosen = values[mask]
    same = ids[1:] == ids[:-1]
    return np.abs(np.diff(chosen))[same], ids[1:][same]

"""Run charts and the Anhøj rules, for many series at once.

A run chart needs no distributional assumption: a shift shows as an unusually long run of
points on one side of the median, or as unusually few crossings of it. The limits are
Anhøj's (qicharts2 0.8.1, ``runs.analysis`` and ``crsignal`` with ``method = "anhoej"``):

* longest run allowed: ``round(log2(n)) + 3`` (Schilling 2012),
* fewest crossings allowed: the 5th percentile of Binomial(n - 1, 0.5) (Chen 2010),

where n counts the useful points, those not on the centre line. Points on the centre line
neither break nor extend a run.
"""

from dataclasses import dataclass

import numpy as np
from scipy.stats import binom

from ._series import segment_median, series_layout


@dataclass(frozen=True)
class RunsAnalysis:
    """Per-point arrays (series × points), each point carrying its period's result.

    A period with no useful points has ``n_useful == 0``, zero limits and no signal.
    """

    n_obs: np.ndarray
    n_useful: np.ndarray
    longest_run: np.ndarray
    longest_run_max: np.ndarray
    n_crossings: np.ndarray
    n_crossings_min: np.ndarray
    signal: np.ndarray


@dataclass(frozen=True)
class RunChart:
    values: np.ndarray
    centre: np.ndarray
    runs: RunsAnalysis


def runs_analysis(layout, values, centre, include):
    """Anhøj runs analysis of ``values`` in every segment of ``layout`` around ``centre``."""
    used = layout.valid & include
    side = np.sign(values - centre)
    useful = used & (side != 0)
    ids, signs = layout.segment[useful], side[useful]
    new_run = np.ones(ids.size, dtype=bool)
    new_run[1:] = (ids[1:] != ids[:-1]) | (signs[1:] != signs[:-1])
    run_id = np.cumsum(new_run) - 1
    run_length = np.bincount(run_id) if ids.size else np.zeros(0, dtype=int)
    longest = np.zeros(layout.n_bins, dtype=int)
    np.maximum.at(longest, ids[new_run], run_length)
    n_runs = np.bincount(ids[new_run], minlength=layout.n_bins)
    n_useful = np.bincount(ids, minlength=layout.n_bins)
    n_obs = np.bincount(layout.segment[used], minlength=layout.n_bins)

    has = n_useful > 0
    longest_max = np.where(has, np.round(np.log2(np.maximum(n_useful, 1))) + 3, 0).astype(int)
    crossings = np.maximum(n_runs - 1, 0)
    crossings_min = np.where(has, binom.ppf(0.05, np.maximum(n_useful - 1, 0), 0.5), 0)
    crossings_min = np.nan_to_num(crossings_min).astype(int)
    signal = has & ((longest > longest_max) | (crossings < crossings_min))

    at = np.maximum(layout.segment, 0)
    return RunsAnalysis(
        *(
            np.where(layout.valid, a[at], 0)
            for a in (n_obs, n_useful, longest, longest_max, crossings, crossings_min)
        ),
        signal=layout.valid & signal[at],
    )


def baseline_and_include(layout, baseline_points, exclude, parts):
    """The points that set the centre line: qicharts2's ``baseline & include``."""
    if baseline_points is not None and parts is not None:
        raise ValueError(
            "give baseline_points or parts, not both: qicharts2 ignores a frozen "
            "baseline once a chart is split into parts."
        )
    include = layout.valid.copy()
    if exclude is not None:
        try:
            include &= ~np.broadcast_to(np.asarray(exclude, dtype=bool), layout.valid.shape)
        except ValueError:
            raise ValueError(f"exclude must have the shape {layout.valid.shape}.") from None
    baseline = layout.valid
    if baseline_points is not None:
        if int(baseline_points) < 1:
            raise ValueError("baseline_points must be at least 1.")
        baseline = layout.valid & (np.arange(layout.valid.shape[1]) < int(baseline_points))
    return baseline & include, include


def run_chart(values, *, lengths=None, baseline_points=None, exclude=None, parts=None):
    """Run charts around the median of each period's baseline points, with the Anhøj rules.

    ``baseline_points`` freezes the median on the first n points; ``exclude`` (boolean,
    series × points) leaves points out of the median and the runs analysis; ``parts`` marks the
    first point of each new period, which gets its own median.
    """
    layout = series_layout("values", values, lengths, parts, "parts")
    base, include = baseline_and_include(layout, baseline_points, exclude, parts)
    centre = segment_median(layout, base, layout.values)
    runs = runs_analysis(layout, layout.values, centre, include)
    pad = np.where(layout.valid, 1.0, np.nan)
    return RunChart(values=layout.values * pad, centre=centre * pad, runs=runs)

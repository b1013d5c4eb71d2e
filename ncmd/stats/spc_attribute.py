"""Control charts for counts and proportions: p, u, c, and Laney's p' and u'.

Definitions are qicharts2 0.8.1's (``qic.p``, ``qic.u``, ``qic.c``, ``qic.pp``, ``qic.up`` in
``R/helper.functions.R``), with its default of screening large moving ranges (the option
``qic.screenedmr`` that the package switches on when attached). Limits are per point, because
the denominator changes from point to point. Laney's prime charts widen the limits by the
variation between subgroups, so very large denominators do not make every point a signal.

Each chart also carries the Anhøj runs analysis around its centre line (see ``runs``).
"""

from dataclasses import dataclass

import numpy as np

from ._checks import as_counts, as_positive, not_above
from ._series import consecutive_differences, segment_sum, series_layout
from .runs import RunsAnalysis, baseline_and_include, runs_analysis

D2 = 1.128  # bias correction of the moving range for n = 2
MR_SCREEN = 3.267  # moving ranges at or above 3.267 × their mean are left out (Nelson 1982)


@dataclass(frozen=True)
class AttributeChart:
    """Per-point arrays, series × points, NaN past a series' length."""

    values: np.ndarray
    centre: np.ndarray
    lower_limit: np.ndarray
    upper_limit: np.ndarray
    lower_limit_95: np.ndarray  # 2-sigma limits, as qicharts2's lcl.95 / ucl.95
    upper_limit_95: np.ndarray
    sigma_signal: np.ndarray  # outside the 3-sigma limits
    include: np.ndarray
    period: np.ndarray
    runs: RunsAnalysis


def _prepare(counts, denominators, lengths, baseline_points, exclude, parts, proportion):
    layout = series_layout("counts", counts, lengths, parts, "parts")
    as_counts("counts", np.where(layout.valid, layout.values, 0.0))
    if denominators is None:
        return layout, None, *baseline_and_include(layout, baseline_points, exclude, parts)
    denominator = np.broadcast_to(np.asarray(denominators, dtype=float), layout.values.shape)
    denominator = as_positive("denominators", np.where(layout.valid, denominator, 1.0))
    if proportion:
        not_above("counts", layout.values, "denominators", denominator)
    return layout, denominator, *baseline_and_include(layout, baseline_points, exclude, parts)


def _laney_sigma_z(layout, base, z):
    """Sigma of the z-scores from their screened mean moving range (``qic.pp``, ``qic.up``).

    NaN for a period with no moving range left to average: fewer than two baseline points, or
    every moving range screened out (all zero, as when the centre is 0, or 1 for p, and the
    z-scores are undefined). qicharts2 then has no limits (NaN) and no sigma signals; limits
    collapsed onto the centre would instead flag every point off it.
    """
    ranges, ids = consecutive_differences(layout, base, z)
    total = np.bincount(ids, weights=ranges, minlength=layout.n_bins)
    count = np.bincount(ids, minlength=layout.n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        amr = total / count
    keep = ranges < MR_SCREEN * amr[ids]
    total = np.bincount(ids[keep], weights=ranges[keep], minlength=layout.n_bins)
    count = np.bincount(ids[keep], minlength=layout.n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        sigma = np.where(count > 0, total / count, np.nan) / D2
    return sigma[np.maximum(layout.segment, 0)]


def _chart(kind, counts, denominators, *, lengths, baseline_points, exclude, parts, multiply):
    proportion = kind in ("p", "pp")
    layout, n, base, include = _prepare(
        counts, denominators, lengths, baseline_points, exclude, parts, proportion
    )
    if kind == "c":
        y = layout.values
        total, number = segment_sum(layout, base, y)
        centre = total / np.maximum(number, 1)
        sd = np.sqrt(centre)
    else:
        y = layout.values / n
        events, _ = segment_sum(layout, base, layout.values)
        exposure, _ = segment_sum(layout, base, n)
        centre = events / np.where(exposure > 0, exposure, 1.0)
        sd = np.sqrt(centre * (1 - centre) / n) if proportion else np.sqrt(centre / n)
        if kind in ("pp", "up"):
            with np.errstate(invalid="ignore", divide="ignore"):
                z = np.where(sd > 0, (y - centre) / sd, 0.0)
            sd = sd * _laney_sigma_z(layout, base, z)
    number_of_base, _ = segment_sum(layout, base, np.ones_like(y))
    if (layout.valid & (number_of_base == 0)).any():
        series = np.argwhere(layout.valid & (number_of_base == 0))[0][0]
        raise ValueError(
            f"series {series} has a period with no baseline points left after "
            "exclusions: include at least one point in each period."
        )

    upper_cap = 1.0 if proportion else np.inf
    limits = [np.clip(centre + k * sd, 0.0, upper_cap) for k in (-3, 3, -2, 2)]
    sigma_signal = layout.valid & ((y > limits[1]) | (y < limits[0]))
    runs = runs_analysis(layout, y, centre, include)
    pad = np.where(layout.valid, multiply, np.nan)
    return AttributeChart(
        values=y * pad,
        centre=centre * pad,
        lower_limit=limits[0] * pad,
        upper_limit=limits[1] * pad,
        lower_limit_95=limits[2] * pad,
        upper_limit_95=limits[3] * pad,
        sigma_signal=sigma_signal,
        include=include,
        period=layout.period,
        runs=runs,
    )


def p_chart(
    counts,
    denominators,
    *,
    lengths=None,
    baseline_points=None,
    exclude=None,
    parts=None,
    multiply=1,
):
    """p-chart of counts / denominators with binomial limits, clipped to [0, 1]."""
    return _chart(
        "p",
        counts,
        denominators,
        lengths=lengths,
        baseline_points=baseline_points,
        exclude=exclude,
        parts=parts,
        multiply=multiply,
    )


def p_prime_chart(
    counts,
    denominators,
    *,
    lengths=None,
    baseline_points=None,
    exclude=None,
    parts=None,
    multiply=1,
):
    """Laney's p'-chart: binomial limits scaled by the moving-range sigma of the z-scores."""
    return _chart(
        "pp",
        counts,
        denominators,
        lengths=lengths,
        baseline_points=baseline_points,
        exclude=exclude,
        parts=parts,
        multiply=multiply,
    )


def u_chart(
    counts,
    denominators,
    *,
    lengths=None,
    baseline_points=None,
    exclude=None,
    parts=None,
    multiply=1,
):
    """u-chart of events per unit of exposure with Poisson limits, the lower clipped at 0."""
    return _chart(
        "u",
        counts,
        denominators,
        lengths=lengths,
        baseline_points=baseline_points,
        exclude=exclude,
        parts=parts,
        multiply=multiply,
    )


def u_prime_chart(
    counts,
    denominators,
    *,
    lengths=None,
    baseline_points=None,
    exclude=None,
    parts=None,
    multiply=1,
):
    """Laney's u'-chart: Poisson limits scaled by the moving-range sigma of the z-scores."""
    return _chart(
        "up",
        counts,
        denominators,
        lengths=lengths,
        baseline_points=baseline_points,
        exclude=exclude,
        parts=parts,
        multiply=multiply,
    )


def c_chart(counts, *, lengths=None, baseline_points=None, exclude=None, parts=None, multiply=1):
    """c-chart of counts with Poisson limits around their mean, the lower clipped at 0."""
    return _chart(
        "c",
        counts,
        None,
        lengths=lengths,
        baseline_points=baseline_points,
        exclude=exclude,
        parts=parts,
        multiply=multiply,
    )

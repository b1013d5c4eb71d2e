"""Funnel plot limits with Spiegelhalter's overdispersion adjustment, as FunnelPlotR does it.

Units (CDOPs, trusts) are compared with a common target; the limits narrow as the denominator
grows. When units differ more than chance allows (overdispersion), FunnelPlotR 0.6.0
(``R/funnel_plot.R``, ``R/od_adjustment.R``, ``R/calculate_limits.R``) follows Spiegelhalter
(2005): z-scores on a variance-stabilising scale, winsorised (or, for SHMI, truncated) at the
10th and 90th percentiles, give a dispersion ratio phi; if phi exceeds 1 the between-unit
variance tau² widens every limit additively.

``data_type``:
* ``"proportion"`` numerator / denominator, arcsine-square-root scale (FunnelPlotR "PR");
* ``"ratio"`` observed / expected, an indirectly standardised ratio (FunnelPlotR "SR"), with
  ``sr_method="SHMI"`` (log scale, truncation; the default) or ``"CQC"`` (square-root scale);
* ``"rate"`` a ratio of counts on the log scale (FunnelPlotR "RC").

Give 1-D arrays for one funnel, or 2-D (funnels × units) to compute many funnels at once.
"""

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.stats import chi2, rankdata

from ._checks import as_counts, as_positive, choice, not_above, same_shape

# FunnelPlotR writes its quantiles with these (rounded) constants; we use the same.
Z95, Z998 = 1.959964, 3.090232
_BOTH_Z = np.array([Z95, Z998])  # limits for both levels in one array: 95% first
WITHIN, ABOVE, BELOW = 0, 1, -1


@dataclass(frozen=True)
class FunnelLimits:
    """Arrays are (funnels ×) units; ``phi``, ``tau2``, ``target``, ``adjusted`` are per funnel.

    ``lower95`` … ``upper998`` are the limits used to class units: overdispersion-adjusted
    where ``adjusted`` is true, otherwise the unadjusted ones (also given apart).
    ``class95`` / ``class998`` are +1 above, -1 below, 0 within (inclusive) each limit.
    """

    value: np.ndarray
    target: np.ndarray
    z: np.ndarray
    phi: np.ndarray
    tau2: np.ndarray
    adjusted: np.ndarray
    lower95: np.ndarray
    upper95: np.ndarray
    lower998: np.ndarray
    upper998: np.ndarray
    class95: np.ndarray
    class998: np.ndarray
    _plain: tuple | None = field(default=None, repr=False, compare=False)
    _inputs: tuple = field(default=(), repr=False, compare=False)

    @cached_property
    def unadjusted(self):
        """(lower95, upper95, lower998, upper998) with tau² = 0, computed when first asked for:
        most callers only need the limits used to class units."""
        if self._plain is not None:
            return self._plain
        data_type, sr_method, denominator, multiplier = self._inputs
        return _by_level(*_limits(data_type, sr_method, denominator, _per_funnel(self.target)
                                  / multiplier, np.zeros_like(self.phi), multiplier))  # fmt: skip


def _per_funnel(values):
    """Per-funnel values shaped to broadcast against the units: a NumPy scalar for one funnel,
    a column for many. Arithmetic on a scalar takes nanoseconds; on an array, a microsecond."""
    return values[()] if values.ndim == 0 else values[..., None]


def _by_level(lower, upper):
    """(lower95, upper95, lower998, upper998) from limits stacked by level."""
    return lower[0], upper[0], lower[1], upper[1]


def _z_scores(data_type, sr_method, numerator, denominator, pooled, observed):
    """Unadjusted z-scores and their weights 1/s², s the standard error on the transformed scale.

    ``pooled`` is each funnel's Σ numerator / Σ denominator, ``observed`` each unit's
    numerator / denominator (for proportions; the caller has both already)."""
    if data_type == "proportion":
        weight = 4 * denominator
        z = np.sqrt(observed)
        np.arcsin(z, out=z)
        z -= np.arcsin(np.sqrt(pooled))
        z *= np.sqrt(weight)  # divided by s = 1 / (2√n); √(4n) is exactly 2√n
        return z, weight
    if data_type == "rate":
        y = np.log((numerator + 0.5) / (denominator + 0.5))
        s = np.sqrt(numerator / (numerator + 0.5) ** 2 + denominator / (denominator + 0.5) ** 2)
        return (y - np.log(pooled)) / s, 1 / (s * s)
    if sr_method == "SHMI":
        root = np.sqrt(denominator)
        s = 1 / root
        with np.errstate(divide="ignore"):
            return root * np.log(numerator / denominator), 1 / (s * s)
    s = 1 / (2 * np.sqrt(denominator))
    return (np.sqrt(numerator / denominator) - 1) / s, 1 / (s * s)


def _quantiles(values, probabilities):
    """R's type-7 quantiles along the last axis (numpy's "linear", which R's quantile() and so
    FunnelPlotR use), from one partial sort for all of them instead of one per call."""
    n = values.shape[-1]
    positions = [p * (n - 1) for p in probabilities]
    brackets = [(math.floor(x), min(math.floor(x) + 1, n - 1)) for x in positions]
    ordered = np.partition(values, sorted({k for pair in brackets for k in pair}), axis=-1)
    out = []
    for position, (below, above) in zip(positions, brackets, strict=True):
        a, b = _per_funnel(ordered[..., below]), _per_funnel(ordered[..., above])
        t = position - below
        out.append(b - (b - a) * (1 - t) if t >= 0.5 else a + (b - a) * t)  # numpy's _lerp
    return out


def _dispersion(z, weight, truncate, trim_by):
    """Dispersion ratio phi and DerSimonian-Laird style tau² (FunnelPlotR phi_func, tau_func),
    from z winsorised at the trim quantiles or, for SHMI (``truncate``), with the top and bottom
    dropped by rank; ``weight`` is 1/s² per unit."""
    if truncate:
        k = 1 / trim_by
        groups = np.floor(rankdata(z, axis=-1) * k / (z.shape[-1] + 1))
        kept = (groups > 0) & (groups < k - 1)
        n = kept.sum(-1)
        phi = (np.where(kept, z, 0.0) ** 2 * kept).sum(-1) / n
        weight = np.where(kept, weight, 0.0)
    else:  # winsorised: every unit counts
        n = z.shape[-1]
        low, high = _quantiles(z, (trim_by, 1 - trim_by))
        winsorised = np.clip(z, low, high)
        phi = np.vecdot(winsorised, winsorised) / n
    total = weight.sum(-1)
    denominator = total - np.vecdot(weight, weight) / total
    tau2 = np.maximum(0.0, (n * phi - (n - 1)) / denominator)
    return phi, np.where(n * phi < n - 1, 0.0, tau2)


def _limits(data_type, sr_method, denominator, target, tau2, multiplier):
    """Lower and upper limits for each denominator (FunnelPlotR calculate_limits), each stacked
    by level: 95% first, then 99.8%."""
    scale = 1 / denominator if data_type == "ratio" and sr_method == "SHMI" else 0.25 / denominator
    s = scale + _per_funnel(np.asarray(tau2))
    np.sqrt(s, out=s)  # the standard error on the transformed scale
    zs = np.multiply.outer(_BOTH_Z, s)
    if data_type == "proportion":
        # sin²(c ± zs) = (sin c ± t cos c)² / (1 + t²), t = tan zs, sin c = √target: the
        # tangent alone gives both limits where the sine form needs sin zs and cos zs, and
        # NumPy's float64 tangent is vectorised where its sine is not (five times faster here).
        # In-place steps spare temporaries (each fresh page of memory can cost a page fault).
        sin_c, cos_c = np.sqrt(target), np.sqrt(1 - target)
        # Beyond the arcsine's range the reference truncates to 0 and 1. The widest argument
        # tells at once whether any unit of any funnel gets there, sparing the masks otherwise.
        centre = np.arcsin(sin_c)
        edge = np.minimum(centre, np.pi / 2 - centre)  # per funnel; a scalar for one
        truncated = None
        if Z998 * s.max() >= (edge if edge.ndim == 0 else edge.min()):
            truncated = zs >= centre, zs >= np.pi / 2 - centre
        t = np.tan(zs, out=zs)
        upper = t * cos_c
        lower = sin_c - upper
        upper += sin_c
        t *= t
        t += 1
        for limit in (lower, upper):
            limit *= limit
            limit /= t
        if truncated is not None:
            lower[truncated[0]] = 0.0
            upper[truncated[1]] = 1.0
    elif data_type == "rate":
        upper = np.exp(zs)
        lower = target / upper
        upper *= target
    elif sr_method == "SHMI":
        upper = np.exp(zs)
        lower = 1 / upper
    else:
        lower, upper = 1 - zs, 1 + zs
    if multiplier != 1:
        lower *= multiplier
        upper *= multiplier
    return lower, upper


def _poisson_ratio_limits(expected, multiplier):
    """Exact Poisson limits for an O/E ratio at expected count E (unadjusted "SR" limits)."""
    out = []
    for tail in (0.025, 0.001):
        out += [
            chi2.ppf(tail, 2 * expected) / 2 / expected * multiplier,
            chi2.ppf(1 - tail, 2 * (expected + 1)) / 2 / expected * multiplier,
        ]
    return out


def classify(value, lower, upper):
    """+1 above ``upper``, -1 below ``lower``, 0 within (limits included), as FunnelPlotR does."""
    return (value > upper).view(np.int8) - (value < lower).view(np.int8)


def funnel_limits(
    numerator,
    denominator,
    *,
    data_type="proportion",
    sr_method="SHMI",
    trim_by=0.1,
    multiplier=1,
    adjust_for_overdispersion=True,
    shmi_rounding=True,
):
    """Funnel limits and classes for every unit of every funnel (see module docstring)."""
    choice("data_type", data_type, ("proportion", "ratio", "rate"))
    choice("sr_method", sr_method, ("SHMI", "CQC"))
    numerator = np.atleast_1d(as_counts("numerator", numerator))
    denominator = np.atleast_1d(as_positive("denominator", denominator))
    numerator, denominator = same_shape(("numerator", "denominator"), numerator, denominator)
    if data_type == "proportion":
        not_above("numerator", numerator, "denominator", denominator)
    if numerator.shape[-1] < 2:
        raise ValueError("numerator: a funnel needs at least two units to compare.")
    observed = numerator / denominator
    value = observed * multiplier if multiplier != 1 else observed
    shmi = data_type == "ratio" and sr_method == "SHMI"
    if shmi and shmi_rounding:
        denominator = np.round(denominator, 2)  # FunnelPlotR rounds expected counts for SHMI

    pooled = numerator.sum(-1) / denominator.sum(-1)
    per_funnel = _per_funnel(pooled)
    z, weight = _z_scores(data_type, sr_method, numerator, denominator, per_funnel, observed)
    phi, tau2 = _dispersion(z, weight, shmi, trim_by)
    adjusted = np.asarray(adjust_for_overdispersion & (phi > 1))

    if data_type == "ratio":
        target = np.ones(numerator.shape[:-1])
        poisson = _poisson_ratio_limits(denominator, multiplier)
        lower, upper = np.stack(poisson[0::2]), np.stack(poisson[1::2])
        plain = tuple(poisson)
        if adjusted.any():
            wide = _limits(data_type, sr_method, denominator, _per_funnel(target),
                           np.where(adjusted, tau2, 0.0), multiplier)  # fmt: skip
            lower = np.where(adjusted[..., None], wide[0], lower)
            upper = np.where(adjusted[..., None], wide[1], upper)
    else:
        # With tau² = 0 the adjusted formula is the plain one, so one evaluation serves both.
        target = pooled
        lower, upper = _limits(data_type, sr_method, denominator, per_funnel,
                               np.where(adjusted, tau2, 0.0), multiplier)  # fmt: skip
        plain = None if adjusted.any() else _by_level(lower, upper)
    classes = classify(value, lower, upper)  # both levels at once

    return FunnelLimits(
        value=value,
        target=target * multiplier,
        z=z,
        phi=phi,
        tau2=tau2,
        adjusted=adjusted,
        lower95=lower[0],
        upper95=upper[0],
        lower998=lower[1],
        upper998=upper[1],
        class95=classes[0],
        class998=classes[1],
        _plain=plain,
        _inputs=(data_type, sr_method, denominator, multiplier),
    )


def limits_at(denominator, target, *, tau2=0.0, data_type="proportion", sr_method="SHMI",
              multiplier=1):  # fmt: skip
    """The funnel's limits at any denominators (for drawing its curves): (lower95, upper95,
    lower998, upper998), given the target and the between-unit variance tau² of a funnel."""
    choice("data_type", data_type, ("proportion", "ratio", "rate"))
    denominator = np.atleast_1d(as_positive("denominator", denominator))
    if data_type == "ratio":
        target = 1.0
    return _by_level(
        *_limits(
            data_type,
            sr_method,
            denominator,
            np.asarray(target, dtype=float),
            np.asarray(tau2, dtype=float),
            multiplier,
        )  # fmt: skip
    )

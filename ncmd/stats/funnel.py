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

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.stats import chi2, rankdata

from ._checks import as_counts, as_positive, choice, not_above, same_shape

# FunnelPlotR writes its quantiles with these (rounded) constants; we use the same.
Z95, Z998 = 1.959964, 3.090232
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
            return tuple(self._plain)
        data_type, sr_method, denominator, multiplier = self._inputs
        return tuple(_limits(data_type, sr_method, denominator, self.target[..., None]
                             / multiplier, np.zeros_like(self.phi), multiplier))  # fmt: skip


def _z_scores(data_type, sr_method, numerator, denominator):
    """Unadjusted z-scores and their standard errors on the transformed scale."""
    if data_type == "proportion":
        target = np.arcsin(
            np.sqrt(numerator.sum(-1, keepdims=True) / denominator.sum(-1, keepdims=True))
        )
        root = np.sqrt(denominator)
        z = np.arcsin(np.sqrt(numerator / denominator))
        z -= target
        z *= 2 * root  # divided by s = 1 / (2√n)
        return z, 0.5 / root
    if data_type == "rate":
        target = np.log(numerator.sum(-1, keepdims=True) / denominator.sum(-1, keepdims=True))
        y = np.log((numerator + 0.5) / (denominator + 0.5))
        s = np.sqrt(numerator / (numerator + 0.5) ** 2 + denominator / (denominator + 0.5) ** 2)
        return (y - target) / s, s
    if sr_method == "SHMI":
        with np.errstate(divide="ignore"):
            return np.sqrt(denominator) * np.log(numerator / denominator), 1 / np.sqrt(denominator)
    s = 1 / (2 * np.sqrt(denominator))
    return (np.sqrt(numerator / denominator) - 1) / s, s


def _trimmed(z, sr_method_truncates, trim_by):
    """Winsorise z at the trim quantiles, or (SHMI) drop the top and bottom by rank."""
    if sr_method_truncates:
        k = 1 / trim_by
        groups = np.floor(rankdata(z, axis=-1) * k / (z.shape[-1] + 1))
        kept = (groups > 0) & (groups < k - 1)
        return np.where(kept, z, 0.0), kept
    low, high = _quantiles(z, (trim_by, 1 - trim_by))
    return np.clip(z, low, high), None  # winsorised: every unit is kept


def _quantiles(values, probabilities):
    """R's type-7 quantiles along the last axis (numpy's "linear", which R's quantile() and so
    FunnelPlotR use), from one partial sort for all of them instead of one per call."""
    n = values.shape[-1]
    positions = [p * (n - 1) for p in probabilities]
    brackets = [(int(np.floor(x)), min(int(np.floor(x)) + 1, n - 1)) for x in positions]
    ordered = np.partition(values, sorted({k for pair in brackets for k in pair}), axis=-1)
    out = []
    for position, (below, above) in zip(positions, brackets, strict=True):
        a, b, t = ordered[..., below, None], ordered[..., above, None], position - below
        out.append(b - (b - a) * (1 - t) if t >= 0.5 else a + (b - a) * t)  # numpy's _lerp
    return out


def _dispersion(w_z, kept, s):
    """Dispersion ratio phi and DerSimonian-Laird style tau² (FunnelPlotR phi_func, tau_func);
    `kept` marks the units that count (SHMI truncation), or is None when all do."""
    if kept is None:  # every unit counts
        n = np.full(w_z.shape[:-1], w_z.shape[-1])
        phi = np.einsum("...i,...i->...", w_z, w_z) / n
        w = 1 / (s * s)
    else:
        n = kept.sum(-1)
        phi = (w_z**2 * kept).sum(-1) / n
        w = np.where(kept, 1 / s**2, 0.0)
    total = w.sum(-1)
    denominator = total - np.einsum("...i,...i->...", w, w) / total
    tau2 = np.maximum(0.0, (n * phi - (n - 1)) / denominator)
    return phi, np.where(n * phi < n - 1, 0.0, tau2)


def _limits(data_type, sr_method, denominator, target, tau2, multiplier):
    """Lower/upper limits at 95% and 99.8% for each denominator (FunnelPlotR calculate_limits)."""
    tau2 = np.asarray(tau2)[..., None]
    scale = 1 / denominator if data_type == "ratio" and sr_method == "SHMI" else 0.25 / denominator
    s = np.sqrt(scale + tau2)  # the standard error on the transformed scale, shared by both z
    out = []
    if data_type == "proportion":
        # sin²(c ± zs) = (sin c cos zs ± cos c sin zs)², with sin c = √target: one sine per z
        # rather than one per limit; beyond the arcsine's range the reference truncates to 0
        # and 1.
        centre = np.arcsin(np.sqrt(target))
        sin_c, cos_c = np.sqrt(target), np.sqrt(1 - target)
        for z in (Z95, Z998):
            zs = z * s
            sin_zs = np.sin(zs)
            # cos from sin is exact enough and cheaper; where zs passes π/2 (so cos would need
            # a sign) both limits are truncated anyway. In-place steps spare temporaries.
            a, b = sin_c * np.sqrt(1 - sin_zs * sin_zs), cos_c * sin_zs
            lower = a - b
            lower *= lower
            upper = np.add(a, b, out=a)
            upper *= upper
            lower[zs >= centre] = 0.0
            upper[zs >= np.pi / 2 - centre] = 1.0
            if multiplier != 1:
                lower *= multiplier
                upper *= multiplier
            out += [lower, upper]
        return out
    for z in (Z95, Z998):
        if data_type == "rate":
            spread = np.exp(z * s)
            lower, upper = target / spread, target * spread
        elif sr_method == "SHMI":
            upper = np.exp(z * s)
            lower = 1 / upper
        else:
            lower, upper = 1 - z * s, 1 + z * s
        out += [lower * multiplier, upper * multiplier]
    return out


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
    value = numerator / denominator * multiplier
    shmi = data_type == "ratio" and sr_method == "SHMI"
    if shmi and shmi_rounding:
        denominator = np.round(denominator, 2)  # FunnelPlotR rounds expected counts for SHMI

    z, s = _z_scores(data_type, sr_method, numerator, denominator)
    w_z, kept = _trimmed(z, shmi, trim_by)
    phi, tau2 = _dispersion(w_z, kept, s)
    adjusted = np.asarray(adjust_for_overdispersion & (phi > 1))

    if data_type == "ratio":
        target = np.ones(numerator.shape[:-1])
        plain = _poisson_ratio_limits(denominator, multiplier)
        wide = plain
        if adjusted.any():
            wide = _limits(data_type, sr_method, denominator, target[..., None],
                           np.where(adjusted, tau2, 0.0), multiplier)  # fmt: skip
        used = [np.where(adjusted[..., None], a, p) for a, p in zip(wide, plain, strict=True)]
    else:
        # With tau² = 0 the adjusted formula is the plain one, so one evaluation serves both.
        target = numerator.sum(-1) / denominator.sum(-1)
        used = _limits(data_type, sr_method, denominator, target[..., None],
                       np.where(adjusted, tau2, 0.0), multiplier)  # fmt: skip
        plain = None if adjusted.any() else used

    return FunnelLimits(
        value=value,
        target=target * multiplier,
        z=z,
        phi=phi,
        tau2=tau2,
        adjusted=adjusted,
        lower95=used[0],
        upper95=used[1],
        lower998=used[2],
        upper998=used[3],
        class95=classify(value, used[0], used[1]),
        class998=classify(value, used[2], used[3]),
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
    return tuple(
        _limits(
            data_type,
            sr_method,
            denominator,
            np.asarray(target, dtype=float),
            np.asarray(tau2, dtype=float),
            multiplier,
        )  # fmt: skip
    )

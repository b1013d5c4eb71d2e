"""Time the statistics core against a per-series loop and maintained SPC libraries from PyPI.

Run: ``python benchmarks/bench_stats.py`` (``--series``/``--units`` to change the sizes,
``--only funnel`` or ``--only xmr`` for one part, ``--repeats`` to time the single funnel several
times over, alternating the contenders, and report the median and range of the ratios).
Inputs are the same for every contender: 10,000 series of 60 points for XmR charts with all
rules, and 10,000 units for funnel limits. Every timing is the fastest of several calls, each
computing its whole result from the inputs again (nothing is cached between calls). Peers are
optional: install them with ``pip install abspc pyqicharts`` (ideally in a scratch virtualenv,
with NumPy and SciPy; this script imports ``ncmd.stats`` from the checkout); absent ones are
skipped.

The peers do not compute the same thing, which the output says: abspc's XmR limits use
3/1.128 = 2.6596 instead of Making Data Count's 2.66, do not screen large moving ranges, and
apply 8-point shift and 6-point trend rules; pyqicharts' funnel table uses normal-approximation
limits without the overdispersion adjustment. Where methods coincide (the means, the funnel
target) the results are compared. pyqicharts is timed two ways: with ``group="unit"``, which adds
a groupby-sum of the rows into units, and with each row taken as a unit, as ``funnel_limits``
takes them (the like-for-like call: the inputs already have one row per unit). Our time is
for the result every caller gets (limits used to class units at both levels, classes, z, phi,
tau²); the unadjusted limits of an overdispersed funnel are computed when first asked for, and
are timed apart.
"""

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ncmd.stats import funnel_limits, xmr_chart  # noqa: E402
from ncmd.stats.funnel import Z95, Z998  # noqa: E402


def best_of(repeats, function):
    best, result = math.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result


def xmr_loop(values):
    """The straightforward way: one call per series."""
    return [xmr_chart(row) for row in values]


def funnel_loop(numerator, denominator):
    """A per-unit loop over the same proportion limits (dispersion computed once, vectorised)."""
    shared = funnel_limits(numerator, denominator)
    tau2 = float(shared.tau2) if shared.adjusted else 0.0
    centre = math.asin(math.sqrt(float(shared.target)))
    rows = []
    for n in denominator:
        s = math.sqrt(1 / (4 * n) + tau2)
        rows.append(
            tuple(
                (
                    math.sin(max(centre - z * s, 0)) ** 2,
                    math.sin(min(centre + z * s, math.pi / 2)) ** 2,
                )
                for z in (Z95, Z998)
            )
        )
    return rows


def abspc_xmr(values):
    import abspc
    import pandas as pd

    out = []
    for row in values:
        limits = abspc.calculate_control_limits(pd.DataFrame({"value": row}), "XmR")
        result = abspc.detect_special_causes(limits)
        out.append((result, abspc.determine_variation_type(result)))
    return out


def pyqicharts_funnel(numerator, denominator, group=True):
    import pandas as pd
    import pyqicharts

    if not group:  # each row is a unit
        frame = pd.DataFrame({"num": numerator, "den": denominator})
        return pyqicharts.funnel_table(frame, "num", "den")
    frame = pd.DataFrame({"num": numerator, "den": denominator, "unit": np.arange(numerator.size)})
    return pyqicharts.funnel_table(frame, "num", "den", group="unit")


def available(module):
    try:
        __import__(module)
    except ImportError:
        print(f"  {module}: not installed, skipped (pip install {module})")
        return False
    return True


def xmr_part(values):
    print(f"XmR charts, all rules and icons: {values.shape[0]} series x {values.shape[1]} points")
    ours, chart = best_of(3, lambda: xmr_chart(values))
    print(f"  ncmd.stats.xmr_chart        {ours:9.3f} s")
    loop, per_series = best_of(1, lambda: xmr_loop(values))
    same = all(
        (c.special_cause[0] == chart.special_cause[i]).all() for i, c in enumerate(per_series)
    )
    print(
        f"  per-series loop            {loop:9.3f} s  ratio {loop / ours:6.1f}x  "
        f"identical flags: {same}"
    )
    if available("abspc"):
        peer, results = best_of(1, lambda: abspc_xmr(values))
        means = np.array([r[0]["mean"].iloc[0] for r in results])
        print(
            f"  abspc                      {peer:9.3f} s  ratio {peer / ours:6.1f}x  "
            f"means agree: {np.allclose(means, chart.mean[:, 0], rtol=1e-12)}"
        )


def single_funnel_part(numerator, denominator, repeats, calls=50):
    print(f"Funnel limits (proportions, 95% and 99.8%, overdispersion): {numerator.size} units")
    contenders = {
        "ncmd.stats.funnel_limits": lambda: funnel_limits(numerator, denominator),
        "ours, .unadjusted too": lambda: funnel_limits(numerator, denominator).unadjusted,
    }
    if available("pyqicharts"):
        contenders["pyqicharts, group='unit'"] = lambda: pyqicharts_funnel(numerator, denominator)
        contenders["pyqicharts, rows as units"] = lambda: pyqicharts_funnel(
            numerator, denominator, group=False
        )
    times = {name: [] for name in contenders}
    for _ in range(repeats):  # alternated, so that load on the machine falls on every contender
        for name, function in contenders.items():
            times[name].append(best_of(calls, function)[0])
    times = {name: np.array(seconds) * 1000 for name, seconds in times.items()}
    ours = times.pop("ncmd.stats.funnel_limits")
    print(f"  ncmd.stats.funnel_limits    {np.median(ours):7.3f} ms{spread(ours)}")
    for name, milliseconds in times.items():
        ratios = milliseconds / ours  # each repeat's own ratio: the load changes between repeats
        print(
            f"  {name:27s} {np.median(milliseconds):7.3f} ms{spread(milliseconds)}  "
            f"ratio {np.median(ratios):5.1f}x{spread(ratios)}"
        )

    limits = funnel_limits(numerator, denominator)
    print(f"  overdispersed: {bool(limits.adjusted)}")
    loop, rows = best_of(1, lambda: funnel_loop(numerator, denominator))
    same = np.allclose([r[0][0] for r in rows], limits.lower95, rtol=1e-12)
    print(
        f"  per-unit loop               {loop * 1000:7.3f} ms  ratio "
        f"{loop * 1000 / np.median(ours):5.1f}x  identical limits: {same}"
    )
    if "pyqicharts, group='unit'" in times:
        for group in (True, False):
            table = pyqicharts_funnel(numerator, denominator, group)
            agree = np.allclose(table["centre"].to_numpy(), limits.target, rtol=1e-12)
            print(f"  pyqicharts (group={group}): targets agree: {agree}")


def spread(values):
    """The range of repeated measurements, when there are several."""
    return f" ({values.min():.3g} to {values.max():.3g})" if len(values) > 1 else ""


def many_funnels_part(numerator, denominator):
    funnels = numerator.size // 60
    grid_den = denominator[: funnels * 60].reshape(funnels, 60)
    grid_num = numerator[: funnels * 60].reshape(funnels, 60)
    print(
        f"Funnel limits, the platform's workload: {funnels * 60} units as {funnels} funnels of "
        "60 CDOPs (one per indicator and period)"
    )
    ours, limits = best_of(20, lambda: funnel_limits(grid_num, grid_den))
    print(f"  ncmd.stats.funnel_limits   {ours * 1000:9.3f} ms  (one call, all funnels)")
    loop, rows = best_of(
        3, lambda: [funnel_limits(n, d) for n, d in zip(grid_num, grid_den, strict=True)]
    )
    same = np.allclose(np.array([r.lower95 for r in rows]), limits.lower95, rtol=1e-12)
    print(
        f"  per-funnel loop            {loop * 1000:9.3f} ms  ratio {loop / ours:6.1f}x  "
        f"identical limits: {same}"
    )
    if available("pyqicharts"):
        peer, tables = best_of(3, lambda: [pyqicharts_funnel(n, d) for n, d in
                                           zip(grid_num, grid_den, strict=True)])  # fmt: skip
        agree = np.allclose([t["centre"].to_numpy()[0] for t in tables], limits.target)
        print(
            f"  pyqicharts, per funnel     {peer * 1000:9.3f} ms  ratio {peer / ours:6.1f}x  "
            f"targets agree: {agree}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=60)
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--only", choices=("xmr", "funnel"), help="run one part only")
    parser.add_argument("--repeats", type=int, default=1, help="timings of the single funnel")
    args = parser.parse_args()
    rng = np.random.default_rng(20250301)
    values = rng.normal(50, 5, size=(args.series, args.points))
    values[:, -8:] += rng.choice([0, 6], size=(args.series, 1))  # some series shift
    denominator = rng.integers(50, 2000, size=args.units).astype(float)
    numerator = rng.binomial(denominator.astype(int), rng.uniform(0.15, 0.25, args.units))
    numerator = numerator.astype(float)

    if args.only != "funnel":
        xmr_part(values)
    if args.only != "xmr":
        single_funnel_part(numerator, denominator, args.repeats)
        many_funnels_part(numerator, denominator)


if __name__ == "__main__":
    main()

"""Time the statistics core against a per-series loop and maintained SPC libraries from PyPI.

Run: ``python benchmarks/bench_stats.py`` (``--series``/``--units`` to change the sizes).
Inputs are the same for every contender: 10,000 series of 60 points for XmR charts with all
rules, and 10,000 units for funnel limits. Peers are optional: install them with
``pip install abspc pyqicharts`` (ideally in a scratch virtualenv); absent ones are skipped.

The peers do not compute the same thing, which the output says: abspc's XmR limits use
3/1.128 = 2.6596 instead of Making Data Count's 2.66, do not screen large moving ranges, and
apply 8-point shift and 6-point trend rules; pyqicharts' funnel table uses normal-approximation
limits without the overdispersion adjustment. Where methods coincide (the means, the funnel
target) the results are compared.
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


def pyqicharts_funnel(numerator, denominator):
    import pandas as pd
    import pyqicharts

    frame = pd.DataFrame({"num": numerator, "den": denominator, "unit": np.arange(numerator.size)})
    return pyqicharts.funnel_table(frame, "num", "den", group="unit")


def available(module):
    try:
        __import__(module)
    except ImportError:
        print(f"  {module}: not installed, skipped (pip install {module})")
        return False
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--points", type=int, default=60)
    parser.add_argument("--units", type=int, default=10_000)
    args = parser.parse_args()
    rng = np.random.default_rng(20250301)
    values = rng.normal(50, 5, size=(args.series, args.points))
    values[:, -8:] += rng.choice([0, 6], size=(args.series, 1))  # some series shift
    denominator = rng.integers(50, 2000, size=args.units).astype(float)
    numerator = rng.binomial(denominator.astype(int), rng.uniform(0.15, 0.25, args.units))
    numerator = numerator.astype(float)

    print(f"XmR charts, all rules and icons: {args.series} series x {args.points} points")
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

    print(f"Funnel limits (proportions, 95% and 99.8%, overdispersion): {args.units} units")
    ours, limits = best_of(20, lambda: funnel_limits(numerator, denominator))
    print(f"  ncmd.stats.funnel_limits   {ours * 1000:9.3f} ms")
    loop, rows = best_of(1, lambda: funnel_loop(numerator, denominator))
    same = np.allclose([r[0][0] for r in rows], limits.lower95, rtol=1e-12)
    print(
        f"  per-unit loop              {loop * 1000:9.3f} ms  ratio {loop / ours:6.1f}x  "
        f"identical limits: {same}"
    )
    if available("pyqicharts"):
        peer, table = best_of(20, lambda: pyqicharts_funnel(numerator, denominator))
        agree = np.allclose(table["centre"].to_numpy(), limits.target, rtol=1e-12)
        print(
            f"  pyqicharts.funnel_table    {peer * 1000:9.3f} ms  ratio {peer / ours:6.1f}x  "
            f"targets agree: {agree}"
        )

    funnels = args.units // 60
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


if __name__ == "__main__":
    main()

"""Pure statistics for the platform: NumPy and SciPy only, no Django.

The numbers the country relies on are computed here and tested against the published
reference implementations (PHEindicatormethods, NHSRplotthedots, qicharts2, FunnelPlotR).
Every function takes arrays, one value per unit or point, and computes all units or series in
one call; bad input raises ``ValueError`` naming the argument and position. ``docs/methods.md``
is the methods annex.

Intervals and rates (``intervals``, ``rates``)
    ``proportion(x, n)`` Wilson score interval; ``crude_rate(x, n, multiplier=100_000)`` exact
    Poisson below 10 events, Byar's from 10; ``directly_standardised_rate(counts, populations,
    standard)`` Dobson, withheld with a reason below 10 events; ``standardised_ratio(observed,
    expected)`` and ``expected_events``; ``rate_ratio(x1, n1, x2, n2)``. Each returns an
    ``Interval`` (estimate, lower, upper) at ``confidence=0.95`` (or 0.998, or any level).

Statistical process control (``spc``, ``spc_attribute``, ``runs``)
    ``xmr_chart(values)`` Making Data Count XmR charts for series × points (``lengths`` for
    ragged series, ``rebase`` for declared changes, ``fix_after_n_points``, ``improvement``,
    ``target``), with special-cause codes, point types and the variation and assurance icons per
    series (``chart.labels("variation")``). ``p_chart``, ``u_chart``, ``c_chart``,
    ``p_prime_chart``, ``u_prime_chart`` and ``run_chart`` follow qicharts2, each with the
    Anhøj runs analysis.

Funnel plots (``funnel``)
    ``funnel_limits(numerator, denominator, data_type="proportion" | "ratio" | "rate")``:
    95% and 99.8% limits per unit, overdispersion-adjusted as FunnelPlotR does, and each unit
    classed above (+1), within (0) or below (-1) each limit.

Disclosure control (``disclosure``)
    ``protect_table(counts, DisclosureRule())`` primary suppression (1-7), secondary
    suppression and rounding (to 5) of a one- or two-way table with margins;
    ``find_recoverable(tables)`` proves that no suppressed figure of a set of published tables
    can be worked out, or reports the one that can and how.
"""

from .disclosure import DisclosureRule, ProtectedTable, find_recoverable, protect_table
from .funnel import FunnelLimits, funnel_limits
from .intervals import Interval, poisson_interval, wilson_interval, z_value
from .rates import (
    StandardisedRate,
    crude_rate,
    directly_standardised_rate,
    expected_events,
    proportion,
    rate_ratio,
    standardised_ratio,
)
from .runs import RunChart, RunsAnalysis, run_chart
from .spc import XmRChart, xmr_chart
from .spc_attribute import (
    AttributeChart,
    c_chart,
    p_chart,
    p_prime_chart,
    u_chart,
    u_prime_chart,
)

__all__ = [
    "AttributeChart",
    "DisclosureRule",
    "FunnelLimits",
    "Interval",
    "ProtectedTable",
    "RunChart",
    "RunsAnalysis",
    "StandardisedRate",
    "XmRChart",
    "c_chart",
    "crude_rate",
    "directly_standardised_rate",
    "expected_events",
    "find_recoverable",
    "funnel_limits",
    "p_chart",
    "p_prime_chart",
    "poisson_interval",
    "proportion",
    "protect_table",
    "rate_ratio",
    "run_chart",
    "standardised_ratio",
    "u_chart",
    "u_prime_chart",
    "wilson_interval",
    "xmr_chart",
    "z_value",
]

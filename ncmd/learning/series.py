"""Monthly series of a quality indicator, read from the latest quality results, for the
before-and-after comparisons of interventions and recommendations (`movement.py`)."""

from ncmd.quality.compute import NATIONAL
from ncmd.quality.definitions import indicators
from ncmd.quality.results import latest_results

from . import movement


def monthly(results, indicator, unit):
    """(periods, numerators, denominators) of the scored months of `indicator` for `unit` (a
    CDOP code, or NATIONAL for England), oldest first."""
    rows = results.query(
        'SELECT period, numerator, denominator FROM "values" WHERE indicator = ? AND '
        "period_type = 'month' AND cdop = ? AND scored ORDER BY period", indicator, unit,
    )  # fmt: skip
    return (
        [r["period"] for r in rows],
        [r["numerator"] for r in rows],
        [r["denominator"] for r in rows],
    )


def movement_of(indicator, change_on, *, unit=NATIONAL, results=None):
    """The before-and-after comparison of `indicator` for `unit` around `change_on`, or None
    when no quality results have been computed or the indicator is unknown."""
    definition = indicators().get(indicator)
    results = results or latest_results()
    if definition is None or results is None:
        return None
    periods, numerators, denominators = monthly(results, indicator, unit)
    return movement.for_series(
        periods=periods, numerators=numerators, denominators=denominators,
        change_on=change_on, improvement=definition.improvement,
    )  # fmt: skip

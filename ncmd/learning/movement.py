"""Before and after: did an indicator move after a change (an intervention, a recommendation)?

All the statistics come from `ncmd.stats`:

- an XmR chart whose mean and limits are fixed on the months before the change
  (`xmr_chart(fix_after_n_points=...)`): months after it outside those limits, or in a run or
  trend, are special-cause signals against the old process;
- the same series with a declared change (`xmr_chart(rebase=...)`): the process's mean and
  limits after the change;
- the pooled proportion before and after, each with its Wilson 95% interval (`proportion`).

The month in which the change happened is left out when the change fell after its first day:
it mixes the two processes. This module has no Django import; `for_series` takes plain lists.
"""

import datetime
from dataclasses import dataclass

import numpy as np

from ncmd.stats import proportion, xmr_chart

MINIMUM_POINTS = 2  # an XmR period needs two points for a moving range
SHORT_BASELINE = 12  # Making Data Count: fewer points give trial limits


@dataclass(frozen=True)
class Side:
    months: int
    first: datetime.date
    last: datetime.date
    numerator: float
    denominator: float
    pooled: float
    pooled_lower: float
    pooled_upper: float
    mean: float
    lower_limit: float
    upper_limit: float


@dataclass(frozen=True)
class Movement:
    change_on: datetime.date
    improvement: str
    before: Side | None
    after: Side | None
    signals_improvement: int = 0  # months after, special cause against the fixed baseline
    signals_concern: int = 0
    trial_limits: bool = False
    reason: str = ""  # why there is no comparison

    @property
    def compared(self):
        return self.before is not None and self.after is not None

    @property
    def change(self):
        return self.after.mean - self.before.mean if self.compared else None

    @property
    def verdict(self):
        """A sentence a reader can act on."""
        if not self.compared:
            return self.reason
        if self.signals_improvement and not self.signals_concern:
            return (f"Improved: {self.signals_improvement} of {self.after.months} months after "
                    "show special-cause improvement against the limits before.")  # fmt: skip
        if self.signals_concern and not self.signals_improvement:
            return (f"Worse: {self.signals_concern} of {self.after.months} months after show "
                    "special-cause concern against the limits before.")  # fmt: skip
        if self.signals_concern and self.signals_improvement:
            return "Mixed: months after show both special-cause improvement and concern."
        return "No significant change: the months after stay within the limits before."


def split_at(periods, change_on):
    """Indexes of the months before and after `change_on` (the month it fell in, unless the
    change was on its first day, belongs to neither)."""
    month = change_on.replace(day=1)
    before = [i for i, p in enumerate(periods) if p < month]
    if change_on.day == 1:
        after = [i for i, p in enumerate(periods) if p >= month]
    else:
        after = [i for i, p in enumerate(periods) if p > month]
    return before, after


def for_series(*, periods, numerators, denominators, change_on, improvement="increase"):
    """The before-and-after comparison of one monthly proportion series (scored months only,
    in order) around `change_on`."""
    values = [n / d if d else np.nan for n, d in zip(numerators, denominators, strict=True)]
    before, after = split_at(periods, change_on)
    if len(before) < MINIMUM_POINTS or len(after) < MINIMUM_POINTS:
        return Movement(
            change_on, improvement, None, None,
            reason=f"Not enough months to compare: {len(before)} before and {len(after)} after "
            f"(at least {MINIMUM_POINTS} of each are needed).",
        )  # fmt: skip
    kept = before + after
    y = np.array([values[i] for i in kept], dtype=float)[None, :]
    fixed = xmr_chart(y, improvement=improvement, fix_after_n_points=len(before))
    rebase = np.zeros_like(y, dtype=bool)
    rebase[0, len(before)] = True
    declared = xmr_chart(y, improvement=improvement, rebase=rebase)
    after_types = fixed.labels("point_type")[0, len(before) :]
    pooled = proportion(
        [sum(numerators[i] for i in before), sum(numerators[i] for i in after)],
        [sum(denominators[i] for i in before), sum(denominators[i] for i in after)],
    )

    def side(index, position, where):
        return Side(
            months=len(index), first=periods[index[0]], last=periods[index[-1]],
            numerator=float(sum(numerators[i] for i in index)),
            denominator=float(sum(denominators[i] for i in index)),
            pooled=float(pooled.estimate[where]), pooled_lower=float(pooled.lower[where]),
            pooled_upper=float(pooled.upper[where]),
            mean=float(declared.mean[0, position]),
            lower_limit=float(declared.lower_limit[0, position]),
            upper_limit=float(declared.upper_limit[0, position]),
        )  # fmt: skip

    return Movement(
        change_on=change_on,
        improvement=improvement,
        before=side(before, 0, 0),
        after=side(after, len(before), 1),
        signals_improvement=int(sum(t == "special_cause_improvement" for t in after_types)),
        signals_concern=int(sum(t == "special_cause_concern" for t in after_types)),
        trial_limits=len(before) < SHORT_BASELINE,
    )

"""Interventions on the data quality charts: the one function the quality app asks.

`for_chart(cdop_code, indicator)` gives the interventions that reached a CDOP and aimed at an
indicator (or at every indicator), each with its before-and-after comparison computed by
`ncmd.stats` over that CDOP's monthly series (see `movement.py`).
"""

from dataclasses import dataclass

from .models import Intervention
from .movement import Movement
from .series import movement_of


@dataclass(frozen=True)
class ChartIntervention:
    intervention: Intervention
    movement: Movement | None

    @property
    def held_on(self):
        return self.intervention.held_on

    @property
    def label(self):
        return self.intervention.title


def reaching(cdop_code, indicator):
    """Interventions that reached `cdop_code` and aimed at `indicator` or at every indicator."""
    found = Intervention.objects.filter(cdops__code=cdop_code).order_by("held_on", "pk")
    return [i for i in found if not i.indicators or indicator in i.indicators]


def for_chart(cdop_code, indicator, *, results=None):
    return [
        ChartIntervention(i, movement_of(indicator, i.held_on, unit=cdop_code, results=results))
        for i in reaching(cdop_code, indicator)
    ]

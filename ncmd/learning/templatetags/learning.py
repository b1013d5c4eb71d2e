"""`{% load learning %}`: words and numbers for the learning pages."""

from django import template

from ncmd.learning.audiences import Audience
from ncmd.learning.models import RecommendationStatus

register = template.Library()

STATUS_COLOURS = {
    "issued": "blue",
    "acknowledged": "aqua-green",
    "in_progress": "yellow",
    "implemented": "green",
    "not_accepted": "red",
    "closed": "grey",
    "planned": "blue",
    "at_risk": "orange",
    "complete": "green",
    "stopped": "grey",
}


@register.filter
def pct(value, digits=1):
    """A proportion as a percentage: 0.8123 -> 81.2%."""
    if value is None:
        return "–"
    return f"{value * 100:.{int(digits)}f}%"


@register.filter
def limit(value):
    """A process limit of a proportion, shown within 0 to 100% as the charts draw it."""
    return pct(None if value is None else min(max(value, 0.0), 1.0))


@register.filter
def audience_label(code):
    return Audience(code).label if code in Audience.values else code


@register.filter
def status_label(code):
    return RecommendationStatus(code).label if code in RecommendationStatus.values else code


@register.inclusion_tag("learning/_status_tag.html")
def status_tag(code, label=""):
    from ncmd.learning.models import PlanActionStatus

    if not label:
        for choices in (RecommendationStatus, PlanActionStatus):
            if code in choices.values:
                label = choices(code).label
                break
    return {"label": label or code, "colour": STATUS_COLOURS.get(code, "white")}

from django import template

from ..summary import audience_labels as labels

register = template.Library()


@register.filter
def audience_labels(values):
    """A list of audience values as their labels, separated by commas."""
    return ", ".join(labels(values or []))

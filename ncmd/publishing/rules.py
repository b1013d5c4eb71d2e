"""The disclosure rule in force, from settings (docs/publishing.md says how to change it)."""

from django.conf import settings

from ncmd.stats import DisclosureRule


def disclosure_rule():
    return DisclosureRule(
        suppress_from=settings.NCMD_DISCLOSURE_SUPPRESS_FROM,
        suppress_to=settings.NCMD_DISCLOSURE_SUPPRESS_TO,
        rounding_base=settings.NCMD_DISCLOSURE_ROUNDING,
    )


def rule_as_dict(rule):
    return {
        "suppress_from": rule.suppress_from,
        "suppress_to": rule.suppress_to,
        "rounding_base": rule.rounding_base,
    }

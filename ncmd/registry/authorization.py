"""Who may do what: permissions, the roles that hold them, and one check.

Whether an action is allowed *now* (a case's status, a request's state) is a policy and lives with
the action; this module only answers "may this kind of person ever do this". Which cases a person
sees is `ncmd.registry.access`.
"""

import enum
from dataclasses import dataclass

from .models import Role


class Permission(enum.Enum):
    VIEW_CASES = "view cases in scope"
    VIEW_IDENTIFIERS = "view a child's identifiers"
    NOTIFY_DEATH = "notify a death"
    EDIT_FORMS = "fill in and submit forms"
    AMEND_FORMS = "amend submitted forms"
    REQUEST_REPORTING_FORMS = "request reporting forms from agencies"
    COMPLETE_REQUESTED_FORMS = "complete reporting forms requested of their agency"
    CHANGE_CASE_STATUS = "move a case through its review"
    RESOLVE_DUPLICATES = "confirm or link possible duplicate notifications"
    VIEW_AUDIT = "view the audit history"
    VIEW_NATIONAL_DATA = "see every CDOP, not only their own (cases only with 'view cases')"
    VIEW_QUALITY = "view data quality dashboards"
    MANAGE_USERS = "manage users and organisations"
    PUBLISH_ANALYSES = "build analyses, reports and disclosure-controlled data releases"
    APPLY_FOR_DATA = "apply for research data and receive approved extracts"
    REVIEW_DATA_ACCESS = "review research data access requests, release extracts, check outputs"
    MANAGE_LEARNING = "issue recommendations, run messages, events and the improvement plan"
    UPDATE_ADDRESSED_ACTIONS = (
        "report progress on recommendations and plan actions addressed to their organisation"
    )
    USE_ADMIN = "use the administration site"


@dataclass(frozen=True)
class RoleDefinition:
    role: Role
    description: str
    permissions: frozenset


_CDOP_STAFF = {
    Permission.VIEW_CASES,
    Permission.VIEW_IDENTIFIERS,
    Permission.NOTIFY_DEATH,
    Permission.EDIT_FORMS,
    Permission.REQUEST_REPORTING_FORMS,
    Permission.VIEW_AUDIT,
    Permission.VIEW_QUALITY,
}

ROLES = {
    definition.role: definition
    for definition in [
        RoleDefinition(
            Role.NATIONAL_ADMIN,
            "Runs the national registry: every CDOP's cases, users, organisations and the "
            "administration site.",
            frozenset(Permission),
        ),
        RoleDefinition(
            Role.NATIONAL_ANALYST,
            "Analyses national data and data quality: sees every CDOP's cases without the "
            "children's identifiers, and changes nothing.",
            frozenset(
                {
                    Permission.VIEW_CASES,
                    Permission.VIEW_NATIONAL_DATA,
                    Permission.VIEW_QUALITY,
                    Permission.PUBLISH_ANALYSES,
                }
            ),
        ),
        RoleDefinition(
            Role.CDOP_ADMIN,
            "Runs one Child Death Overview Panel's reviews: notifies deaths, requests and "
            "completes forms, moves cases through review and resolves duplicates, for that CDOP.",
            frozenset(
                _CDOP_STAFF
                | {
                    Permission.AMEND_FORMS,
                    Permission.CHANGE_CASE_STATUS,
                    Permission.RESOLVE_DUPLICATES,
                    Permission.UPDATE_ADDRESSED_ACTIONS,
                }
            ),
        ),
        RoleDefinition(
            Role.CDOP_MEMBER,
            "Takes part in one CDOP's reviews: reads its cases and fills in forms.",
            frozenset(_CDOP_STAFF - {Permission.REQUEST_REPORTING_FORMS}),
        ),
        RoleDefinition(
            Role.AGENCY_REPORTER,
            "Reports for one agency (a hospital, police force, school, ...): completes only the "
            "reporting forms a CDOP has requested of that agency.",
            frozenset({Permission.COMPLETE_REQUESTED_FORMS}),
        ),
        RoleDefinition(
            Role.RESEARCHER,
            "Applies for research data; sees approved extracts only, never the registry.",
            frozenset({Permission.APPLY_FOR_DATA}),
        ),
        RoleDefinition(
            Role.DATA_ACCESS_REVIEWER,
            "Reviews research data access requests against the Five Safes, releases approved "
            "extracts and checks researchers' outputs; never sees the registry's cases.",
            frozenset({Permission.REVIEW_DATA_ACCESS}),
        ),
        RoleDefinition(
            Role.QI_LEAD,
            "Leads quality improvement nationally: issues recommendations, runs messages, events "
            "and the improvement plan, and sees every CDOP's data quality, but no cases.",
            frozenset(
                {
                    Permission.MANAGE_LEARNING,
                    Permission.VIEW_QUALITY,
                    Permission.VIEW_NATIONAL_DATA,
                }
            ),
        ),
        RoleDefinition(
            Role.PARTNER_CONTACT,
            "Speaks for a national partner organisation: reports progress on the recommendations "
            "and improvement plan actions addressed to it.",
            frozenset({Permission.UPDATE_ADDRESSED_ACTIONS}),
        ),
    ]
}


def has_permission(user, permission):
    """True when `user`'s role carries `permission`. Inactive or anonymous users have none."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.role:
        return False
    return permission in ROLES[Role(user.role)].permissions


def role_description(role):
    return ROLES[Role(role)].description

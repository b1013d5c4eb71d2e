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
    VIEW_NATIONAL_DATA = "view every CDOP's cases"
    VIEW_QUALITY = "view data quality dashboards"
    MANAGE_USERS = "manage users and organisations"
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
                {Permission.VIEW_CASES, Permission.VIEW_NATIONAL_DATA, Permission.VIEW_QUALITY}
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
            frozenset(),
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

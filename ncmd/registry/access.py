"""The one scoping layer: every query of case data starts here.

A CDOP's people see their CDOP's cases; national roles that view cases see every case; an agency
reporter sees only the cases (and forms) requested of their agency; everyone else sees nothing.
Views never filter cases by hand, so one set of tests proves the boundary for every page.
"""

from django.http import Http404

from .authorization import Permission, has_permission
from .models import Case, FormRequest, FormSubmission, Role


def cases_for(user):
    """The cases `user` may see, as a queryset to filter further."""
    cases = Case.objects.select_related("cdop", "region")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return cases.none()
    if has_permission(user, Permission.VIEW_NATIONAL_DATA) and has_permission(
        user, Permission.VIEW_CASES
    ):
        return cases
    if user.role in (Role.CDOP_ADMIN, Role.CDOP_MEMBER) and user.organisation_id:
        return cases.filter(cdop_id=user.organisation_id)
    if user.role == Role.AGENCY_REPORTER and user.organisation_id:
        return cases.filter(requests__agency_id=user.organisation_id).distinct()
    return cases.none()


def get_case_for(user, reference):
    """The case with `reference` if `user` may see it; otherwise "not found", never "forbidden",
    so that nobody learns which references exist outside their scope."""
    case = cases_for(user).filter(reference=reference).first()
    if case is None:
        raise Http404("No case with that reference.")
    return case


def submissions_for(user, case):
    """The form submissions of `case` that `user` may see."""
    submissions = FormSubmission.objects.filter(case=case).select_related("agency")
    if user.role == Role.AGENCY_REPORTER:
        return submissions.filter(agency_id=user.organisation_id)
    return submissions


def requests_for(user):
    """The reporting-form requests `user` may see."""
    requests = FormRequest.objects.select_related("case", "agency")
    if user.role == Role.AGENCY_REPORTER:
        return requests.filter(agency_id=user.organisation_id)
    return requests.filter(case__in=cases_for(user))

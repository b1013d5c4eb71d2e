"""The signed-in user's start page: what they can see and what needs attention."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render

from ..access import cases_for, requests_for
from ..authorization import ROLES, Permission, has_permission
from ..models import CaseStatus, DuplicateStatus, Role


@login_required
def home(request):
    user = request.user
    context = {"role": ROLES[Role(user.role)] if user.role else None}
    if has_permission(user, Permission.VIEW_CASES):
        cases = cases_for(user)
        counts = dict(cases.values_list("status").annotate(n=Count("id")).order_by())
        context["status_counts"] = [
            (value, label, counts.get(value, 0)) for value, label in CaseStatus.choices
        ]
        context["total"] = sum(counts.values())
        context["possible_duplicates"] = cases.filter(
            duplicate_status=DuplicateStatus.POSSIBLE
        ).count()
    if user.role == Role.AGENCY_REPORTER:
        context["requests"] = requests_for(user).filter(returned_at=None)
    return render(request, "registry/home.html", context)

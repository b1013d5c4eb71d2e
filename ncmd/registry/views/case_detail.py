"""One case: its promoted facts, its forms laid out by the dictionary, its reporting requests."""

from django.shortcuts import render

from ..access import requests_for, submissions_for
from ..authorization import Permission, has_permission
from ..models import CaseStatus, DuplicateStatus
from ..presenters import code_label, present_case_row, present_submission
from .decorators import load_case


@load_case
def case_detail(request, case):
    submissions = list(submissions_for(request.user, case))
    user = request.user
    return render(
        request,
        "registry/case_detail.html",
        {
            "case": case,
            "row": present_case_row(case),
            "ethnicity": code_label("ethnicity", case.ethnicity),
            "expected": code_label("expected_death", case.expected_death),
            "modifiable": code_label("modifiable_factors", case.modifiable_factors),
            "forms": [present_submission(s) for s in submissions],
            "requests": requests_for(user).filter(case=case),
            "possible_duplicate": case.duplicate_status == DuplicateStatus.POSSIBLE,
            "duplicate_label": DuplicateStatus(case.duplicate_status).label,
            "can_view_identifiers": has_permission(user, Permission.VIEW_IDENTIFIERS),
            "can_view_audit": has_permission(user, Permission.VIEW_AUDIT),
            "can_resolve": has_permission(user, Permission.RESOLVE_DUPLICATES),
            "status_label": CaseStatus(case.status).label,
        },
    )

"""The child's identifiers: shown only on request, and every showing is audited."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .. import actions
from ..authorization import Permission
from ..models import FormSubmission
from ..presenters import present_identifiers
from .decorators import load_case, require_permission


@never_cache
@require_permission(Permission.VIEW_IDENTIFIERS)
@load_case
def case_identifiers(request, case):
    values = actions.view_identifiers(case=case, by=request.user)
    notification = FormSubmission.objects.filter(case=case, form_name="notification").first()
    rows = present_identifiers(notification, values) if notification else []
    return render(request, "registry/case_identifiers.html", {"case": case, "rows": rows})

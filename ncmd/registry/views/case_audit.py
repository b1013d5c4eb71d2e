"""A case's audit history: every change and every view of its identifiers, oldest first."""

from django.shortcuts import render

from ..authorization import Permission
from ..models import AuditEvent
from ..presenters import present_audit_event
from .decorators import load_case, require_permission


@require_permission(Permission.VIEW_AUDIT)
@load_case
def case_audit(request, case):
    events = AuditEvent.objects.filter(case_reference=case.reference).order_by("at", "id")
    rows = [present_audit_event(event) for event in events]
    return render(request, "registry/case_audit.html", {"case": case, "rows": rows})

"""Settling a possible duplicate notification: a different death, or the same one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import actions
from ..access import cases_for
from ..authorization import Permission
from ..models import DuplicateStatus
from .decorators import load_case, require_permission


@require_http_methods(["GET", "POST"])
@require_permission(Permission.RESOLVE_DUPLICATES)
@load_case
def resolve_duplicate(request, case):
    if case.duplicate_status != DuplicateStatus.POSSIBLE:
        messages.info(request, "This case is not waiting for a duplicate decision.")
        return redirect("case_detail", reference=case.reference)
    original = case.duplicate_of
    # The matching case may belong to another CDOP (a death notified in the wrong area): its
    # reference, CDOP and dates are shown so the decision can be made, and nothing else.
    original_in_scope = cases_for(request.user).filter(pk=original.pk).exists()
    error = None
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision in ("distinct", "linked"):
            actions.resolve_duplicate(case=case, decision=decision, by=request.user)
            messages.success(request, "Decision recorded.")
            return redirect("case_detail", reference=case.reference)
        error = "Select whether this is the same death or a different one."
    return render(
        request,
        "registry/resolve_duplicate.html",
        {
            "case": case,
            "original": original,
            "original_in_scope": original_in_scope,
            "error": error,
        },
    )

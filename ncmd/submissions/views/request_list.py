"""A CDOP's reporting-form requests: requested, returned and overdue, with reminders."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ncmd.registry.access import requests_for
from ncmd.registry.actions import ActionRefused
from ncmd.registry.authorization import Permission
from ncmd.registry.views.decorators import require_permission

from .. import actions

_SHOWS = {
    "outstanding": "Not yet returned",
    "overdue": "Overdue",
    "returned": "Returned",
    "all": "All requests",
}


def _filtered(request):
    today = timezone.localdate()
    found = requests_for(request.user).select_related("case", "agency", "contact")
    show = request.GET.get("show", "outstanding")
    show = show if show in _SHOWS else "outstanding"
    if show == "outstanding":
        found = found.filter(returned_at=None)
    elif show == "overdue":
        found = found.filter(returned_at=None, due_date__lt=today)
    elif show == "returned":
        found = found.exclude(returned_at=None)
    case = request.GET.get("case", "").strip().upper()
    if case:
        found = found.filter(case__reference=case)
    return found, show, case


@require_permission(Permission.REQUEST_REPORTING_FORMS)
def request_list(request):
    today = timezone.localdate()
    found, show, case = _filtered(request)
    found = found.annotate(last_reminded=Max("reminders__sent_at")).order_by("due_date", "pk")
    page = Paginator(found, settings.NCMD_PAGE_SIZE).get_page(request.GET.get("page"))
    overdue = requests_for(request.user).filter(returned_at=None, due_date__lt=today).count()
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(request, "submissions/request_list.html", {
        "page": page,
        "rows": [
            {"request": r, "overdue": actions.is_overdue(r, today),
             "contact": actions.named_contact(r)} for r in page
        ],
        "show": show, "shows": _SHOWS.items(), "case": case, "overdue": overdue,
        "querystring": keep.urlencode(),
    })  # fmt: skip


@require_POST
@require_permission(Permission.REQUEST_REPORTING_FORMS)
def send_reminder(request, pk):
    form_request = get_object_or_404(requests_for(request.user), pk=pk)
    try:
        reminder = actions.send_reminder(
            request=form_request, by=request.user, base_url=_base(request)
        )
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            f"Reminder about case {form_request.case.reference} sent to "
            f"{', '.join(reminder.recipients)}.",
        )
    return _back(request)


@require_POST
@require_permission(Permission.REQUEST_REPORTING_FORMS)
def remind_overdue(request):
    sent, skipped = actions.remind_overdue(
        requests=requests_for(request.user), by=request.user, base_url=_base(request)
    )
    messages.success(request, f"{len(sent)} reminder{'s' if len(sent) != 1 else ''} sent.")
    for form_request, reason in skipped:
        messages.error(request, f"Case {form_request.case.reference}: {reason}")
    return _back(request)


def _back(request):
    """Back to the list as it was filtered (a local address only)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("request_list")


def _base(request):
    return request.build_absolute_uri("/").rstrip("/")

"""Reminders after release, run daily by `ncmd access reminders`:

- before the approval ends: the applicant is told the end date, and how to extend;
- when it has ended: the request is closed (by the system) and the applicant asked to destroy the
  data and declare it by the due date;
- when the declaration is late: the applicant and the reviewers are told, once a week.

Each e-mail is recorded, so running the command twice a day sends nothing twice.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ncmd.registry.authorization import Permission, has_permission
from ncmd.registry.models import User

from . import policies
from .actions import move_request
from .models import AccessRequest, Reminder, RequestStatus

S = RequestStatus


def send_reminders(*, today=None, base_url=None):
    """Send every reminder due on `today`; returns [(kind, request reference, recipients)]."""
    today = today or timezone.localdate()
    base_url = base_url or settings.NCMD_PORTAL_URL
    ahead = policies.setting("NCMD_ACCESS_REMINDER_DAYS", 30)
    sent = []
    holding = AccessRequest.objects.filter(
        status__in=[S.APPROVED, S.DATA_RELEASED, S.SUBMITTED, S.UNDER_REVIEW, S.MORE_INFORMATION],
        expires_on__isnull=False,
    ).select_related("applicant")
    for request in holding.order_by("reference"):
        if not policies.holds_data(request):
            continue
        if request.expires_on < today and request.status in (S.APPROVED, S.DATA_RELEASED):
            move_request(
                request=request,
                transition="close",
                by=None,
                note=f"The approval ended on {request.expires_on:%d %B %Y}.",
            )
            request.refresh_from_db()
            sent += _send(
                request,
                "destruction_due",
                request.destruction_due_on,
                [request.applicant.email],
                base_url,
                today,
            )
        elif request.expires_on - today <= datetime.timedelta(days=ahead) and (
            request.expires_on >= today
        ):
            sent += _send(
                request,
                "expiry_soon",
                request.expires_on,
                [request.applicant.email],
                base_url,
                today,
            )
    overdue = AccessRequest.objects.filter(
        status=S.CLOSED, destroyed_on__isnull=True, destruction_due_on__lt=today
    ).select_related("applicant")
    reviewers = [
        u.email
        for u in User.objects.filter(is_active=True).exclude(email="")
        if has_permission(u, Permission.REVIEW_DATA_ACCESS)
    ]
    for request in overdue.order_by("reference"):
        weeks = (today - request.destruction_due_on).days // 7
        due = request.destruction_due_on + datetime.timedelta(days=7 * weeks)
        sent += _send(
            request,
            "destruction_overdue",
            due,
            [request.applicant.email, *reviewers],
            base_url,
            today,
        )
    return sent


def _send(request, kind, due_on, recipients, base_url, today):
    recipients = [address for address in dict.fromkeys(recipients) if address]
    if not recipients:
        return []
    try:
        with transaction.atomic():
            Reminder.objects.create(
                request=request,
                kind=kind,
                due_on=due_on,
                sent_at=timezone.now(),
                sent_to=", ".join(recipients),
            )
            context = {
                "request": request,
                "kind": kind,
                "due_on": due_on,
                "today": today,
                "url": f"{base_url}{reverse('access_request', args=[request.reference])}",
            }
            EmailMessage(
                subject=render_to_string("access/email/subject.txt", context).strip(),
                body=render_to_string("access/email/reminder.txt", context),
                to=recipients,
            ).send()
    except IntegrityError:
        return []  # already sent
    return [(kind, request.reference, recipients)]

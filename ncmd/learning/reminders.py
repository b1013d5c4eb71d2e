"""Reminder e-mails: each addressed organisation's contacts are asked for an update when one is
due, for recommendations (the next update date, or the due date passed) and QI plan actions (the
next review date). While an update stays overdue the reminder is repeated every
`REPEAT_DAYS`. Safe to run more than once a day: a `Reminder` row per object, organisation and day
stops a second e-mail, and is written with the audit event."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from ncmd.registry.audit import record
from ncmd.registry.authorization import Permission, has_permission
from ncmd.registry.models import User

from .models import (
    OPEN_STATUSES,
    ActionPartner,
    Addressee,
    PlanActionStatus,
    Reminder,
    ReminderKind,
)

REPEAT_DAYS = 7


@dataclass
class Sent:
    kind: str
    organisation: str
    subject: str
    recipients: list


def contacts_of(organisation):
    """Active users of `organisation` who may update what is addressed to it, with an e-mail."""
    users = User.objects.filter(organisation=organisation, is_active=True).exclude(email="")
    return sorted(u.email for u in users if has_permission(u, Permission.UPDATE_ADDRESSED_ACTIONS))


def due_responses(today):
    return (Addressee.objects.filter(recommendation__issued_at__isnull=False,
                                     status__in=OPEN_STATUSES)
            .select_related("recommendation__report", "organisation")
            .order_by("organisation__name", "recommendation_id"))  # fmt: skip


def _is_due(addressee, today):
    due = addressee.next_update_due
    return (due is not None and due <= today) or addressee.recommendation.due_on <= today


def send_reminders(*, today=None, by=None):
    """Send every reminder due on `today`; return what was sent."""
    today = today or datetime.date.today()
    sent = []
    for addressee in due_responses(today):
        if _is_due(addressee, today):
            url = reverse("learning_recommendation", args=[addressee.recommendation_id])
            item = _send(ReminderKind.RECOMMENDATION, addressee.pk, addressee.organisation, today,
                         "learning/email/recommendation_reminder.txt",
                         {"addressee": addressee, "recommendation": addressee.recommendation,
                          "url": settings.NCMD_PORTAL_URL + url, "today": today,
                          "overdue": addressee.recommendation.due_on < today},
                         f"Update due: {addressee.recommendation}", by)  # fmt: skip
            if item:
                sent.append(item)
    partners = (
        ActionPartner.objects.filter(action__next_review_on__lte=today)
        .exclude(action__status__in=[PlanActionStatus.COMPLETE, PlanActionStatus.STOPPED])
        .select_related("action", "organisation")
        .order_by("organisation__name", "action__reference")
    )
    for role in partners:
        action = role.action
        url = reverse("learning_plan_action", args=[action.reference])
        item = _send(ReminderKind.PLAN_ACTION, action.pk, role.organisation, today,
                     "learning/email/plan_action_reminder.txt",
                     {"action": action, "role": role, "url": settings.NCMD_PORTAL_URL + url},
                     f"Review due: QI plan action {action.reference}", by)  # fmt: skip
        if item:
            sent.append(item)
    return sent


def _send(kind, object_id, organisation, today, template, context, subject, by):
    recipients = contacts_of(organisation)
    if not recipients:
        return None
    recent = Reminder.objects.filter(
        kind=kind, object_id=object_id, organisation=organisation,
        sent_on__gt=today - datetime.timedelta(days=REPEAT_DAYS), sent_on__lte=today,
    )  # fmt: skip
    if recent.exists():
        return None
    with transaction.atomic():
        reminder, created = Reminder.objects.get_or_create(
            kind=kind, object_id=object_id, organisation=organisation, sent_on=today,
            defaults={"recipients": recipients},
        )  # fmt: skip
        if not created:
            return None
        record("send_learning_reminder", by=by, obj=reminder, organisation=organisation.code,
               detail={"kind": kind, "object_id": object_id, "recipients": recipients})  # fmt: skip
        body = render_to_string(template, {**context, "organisation": organisation})
        EmailMessage(subject=subject, body=body, to=recipients).send()
    return Sent(kind, organisation.code, subject, recipients)

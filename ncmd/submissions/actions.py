"""Reporting-form requests with sign-in links, and reminders: the state changes of this app.

Like the registry's actions: keyword arguments, the actor as `by=`, one transaction, an audit
event in it. The e-mails are sent inside the transaction, last: if a message cannot be sent,
nothing is recorded (no request, no link, no reminder), and the person is told to try again.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from smtplib import SMTPException

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ncmd.registry import actions as registry
from ncmd.registry.actions import ActionRefused
from ncmd.registry.audit import record
from ncmd.registry.models import FormRequest, OrganisationType, Role, User

from . import emails
from .models import Reminder, RequestLink


@dataclass(frozen=True)
class Contact:
    """Who at an agency is asked for a form: an existing agency reporter (`user`), or a person
    named by `name` and `email`, who gets an account when they first use their link."""

    user: User | None = None
    name: str = ""
    email: str = ""


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def request_reporting_forms(*, case, wanted, by, base_url, due_in_days=28, at=None):
    """Ask each agency in `wanted` ({agency: Contact or None}) for its reporting form about
    `case`, and e-mail each named contact a sign-in link to that form."""
    at = at or timezone.now()
    if not wanted:
        raise ActionRefused("Choose at least one agency to request a reporting form from.")
    requests, outbox = [], []
    for agency, contact in wanted.items():
        user = _contact_user(agency, contact) if contact else None
        request = registry.request_reporting_form(
            case=case, agency=agency, by=by, due_in_days=due_in_days, contact=user, at=at
        )
        requests.append(request)
        if contact:
            email = user.email if user else contact.email
            name = (user.get_full_name() if user else contact.name) or email
            link, token = _issue_link(request, email=email, name=name, user=user, by=by, at=at)
            outbox.append(emails.request_message(link, token, base_url))
    _send(outbox)
    return requests


def _contact_user(agency, contact):
    """The account for a named contact: the one chosen, or an agency reporter of the agency with
    that e-mail address. An address used by anyone else is refused."""
    if contact.user is not None:
        if contact.user.role != Role.AGENCY_REPORTER or contact.user.organisation_id != agency.pk:
            raise ActionRefused(f"{contact.user.get_username()} does not report for {agency}.")
        if not contact.user.email:
            raise ActionRefused(
                f"{contact.user.get_username()} has no e-mail address, so cannot be sent a link; "
                "name the contact by name and e-mail address instead."
            )
        return contact.user
    if not contact.email or not contact.name:
        raise ActionRefused(f"Give the name and e-mail address of the contact at {agency}.")
    existing = User.objects.filter(email__iexact=contact.email.strip()).first()
    if existing is None:
        return None
    if existing.role == Role.AGENCY_REPORTER and existing.organisation_id == agency.pk:
        return existing
    raise ActionRefused(
        f"{contact.email} is the address of a user who does not report for {agency}; "
        "use another address, or ask the national team."
    )


def _issue_link(request, *, email, name, user, by, at):
    """A new sign-in link for the request's contact; their earlier links stop working."""
    RequestLink.objects.filter(request=request, replaced_at=None).update(replaced_at=at)
    token = secrets.token_urlsafe(32)
    link = RequestLink.objects.create(
        request=request,
        email=email.strip(),
        name=name.strip(),
        user=user,
        token_hash=hash_token(token),
        created_at=at,
        created_by=by if getattr(by, "pk", None) else None,
        expires_at=at + timedelta(days=settings.NCMD_REQUEST_LINK_DAYS),
    )
    record(
        "issue_request_link",
        by=by,
        obj=link,
        case=request.case,
        at=at,
        detail={
            "request": request.pk,
            "agency": request.agency.code,
            "email": link.email,
            "expires_at": link.expires_at.isoformat(),
        },
    )
    return link, token


def _send(messages):
    try:
        for message in messages:
            message.send()
    except (OSError, SMTPException) as error:
        raise ActionRefused(
            f"The e-mail to {', '.join(messages[0].to)} could not be sent ({error}), so nothing "
            "was recorded. Try again later, or ask the platform's operators to check the e-mail "
            "settings."
        ) from None


def find_link(token):
    """The link a token belongs to, or None. Only the hash is looked up."""
    if not token or len(token) > 100:
        return None
    return (
        RequestLink.objects.select_related("request__case", "request__agency")
        .filter(token_hash=hash_token(token))
        .first()
    )


def link_problem(link, at=None):
    """Why `link` cannot sign anyone in now, or "" when it can."""
    at = at or timezone.now()
    if link is None:
        return "This link is not valid. Check that you copied all of it from the e-mail."
    if link.replaced_at is not None:
        return "A newer link has been sent for this form. Use the link in the latest e-mail."
    if link.used_at is not None:
        return "This link has already been used to sign in. Each link works once."
    if link.expires_at <= at:
        return "This link has expired."
    return ""


@transaction.atomic
def sign_in_with_link(*, token, at=None):
    """Use a link: mark it used and return the contact's account, creating an agency reporter
    account for a contact who has none. Raises ActionRefused saying why a link cannot be used."""
    at = at or timezone.now()
    found = find_link(token)
    link = RequestLink.objects.select_for_update().filter(pk=found.pk).first() if found else None
    problem = link_problem(link, at)
    if problem:
        raise ActionRefused(problem)
    request = link.request
    user = link.user or _account_for(link, at)
    if not user.is_active:
        raise ActionRefused("Your account has been closed. Ask the CDOP who sent the link.")
    if user.role != Role.AGENCY_REPORTER or user.organisation_id != request.agency_id:
        raise ActionRefused("This link is for a contact of another agency.")
    link.used_at = at
    link.user = user
    link.save(update_fields=["used_at", "user"])
    if request.contact_id is None:
        FormRequest.objects.filter(pk=request.pk).update(contact=user)
    record(
        "sign_in_with_link",
        by=user,
        obj=link,
        case=request.case,
        at=at,
        detail={"request": request.pk, "agency": request.agency.code},
    )
    return link, user


def _account_for(link, at):
    """The agency reporter account for a new contact, made on their first sign-in."""
    existing = User.objects.filter(email__iexact=link.email).first()
    if existing is not None:
        return existing
    username = base = link.email.lower()[:140]
    counter = 1
    while User.objects.filter(username=username).exists():
        counter += 1
        username = f"{base}-{counter}"
    first, _, last = link.name.partition(" ")
    agency = link.request.agency
    if agency.type != OrganisationType.AGENCY:
        raise ActionRefused(f"{agency} is not an agency.")
    return registry.create_user(
        username=username, role=Role.AGENCY_REPORTER, organisation=agency, email=link.email,
        first_name=first[:150], last_name=last[:150], by=None,
    )  # fmt: skip


def named_contact(request):
    """(email, name, user) of the request's named contact, or None."""
    link = request.links.filter(replaced_at=None).order_by("-created_at").first()
    if link is not None:
        return link.email, link.name, link.user
    contact = request.contact
    if contact is not None and contact.email:
        return contact.email, contact.get_full_name() or contact.email, contact
    return None


def is_overdue(request, today=None):
    return request.returned_at is None and request.due_date < (today or timezone.localdate())


@transaction.atomic
def send_reminder(*, request, by, base_url, at=None):
    """E-mail a reminder about an outstanding request: to its named contact with a new sign-in
    link (their earlier link stops working), or else to the agency's reporters."""
    at = at or timezone.now()
    request = (
        FormRequest.objects.select_for_update().select_related("case", "agency").get(pk=request.pk)
    )
    if request.returned_at is not None:
        raise ActionRefused(f"{request.agency} has returned this form; no reminder is needed.")
    contact = named_contact(request)
    if contact is not None:
        email, name, user = contact
        link, token = _issue_link(request, email=email, name=name, user=user, by=by, at=at)
        message = emails.reminder_message(request, base_url, link=link, token=token)
    else:
        reporters = User.objects.filter(
            role=Role.AGENCY_REPORTER, organisation=request.agency, is_active=True
        ).exclude(email="")
        addresses = sorted(reporters.values_list("email", flat=True))
        if not addresses:
            raise ActionRefused(
                f"Nobody at {request.agency} can be reminded: the request has no named contact "
                "and the agency has no reporters with an e-mail address."
            )
        message = emails.reminder_message(request, base_url, to=addresses)
    reminder = Reminder.objects.create(
        request=request, sent_at=at, sent_by=by if getattr(by, "pk", None) else None,
        recipients=list(message.to),
    )  # fmt: skip
    record(
        "send_reminder",
        by=by,
        obj=reminder,
        case=request.case,
        at=at,
        detail={"request": request.pk, "agency": request.agency.code, "to": list(message.to)},
    )
    _send([message])
    return reminder


def remind_overdue(*, requests, by, base_url, not_since=None, at=None):
    """Remind every overdue request in `requests` (a queryset) that has not been reminded since
    `not_since`. Each reminder is its own transaction. Returns (sent, [(request, reason)])."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    due = requests.filter(returned_at=None, due_date__lt=today).select_related("case", "agency")
    if not_since is not None:
        due = due.exclude(reminders__sent_at__gt=not_since)
    sent, skipped = [], []
    for request in due.order_by("due_date", "pk"):
        try:
            sent.append(send_reminder(request=request, by=by, base_url=base_url, at=at))
        except ActionRefused as refusal:
            skipped.append((request, str(refusal)))
    return sent, skipped


@transaction.atomic
def read_identifiers(*, submission, by, at=None):
    """The direct identifiers saved with a form, to show them again for amending or finishing
    it; every reading is audited, like `registry.actions.view_identifiers`."""
    from ncmd.registry.models import Identifiers

    found = Identifiers.objects.filter(submission=submission).first()
    values = dict(found.values) if found else {}
    record(
        "view_identifiers",
        by=by,
        obj=submission.case,
        at=at,
        detail={"fields": sorted(values), "form": submission.form_name, "purpose": "edit form"},
    )
    return values

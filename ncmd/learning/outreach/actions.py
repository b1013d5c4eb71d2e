"""Every change to stakeholders, messages, events and training goes through one of these actions:
keyword arguments, the actor as `by=`, one transaction, and an audit event in that transaction.

Contacts who act through a link in an e-mail are recorded as the actor "contact <number>" (see
`ContactActor`). A move that is not allowed now raises `OutreachRefused`, saying what to do.
"""

import mimetypes
import secrets
from dataclasses import dataclass
from pathlib import PurePath

from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from ncmd.learning.audiences import Audience
from ncmd.registry.actions import ActionRefused
from ncmd.registry.audit import changed_values, record

from . import lifecycle, mail, tokens
from .models import (
    Completion,
    Contact,
    Delivery,
    DeliveryStatus,
    Event,
    EventMaterial,
    EventStatus,
    FeedbackResponse,
    LawfulBasis,
    MapTheme,
    Message,
    MessageStatus,
    Registration,
    StakeholderOrganisation,
    ThemeRating,
    TopicProposal,
    TopicStatus,
    TopicVote,
    TrainingModule,
)
from .queries import recipients_for
from .rendering import render_markdown

MAX_ATTEMPTS = 3
MATERIAL_TYPES = {
    ".pdf": "application/pdf",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".txt": "text/plain",
}
MATERIAL_MAX_BYTES = 25 * 1024 * 1024


class OutreachRefused(ActionRefused):
    """Not allowed now; the message says why and what to do."""


@dataclass(frozen=True)
class ContactActor:
    """A stakeholder contact acting through a link: audited by number, not by name."""

    contact_id: int
    pk = None

    @property
    def username(self):
        return f"contact {self.contact_id}"


def _audiences(values):
    values = list(dict.fromkeys(values))
    unknown = [v for v in values if v not in Audience.values]
    if unknown:
        raise OutreachRefused(f"Unknown audience {unknown[0]!r}: choose from the list.")
    return values


def _fields(obj, names):
    return {name: _plain(getattr(obj, name)) for name in names}


def _plain(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def _save(model, obj, values, *, by, action, names):
    """Create or update `obj` with `values` and audit what changed."""
    creating = obj is None
    before = {} if creating else _fields(obj, names)
    obj = obj or model(created_at=timezone.now())
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    record(f"{'create' if creating else 'update'}_{action}", by=by, obj=obj,
           changes=changed_values(before, _fields(obj, names)))  # fmt: skip
    return obj


# Stakeholders ----------------------------------------------------------------------------------

ORGANISATION_FIELDS = ["name", "sector", "audiences", "website", "notes", "influence", "interest"]
CONTACT_FIELDS = ["name", "email", "organisation", "job_title", "audiences"]


@transaction.atomic
def save_stakeholder_organisation(*, by, organisation=None, **values):
    values["audiences"] = _audiences(values.get("audiences", []))
    return _save(StakeholderOrganisation, organisation, values, by=by,
                 action="stakeholder_organisation", names=ORGANISATION_FIELDS)  # fmt: skip


@transaction.atomic
def save_contact(*, by, contact=None, **values):
    values["email"] = values["email"].strip().lower()
    values["audiences"] = _audiences(values.get("audiences", []))
    clash = Contact.objects.filter(email=values["email"])
    if contact is not None:
        clash = clash.exclude(pk=contact.pk)
    if clash.exists():
        raise OutreachRefused(
            f"{values['email']} already belongs to another contact: edit that contact instead."
        )
    return _save(Contact, contact, values, by=by, action="stakeholder_contact",
                 names=CONTACT_FIELDS)  # fmt: skip


@transaction.atomic
def record_consent(*, contact, given_on, source, lawful_basis=LawfulBasis.CONSENT, by):
    if not source.strip():
        raise OutreachRefused("Say where the consent came from (a form, an e-mail, a meeting).")
    if given_on > timezone.localdate():
        raise OutreachRefused("The consent date cannot be in the future.")
    names = ["consent_given_on", "consent_source", "lawful_basis"]
    before = _fields(contact, names)
    contact.consent_given_on, contact.consent_source = given_on, source.strip()
    contact.lawful_basis = lawful_basis
    contact.full_clean()
    contact.save()
    record("record_contact_consent", by=by, obj=contact,
           changes=changed_values(before, _fields(contact, names)))  # fmt: skip
    return contact


@transaction.atomic
def withdraw_consent(*, contact, by, reason=""):
    names = ["consent_given_on", "consent_source", "lawful_basis"]
    before = _fields(contact, names)
    contact.consent_given_on, contact.consent_source, contact.lawful_basis = None, "", ""
    contact.save()
    record("withdraw_contact_consent", by=by, obj=contact, detail={"reason": reason},
           changes=changed_values(before, _fields(contact, names)))  # fmt: skip
    return contact


@transaction.atomic
def unsubscribe(*, contact, by, audiences=None, via="link"):
    """Stop e-mails to `contact`: all of them (`audiences` None) or those to some audiences.
    Repeating it changes nothing and writes nothing."""
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    names = ["unsubscribed_at", "unsubscribed_audiences"]
    before = _fields(contact, names)
    if audiences is None:
        if contact.unsubscribed_at is None:
            contact.unsubscribed_at = timezone.now()
    else:
        left = set(contact.unsubscribed_audiences) | set(_audiences(audiences))
        contact.unsubscribed_audiences = sorted(left)
    after = _fields(contact, names)
    if after != before:
        contact.save()
        record("unsubscribe_contact", by=by, obj=contact, detail={"via": via},
               changes=changed_values(before, after))  # fmt: skip
    return contact


@transaction.atomic
def resubscribe(*, contact, by):
    """Only at the contact's own request (the action is audited with its actor)."""
    names = ["unsubscribed_at", "unsubscribed_audiences"]
    before = _fields(contact, names)
    contact.unsubscribed_at, contact.unsubscribed_audiences = None, []
    contact.save()
    record("resubscribe_contact", by=by, obj=contact,
           changes=changed_values(before, _fields(contact, names)))  # fmt: skip
    return contact


@transaction.atomic
def erase_contact(*, contact, by, reason):
    """Erase a person at their request (the right to erasure): their name and address are
    removed here and from the send history, consent is cleared and they are unsubscribed. What
    they did stays, unnamed: registrations, attendance, feedback, votes and completions still
    count. The audit event records who erased whom (by number) and why."""
    if not reason.strip():
        raise OutreachRefused("Say why the contact is erased (for example, their request).")
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    placeholder = f"erased-{contact.pk}@erased.invalid"
    contact.deliveries.update(email=placeholder)
    contact.name, contact.email, contact.job_title = f"Erased contact {contact.pk}", placeholder, ""
    contact.consent_given_on, contact.consent_source, contact.lawful_basis = None, "", ""
    contact.unsubscribed_at = contact.unsubscribed_at or timezone.now()
    contact.audiences, contact.unsubscribed_audiences = [], []
    contact.save()
    record("erase_contact", by=by, obj=contact, detail={"reason": reason.strip()})
    return contact


# The stakeholder map ---------------------------------------------------------------------------


@transaction.atomic
def create_map_theme(*, title, description="", copy_from=None, by):
    """A new theme whose ratings start as a copy of `copy_from`'s (or of each organisation's
    general ratings), ready to be edited."""
    title = title.strip()
    if not title:
        raise OutreachRefused("Give the theme a title.")
    if MapTheme.objects.filter(title__iexact=title).exists():
        raise OutreachRefused(f"There is already a theme called {title}: choose another title.")
    theme = MapTheme.objects.create(title=title, description=description, copied_from=copy_from,
                                    created_at=timezone.now())  # fmt: skip
    if copy_from is not None:
        source = {r.organisation_id: r for r in copy_from.ratings.all()}
    else:
        source = {}
    ThemeRating.objects.bulk_create(
        ThemeRating(
            theme=theme, organisation=organisation,
            influence=getattr(source.get(organisation.pk), "influence", organisation.influence),
            interest=getattr(source.get(organisation.pk), "interest", organisation.interest),
        )
        for organisation in StakeholderOrganisation.objects.all()
    )  # fmt: skip
    record("create_map_theme", by=by, obj=theme,
           detail={"copied_from": copy_from.pk if copy_from else None})  # fmt: skip
    return theme


@transaction.atomic
def rate_stakeholders(*, ratings, by, theme=None):
    """Set influence and interest (1 to 5) for organisations: {organisation: (influence,
    interest)}, on `theme` or, without one, as their general ratings."""
    changes = {}
    for organisation, (influence, interest) in ratings.items():
        if not (1 <= influence <= 5 and 1 <= interest <= 5):
            raise OutreachRefused(f"{organisation.name}: ratings run from 1 to 5.")
        if theme is None:
            target = organisation
        else:
            target, _ = ThemeRating.objects.get_or_create(
                theme=theme, organisation=organisation,
                defaults={"influence": influence, "interest": interest},
            )  # fmt: skip
        old = (target.influence, target.interest)
        if old != (influence, interest):
            target.influence, target.interest = influence, interest
            target.save()
            changes[organisation.name] = [list(old), [influence, interest]]
            record("rate_stakeholder", by=by, obj=organisation,
                   changes={"influence": [old[0], influence], "interest": [old[1], interest]},
                   detail={"theme": theme.title if theme else "general"})  # fmt: skip
    return changes


# Messages --------------------------------------------------------------------------------------

MESSAGE_FIELDS = ["kind", "subject", "body", "audiences", "public"]


def _require_draft(message):
    if message.status != MessageStatus.DRAFT:
        raise OutreachRefused(
            f"This message is {message.get_status_display().lower()} and can no longer be "
            "changed: copy it into a new message instead."
        )


@transaction.atomic
def save_message(*, by, message=None, **values):
    values["audiences"] = _audiences(values.get("audiences", []))
    if message is None:
        return _create_message(
            Message(created_by=by, web_key=secrets.token_urlsafe(24), updated_at=timezone.now()),
            values, by,
        )  # fmt: skip
    message = Message.objects.select_for_update().get(pk=message.pk)
    _require_draft(message)
    values["updated_at"] = timezone.now()
    return _save(Message, message, values, by=by, action="message", names=MESSAGE_FIELDS)


def _create_message(message, values, by):
    for name, value in values.items():
        setattr(message, name, value)
    message.created_at = message.updated_at
    message.full_clean()
    message.save()
    record("create_message", by=by, obj=message, changes=changed_values({}, _fields(
        message, MESSAGE_FIELDS)))  # fmt: skip
    return message


@transaction.atomic
def copy_message(*, message, by):
    return _create_message(
        Message(created_by=by, web_key=secrets.token_urlsafe(24), updated_at=timezone.now()),
        {name: getattr(message, name) for name in MESSAGE_FIELDS}, by,
    )  # fmt: skip


@transaction.atomic
def discard_message(*, message, by):
    message = Message.objects.select_for_update().get(pk=message.pk)
    _move_message(message, MessageStatus.DISCARDED, by)
    return message


def _move_message(message, target, by, **detail):
    if not lifecycle.allowed(lifecycle.MESSAGE, message.status, target):
        raise OutreachRefused(
            f"A {message.get_status_display().lower()} message cannot become "
            f"{MessageStatus(target).label.lower()}."
        )
    old = message.status
    message.status = target
    message.save()
    record("move_message", by=by, obj=message, changes={"status": [old, target]}, detail=detail)


@transaction.atomic
def start_sending(*, message, by):
    """Freeze the message and its recipients. Called twice, the second call finds the message
    no longer a draft and refuses, so nobody is sent it twice."""
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status != MessageStatus.DRAFT:
        raise OutreachRefused(
            f"This message is already {message.get_status_display().lower()}: see its send "
            "history. Only failed deliveries can be tried again."
        )
    if not message.subject.strip() or not message.body.strip():
        raise OutreachRefused("Write a subject and a body before sending.")
    recipients = recipients_for(message.audiences)
    if not recipients:
        raise OutreachRefused(
            "Nobody in the chosen audiences has consented and is subscribed: choose other "
            "audiences or record contacts' consent first."
        )
    Delivery.objects.bulk_create(
        Delivery(message=message, contact=c, email=c.email) for c in recipients
    )
    message.sent_by, message.sent_at = by, timezone.now()
    _move_message(message, MessageStatus.SENDING, by, recipients=len(recipients))
    return message


def deliver(*, message, by, connection=None):
    """Send every delivery still waiting (or failed, up to MAX_ATTEMPTS tries), one e-mail per
    recipient, then mark the message sent. Each delivery is claimed before it is sent, so two
    runs at once never send one e-mail twice. Returns (sent, failed)."""
    connection = connection or get_connection()
    html_body = render_markdown(message.body)
    web_url = mail.absolute(reverse("outreach_web_version", args=[message.web_key]))
    sent = failed = 0
    waiting = message.deliveries.filter(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.FAILED], attempts__lt=MAX_ATTEMPTS
    ).select_related("contact")
    for delivery in waiting:
        claimed = Delivery.objects.filter(
            pk=delivery.pk, attempts=delivery.attempts, status=delivery.status
        ).update(attempts=F("attempts") + 1)
        if not claimed:
            continue
        contact = delivery.contact
        email = mail.build(
            to=delivery.email, subject=message.subject, template="outreach/email/message",
            context={"message": message, "html_body": html_body, "web_url": web_url,
                     "contact": contact, "vote_url": mail.vote_url(contact)},
            unsubscribe=mail.unsubscribe_url(contact, message.audiences), connection=connection,
        )  # fmt: skip
        try:
            email.send()
        except Exception as error:  # noqa: BLE001 (any failure of the mail server is recorded)
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.FAILED, error=f"{type(error).__name__}: {error}"[:1000]
            )
            failed += 1
        else:
            Delivery.objects.filter(pk=delivery.pk).update(
                status=DeliveryStatus.SENT, sent_at=timezone.now(), error=""
            )
            sent += 1
    with transaction.atomic():
        message = Message.objects.select_for_update().get(pk=message.pk)
        if message.status == MessageStatus.SENDING:
            _move_message(message, MessageStatus.SENT, by)
        record("deliver_message", by=by, obj=message, detail={"sent": sent, "failed": failed})
    return sent, failed


def send_message(*, message, by, connection=None):
    """Freeze and send a draft message."""
    message = start_sending(message=message, by=by)
    return deliver(message=message, by=by, connection=connection)


def retry_failed(*, message, by, connection=None):
    message = Message.objects.get(pk=message.pk)
    if message.status not in (MessageStatus.SENDING, MessageStatus.SENT):
        raise OutreachRefused("Only a message that has been sent has deliveries to try again.")
    if not message.deliveries.filter(
        status__in=[DeliveryStatus.FAILED, DeliveryStatus.PENDING], attempts__lt=MAX_ATTEMPTS
    ).exists():
        raise OutreachRefused("There are no failed deliveries left to try again.")
    return deliver(message=message, by=by, connection=connection)


# Topics ----------------------------------------------------------------------------------------


@transaction.atomic
def propose_topic(*, title, description="", audiences=(), proposer_name="", proposer_email="",
                  proposer_organisation="", by=None):  # fmt: skip
    topic = TopicProposal(
        title=title.strip(), description=description.strip(), audiences=_audiences(audiences),
        proposer_name=proposer_name.strip(), proposer_email=proposer_email.strip().lower(),
        proposer_organisation=proposer_organisation.strip(), created_at=timezone.now(),
    )  # fmt: skip
    if not topic.title:
        raise OutreachRefused("Give the topic a title.")
    topic.full_clean()
    topic.save()
    record("propose_topic", by=by, obj=topic, detail={"public": by is None})
    return topic


@transaction.atomic
def decide_topic(*, topic, status, by, note=""):
    topic = TopicProposal.objects.select_for_update().get(pk=topic.pk)
    if not lifecycle.allowed(lifecycle.TOPIC, topic.status, status):
        raise OutreachRefused(
            f"A topic that is {topic.get_status_display().lower()} cannot become "
            f"{TopicStatus(status).label.lower()}."
        )
    if status == TopicStatus.DECLINED and not note.strip():
        raise OutreachRefused("Give a reason for declining the topic.")
    old = topic.status
    topic.status, topic.decision_note = status, note.strip() or topic.decision_note
    topic.save()
    record("decide_topic", by=by, obj=topic, changes={"status": [old, status]},
           detail={"note": note})  # fmt: skip
    return topic


@transaction.atomic
def vote_for_topic(*, topic, contact):
    """One vote per contact and topic; voting again changes nothing."""
    topic = TopicProposal.objects.get(pk=topic.pk)
    if topic.status != TopicStatus.OPEN:
        raise OutreachRefused("Voting on this topic has closed.")
    try:
        with transaction.atomic():
            vote = TopicVote.objects.create(proposal=topic, contact=contact,
                                            voted_at=timezone.now())  # fmt: skip
    except IntegrityError:
        return None
    record("vote_for_topic", by=ContactActor(contact.pk), obj=vote,
           detail={"topic": topic.pk})  # fmt: skip
    return vote


# Events ----------------------------------------------------------------------------------------

EVENT_FIELDS = ["title", "kind", "description", "starts_at", "ends_at", "audiences", "topic",
                "capacity", "location", "joining_details"]  # fmt: skip


@transaction.atomic
def save_event(*, by, event=None, **values):
    values["audiences"] = _audiences(values.get("audiences", []))
    if not values["audiences"]:
        raise OutreachRefused("Choose at least one audience for the event.")
    if values["ends_at"] <= values["starts_at"]:
        raise OutreachRefused("The event must end after it starts.")
    if event is not None:
        event = Event.objects.select_for_update().get(pk=event.pk)
    if event is not None and event.status != EventStatus.SCHEDULED:
        raise OutreachRefused(f"This event is {event.get_status_display().lower()}: it can no "
                              "longer be changed.")  # fmt: skip
    if event is None:
        values["created_by"] = by
    event = _save(Event, event, values, by=by, action="event", names=EVENT_FIELDS)
    topic = event.topic
    if topic is not None and topic.status in (TopicStatus.PROPOSED, TopicStatus.OPEN):
        decide_topic(topic=topic, status=TopicStatus.SCHEDULED, by=by,
                     note=f"Scheduled as {event.title}.")  # fmt: skip
    return event


@transaction.atomic
def move_event(*, event, status, by):
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not lifecycle.allowed(lifecycle.EVENT, event.status, status):
        raise OutreachRefused(
            f"A {event.get_status_display().lower()} event cannot become "
            f"{EventStatus(status).label.lower()}."
        )
    if status == EventStatus.HELD and event.starts_at > timezone.now():
        raise OutreachRefused("The event has not started yet: mark it held once it has.")
    old = event.status
    event.status = status
    event.save()
    record("move_event", by=by, obj=event, changes={"status": [old, status]})
    return event


@transaction.atomic
def add_material(*, event, title, by, url="", upload=None):
    """A link, or an uploaded file of an allowed type (checked by its extension and, for PDF and
    images, its first bytes). Files are always downloaded, never shown inline."""
    title = title.strip()
    if not title:
        raise OutreachRefused("Give the material a title.")
    if bool(url) == bool(upload):
        raise OutreachRefused("Give either a link or a file, not both.")
    material = EventMaterial(event=event, title=title, url=url, added_at=timezone.now())
    if upload is not None:
        suffix = PurePath(upload.name).suffix.lower()
        if suffix not in MATERIAL_TYPES:
            raise OutreachRefused(
                f"{upload.name}: files of this type cannot be added. Allowed: "
                f"{', '.join(sorted(MATERIAL_TYPES))}."
            )
        if upload.size > MATERIAL_MAX_BYTES:
            raise OutreachRefused(f"{upload.name} is larger than 25 MB: add a link instead.")
        head = upload.read(8)
        upload.seek(0)
        magic = {".pdf": b"%PDF", ".png": b"\x89PNG", ".jpg": b"\xff\xd8\xff"}.get(suffix)
        zipped = suffix in {".pptx", ".docx", ".xlsx", ".odt", ".odp"}
        if (magic and not head.startswith(magic)) or (zipped and not head.startswith(b"PK")):
            raise OutreachRefused(f"{upload.name} is not a real {suffix} file.")
        safe_name = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in upload.name)
        material.content_type = MATERIAL_TYPES[suffix] or mimetypes.guess_type(safe_name)[0]
        material.file.save(f"{secrets.token_hex(8)}-{safe_name}", upload, save=False)
    else:
        material.full_clean(exclude=["file"])
    material.save()
    record("add_event_material", by=by, obj=material,
           detail={"event": event.pk, "title": title, "link": bool(url)})  # fmt: skip
    return material


@transaction.atomic
def remove_material(*, material, by):
    record("remove_event_material", by=by, obj=material,
           detail={"event": material.event_id, "title": material.title})  # fmt: skip
    if material.file:
        material.file.delete(save=False)
    material.delete()


@transaction.atomic
def register_for_event(*, event, by, contact=None, user=None):
    """A place at the event. Registering again returns the existing place."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != EventStatus.SCHEDULED or event.starts_at <= timezone.now():
        raise OutreachRefused("Registration for this event has closed.")
    existing = event.registrations.filter(contact=contact, user=user).first()
    if existing is not None:
        return existing
    if event.capacity is not None and event.registrations.count() >= event.capacity:
        raise OutreachRefused("This event is full. Look out for the next one in our e-mails.")
    registration = Registration.objects.create(event=event, contact=contact, user=user,
                                               registered_at=timezone.now())  # fmt: skip
    record("register_for_event", by=by, obj=registration, detail={"event": event.pk})
    return registration


@transaction.atomic
def cancel_registration(*, registration, by):
    registration = Registration.objects.select_related("event").get(pk=registration.pk)
    if registration.event.status != EventStatus.SCHEDULED:
        raise OutreachRefused("The event has taken place: its registrations are kept.")
    record("cancel_event_registration", by=by, obj=registration,
           detail={"event": registration.event_id})  # fmt: skip
    registration.delete()


@transaction.atomic
def record_attendance(*, event, attended, by):
    """`attended`: the registrations present; every other registration is marked absent."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != EventStatus.HELD:
        raise OutreachRefused("Mark the event as held before recording attendance.")
    present = {r.pk for r in attended}
    changes = {}
    for registration in event.registrations.all():
        value = registration.pk in present
        if registration.attended != value:
            changes[str(registration.pk)] = [registration.attended, value]
            registration.attended = value
            registration.save(update_fields=["attended"])
    record("record_event_attendance", by=by, obj=event, changes=changes,
           detail={"attended": len(present)})  # fmt: skip
    return len(present)


def _send_each(emails):
    sent = failed = 0
    for email in emails:
        try:
            email.send()
            sent += 1
        except Exception:  # noqa: BLE001 (counted and reported; the rest still go)
            failed += 1
    return sent, failed


def send_invitations(*, event, by, connection=None):
    """E-mail each consenting, subscribed contact in the event's audiences a personal link to
    register. Done once per event."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status != EventStatus.SCHEDULED or event.starts_at <= timezone.now():
            raise OutreachRefused("Only a scheduled event that has not started has invitations.")
        if event.invitations_sent_at is not None:
            raise OutreachRefused(
                f"Invitations were sent on {event.invitations_sent_at:%d %B %Y}; they are sent "
                "once. Contacts added since can be registered by you, or forwarded the link."
            )
        recipients = recipients_for(event.audiences)
        if not recipients:
            raise OutreachRefused("Nobody in the event's audiences has consented and is "
                                  "subscribed: there is nobody to invite.")  # fmt: skip
        event.invitations_sent_at = timezone.now()
        event.save(update_fields=["invitations_sent_at"])
        record("send_event_invitations", by=by, obj=event,
               detail={"recipients": len(recipients)})  # fmt: skip
    connection = connection or get_connection()
    emails = (
        mail.build(
            to=c.email, subject=f"Invitation: {event.title}", template="outreach/email/invitation",
            context={"event": event, "contact": c, "vote_url": mail.vote_url(c), "event_url":
                     mail.absolute(reverse("outreach_event_link", args=[
                         tokens.make("event", c=c.pk, e=event.pk)]))},
            unsubscribe=mail.unsubscribe_url(c, event.audiences), connection=connection,
        )
        for c in recipients
    )  # fmt: skip
    return _send_each(emails)


def feedback_url(registration):
    token = tokens.make("feedback", r=registration.pk)
    return mail.absolute(reverse("outreach_feedback", args=[token]))


def request_feedback(*, event, by, connection=None):
    """E-mail each attendee the feedback survey (contacts only while they may be e-mailed)."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        if event.status != EventStatus.HELD:
            raise OutreachRefused("Mark the event as held and record attendance first.")
        if event.feedback_requested_at is not None:
            raise OutreachRefused(
                f"The survey was sent on {event.feedback_requested_at:%d %B %Y}; it is sent once."
            )
        attendees = [
            r for r in event.registrations.filter(attended=True).select_related("contact", "user")
            if (r.contact_id and r.contact.consented and r.contact.subscribed)
            or (r.user_id and r.user.email)
        ]  # fmt: skip
        if not attendees:
            raise OutreachRefused("Record who attended first: the survey goes to attendees.")
        event.feedback_requested_at = timezone.now()
        event.save(update_fields=["feedback_requested_at"])
        record("request_event_feedback", by=by, obj=event, detail={"recipients": len(attendees)})
    connection = connection or get_connection()
    emails = (
        mail.build(
            to=r.person_email, subject=f"How was {event.title}? Two minutes of feedback",
            template="outreach/email/feedback",
            context={"event": event, "name": r.person_name, "survey_url": feedback_url(r)},
            unsubscribe=mail.unsubscribe_url(r.contact) if r.contact_id else None,
            connection=connection,
        )
        for r in attendees
    )  # fmt: skip
    return _send_each(emails)


@transaction.atomic
def submit_feedback(*, registration, overall, usefulness, will_change_practice, comments=""):
    registration = Registration.objects.select_related("event").get(pk=registration.pk)
    if not registration.attended:
        raise OutreachRefused("The survey is for people who attended the event.")
    if FeedbackResponse.objects.filter(registration=registration).exists():
        raise OutreachRefused("Thank you: your feedback on this event has already been received.")
    response = FeedbackResponse(
        registration=registration, overall=overall, usefulness=usefulness,
        will_change_practice=will_change_practice, comments=comments.strip(),
        submitted_at=timezone.now(),
    )  # fmt: skip
    response.full_clean()
    response.save()
    actor = ContactActor(registration.contact_id) if registration.contact_id else registration.user
    record("submit_event_feedback", by=actor, obj=response,
           detail={"event": registration.event_id})  # fmt: skip
    return response


# Training --------------------------------------------------------------------------------------

MODULE_FIELDS = ["title", "description", "audiences", "content_url", "duration_minutes", "active"]


@transaction.atomic
def save_training_module(*, by, module=None, **values):
    values["audiences"] = _audiences(values.get("audiences", []))
    if not values["audiences"]:
        raise OutreachRefused("Choose at least one audience for the module.")
    return _save(TrainingModule, module, values, by=by, action="training_module",
                 names=MODULE_FIELDS)  # fmt: skip


@transaction.atomic
def record_completion(*, module, by, completed_on=None, contact=None, user=None):
    """A completion for a contact or a user; recording it again keeps the first date."""
    completed_on = completed_on or timezone.localdate()
    if completed_on > timezone.localdate():
        raise OutreachRefused("The completion date cannot be in the future.")
    existing = module.completions.filter(contact=contact, user=user).first()
    if existing is not None:
        return existing
    completion = Completion.objects.create(
        module=module,
        contact=contact,
        user=user,
        completed_on=completed_on,
        recorded_at=timezone.now(),
    )
    record("record_training_completion", by=by, obj=completion,
           detail={"module": module.pk, "completed_on": completed_on.isoformat()})  # fmt: skip
    return completion


def training_url(module, contact):
    token = tokens.make("training", c=contact.pk, m=module.pk)
    return mail.absolute(reverse("outreach_training_link", args=[token]))


def announce_module(*, module, by, connection=None):
    """E-mail the module's audiences a personal link to it, where they record completion."""
    with transaction.atomic():
        module = TrainingModule.objects.select_for_update().get(pk=module.pk)
        if not module.active:
            raise OutreachRefused("This module is withdrawn: make it active first.")
        if module.announced_at is not None:
            raise OutreachRefused(f"This module was announced on {module.announced_at:%d %B %Y};"
                                  " it is announced once.")  # fmt: skip
        recipients = recipients_for(module.audiences)
        if not recipients:
            raise OutreachRefused("Nobody in the module's audiences has consented and is "
                                  "subscribed: there is nobody to tell.")  # fmt: skip
        module.announced_at = timezone.now()
        module.save(update_fields=["announced_at"])
        record("announce_training_module", by=by, obj=module,
               detail={"recipients": len(recipients)})  # fmt: skip
    connection = connection or get_connection()
    emails = (
        mail.build(
            to=c.email, subject=f"Training: {module.title}", template="outreach/email/training",
            context={"module": module, "contact": c, "module_url": training_url(module, c)},
            unsubscribe=mail.unsubscribe_url(c, module.audiences), connection=connection,
        )
        for c in recipients
    )  # fmt: skip
    return _send_each(emails)

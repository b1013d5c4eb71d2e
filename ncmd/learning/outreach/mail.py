"""E-mail to stakeholder contacts: one message per recipient, in plain text and HTML, each
carrying that recipient's own unsubscribe link (also in the List-Unsubscribe and
List-Unsubscribe-Post headers of RFC 8058, so mail programs can offer one-click unsubscribe)."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from . import tokens


def absolute(path):
    return settings.NCMD_PORTAL_URL.rstrip("/") + path


def unsubscribe_url(contact, audiences=()):
    token = tokens.make("unsubscribe", c=contact.pk, a=sorted(audiences))
    return absolute(reverse("outreach_unsubscribe", args=[token]))


def vote_url(contact):
    return absolute(reverse("outreach_vote", args=[tokens.make("vote", c=contact.pk)]))


def build(*, to, subject, template, context, unsubscribe=None, connection=None):
    """One e-mail from `template`.txt and `template`.html. `unsubscribe` is the recipient's
    unsubscribe address, or None for people who are not contacts (platform users)."""
    context = {**context, "unsubscribe_url": unsubscribe, "portal_url": absolute("")}
    headers = {}
    if unsubscribe:
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    email = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers,
        connection=connection,
    )
    email.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return email

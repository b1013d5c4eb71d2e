"""Fixtures for the outreach tests: a real SMTP server on loopback, and contacts made through
the actions."""

import datetime
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from ncmd.learning.outreach import actions


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((sorted(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def recipients(self):
        return sorted(address for to, _ in self.messages for address in to)

    def to(self, address):
        return [m for to, m in self.messages if address in to]


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox.port = port
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.NCMD_PORTAL_URL = "http://testserver"
    yield inbox
    controller.stop()


@pytest.fixture
def make_contact(db):
    by = None

    def make(email, audiences, *, consent=True, organisation=None, name=None):
        contact = actions.save_contact(
            by=by, name=name or email.split("@")[0].title(), email=email,
            organisation=organisation, job_title="", audiences=audiences,
        )  # fmt: skip
        if consent:
            actions.record_consent(
                contact=contact,
                given_on=datetime.date(2025, 1, 6),
                source="Regional conference sign-up sheet",
                by=by,
            )
        return contact

    return make


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded materials go to a throw-away folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def fresh_cache():
    """The public form's rate limit is counted in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()

"""Shared test set-up: a small world of organisations and one user per role, built through the
registry's actions (never hand-made rows), and valid answers for each form."""

import datetime
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from ncmd.dictionary import get_dictionary
from ncmd.registry import actions
from ncmd.registry.models import OrganisationType, PostcodeLookup, Role
from tests.factories import notification_answers

DEFAULT_PASSWORD = "a-long-test-password-1"


def pytest_configure(config):
    from django.conf import settings

    # Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
    # tests/integration/test_portal_accounts.py checks that the real setting is Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    """England, two regions, three CDOPs, agencies, two national partner organisations, and a
    postcode lookup entry."""
    save = actions.save_organisation
    england = save(code="E92000001", name="England", type=OrganisationType.NATION, by=None)
    north = save(code="E12000001", name="North East", type="region", parent=england, by=None)
    london = save(code="E12000007", name="London", type="region", parent=england, by=None)
    tees = save(code="CDOP001", name="Tees CDOP", type="cdop", parent=north, by=None)
    durham = save(code="CDOP002", name="Durham CDOP", type="cdop", parent=north, by=None)
    camden = save(code="CDOP003", name="Camden CDOP", type="cdop", parent=london, by=None)
    hospital = save(
        code="AG0001", name="Tees Hospital", type="agency", parent=north,
        agency_type="acute_health", by=None,
    )  # fmt: skip
    police = save(
        code="AG0002", name="Cleveland Police", type="agency", parent=north,
        agency_type="police", by=None,
    )  # fmt: skip
    nhse = save(code="PTN-NHSE", name="NHS England", type="partner", parent=england, by=None)
    dfe = save(
        code="PTN-DFE", name="Department for Education", type="partner", parent=england, by=None
    )
    PostcodeLookup.objects.create(
        postcode="TS1 1AA", lsoa_code="E01000001", imd_decile=2, imd_edition="IMD2019"
    )
    return {
        "england": england, "north": north, "london": london, "tees": tees, "durham": durham,
        "camden": camden, "hospital": hospital, "police": police, "nhse": nhse, "dfe": dfe,
    }  # fmt: skip


@pytest.fixture
def users(world):
    """One active user per role, with the password DEFAULT_PASSWORD."""
    spec = {
        "national_admin": (Role.NATIONAL_ADMIN, None),
        "national_analyst": (Role.NATIONAL_ANALYST, None),
        "cdop_admin": (Role.CDOP_ADMIN, world["tees"]),
        "cdop_member": (Role.CDOP_MEMBER, world["tees"]),
        "other_cdop_admin": (Role.CDOP_ADMIN, world["camden"]),
        "agency_reporter": (Role.AGENCY_REPORTER, world["hospital"]),
        "researcher": (Role.RESEARCHER, None),
        "other_researcher": (Role.RESEARCHER, None),
        "data_access_reviewer": (Role.DATA_ACCESS_REVIEWER, None),
        "qi_lead": (Role.QI_LEAD, None),
        "partner_contact": (Role.PARTNER_CONTACT, world["nhse"]),
        "other_partner_contact": (Role.PARTNER_CONTACT, world["dfe"]),
    }
    return {
        name: actions.create_user(
            username=name, role=role, organisation=org, password=DEFAULT_PASSWORD, by=None
        )
        for name, (role, org) in spec.items()
    }


@pytest.fixture
def notify(world, users):
    """Notify a death to Tees CDOP (or `cdop`) through the action; returns the case."""

    def notify(cdop=None, by=None, at=None, **overrides):
        day = (at or timezone.now()).date()
        return actions.notify_death(
            cdop=cdop or world["tees"],
            answers=notification_answers(get_dictionary().release_on(day).id, **overrides),
            by=by or users["cdop_admin"],
            at=at,
        )

    return notify


@pytest.fixture
def march_2024():
    return datetime.datetime(2024, 3, 3, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def bearer(users):
    """API authorization headers for a user (by fixture name), through a token made by the
    action."""
    from ncmd.submissions.api.actions import create_api_token

    def bearer(name):
        _, secret = create_api_token(user=users[name], name="test", by=users[name])
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return bearer


class Inbox:
    """What a real SMTP server on loopback received: (sorted recipients, parsed message)."""

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
    """A real SMTP server (aiosmtpd) on a free loopback port, with Django's mail sent to it."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", inbox.port
    yield inbox
    controller.stop()

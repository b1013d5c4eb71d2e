"""Fixtures for the outreach tests: a real SMTP server on loopback, and contacts made through
the actions."""

import datetime

import pytest

from ncmd.learning.outreach import actions


@pytest.fixture
def smtp(smtp, settings):
    """The shared loopback SMTP server, with links in e-mails pointing at the test client."""
    settings.NCMD_PORTAL_URL = "http://testserver"
    return smtp


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

"""Seed for the web forms' browser tests: an agency in Tees CDOP's region, and a reporting form
requested of it with a named contact, whose sign-in link is read back from the e-mail sent.
Called by tests/functional/seed.py; returns key=value facts."""

import re

from django.conf import settings

from ncmd.registry import actions as registry
from ncmd.submissions import actions


def seed_forms(*, case, region, by):
    hospital = registry.save_organisation(
        code="AG0001", name="Tees Hospital", type="agency", parent=region,
        agency_type="acute_health", by=None,
    )  # fmt: skip
    actions.request_reporting_forms(
        case=case,
        wanted={hospital: actions.Contact(name="Nina Nurse", email="nina@tees.example.nhs.uk")},
        by=by,
        base_url=settings.NCMD_PORTAL_URL,
    )
    sent = sorted(settings.EMAIL_FILE_PATH.glob("*.log"))[-1].read_text()
    return {"request_link": re.search(r"/link/[A-Za-z0-9_-]+/", sent).group(0)}

"""Seed the outreach browser test's database: a QI lead, and the outreach demonstration data
(stakeholders, a theme, a sent safety message, events, topics, training). Prints key=value."""

import django

django.setup()

from ncmd.learning.outreach.demo import load_outreach_demo  # noqa: E402
from ncmd.registry import actions  # noqa: E402
from ncmd.registry.models import Role  # noqa: E402

PASSWORD = "functional-test-password"


def seed():
    lead = actions.create_user(
        username="qi-lead", role=Role.QI_LEAD, password=PASSWORD, by=None, first_name="Quinn",
        last_name="Lead",
    )  # fmt: skip
    load_outreach_demo(by=lead)
    print(f"password={PASSWORD}")


if __name__ == "__main__":
    seed()

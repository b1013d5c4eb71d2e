"""Seed the data access browser test's database through the actions: a CDOP's deaths frozen
into a snapshot, an approved researcher and a data access reviewer. Prints key=value facts."""

import datetime

import django

django.setup()

from ncmd.access.actions import decide_researcher, save_researcher_details  # noqa: E402
from ncmd.dictionary.identifiers import with_check_digit  # noqa: E402
from ncmd.registry import actions  # noqa: E402
from ncmd.registry.models import Role  # noqa: E402
from ncmd.snapshots.actions import freeze_snapshot  # noqa: E402
from tests.factories import notification_answers  # noqa: E402

PASSWORD = "functional-test-password"


def seed():
    save = actions.save_organisation
    england = save(code="E92000001", name="England", type="nation", by=None)
    north = save(code="E12000001", name="North East", type="region", parent=england, by=None)
    tees = save(code="CDOP001", name="Tees CDOP", type="cdop", parent=north, by=None)
    admin = actions.create_user(
        username="tees-admin", role=Role.CDOP_ADMIN, organisation=tees, password=PASSWORD, by=None
    )
    numbers = (n for n in (with_check_digit(f"999{i:06d}") for i in range(7000, 7100)) if n)
    for k in range(12):
        died = datetime.date(2025, 5, 1) + datetime.timedelta(days=k)
        at = datetime.datetime.combine(died, datetime.time(15), tzinfo=datetime.UTC)
        answers = notification_answers(
            "2025-04",
            nhs_number=next(numbers),
            date_of_death=died.isoformat(),
            date_of_birth=(died - datetime.timedelta(days=90)).isoformat(),
        )
        actions.notify_death(cdop=tees, answers=answers, by=admin, at=at)
    snapshot = freeze_snapshot(by=None)
    reviewer = actions.create_user(
        username="reviewer",
        role=Role.DATA_ACCESS_REVIEWER,
        password=PASSWORD,
        by=None,
        first_name="Rita",
        last_name="Reviewer",
    )
    researcher = actions.create_user(
        username="researcher",
        role=Role.RESEARCHER,
        password=PASSWORD,
        by=None,
        first_name="Rosa",
        last_name="Researcher",
        email="rosa@uni.example.ac.uk",
    )
    profile = save_researcher_details(
        user=researcher,
        by=researcher,
        institution="University of Example",
        job_title="Fellow",
        training_certificate="ONS Safe Researcher Training SRT-7",
        training_completed_on=datetime.date(2025, 1, 15),
    )
    decide_researcher(profile=profile, approve=True, note="", by=reviewer)
    print(f"password={PASSWORD}")
    print(f"snapshot={snapshot.pk}")


if __name__ == "__main__":
    seed()

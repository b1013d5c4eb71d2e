"""Seed the functional tests' database through the actions; prints key=value facts."""

import datetime

import django

django.setup()

from ncmd.registry import actions  # noqa: E402
from ncmd.registry.models import Role  # noqa: E402
from tests.factories import notification_answers  # noqa: E402
from tests.functional.seed_forms import seed_forms  # noqa: E402
from tests.functional.seed_quality import seed_quality  # noqa: E402

PASSWORD = "functional-test-password"


def seed():
    save = actions.save_organisation
    england = save(code="E92000001", name="England", type="nation", by=None)
    north = save(code="E12000001", name="North East", type="region", parent=england, by=None)
    tees = save(code="CDOP001", name="Tees CDOP", type="cdop", parent=north, by=None)
    durham = save(code="CDOP002", name="Durham CDOP", type="cdop", parent=north, by=None)
    admin = actions.create_user(
        username="tees-admin", role=Role.CDOP_ADMIN, organisation=tees, password=PASSWORD,
        by=None, first_name="Tess", last_name="Admin",
    )  # fmt: skip
    durham_admin = actions.create_user(
        username="durham-admin", role=Role.CDOP_ADMIN, organisation=durham, password=PASSWORD,
        by=None,
    )  # fmt: skip
    at = datetime.datetime(2025, 6, 3, 9, 0, tzinfo=datetime.UTC)
    answers = notification_answers(
        "2025-04", date_of_birth="2025-01-10", date_of_death="2025-06-02"
    )
    case = actions.notify_death(cdop=tees, answers=answers, by=admin, at=at)
    print(f"password={PASSWORD}")
    print(f"tees_case={case.reference}")
    for key, value in seed_forms(case=case, region=north, by=admin).items():
        print(f"{key}={value}")
    for key, value in seed_quality(cdops=[tees, durham], by=[admin, durham_admin]).items():
        print(f"{key}={value}")


if __name__ == "__main__":
    seed()

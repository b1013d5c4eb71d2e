"""Seed the publishing browser test's database through the actions: a registry of deaths in
three CDOPs of two regions, a snapshot, the demonstration's synthetic denominators, and a
published data release built by the real analyses. Prints key=value facts."""

import datetime

import django

django.setup()

from ncmd.analysis.actions import create_synthetic_denominators  # noqa: E402
from ncmd.dictionary.identifiers import with_check_digit  # noqa: E402
from ncmd.publishing.actions import build_release  # noqa: E402
from ncmd.registry import actions  # noqa: E402
from ncmd.registry.models import Role  # noqa: E402
from ncmd.snapshots.actions import freeze_snapshot  # noqa: E402
from tests.factories import notification_answers  # noqa: E402

# Deaths a CDOP notifies in 2024-25: Camden's 3 are a small regional count to be suppressed.
DEATHS = {"CDOP001": 12, "CDOP002": 10, "CDOP003": 3}


def seed():
    save = actions.save_organisation
    england = save(code="E92000001", name="England", type="nation", by=None)
    north = save(code="E12000001", name="North East", type="region", parent=england, by=None)
    london = save(code="E12000007", name="London", type="region", parent=england, by=None)
    cdops = {
        "CDOP001": save(code="CDOP001", name="Tees CDOP", type="cdop", parent=north, by=None),
        "CDOP002": save(code="CDOP002", name="Durham CDOP", type="cdop", parent=north, by=None),
        "CDOP003": save(code="CDOP003", name="Camden CDOP", type="cdop", parent=london, by=None),
    }
    analyst = actions.create_user(
        username="analyst", role=Role.NATIONAL_ANALYST, by=None, password="functional-test-password"
    )
    numbers = (n for n in (with_check_digit(f"998{i:06d}") for i in range(1000, 3000)) if n)
    for code, count in DEATHS.items():
        admin = actions.create_user(
            username=f"{code.lower()}-admin",
            role=Role.CDOP_ADMIN,
            organisation=cdops[code],
            by=None,
        )
        for k in range(count):
            died = datetime.date(2024, 4, 10) + datetime.timedelta(days=25 * k)
            at = datetime.datetime.combine(died, datetime.time(15), tzinfo=datetime.UTC)
            actions.notify_death(
                cdop=cdops[code],
                by=admin,
                at=at,
                answers=notification_answers(
                    "2019-04" if died < datetime.date(2025, 4, 1) else "2025-04",
                    nhs_number=next(numbers),
                    date_of_death=died.isoformat(),
                    date_of_birth=(died - datetime.timedelta(days=300 + 400 * k)).isoformat(),
                ),
            )
    snapshot = freeze_snapshot(by=analyst)
    create_synthetic_denominators(years=[2023, 2024], by=analyst)
    release = build_release(snapshot=snapshot, year="2024-25", by=analyst, publish=True)
    unpublished = build_release(snapshot=snapshot, year="2024-25", by=analyst)
    print(f"release={release.identifier}")
    print(f"release_title={release.title.replace(' ', '_')}")
    print(f"unpublished={unpublished.identifier}")


if __name__ == "__main__":
    seed()

"""Seed fourteen months of deaths in two CDOPs and compute data quality over them, so the
dashboard has a funnel plot, an SPC chart and a worklist to show."""

import datetime

from ncmd.dictionary.identifiers import with_check_digit
from ncmd.quality.compute import compute_quality
from ncmd.registry import actions
from ncmd.snapshots.actions import freeze_snapshot
from tests.factories import notification_answers


def seed_quality(*, cdops, by):
    numbers = (n for n in (with_check_digit(f"999{i:06d}") for i in range(5000, 9000)) if n)
    missing = None
    for month in range(14):
        first = datetime.date(2024 + month // 12, month % 12 + 1, 1)
        for cdop, user in zip(cdops, by, strict=True):
            for k in range(3):
                died = first + datetime.timedelta(days=3 + 7 * k)
                at = datetime.datetime.combine(died, datetime.time(12), tzinfo=datetime.UTC)
                delay = datetime.timedelta(hours=(10, 30, 70)[(k + month) % 3])
                release = "2019-04" if died < datetime.date(2025, 4, 1) else "2025-04"
                overrides = {"ethnicity": {"special": "not_known"}} if (month, k) == (13, 0) else {}
                case = actions.notify_death(
                    cdop=cdop, by=user, at=at + delay,
                    answers=notification_answers(
                        release, nhs_number=next(numbers), date_of_death=died.isoformat(),
                        date_of_birth=(died - datetime.timedelta(days=40 + k)).isoformat(),
                        **overrides,
                    ),
                )  # fmt: skip
                if overrides and cdop is cdops[0]:
                    missing = case.reference
    snapshot = freeze_snapshot(by=None)
    compute_quality(snapshot.folder)
    return {"quality_missing_case": missing}

"""Publishing tests run over a real snapshot of a small registry, with the analysis replaced
by hand-made tables (tests/publishing_fakes.py) so every figure is known."""

import datetime

import pytest

from ncmd.dictionary.identifiers import with_check_digit
from ncmd.registry import actions
from ncmd.snapshots.actions import freeze_snapshot
from tests.factories import notification_answers
from tests.publishing_fakes import FakeAnalysis


@pytest.fixture(autouse=True)
def publishing_dirs(settings, tmp_path):
    settings.NCMD_SNAPSHOT_DIR = tmp_path / "snapshots"
    settings.NCMD_PUBLISHING_DIR = tmp_path / "publishing"


@pytest.fixture
def fake_analysis(monkeypatch):
    opened = []

    def analysis_for(snapshot):
        opened.append(FakeAnalysis(snapshot))
        return opened[-1]

    monkeypatch.setattr("ncmd.publishing.sources.analysis_for", analysis_for)
    return opened


@pytest.fixture
def snapshot(world, users):
    numbers = (n for n in (with_check_digit(f"999{i:06d}") for i in range(100, 200)) if n)
    for day in (3, 10):
        died = datetime.date(2024, 6, day)
        actions.notify_death(
            cdop=world["tees"],
            by=users["cdop_admin"],
            at=datetime.datetime.combine(died, datetime.time(12), tzinfo=datetime.UTC),
            answers=notification_answers(
                "2019-04",
                nhs_number=next(numbers),
                date_of_death=died.isoformat(),
                date_of_birth=(died - datetime.timedelta(days=40)).isoformat(),
            ),
        )
    return freeze_snapshot(by=users["national_admin"])

"""The synthetic CDOPs built to be late or incomplete are the ones the indicators flag."""

import datetime

import pytest
from django.core.management import call_command

from ncmd.quality.compute import compute_quality
from ncmd.quality.results import latest_results
from ncmd.snapshots.actions import freeze_snapshot
from ncmd.synthetic.generator import Generator

AS_OF = datetime.datetime(2025, 9, 30, 12, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_late_cdops_are_flagged(settings, tmp_path):
    settings.NCMD_SNAPSHOT_DIR = tmp_path
    call_command("load_reference", verbosity=0)
    generator = Generator(seed=11, years=1, as_of=AS_OF, scale=0.25)
    generator.run()
    snapshot = freeze_snapshot(by=None)
    compute_quality(snapshot.folder)
    results = latest_results()
    rows = results.query(
        'SELECT cdop, funnel95, funnel998 FROM "values" WHERE indicator = '
        "'notified_within_48_hours' AND period_type = 'year' AND period = DATE '2024-04-01' "
        "AND scored AND cdop <> 'ENGLAND'"
    )
    below = {r["cdop"] for r in rows if r["funnel998"] < 0}
    late = {code for code, profile in generator.profile_of_cdop.items() if profile == "late"}
    good = {code for code, profile in generator.profile_of_cdop.items() if profile == "good"}
    assert below, "no CDOP was flagged"
    assert below <= late  # only late CDOPs fall below the 99.8% limit
    assert len(below & late) >= len(late) // 2  # and most late CDOPs do
    assert not below & good

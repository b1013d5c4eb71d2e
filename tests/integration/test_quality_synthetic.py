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
def test_late_and_incomplete_cdops_are_flagged(settings, tmp_path):
    settings.NCMD_SNAPSHOT_DIR = tmp_path
    call_command("load_reference", verbosity=0)
    generator = Generator(seed=11, years=1, as_of=AS_OF, scale=0.25)
    generator.run()
    snapshot = freeze_snapshot(by=None)
    compute_quality(snapshot.folder)
    rows = latest_results().query(
        "SELECT indicator, cdop, funnel998 FROM \"values\" WHERE period_type = 'year' "
        "AND period = DATE '2024-04-01' AND scored AND cdop <> 'ENGLAND' AND funnel95 < 0"
    )
    below, below95 = {}, {}
    for row in rows:
        below95.setdefault(row["indicator"], set()).add(row["cdop"])
        if row["funnel998"] < 0:
            below.setdefault(row["indicator"], set()).add(row["cdop"])
    profiles = {}
    for code, profile in generator.profile_of_cdop.items():
        profiles.setdefault(profile, set()).add(code)

    late = below.get("notified_within_48_hours", set())
    assert late, "no CDOP was flagged as late"
    assert late <= profiles["late"]  # only late CDOPs fall below the 99.8% limit
    assert len(late) >= len(profiles["late"]) // 2  # and most late CDOPs do

    completeness = ("ethnicity_recorded", "deprivation_known", "supplementary_forms_present",
                    "complete_notification", "complete_reporting", "complete_analysis")  # fmt: skip
    incomplete = set().union(*(below95.get(name, set()) for name in completeness))
    assert incomplete & profiles["incomplete"], "no incomplete CDOP was flagged"
    assert incomplete <= profiles["incomplete"]  # at 95%, only the incomplete CDOPs

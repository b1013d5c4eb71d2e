"""A training intervention for some CDOPs appears on their data quality SPC charts, with the
before-and-after comparison computed by ncmd.stats; CDOPs it did not reach do not see it."""

import datetime
import re

import numpy as np
import pytest

from ncmd.dictionary.identifiers import with_check_digit
from ncmd.learning import actions
from ncmd.learning.interventions import for_chart
from ncmd.quality.compute import compute_quality
from ncmd.registry.actions import ActionRefused
from ncmd.snapshots.actions import freeze_snapshot
from ncmd.stats import proportion, xmr_chart

TRAINING = datetime.date(2023, 11, 1)


@pytest.fixture
def results(settings, tmp_path, notify, world, users):
    """Twenty months of Tees deaths: ethnicity recorded for 1 or 2 of 3 deaths a month before
    the training, for all 3 after it."""
    settings.NCMD_SNAPSHOT_DIR = tmp_path / "snapshots"
    numbers = (n for n in (with_check_digit(f"999{i:06d}") for i in range(2000, 3000)) if n)
    for month in range(20):
        first = datetime.date(2023 + month // 12, month % 12 + 1, 1)
        known = 3 if first >= TRAINING else 1 + month % 2
        for k in range(3):
            died = first + datetime.timedelta(days=2 + 7 * k)
            at = datetime.datetime.combine(died, datetime.time(12), tzinfo=datetime.UTC)
            overrides = {} if k < known else {"ethnicity": {"special": "not_known"}}
            notify(
                at=at + datetime.timedelta(hours=10),
                nhs_number=next(numbers),
                date_of_death=died.isoformat(),
                date_of_birth=(died - datetime.timedelta(days=50)).isoformat(),
                **overrides,
            )
    snapshot = freeze_snapshot(by=None)
    compute_quality(snapshot.folder)
    return snapshot


def test_training_appears_on_the_chart_of_the_cdops_it_reached(client, results, world, users):
    actions.record_intervention(
        kind="training",
        title="Regional training day",
        held_on=TRAINING,
        cdops=[world["tees"], world["durham"]],
        audiences=["cdops"],
        indicators_aimed=["ethnicity_recorded"],
        by=users["qi_lead"],
    )
    actions.record_intervention(
        kind="webinar",
        title="Camden webinar",
        held_on=TRAINING,
        cdops=[world["camden"]],
        by=users["qi_lead"],
    )
    actions.record_intervention(
        kind="guidance",
        title="Review timeliness guidance",
        held_on=TRAINING,
        cdops=[world["tees"]],
        by=users["qi_lead"],
        indicators_aimed=["reviewed_within_12_months"],
    )

    [item] = for_chart("CDOP001", "ethnicity_recorded")
    m = item.movement
    assert item.label == "Regional training day" and m.compared
    # The comparison is ncmd.stats' XmR chart and Wilson interval over the monthly values.
    before = np.array([(1 + k % 2) / 3 for k in range(10)])
    values = np.concatenate([before, np.ones(10)])
    fixed = xmr_chart(values[None, :], improvement="increase", fix_after_n_points=10)
    assert m.before.mean == pytest.approx(before.mean())
    assert m.before.upper_limit == pytest.approx(fixed.upper_limit[0, 0])
    assert m.after.mean == pytest.approx(1.0)
    assert (
        m.signals_improvement
        == int((fixed.labels("point_type")[0, 10:] == "special_cause_improvement").sum())
        == 10
    )
    assert m.after.pooled_lower == pytest.approx(proportion(30, 30).lower)
    assert m.verdict.startswith("Improved")

    client.force_login(users["cdop_admin"])
    page = client.get("/quality/CDOP001/ethnicity_recorded/").content.decode()
    desc = re.search(r"<desc>(.*?)</desc>", page.split("Month by month")[1], re.S)[1]
    assert "Marker 1: Regional training day, 1 November 2023." in desc
    assert "Review timeliness guidance" not in page and "Camden webinar" not in page
    table = page.split('id="interventions"')[1]
    assert "Regional training day" in table and "Improved: 10 of 10 months" in table
    assert f"mean {before.mean() * 100:.1f}%" in table and "mean 100.0%" in table

    client.force_login(users["other_cdop_admin"])
    # Camden has no deaths, so no chart; its own intervention is listed for it only.
    assert for_chart("CDOP003", "ethnicity_recorded")[0].label == "Camden webinar"
    assert "Regional training day" not in client.get("/learning/interventions/").content.decode()


def test_the_intervention_page_records_one(client, world, users):
    client.force_login(users["qi_lead"])
    response = client.post(
        "/learning/interventions/new/",
        {
            "kind": "webinar",
            "title": "Notification webinar",
            "held_on": "2025-01-15",
            "cdops": [world["tees"].pk],
            "indicators": ["notified_within_48_hours"],
        },
    )
    assert response.status_code == 302
    page = client.get("/learning/interventions/").content.decode()
    assert "Notification webinar" in page and "Tees CDOP" in page
    response = client.post(
        "/learning/interventions/new/",
        {"kind": "webinar", "title": "Nobody", "held_on": "2025-01-15"},
    )
    assert (
        response.status_code == 400
        and "Choose the CDOPs or the audiences" in response.content.decode()
    )


def test_interventions_reach_cdops_only_and_have_happened(world, users):
    with pytest.raises(ActionRefused, match="CDOPs only"):
        actions.record_intervention(
            kind="training", title="T", held_on=TRAINING, cdops=[world["nhse"]], by=users["qi_lead"]
        )
    with pytest.raises(ActionRefused, match="in the future"):
        actions.record_intervention(
            kind="training",
            title="T",
            cdops=[world["tees"]],
            held_on=datetime.date.today() + datetime.timedelta(days=2),
            by=users["qi_lead"],
        )

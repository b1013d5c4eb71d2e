"""Indicators on small registries whose right answers are worked out by hand here."""

import datetime
import json
import math
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from ncmd.quality.compute import compute_quality
from ncmd.quality.results import latest_results
from ncmd.registry import actions
from ncmd.snapshots.actions import freeze_snapshot

DIED = datetime.datetime(2024, 3, 2, 4, 30, tzinfo=datetime.UTC)  # the factory's death


@pytest.fixture(autouse=True)
def snapshot_dir(settings, tmp_path):
    settings.NCMD_SNAPSHOT_DIR = tmp_path / "snapshots"


def compute():
    snapshot = freeze_snapshot(by=None)
    compute_quality(snapshot.folder)
    return latest_results()


def value(results, indicator, cdop, period, period_type="month"):
    [row] = results.query(
        'SELECT * FROM "values" WHERE indicator = ? AND cdop = ? AND period = ? '
        "AND period_type = ?", indicator, cdop, period, period_type,
    )  # fmt: skip
    return row


def wilson(x, n, z=1.959964):
    """The Wilson score interval, written out (Newcombe 1998, method 3)."""
    p = x / n
    centre = p + z * z / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return (centre - spread) / (1 + z * z / n), (centre + spread) / (1 + z * z / n)


@pytest.fixture
def three_deaths(notify):
    """Three deaths in Tees on 2 March 2024 at 04:30, notified after 10, 30 and 100 hours."""
    numbers = ("9434765919", "4010232137", "4505577104")
    return [
        notify(at=DIED + datetime.timedelta(hours=hours), nhs_number=number)
        for hours, number in zip((10, 30, 100), numbers, strict=True)
    ]


def test_notified_within_48_hours_by_hand(three_deaths):
    results = compute()
    row = value(results, "notified_within_48_hours", "CDOP001", datetime.date(2024, 3, 1))
    assert (row["numerator"], row["denominator"]) == (2, 3)
    assert row["scored"] and row["reason"] == ""
    assert row["value"] == pytest.approx(2 / 3)
    lower, upper = wilson(2, 3)
    assert (row["lower"], row["upper"]) == (pytest.approx(lower), pytest.approx(upper))
    assert lower == pytest.approx(0.2077, abs=1e-4) and upper == pytest.approx(0.9385, abs=1e-4)
    england = value(results, "notified_within_48_hours", "ENGLAND", datetime.date(2024, 3, 1))
    assert (england["numerator"], england["denominator"]) == (2, 3)
    [late] = results.query("SELECT * FROM worklist WHERE indicator = 'notified_within_48_hours'")
    assert late["case_reference"] == three_deaths[2].reference
    assert late["message"].startswith("Notified 100 hours after the death")


def test_too_few_records_are_not_scored(three_deaths, notify, world, users):
    notify(cdop=world["camden"], by=users["other_cdop_admin"], at=DIED, nhs_number="9990000018")
    results = compute()
    row = value(results, "notified_within_48_hours", "CDOP003", datetime.date(2024, 3, 1))
    assert (row["numerator"], row["denominator"], row["scored"]) == (1, 1, False)
    assert row["reason"] == "Fewer than 3 records: too few to score."
    empty = value(results, "notified_within_48_hours", "CDOP002", datetime.date(2024, 3, 1))
    assert empty["reason"] == "No records in this period."
    # The nation is scored from all four deaths.
    england = value(results, "notified_within_48_hours", "ENGLAND", datetime.date(2024, 3, 1))
    assert (england["numerator"], england["denominator"], england["scored"]) == (3, 4, True)


def test_recent_months_are_not_scored_for_review_timeliness(three_deaths, notify):
    recent = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=40)
    notify(at=recent, nhs_number="9990000026", date_of_birth=f"{recent.year - 2}-01-01",
           date_of_death=recent.date().isoformat())  # fmt: skip
    results = compute()
    month = recent.date().replace(day=1)
    row = value(results, "reviewed_within_6_months", "ENGLAND", month)
    assert not row["scored"] and row["reason"].startswith("Too recent: 183 days")
    old = value(results, "reviewed_within_6_months", "CDOP001", datetime.date(2024, 3, 1))
    assert (old["numerator"], old["denominator"], old["scored"]) == (0, 3, True)
    reviews = results.query("SELECT * FROM worklist WHERE indicator = 'reviewed_within_6_months'")
    assert len(reviews) == 3  # the three 2024 deaths are unreviewed; the recent one is not due


def test_ethnicity_postcode_and_supplementary_forms(notify):
    notify(at=DIED, ethnicity={"special": "not_known"}, home_postcode="ZZ9 9ZZ")
    results = compute()
    ethnicity = value(results, "ethnicity_recorded", "CDOP001", datetime.date(2024, 3, 1))
    assert (ethnicity["numerator"], ethnicity["denominator"]) == (0, 1)
    deprivation = value(results, "deprivation_known", "CDOP001", datetime.date(2024, 3, 1))
    assert deprivation["numerator"] == 0  # ZZ9 9ZZ is not in the postcode lookup
    work = {(r["indicator"], r["form_name"], r["field"]) for r in results.query(
        "SELECT * FROM worklist")}  # fmt: skip
    assert ("ethnicity_recorded", "notification", "ethnicity") in work
    assert ("deprivation_known", "notification", "home_postcode") in work
    # A sudden unexpected infant death calls for the sudden unexpected death form.
    assert ("supplementary_forms_present", "supplementary_sudden_unexpected", "") in work


def test_validity_rules_find_an_implausible_weight(notify, world, users):
    case = notify(at=DIED)
    actions.submit_form(
        case=case, form_name="reporting", agency=world["hospital"], by=users["cdop_admin"],
        at=DIED, answers={
            "agency_type": "acute_health", "agency_name": "Tees Hospital",
            "bereavement_support_offered": True, "agency_involvement_summary": "Seen.",
            "last_contact_date": "2024-03-02", "child_weight_kg": 48,
        },
    )  # fmt: skip
    results = compute()
    row = value(results, "validity_rules_met", "CDOP001", datetime.date(2024, 3, 1))
    assert (row["numerator"], row["denominator"]) == (0, 1)
    [issue] = results.query("SELECT * FROM worklist WHERE indicator = 'validity_rules_met'")
    assert (issue["form_name"], issue["field"]) == ("reporting", "child_weight_kg")
    assert "implausible for a child aged 52 days" in issue["message"]


def test_insufficient_information_and_completeness(notify, users):
    case = notify(at=DIED)
    actions.submit_form(case=case, form_name="analysis", by=users["cdop_admin"], at=DIED,
                        answers={
        "review_date": "2024-09-01", "cdrm_held": {"special": "not_known"},
        "coroner_involvement": {"special": "not_known"}, "category_of_death": "infection",
        "factors_child": ["acute_illness"], "factors_social_environment": ["none_identified"],
        "factors_physical_environment": ["none_identified"],
        "factors_service_provision": ["none_identified"],
        "modifiable_factors": "insufficient_information",
    })  # fmt: skip
    results = compute()
    row = value(results, "insufficient_information", "CDOP001", datetime.date(2024, 3, 1))
    assert (row["numerator"], row["denominator"]) == (1, 1)
    complete = value(results, "complete_analysis", "CDOP001", datetime.date(2024, 3, 1))
    # Required and shown: review_date, cdrm_held, coroner_involvement, category, four factor
    # domains, modifiable_factors = 9; two were answered "not known".
    assert (complete["numerator"], complete["denominator"]) == (7, 9)
    fields = {r["field"] for r in results.query(
        "SELECT * FROM worklist WHERE indicator = 'complete_analysis'")}  # fmt: skip
    assert fields == {"cdrm_held", "coroner_involvement"}


def test_a_snapshot_is_reproducible_and_holds_no_identifiers(three_deaths):
    first, second = freeze_snapshot(by=None), freeze_snapshot(by=None)
    assert first.content_hash == second.content_hash
    assert first.folder != second.folder
    manifest = json.loads((Path(first.folder) / "manifest.json").read_text())
    assert manifest["row_counts"]["cases"] == 3
    text = ""
    for path in Path(first.folder).glob("*.parquet"):
        text += json.dumps(pq.read_table(path).to_pylist(), default=str)
    for identifier in ("9434765919", "Example", "TS1 1AA", "Station Road"):
        assert identifier not in text
    assert three_deaths[0].reference in text  # the public case reference is kept


def test_a_registry_change_changes_the_hash(three_deaths, users):
    before = freeze_snapshot(by=None).content_hash
    actions.change_case_status(case=three_deaths[0], to="gathering_information",
                               by=users["cdop_admin"])  # fmt: skip
    assert freeze_snapshot(by=None).content_hash != before

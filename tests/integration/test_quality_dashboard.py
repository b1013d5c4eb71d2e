"""The dashboard shows a CDOP its own quality, and no other CDOP's; national users see all."""

import datetime

import pytest
from django.urls import reverse

from ncmd.dictionary.identifiers import with_check_digit
from ncmd.quality.compute import compute_quality
from ncmd.snapshots.actions import freeze_snapshot

DIED = datetime.datetime(2024, 3, 2, 4, 30, tzinfo=datetime.UTC)


@pytest.fixture
def results(settings, tmp_path, notify, world, users):
    settings.NCMD_SNAPSHOT_DIR = tmp_path / "snapshots"
    numbers = iter(with_check_digit(f"999{n:06d}") for n in range(100, 200) if
                   with_check_digit(f"999{n:06d}"))  # fmt: skip
    notify(at=DIED + datetime.timedelta(hours=100), nhs_number=next(numbers))
    notify(at=DIED, nhs_number=next(numbers), ethnicity={"special": "not_known"})
    notify(at=DIED, nhs_number=next(numbers))
    for _ in range(3):  # enough deaths in two CDOPs to score both and draw a funnel
        notify(cdop=world["camden"], by=users["other_cdop_admin"], at=DIED,
               nhs_number=next(numbers), home_postcode="NW1 1AA")  # fmt: skip
    snapshot = freeze_snapshot(by=None)
    compute_quality(snapshot.folder)
    return snapshot


def get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(name, args=args))


def test_cdop_user_is_sent_to_their_own_dashboard(client, users, results):
    response = get(client, users["cdop_admin"], "quality_home")
    assert response.status_code == 302 and response["Location"] == "/quality/CDOP001/"
    page = get(client, users["cdop_admin"], "quality_cdop", "CDOP001").content.decode()
    assert "Deaths notified within 48 hours" in page and "Tees CDOP" in page


@pytest.mark.parametrize("view,args", [
    ("quality_cdop", ("CDOP003",)),
    ("quality_indicator", ("CDOP003", "notified_within_48_hours")),
])  # fmt: skip
def test_another_cdops_quality_is_not_found(client, users, results, view, args):
    assert get(client, users["cdop_admin"], view, *args).status_code == 404


def test_the_league_is_for_national_users_only(client, users, results):
    assert get(client, users["cdop_admin"], "quality_league", "ethnicity_recorded").status_code \
        == 403  # fmt: skip
    page = get(client, users["national_analyst"], "quality_league", "ethnicity_recorded")
    assert page.status_code == 200 and "Camden CDOP" in page.content.decode()


def test_indicator_page_has_charts_with_text_and_the_worklist(client, users, results):
    page = get(client, users["cdop_admin"], "quality_indicator", "CDOP001",
               "ethnicity_recorded").content.decode()  # fmt: skip
    assert "Ethnicity is not recorded: ask the family" in page
    assert 'role="img"' in page and "<desc>Funnel plot of 2 CDOPs." in page
    assert 'href="/cases/' in page


def test_researchers_and_agency_reporters_have_no_dashboard(client, users, results):
    for name in ("researcher", "agency_reporter"):
        assert get(client, users[name], "quality_home").status_code == 403


def test_without_results_the_page_says_how_to_get_them(client, users, settings, tmp_path, db):
    settings.NCMD_SNAPSHOT_DIR = tmp_path / "empty"
    page = get(client, users["cdop_admin"], "quality_cdop", "CDOP001").content.decode()
    assert "ncmd quality refresh" in page

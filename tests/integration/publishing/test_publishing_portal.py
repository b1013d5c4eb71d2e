"""Reports and releases in the portal: CDOP packs only for that CDOP and the national team, and
the release lifecycle's buttons only for those allowed."""

import pytest

from ncmd.publishing import actions
from ncmd.publishing.models import ReleaseStatus


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def packs(snapshot, users, world, fake_analysis):
    packs = actions.build_cdop_packs(
        snapshot=snapshot, year="2024-25", by=users["national_analyst"]
    )
    return {p.cdop.code: p for p in packs}


def test_a_cdop_sees_its_own_pack_only(client, users, packs):
    signed_in(client, users["cdop_admin"])  # Tees
    page = client.get("/publishing/reports/").content.decode()
    assert "cdop-pack-CDOP001-2024-25.html" in page and "CDOP002" not in page
    tees = packs["CDOP001"]
    response = client.get(f"/publishing/reports/{tees.pk}/{tees.files[0]['name']}")
    assert response.status_code == 200 and b"Tees CDOP" in b"".join(response)
    durham = packs["CDOP002"]
    assert (
        client.get(f"/publishing/reports/{durham.pk}/{durham.files[0]['name']}").status_code == 404
    )
    assert client.get(f"/publishing/reports/{tees.pk}/../../ncmd.sqlite3").status_code == 404


def test_national_users_see_every_pack_and_others_none(client, users, packs):
    signed_in(client, users["national_analyst"])
    page = client.get("/publishing/reports/").content.decode()
    assert all(code in page for code in ("CDOP001", "CDOP002", "CDOP003"))
    client.logout()
    signed_in(client, users["agency_reporter"])
    assert client.get("/publishing/reports/").status_code == 403
    tees = packs["CDOP001"]
    assert client.get(f"/publishing/reports/{tees.pk}/{tees.files[0]['name']}").status_code == 404
    client.logout()
    response = client.get(f"/publishing/reports/{tees.pk}/{tees.files[0]['name']}")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_an_analyst_publishes_a_built_release(client, users, snapshot, fake_analysis):
    release = actions.build_release(snapshot=snapshot, year="2024-25", by=users["national_analyst"])
    signed_in(client, users["national_analyst"])
    assert release.identifier in client.get("/publishing/releases/").content.decode()
    page = client.get(f"/publishing/releases/{release.identifier}/").content.decode()
    assert 'value="publish"' in page and 'value="withdraw"' not in page
    response = client.post(f"/publishing/releases/{release.identifier}/", {"move": "publish"})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED
    response = client.post(
        f"/publishing/releases/{release.identifier}/", {"move": "withdraw", "reason": "no"}
    )
    assert response.status_code == 400
    assert "Only a national administrator" in response.content.decode()
    release.refresh_from_db()
    assert release.status == ReleaseStatus.PUBLISHED


def test_an_administrator_withdraws_with_a_reason(client, users, snapshot, fake_analysis):
    release = actions.build_release(snapshot=snapshot, year="2024-25", by=None, publish=True)
    signed_in(client, users["national_admin"])
    url = f"/publishing/releases/{release.identifier}/"
    response = client.post(url, {"move": "withdraw", "reason": ""})
    assert response.status_code == 400 and "nhsuk-error-summary" in response.content.decode()
    response = client.post(url, {"move": "withdraw", "reason": "Figures revised."})
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.status == ReleaseStatus.WITHDRAWN
    assert client.post(url, {"move": "nonsense"}).status_code == 400


def test_releases_in_the_portal_are_for_publishers_only(client, users):
    signed_in(client, users["cdop_admin"])
    assert client.get("/publishing/releases/").status_code == 403

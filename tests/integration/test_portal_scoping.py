"""Every view that shows case data answers "not found" outside the user's scope."""

import datetime

import pytest
from django.urls import reverse

from ncmd.registry import actions
from ncmd.registry.models import AuditEvent

AT = datetime.datetime(2024, 3, 3, 9, 0, tzinfo=datetime.UTC)
CASE_VIEWS = ["case_detail", "case_identifiers", "case_audit", "resolve_duplicate"]


@pytest.fixture
def tees_case(notify):
    return notify(at=AT)


@pytest.fixture
def client_for(client, users):
    def sign_in(name):
        client.force_login(users[name])
        return client

    return sign_in


@pytest.mark.parametrize("view", CASE_VIEWS)
def test_another_cdops_case_is_not_found_in_every_case_view(client_for, tees_case, view):
    response = client_for("other_cdop_admin").get(reverse(view, args=[tees_case.reference]))
    assert response.status_code == 404
    assert "may be outside the organisation you work for" in response.content.decode()


@pytest.mark.parametrize("view", CASE_VIEWS)
def test_an_unknown_reference_is_not_found_in_the_same_way(client_for, tees_case, view):
    response = client_for("cdop_admin").get(reverse(view, args=["CD-0000-0000"]))
    assert response.status_code == 404


def test_the_case_list_shows_only_the_users_cdop(client_for, notify, world, users):
    mine = notify(at=AT)
    theirs = notify(at=AT, cdop=world["camden"], by=users["other_cdop_admin"],
                    nhs_number="4010232137")  # fmt: skip
    page = client_for("cdop_admin").get(reverse("case_list")).content.decode()
    link = 'href="/cases/{}/"'.format
    assert link(mine.reference) in page and link(theirs.reference) not in page
    searched = client_for("cdop_admin").get(reverse("case_list"), {"q": theirs.reference})
    assert link(theirs.reference) not in searched.content.decode()
    assert "No cases match these filters." in searched.content.decode()


def test_national_analyst_sees_all_cases_but_no_identifiers(client_for, tees_case):
    client = client_for("national_analyst")
    assert client.get(reverse("case_detail", args=[tees_case.reference])).status_code == 200
    response = client.get(reverse("case_identifiers", args=[tees_case.reference]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="view_identifiers").exists()


def test_case_detail_lays_out_forms_by_the_dictionary(client_for, tees_case):
    page = client_for("cdop_member").get(reverse("case_detail", args=[tees_case.reference]))
    text = page.content.decode()
    assert "Child death notification form" in text
    assert "Found unresponsive in the morning" in text
    assert "Female" in text  # the code shown by its label
    assert "9434765919" not in text  # identifiers only on their own, audited page


def test_identifiers_page_shows_them_and_records_the_view(client_for, tees_case):
    response = client_for("cdop_member").get(
        reverse("case_identifiers", args=[tees_case.reference])
    )
    assert "9434765919" in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    event = AuditEvent.objects.get(action="view_identifiers")
    assert (event.actor, event.case_reference) == ("cdop_member", tees_case.reference)


def test_history_shows_the_audit_trail(client_for, tees_case):
    client = client_for("cdop_admin")
    client.get(reverse("case_identifiers", args=[tees_case.reference]))
    text = client.get(reverse("case_audit", args=[tees_case.reference])).content.decode()
    assert "Notified the death" in text
    assert "Viewed the child&#x27;s identifiers" in text


def test_agency_reporter_sees_only_cases_requested_of_their_agency(client_for, notify, world,
                                                                   users):  # fmt: skip
    requested = notify(at=AT)
    other = notify(at=AT, nhs_number="4010232137")
    actions.request_reporting_form(case=requested, agency=world["hospital"], by=users["cdop_admin"])
    actions.request_reporting_form(case=other, agency=world["police"], by=users["cdop_admin"])
    client = client_for("agency_reporter")
    assert client.get(reverse("case_detail", args=[requested.reference])).status_code == 200
    assert client.get(reverse("case_detail", args=[other.reference])).status_code == 404
    assert client.get(reverse("case_list")).status_code == 403
    assert client.get(reverse("case_identifiers", args=[requested.reference])).status_code == 403
    home = client.get(reverse("home")).content.decode()
    assert requested.reference in home and other.reference not in home


@pytest.mark.parametrize(
    "name", ["researcher", "data_access_reviewer", "qi_lead", "partner_contact"]
)
def test_roles_without_case_access_see_no_case_data(client_for, tees_case, name):
    # A QI lead sees every CDOP's data quality, but that must not open the cases themselves.
    client = client_for(name)
    assert client.get(reverse("case_list")).status_code == 403
    assert client.get(reverse("case_detail", args=[tees_case.reference])).status_code == 404
    for view in CASE_VIEWS:  # refused for want of the permission, or not found in their scope
        assert client.get(reverse(view, args=[tees_case.reference])).status_code in (403, 404)


def test_signed_out_users_are_sent_to_sign_in(client, tees_case):
    response = client.get(reverse("case_detail", args=[tees_case.reference]))
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_resolving_a_duplicate_through_the_page(client_for, notify):
    notify(at=AT)
    second = notify(at=AT)
    client = client_for("cdop_admin")
    url = reverse("resolve_duplicate", args=[second.reference])
    refused = client.post(url, {})
    assert "Select whether this is the same death" in refused.content.decode()
    client.post(url, {"decision": "linked"})
    second.refresh_from_db()
    assert second.duplicate_status == "linked"


def test_cdop_member_cannot_resolve_duplicates(client_for, notify):
    notify(at=AT)
    second = notify(at=AT)
    response = client_for("cdop_member").post(
        reverse("resolve_duplicate", args=[second.reference]), {"decision": "linked"}
    )
    assert response.status_code == 403


def test_case_list_filters_and_pages(client_for, notify, settings):
    settings.NCMD_PAGE_SIZE = 2
    for number in ("9434765919", "4010232137", "4505577104"):
        notify(at=AT, nhs_number=number)
    client = client_for("cdop_admin")
    first = client.get(reverse("case_list")).content.decode()
    assert "3 cases, page 1 of 2" in first
    assert "page=2" in first
    filtered = client.get(reverse("case_list"), {"status": "reviewed"}).content.decode()
    assert "0 cases" in filtered


def test_a_duplicate_of_another_cdops_case_can_be_decided_without_it(client_for, notify, world,
                                                                     users):  # fmt: skip
    theirs = notify(at=AT, cdop=world["camden"], by=users["other_cdop_admin"])
    mine = notify(at=AT)
    assert mine.duplicate_of == theirs
    client = client_for("cdop_admin")
    page = client.get(reverse("resolve_duplicate", args=[mine.reference])).content.decode()
    assert theirs.reference in page and "Camden CDOP" in page
    assert f'href="/cases/{theirs.reference}/"' not in page
    client.post(reverse("resolve_duplicate", args=[mine.reference]), {"decision": "distinct"})
    mine.refresh_from_db()
    assert mine.duplicate_status == "distinct"

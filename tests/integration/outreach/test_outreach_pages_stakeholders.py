"""Stakeholder pages through the real views: who may use them, organisations and contacts,
consent, the CSV import (all or nothing), and the stakeholder map with a theme."""

import datetime

import pytest

from ncmd.learning.outreach import actions
from ncmd.learning.outreach.models import Contact, MapTheme, StakeholderOrganisation
from ncmd.registry.models import AuditEvent

PAGES = ["/outreach/", "/outreach/stakeholders/", "/outreach/stakeholders/map/",
         "/outreach/messages/", "/outreach/events/", "/outreach/topics/", "/outreach/training/",
         "/outreach/stakeholders/import/", "/outreach/messages/new/"]  # fmt: skip


@pytest.fixture
def lead(client, users):
    client.force_login(users["qi_lead"])
    return client


@pytest.mark.parametrize("role", ["cdop_admin", "partner_contact", "researcher"])
def test_only_managers_of_learning_reach_the_pages(client, users, role):
    client.force_login(users[role])
    for page in PAGES:
        assert client.get(page).status_code == 403, page


def test_signed_out_people_are_sent_to_sign_in(client, db):
    response = client.get("/outreach/stakeholders/")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


@pytest.mark.parametrize("username", ["qi_lead", "national_admin"])
def test_managers_see_every_page(client, users, username):
    client.force_login(users[username])
    for page in PAGES:
        assert client.get(page).status_code == 200, page


def test_adding_an_organisation_and_a_contact_with_consent(lead):
    response = lead.post("/outreach/stakeholders/organisations/new/", {"name": ""})
    assert b"There is a problem" in response.content and b"Enter the name." in (
        response.content)  # fmt: skip
    response = lead.post("/outreach/stakeholders/organisations/new/", {
        "name": "Tees Valley Maternity Network", "sector": "nhs", "audiences": ["midwives"],
        "influence": "4", "interest": "5",
    })  # fmt: skip
    assert response.status_code == 302
    organisation = StakeholderOrganisation.objects.get()
    assert (organisation.influence, organisation.interest) == (4, 5)
    response = lead.post("/outreach/stakeholders/contacts/new/", {
        "name": "Asha Patel", "email": "Asha.Patel@Example.org", "organisation": organisation.pk,
        "audiences": ["midwives"],
    })  # fmt: skip
    contact = Contact.objects.get()
    assert response["Location"] == f"/outreach/stakeholders/contacts/{contact.pk}/"
    assert contact.email == "asha.patel@example.org" and not contact.consented
    response = lead.post(f"/outreach/stakeholders/contacts/{contact.pk}/", {
        "consent": "1", "consent-given_on": "2099-01-01", "consent-source": "x",
        "consent-lawful_basis": "consent",
    })  # fmt: skip
    assert b"cannot be in the future" in response.content
    lead.post(f"/outreach/stakeholders/contacts/{contact.pk}/", {
        "consent": "1", "consent-given_on": "2025-02-03",
        "consent-source": "Sign-up form, maternity safety conference",
        "consent-lawful_basis": "consent",
    })  # fmt: skip
    contact.refresh_from_db()
    assert contact.consent_given_on == datetime.date(2025, 2, 3)
    audited = AuditEvent.objects.filter(object_type="Contact").values_list("action", flat=True)
    assert {"create_stakeholder_contact", "record_contact_consent"} <= set(audited)
    # The same address again is refused, in the form's error summary.
    response = lead.post("/outreach/stakeholders/contacts/new/", {
        "name": "Someone", "email": "asha.patel@example.org", "audiences": ["gps"],
    })  # fmt: skip
    assert b"already belongs to another contact" in response.content
    lead.post(f"/outreach/stakeholders/contacts/{contact.pk}/subscription/", {"do": "withdraw"})
    contact.refresh_from_db()
    assert not contact.consented


GOOD_CSV = (
    "name,email,organisation,sector,audiences,consent_date,consent_source\n"
    "Asha Patel,asha@example.org,Tees Maternity,nhs,midwives;Health visitors,2025-01-10,form\n"
    "Tom Reed,tom@example.org,Cleveland Police,police,police,,\n"
)


def _upload(client, text):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/outreach/stakeholders/import/", {
        "file": SimpleUploadedFile("contacts.csv", text.encode(), content_type="text/csv"),
    })  # fmt: skip


def test_importing_contacts_from_a_csv_file(lead):
    response = _upload(lead, GOOD_CSV)
    assert response.status_code == 302
    asha, tom = Contact.objects.order_by("name")
    assert asha.audiences == ["midwives", "health_visitors"] and asha.consented
    assert not tom.consented and tom.organisation.sector == "police"
    # Importing again updates rather than duplicates.
    _upload(lead, GOOD_CSV.replace("Tom Reed", "Thomas Reed"))
    assert Contact.objects.count() == 2
    assert Contact.objects.get(email="tom@example.org").name == "Thomas Reed"


def test_a_csv_file_with_a_bad_row_imports_nothing_and_names_every_problem(lead):
    bad = GOOD_CSV + "Bad Row,not-an-email,X,spaceships,astronauts,2025-13-01,\n"
    response = _upload(lead, bad.replace("asha@", "new-asha@"))
    text = response.content.decode()
    assert "nothing was imported" in text
    assert "not-an-email is not an e-mail address" in text
    assert "spaceships" in text and "astronauts is not an audience" in text
    assert "2025-13-01 is not a date" in text
    assert '<td class="nhsuk-table__cell">4</td>' in text  # the spreadsheet's row number
    assert Contact.objects.count() == 0 and StakeholderOrganisation.objects.count() == 0
    response = _upload(lead, "name,email\nA,a@example.org\n")
    assert "this column is missing" in response.content.decode()


def test_the_stakeholder_map_and_a_new_theme(lead, users):
    for name, influence, interest in [("NHS England", 5, 5), ("Local school", 2, 4),
                                      ("Police force", 4, 2), ("Charity", 1, 1)]:  # fmt: skip
        actions.save_stakeholder_organisation(
            by=users["qi_lead"], name=name, sector="other", influence=influence, interest=interest
        )
    response = lead.get("/outreach/stakeholders/map/")
    text = response.content.decode()
    assert "<svg" in text and 'role="img"' in text and "<title>Stakeholder map</title>" in text
    for label in ("Manage closely", "Keep satisfied", "Keep informed", "Monitor"):
        assert label in text
    assert "Manage closely: 1; Keep satisfied: 1; Keep informed: 1; Monitor: 1" in text
    response = lead.post("/outreach/stakeholders/map/themes/new/", {"title": "Water safety"})
    theme = MapTheme.objects.get()
    assert response["Location"] == f"/outreach/stakeholders/map/?theme={theme.pk}"
    school = StakeholderOrganisation.objects.get(name="Local school")
    data = {f"{k}-{o.pk}": getattr(o, k) for o in StakeholderOrganisation.objects.all()
            for k in ("influence", "interest")}  # fmt: skip
    data.update({"theme": theme.pk, f"influence-{school.pk}": 5, f"interest-{school.pk}": 5})
    lead.post("/outreach/stakeholders/map/", data)
    school.refresh_from_db()
    assert (school.influence, school.interest) == (2, 4)  # the general map is untouched
    text = lead.get(f"/outreach/stakeholders/map/?theme={theme.pk}").content.decode()
    assert "Manage closely: 2" in text
    # A second theme copies the first one's ratings.
    lead.post(
        "/outreach/stakeholders/map/themes/new/",
        {"title": "Button batteries", "copy_from": str(theme.pk)},
    )
    second = MapTheme.objects.get(title="Button batteries")
    assert second.ratings.get(organisation=school).influence == 5
    response = lead.post("/outreach/stakeholders/map/themes/new/", {"title": "water safety"})
    assert b"already a theme called" in response.content
    assert AuditEvent.objects.filter(action="rate_stakeholder", object_id=str(school.pk)).exists()


def test_erasing_a_contact_keeps_the_counts_and_drops_the_name(lead, users, make_contact):
    from ncmd.learning.outreach.models import Delivery

    contact = make_contact("erase.me@example.org", ["gps"], name="Erin Erase")
    message = actions.save_message(by=users["qi_lead"], kind="bulletin", subject="S", body="x",
                                   audiences=["gps"], public=False)  # fmt: skip
    actions.send_message(message=message, by=users["qi_lead"])
    url = f"/outreach/stakeholders/contacts/{contact.pk}/subscription/"
    response = lead.post(url, {"do": "erase", "reason": ""}, follow=True)
    assert b"Say why the contact is erased" in response.content
    lead.post(url, {"do": "erase", "reason": "Their e-mail of 3 March asking to be erased"})
    contact.refresh_from_db()
    assert contact.name == f"Erased contact {contact.pk}" and not contact.consented
    assert "erase.me" not in contact.email and contact.unsubscribed_at is not None
    assert Delivery.objects.get().email == contact.email  # the send history is unnamed too
    page = lead.get(f"/outreach/messages/{message.pk}/").content.decode()
    assert "erase.me@example.org" not in page and "Erin" not in page
    event = AuditEvent.objects.get(action="erase_contact")
    assert event.actor == "qi_lead" and "Erin" not in str(event.detail)


def test_the_contacts_download_round_trips_and_is_formula_safe(lead, users, make_contact):
    make_contact("plain@example.org", ["gps", "midwives"], name="Pat Plain")
    make_contact("evil@example.org", ["gps"], name='=HYPERLINK("http://x")', consent=False)
    response = lead.get("/outreach/stakeholders/contacts.csv")
    assert response["Content-Disposition"].startswith('attachment; filename="ncmd-contacts-')
    text = response.content.decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == ("name,email,organisation,sector,audiences,consent_date,consent_source,"
                        "job_title,lawful_basis,unsubscribed")  # fmt: skip
    assert "Pat Plain,plain@example.org,,,gps;midwives,2025-01-06," in text
    assert "'=HYPERLINK" in text
    assert AuditEvent.objects.filter(action="export_stakeholder_contacts").count() == 1
    lead.force_login(users["cdop_admin"])
    assert lead.get("/outreach/stakeholders/contacts.csv").status_code == 403

"""Training modules through the real views and links: creating one, announcing it to its
audiences, completion through a contact's link and by a platform user, and the counts."""

import datetime
import re

import pytest
from django.core import mail

from ncmd.learning.outreach.models import Completion, TrainingModule
from ncmd.registry.models import AuditEvent

PORTAL = "http://127.0.0.1:8000"


@pytest.fixture
def lead(client, users, settings):
    settings.NCMD_PORTAL_URL = PORTAL
    client.force_login(users["qi_lead"])
    return client


def test_a_module_announced_and_completed(lead, client, users, make_contact):
    nurse = make_contact("hv@example.org", ["health_visitors"], name="Holly Visitor")
    make_contact("gp@example.org", ["gps"])
    response = lead.post("/outreach/training/new/", {"title": "", "audiences": []})
    assert b"There is a problem" in response.content
    response = lead.post("/outreach/training/new/", {
        "title": "Safer sleep conversations", "audiences": ["health_visitors"],
        "content_url": "https://learning.example.org/safer-sleep", "duration_minutes": "30",
        "active": "on",
    })  # fmt: skip
    module = TrainingModule.objects.get()
    assert response["Location"] == f"/outreach/training/{module.pk}/"
    lead.post(f"/outreach/training/{module.pk}/announce/")
    assert [m.to for m in mail.outbox] == [["hv@example.org"]]
    response = lead.post(f"/outreach/training/{module.pk}/announce/", follow=True)
    assert b"it is announced once" in response.content
    link = re.search(r"http://\S+/outreach/t/\S+/", mail.outbox[0].body).group(0)
    lead.logout()
    page = client.get(link.replace(PORTAL, ""))
    assert b"Safer sleep conversations" in page.content
    client.post(link.replace(PORTAL, ""))
    client.post(link.replace(PORTAL, ""))
    completion = Completion.objects.get()
    assert completion.contact == nurse and completion.completed_on == datetime.date.today()
    assert b"You completed this module" in client.get(link.replace(PORTAL, "")).content
    client.force_login(users["partner_contact"])
    client.post(f"/outreach/training/{module.pk}/completed/")
    assert Completion.objects.filter(user=users["partner_contact"]).count() == 1
    client.force_login(users["qi_lead"])
    listing = client.get("/outreach/training/").content.decode()
    assert re.search(r"Safer sleep conversations</a>.*?numeric\">2<", listing, re.S)
    response = client.post(f"/outreach/training/{module.pk}/", {
        "contact": "unknown@example.org", "completed_on": "2025-01-01"})  # fmt: skip
    assert b"No contact has this e-mail address" in response.content
    other = make_contact("gp2@example.org", ["gps"])
    client.post(f"/outreach/training/{module.pk}/", {
        "contact": "GP2@example.org", "completed_on": "2025-01-01"})  # fmt: skip
    assert Completion.objects.get(contact=other).completed_on == datetime.date(2025, 1, 1)
    assert AuditEvent.objects.filter(action="record_training_completion").count() == 3


def test_links_for_one_purpose_do_not_work_for_another(client, make_contact, settings):
    from ncmd.learning.outreach import tokens

    contact = make_contact("a@example.org", ["gps"])
    vote_token = tokens.make("vote", c=contact.pk)
    assert client.get(f"/outreach/t/{vote_token}/").status_code == 400
    assert client.get(f"/outreach/u/{vote_token}/").status_code == 400

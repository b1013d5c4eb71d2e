"""Composing, previewing and sending a message through the real views, and its web version."""

import pytest
from django.core import mail

from ncmd.learning.outreach import actions
from ncmd.learning.outreach.models import Message, MessageStatus


@pytest.fixture
def lead(client, users):
    client.force_login(users["qi_lead"])
    return client


def test_compose_preview_and_send(lead, make_contact):
    make_contact("teacher@example.org", ["teachers"], name="Tara Teacher")
    make_contact("nobody@example.org", ["teachers"], consent=False, name="Nick Noconsent")
    make_contact("officer@example.org", ["police"])
    response = lead.post("/outreach/messages/new/", {"subject": "", "body": ""})
    assert b"There is a problem" in response.content
    response = lead.post("/outreach/messages/new/", {
        "kind": "safety_message", "subject": "Water safety this summer",
        "body": "Children drown **quickly and quietly**.\n\n<script>alert(1)</script>",
        "audiences": ["teachers"], "public": "on",
    })  # fmt: skip
    message = Message.objects.get()
    assert response["Location"] == f"/outreach/messages/{message.pk}/"
    preview = lead.get(response["Location"]).content.decode()
    assert "<strong>quickly and quietly</strong>" in preview
    assert "<script>alert(1)</script>" not in preview and "&lt;script&gt;" in preview
    assert "It will be sent to 1 contact" in preview and "teacher@example.org" in preview
    assert "Nick Noconsent (nobody@example.org): no consent recorded" in preview
    assert "officer@example.org" not in preview
    response = lead.post(f"/outreach/messages/{message.pk}/send/", follow=True)
    assert b"Sent to 1 recipients." in response.content
    assert [m.to for m in mail.outbox] == [["teacher@example.org"]]
    page = lead.get(f"/outreach/messages/{message.pk}/").content.decode()
    assert "Send history" in page and "Accepted by the mail server" in page
    # Sending again from a stale page sends nothing.
    response = lead.post(f"/outreach/messages/{message.pk}/send/", follow=True)
    assert b"already sent" in response.content and len(mail.outbox) == 1
    response = lead.get(f"/outreach/messages/{message.pk}/edit/", follow=True)
    assert b"cannot be changed" in response.content
    # The public archive lists it; the web version needs no sign-in.
    message.refresh_from_db()
    lead.logout()
    archive = lead.get("/outreach/archive/").content.decode()
    assert f"/outreach/m/{message.web_key}/" in archive
    assert lead.get(f"/outreach/m/{message.web_key}/").status_code == 200
    assert lead.get("/outreach/m/guessed-key/").status_code == 404


def test_drafts_have_no_web_version_and_private_messages_are_not_in_the_archive(
    client, users, make_contact
):
    make_contact("gp@example.org", ["gps"])
    draft = actions.save_message(
        by=users["qi_lead"],
        kind="bulletin",
        subject="Draft",
        body="x",
        audiences=["gps"],
        public=True,
    )
    assert client.get(f"/outreach/m/{draft.web_key}/").status_code == 404
    private = actions.save_message(
        by=users["qi_lead"],
        kind="bulletin",
        subject="Private one",
        body="x",
        audiences=["gps"],
        public=False,
    )
    actions.send_message(message=private, by=users["qi_lead"])
    assert b"Private one" not in client.get("/outreach/archive/").content
    assert client.get(f"/outreach/m/{private.web_key}/").status_code == 200


def test_copy_and_discard(lead, users):
    message = actions.save_message(
        by=users["qi_lead"],
        kind="bulletin",
        subject="Spring",
        body="x",
        audiences=["gps"],
        public=False,
    )
    response = lead.post(f"/outreach/messages/{message.pk}/copy/")
    copy = Message.objects.exclude(pk=message.pk).get()
    assert response["Location"] == f"/outreach/messages/{copy.pk}/edit/"
    assert copy.subject == "Spring" and copy.web_key != message.web_key
    lead.post(f"/outreach/messages/{message.pk}/discard/")
    message.refresh_from_db()
    assert message.status == MessageStatus.DISCARDED
    response = lead.post(f"/outreach/messages/{message.pk}/send/", follow=True)
    assert b"already discarded" in response.content


def test_the_buttons_need_post_and_permission(client, users, make_contact):
    message = actions.save_message(
        by=users["qi_lead"], kind="bulletin", subject="S", body="x", audiences=["gps"], public=False
    )
    client.force_login(users["qi_lead"])
    assert client.get(f"/outreach/messages/{message.pk}/send/").status_code == 405
    client.force_login(users["cdop_admin"])
    assert client.post(f"/outreach/messages/{message.pk}/send/").status_code == 403
    message.refresh_from_db()
    assert message.status == MessageStatus.DRAFT

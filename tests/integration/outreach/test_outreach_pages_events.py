"""Events through the real views and links: planning, invitations, registration through the
personal link, capacity, materials, attendance, the feedback survey and its summary; topics
proposed on the public form and voted on; and the summary for the quarterly review."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ncmd.learning.outreach import actions
from ncmd.learning.outreach.models import (
    Event,
    EventStatus,
    FeedbackResponse,
    Registration,
    TopicProposal,
    TopicStatus,
    TopicVote,
)
from ncmd.learning.outreach.summary import events_between
from ncmd.registry.models import AuditEvent

PORTAL = "http://127.0.0.1:8000"


@pytest.fixture
def lead(client, users):
    client.force_login(users["qi_lead"])
    return client


def _path(url):
    return url.replace(PORTAL, "")


def _link(email, pattern):
    return _path(re.search(pattern, email.body).group(0))


def _happened(event):
    """Move the event into the past, as time would."""
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )


def test_an_event_from_plan_to_feedback(lead, client, users, make_contact, settings):
    settings.NCMD_PORTAL_URL = PORTAL
    teacher = make_contact("teacher@example.org", ["teachers"], name="Tara Teacher")
    make_contact("head@example.org", ["teachers"], name="Hal Head")
    make_contact("nope@example.org", ["teachers"], consent=False)
    make_contact("officer@example.org", ["police"])
    start = (timezone.localtime() + datetime.timedelta(days=20)).replace(hour=14, minute=0)
    response = lead.post("/outreach/events/new/", {
        "title": "Water safety for schools", "kind": "webinar", "audiences": ["teachers"],
        "starts_at": start.strftime("%Y-%m-%d %H:%M"),
        "ends_at": start.strftime("%Y-%m-%d") + " 13:00", "capacity": "1",
    })  # fmt: skip
    assert b"must end after it starts" in response.content
    response = lead.post("/outreach/events/new/", {
        "title": "Water safety for schools", "kind": "webinar", "audiences": ["teachers"],
        "starts_at": start.strftime("%Y-%m-%d %H:%M"),
        "ends_at": start.strftime("%Y-%m-%d") + " 15:00", "capacity": "1",
        "joining_details": "Join at https://meet.example.org/water",
    })  # fmt: skip
    event = Event.objects.get()
    assert response["Location"] == f"/outreach/events/{event.pk}/"
    lead.post(f"/outreach/events/{event.pk}/invite/")
    assert sorted(m.to[0] for m in mail.outbox) == ["head@example.org", "teacher@example.org"]
    response = lead.post(f"/outreach/events/{event.pk}/invite/", follow=True)
    assert b"they are sent once" in response.content and len(mail.outbox) == 2
    invitation = next(m for m in mail.outbox if m.to == ["teacher@example.org"])
    register = _link(invitation, r"http://\S+/outreach/e/\S+/")
    lead.logout()
    page = client.get(register).content.decode()
    assert "Water safety for schools" in page and "meet.example.org" not in page
    page = client.post(register, {"do": "register"}).content.decode()
    assert "You are registered" in page and "meet.example.org/water" in page
    # Full: the second person is refused.
    other = next(m for m in mail.outbox if m.to == ["head@example.org"])
    page = client.post(_link(other, r"http://\S+/outreach/e/\S+/"), {"do": "register"})
    assert b"This event is full" in page.content
    assert Registration.objects.get().contact == teacher
    # Materials: a real PDF is kept, a disguised file is refused.
    client.force_login(users["qi_lead"])
    pdf = SimpleUploadedFile("slides.pdf", b"%PDF-1.4 slides", content_type="application/pdf")
    client.post(f"/outreach/events/{event.pk}/material/", {"title": "Slides", "file": pdf})
    fake = SimpleUploadedFile("evil.pdf", b"<html><script>", content_type="application/pdf")
    response = client.post(f"/outreach/events/{event.pk}/material/", {"title": "X", "file": fake},
                           follow=True)  # fmt: skip
    assert b"is not a real .pdf file" in response.content
    exe = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(f"/outreach/events/{event.pk}/material/", {"title": "X", "file": exe},
                           follow=True)  # fmt: skip
    assert b"files of this type cannot be added" in response.content
    material = event.materials.get()
    client.logout()
    download = client.get(f"{register}materials/{material.pk}/")
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 slides"
    unregistered = _link(other, r"http://\S+/outreach/e/\S+/")
    assert client.get(f"{unregistered}materials/{material.pk}/").status_code == 404

    client.force_login(users["qi_lead"])
    response = client.post(f"/outreach/events/{event.pk}/held/", follow=True)
    assert b"has not started yet" in response.content
    _happened(event)
    client.post(f"/outreach/events/{event.pk}/held/")
    registration = Registration.objects.get()
    client.post(f"/outreach/events/{event.pk}/attendance/", {"attended": [registration.pk]})
    registration.refresh_from_db()
    assert registration.attended is True
    mail.outbox.clear()
    client.post(f"/outreach/events/{event.pk}/feedback/")
    assert [m.to for m in mail.outbox] == [["teacher@example.org"]]
    survey = _link(mail.outbox[0], r"http://\S+/outreach/f/\S+/")
    client.logout()
    response = client.post(survey, {"overall": "9"})
    assert b"There is a problem" in response.content
    client.post(survey, {"overall": "4", "usefulness": "5", "will_change_practice": "yes",
                         "comments": "Very practical."})  # fmt: skip
    assert (
        client.post(
            survey, {"overall": "1", "usefulness": "1", "will_change_practice": "no"}
        ).status_code
        == 200
    )
    assert FeedbackResponse.objects.get().overall == 4  # one response per attendee
    client.force_login(users["qi_lead"])
    page = client.get(f"/outreach/events/{event.pk}/").content.decode()
    assert "1 of 1 attendees (100%)" in page and "Very practical." in page
    summary = events_between(timezone.localdate() - datetime.timedelta(days=1),
                             timezone.localdate())  # fmt: skip
    assert len(summary) == 1
    assert (summary[0].registered, summary[0].attended, summary[0].feedback_responses,
            summary[0].mean_feedback_score) == (1, 1, 1, 4.0)  # fmt: skip
    assert summary[0].audiences == ["Teachers and schools"] and summary[0].kind == "Webinar"
    audited = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"create_event", "send_event_invitations", "register_for_event", "add_event_material",
            "move_event", "record_event_attendance", "request_event_feedback",
            "submit_event_feedback"} <= audited  # fmt: skip


def test_platform_users_register_and_see_materials(client, users):
    start = timezone.now() + datetime.timedelta(days=3)
    event = actions.save_event(
        by=users["qi_lead"], title="Safer sleep for health visitors", kind="training_day",
        description="", starts_at=start, ends_at=start + datetime.timedelta(hours=6),
        audiences=["health_visitors"], topic=None, capacity=None, location="Leeds",
        joining_details="",
    )  # fmt: skip
    actions.add_material(event=event, title="Agenda", url="https://example.org/agenda",
                         by=users["qi_lead"])  # fmt: skip
    material = event.materials.get()
    client.force_login(users["partner_contact"])
    assert client.get(f"/outreach/events/{event.pk}/materials/{material.pk}/").status_code == 404
    page = client.get("/outreach/mine/").content.decode()
    assert "Safer sleep for health visitors" in page
    client.post(f"/outreach/events/{event.pk}/my-registration/", {"do": "register"})
    assert Registration.objects.get().user == users["partner_contact"]
    response = client.get(f"/outreach/events/{event.pk}/materials/{material.pk}/")
    assert response.status_code == 302 and response["Location"] == "https://example.org/agenda"
    client.post(f"/outreach/events/{event.pk}/my-registration/", {"do": "cancel"})
    assert not Registration.objects.exists()
    assert client.get(f"/outreach/events/{event.pk}/").status_code == 403


def test_cancelled_events_are_left_out_of_the_summary(users):
    start = timezone.now() + datetime.timedelta(days=3)
    event = actions.save_event(by=users["qi_lead"], title="Cancelled", kind="webinar",
                               starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                               audiences=["police"])  # fmt: skip
    assert len(events_between(start.date(), start.date())) == 1
    actions.move_event(event=event, status=EventStatus.CANCELLED, by=users["qi_lead"])
    assert events_between(start.date(), start.date()) == []
    with pytest.raises(actions.OutreachRefused, match="cannot become held"):
        actions.move_event(event=event, status=EventStatus.HELD, by=users["qi_lead"])


def test_topics_proposed_in_public_and_voted_on(client, users, make_contact, settings):
    settings.NCMD_OUTREACH_PROPOSALS_PER_HOUR = 2
    response = client.post("/outreach/topics/propose/", {"title": ""})
    assert response.status_code == 400 and b"There is a problem" in response.content
    client.post("/outreach/topics/propose/", {"title": "Spam", "website": "http://spam"})
    assert not TopicProposal.objects.exists()  # the honeypot caught a program
    response = client.post("/outreach/topics/propose/", {
        "title": "Button batteries in the home", "audiences": ["early_years"],
        "proposer_name": "Ellie", "proposer_email": "ellie@example.org",
    })  # fmt: skip
    assert b"Thank you for your proposal" in response.content
    client.post("/outreach/topics/propose/", {"title": "Second"})
    response = client.post("/outreach/topics/propose/", {"title": "Third"})
    assert b"Too many proposals" in response.content
    assert TopicProposal.objects.count() == 2
    topic = TopicProposal.objects.get(title="Button batteries in the home")
    assert topic.status == TopicStatus.PROPOSED
    assert AuditEvent.objects.filter(action="propose_topic", actor="system").count() == 2

    client.force_login(users["qi_lead"])
    response = client.post(f"/outreach/topics/{topic.pk}/decide/", {"status": "declined"},
                           follow=True)  # fmt: skip
    assert b"Give a reason" in response.content
    client.post(f"/outreach/topics/{topic.pk}/decide/", {"status": "open"})
    topic.refresh_from_db()
    assert topic.status == TopicStatus.OPEN
    client.logout()

    contact = make_contact("nursery@example.org", ["early_years"])
    from ncmd.learning.outreach.mail import vote_url

    link = vote_url(contact).replace(settings.NCMD_PORTAL_URL, "")
    page = client.get(link).content.decode()
    assert "Button batteries in the home" in page and "Second" not in page
    client.post(link, {"topic": topic.pk})
    client.post(link, {"topic": topic.pk})
    assert TopicVote.objects.filter(proposal=topic).count() == 1
    assert b"You voted for this topic" in client.get(link).content
    assert client.get(link[:-5] + "xxxx/").status_code == 400  # an altered link
    # Planning an event on the topic schedules it.
    start = timezone.now() + datetime.timedelta(days=30)
    actions.save_event(by=users["qi_lead"], title="Button batteries", kind="webinar",
                       starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                       audiences=["early_years"], topic=topic)  # fmt: skip
    topic.refresh_from_db()
    assert topic.status == TopicStatus.SCHEDULED
    response = client.post(link, {"topic": topic.pk})
    assert b"Voting on this topic has closed" in response.content

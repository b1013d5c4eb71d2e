"""Refusals at every door: the team's buttons need the permission and POST, and every personal
link refuses a made-up or altered token without saying anything about anyone."""

import datetime

import pytest
from django.utils import timezone

from ncmd.learning.outreach import actions, tokens
from ncmd.learning.outreach.models import Event, EventStatus, FeedbackResponse


@pytest.fixture
def event(users):
    start = timezone.now() + datetime.timedelta(days=5)
    return actions.save_event(by=users["qi_lead"], title="Webinar", kind="webinar",
                              starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                              audiences=["police"])  # fmt: skip


@pytest.mark.parametrize("verb", ["invite", "held", "cancel", "feedback", "attendance",
                                  "register", "material"])  # fmt: skip
def test_event_buttons_need_the_permission(client, users, event, verb):
    client.force_login(users["partner_contact"])
    assert client.post(f"/outreach/events/{event.pk}/{verb}/").status_code == 403
    client.force_login(users["qi_lead"])
    assert client.get(f"/outreach/events/{event.pk}/{verb}/").status_code == 405
    event.refresh_from_db()
    assert event.status == EventStatus.SCHEDULED and event.invitations_sent_at is None


@pytest.mark.parametrize("prefix", ["u", "e", "f", "v", "t"])
def test_made_up_links_are_refused(client, db, prefix):
    response = client.get(f"/outreach/{prefix}/eyJjIjoxfQ:1abc:forged/")
    assert response.status_code == 400
    assert b"This link does not work" in response.content


def test_an_event_link_for_someone_else_is_still_only_theirs(client, users, event, make_contact):
    one = make_contact("one@example.org", ["police"], name="Olive One")
    two = make_contact("two@example.org", ["police"], name="Tariq Two")
    actions.register_for_event(event=event, contact=two, by=None)
    page = client.get(f"/outreach/e/{tokens.make('event', c=one.pk, e=event.pk)}/")
    text = page.content.decode()
    assert "Register" in text and "You are registered" not in text
    assert "Tariq" not in text and "two@example.org" not in text


def test_registration_closes_when_the_event_starts(client, users, event, make_contact):
    contact = make_contact("late@example.org", ["police"])
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        ends_at=timezone.now() + datetime.timedelta(minutes=55),
    )
    link = f"/outreach/e/{tokens.make('event', c=contact.pk, e=event.pk)}/"
    response = client.post(link, {"do": "register"})
    assert b"Registration for this event has closed" in response.content
    assert not event.registrations.exists()


def test_feedback_is_only_for_attendees(client, users, event, make_contact):
    contact = make_contact("absent@example.org", ["police"])
    registration = actions.register_for_event(event=event, contact=contact, by=None)
    link = f"/outreach/f/{tokens.make('feedback', r=registration.pk)}/"
    response = client.post(link, {"overall": "5", "usefulness": "5",
                                  "will_change_practice": "yes"})  # fmt: skip
    assert b"for people who attended" in response.content
    assert not FeedbackResponse.objects.exists()


def test_attendance_waits_for_the_event_to_be_held(client, users, event):
    client.force_login(users["qi_lead"])
    response = client.post(f"/outreach/events/{event.pk}/attendance/", follow=True)
    assert b"Mark the event as held before recording attendance" in response.content

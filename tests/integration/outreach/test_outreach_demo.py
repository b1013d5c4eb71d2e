"""The demonstration data load through the actions, once, and make every page worth opening."""

from django.core import mail
from django.core.management import call_command

from ncmd.learning.outreach.demo import demo_counts, load_outreach_demo
from ncmd.learning.outreach.models import (
    Event,
    EventStatus,
    MapTheme,
    Message,
    MessageStatus,
    TrainingModule,
)
from ncmd.learning.outreach.summary import events_between


def test_the_demo_loads_once_and_sends_nothing(db, capsys):
    assert load_outreach_demo() is True
    counts = demo_counts()
    assert load_outreach_demo() is False
    assert demo_counts() == counts
    assert counts["organisations"] == 12 and counts["contacts"] == 16
    assert not getattr(mail, "outbox", [])
    sent = Message.objects.get(status=MessageStatus.SENT)
    # Midwives, health visitors and GPs who consented and did not unsubscribe.
    assert sorted(sent.deliveries.values_list("email", flat=True)) == [
        "ben.okafor@example.org", "carys.jones@example.org", "eilidh.fraser@example.org",
        "oliver.hughes@example.org",
    ]  # fmt: skip
    held = Event.objects.get(status=EventStatus.HELD)
    summary = next(s for s in events_between(held.starts_at.date(), held.starts_at.date()))
    assert (summary.registered, summary.attended, summary.feedback_responses) == (4, 3, 2)
    assert summary.mean_feedback_score == 4.5
    call_command("outreach", "demo")
    assert "Already loaded" in capsys.readouterr().out


def test_the_demo_pages_open(db, client, users):
    load_outreach_demo()
    client.force_login(users["national_admin"])
    event = Event.objects.get(status=EventStatus.HELD)
    message = Message.objects.get(status=MessageStatus.SENT)
    theme, module = MapTheme.objects.first(), TrainingModule.objects.first()
    for page in ["/outreach/", "/outreach/stakeholders/", "/outreach/stakeholders/map/",
                 f"/outreach/stakeholders/map/?theme={theme.pk}", f"/outreach/events/{event.pk}/",
                 f"/outreach/messages/{message.pk}/", "/outreach/topics/", "/outreach/training/",
                 f"/outreach/training/{module.pk}/", "/outreach/mine/", "/outreach/archive/",
                 "/outreach/topics/propose/"]:  # fmt: skip
        assert client.get(page).status_code == 200, page

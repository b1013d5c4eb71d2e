"""Reminders go to the addressed organisations' contacts through a real SMTP server on loopback
(aiosmtpd), once a day at most, and stop once the organisation has given its update."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from ncmd.learning import actions
from ncmd.learning.models import Addressee, Reminder
from ncmd.registry import actions as registry_actions
from ncmd.registry.models import AuditEvent


@pytest.fixture
def contacts(users, world):
    for name, address in [
        ("partner_contact", "nhse@example.org"),
        ("cdop_admin", "tees-admin@example.org"),
        ("cdop_member", "tees-member@example.org"),
        ("other_partner_contact", "dfe@example.org"),
    ]:
        users[name].email = address
        users[name].save()
    registry_actions.create_user(
        username="nhse-2",
        role="partner_contact",
        organisation=world["nhse"],
        email="nhse-2@example.org",
        by=None,
    )


def test_reminders_are_sent_when_due_once_a_day_and_stop_after_an_update(
    smtp, contacts, issued, world, users, capsys
):
    due = Addressee.objects.get(recommendation=issued, organisation=world["nhse"]).next_update_due
    call_command("learning", "reminders", "--date", (due - datetime.timedelta(days=1)).isoformat())
    assert smtp.messages == []
    call_command("learning", "reminders", "--date", due.isoformat())
    assert "Sent 2 reminders." in capsys.readouterr().out
    recipients = sorted(r for r, _ in smtp.messages)
    # CDOP members cannot update recommendations, so they are not asked to.
    assert recipients == [["nhse-2@example.org", "nhse@example.org"], ["tees-admin@example.org"]]
    message = next(m for r, m in smtp.messages if "nhse@example.org" in r)
    assert message["Subject"] == f"Update due: {issued}"
    body = message.get_body().get_content()
    assert "Give safer sleep advice at every contact." in body
    assert f"http://127.0.0.1:8000/learning/recommendations/{issued.pk}/" in body
    assert AuditEvent.objects.filter(action="send_learning_reminder").count() == 2

    call_command("learning", "reminders", "--date", due.isoformat())  # again the same day
    call_command("learning", "reminders", "--date", (due + datetime.timedelta(days=3)).isoformat())
    assert len(smtp.messages) == 2 and Reminder.objects.count() == 2

    addressee = Addressee.objects.get(recommendation=issued, organisation=world["nhse"])
    later = datetime.datetime.combine(
        due + datetime.timedelta(days=5), datetime.time(9), tzinfo=datetime.UTC
    )
    actions.move_recommendation(
        addressee=addressee, to="acknowledged", by=users["partner_contact"], at=later
    )
    call_command("learning", "reminders", "--date", (due + datetime.timedelta(days=8)).isoformat())
    assert [r for r, _ in smtp.messages[2:]] == [["tees-admin@example.org"]]


def test_plan_actions_due_for_review_are_reminded(smtp, contacts, world, users):
    qi = users["qi_lead"]
    stream = actions.add_workstream(goal=actions.add_goal(title="G", by=qi), title="W", by=qi)
    actions.add_plan_action(
        workstream=stream,
        text="Publish the crib sheet.",
        by=qi,
        partners={world["dfe"]: "lead"},
        next_review_on=datetime.date(2025, 5, 1),
    )
    call_command("learning", "reminders", "--date", "2025-05-01")
    [(recipients, message)] = smtp.messages
    assert recipients == ["dfe@example.org"]
    assert "Publish the crib sheet." in message.get_body().get_content()
    assert "leads" in message.get_body().get_content()


def test_a_bad_date_is_a_clear_error():
    with pytest.raises(CommandError, match="not a date"):
        call_command("learning", "reminders", "--date", "tomorrow")

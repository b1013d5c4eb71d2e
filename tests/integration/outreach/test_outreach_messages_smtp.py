"""A safety message through a real SMTP server on loopback: it reaches exactly the consenting,
subscribed members of the chosen audiences; the unsubscribe link in the e-mail works without
signing in; the next message does not reach that contact; and nothing is sent twice."""

import re

import pytest
from django.core.management import call_command

from ncmd.learning.outreach import actions
from ncmd.learning.outreach.models import Delivery, DeliveryStatus, MessageStatus
from ncmd.registry.models import AuditEvent


@pytest.fixture
def people(make_contact):
    c = make_contact
    return {
        "midwife": c("midwife@example.org", ["midwives"]),
        "gp": c("gp@example.org", ["gps"]),
        "both": c("both@example.org", ["midwives", "gps"]),
        "no_consent": c("noconsent@example.org", ["midwives"], consent=False),
        "police": c("police@example.org", ["police"]),
        "left_all": c("left-all@example.org", ["midwives"]),
        "left_gps": c("left-gps@example.org", ["gps"]),
        "left_one": c("left-one@example.org", ["gps", "midwives"]),
    }


def _message(users, subject="Safe sleep: new guidance", audiences=("midwives", "gps")):
    return actions.save_message(
        by=users["qi_lead"], kind="safety_message", subject=subject,
        body="# Safe sleep\n\nPlace babies **on their back**. <b>raw</b>", audiences=list(
            audiences), public=False,
    )  # fmt: skip


def test_a_safety_message_reaches_exactly_the_consenting_subscribed_members(
    smtp, people, users, client
):
    actions.unsubscribe(contact=people["left_all"], by=None)
    actions.unsubscribe(contact=people["left_gps"], by=None, audiences=["gps"])
    actions.unsubscribe(contact=people["left_one"], by=None, audiences=["gps"])
    message = _message(users)
    sent, failed = actions.send_message(message=message, by=users["qi_lead"])
    expected = ["both@example.org", "gp@example.org", "left-one@example.org",
                "midwife@example.org"]  # fmt: skip
    assert (sent, failed) == (4, 0)
    assert smtp.recipients() == expected
    assert all(len(to) == 1 for to, _ in smtp.messages)  # one e-mail per recipient
    email = smtp.to("midwife@example.org")[0]
    assert email["Subject"] == "Safe sleep: new guidance"
    html = email.get_body(("html",)).get_content()
    text = email.get_body(("plain",)).get_content()
    assert "<strong>on their back</strong>" in html and "&lt;b&gt;raw&lt;/b&gt;" in html
    assert "**on their back**" in text
    link = re.search(r"Unsubscribe: (http://testserver(/outreach/u/\S+/))", text)
    assert email["List-Unsubscribe"].strip() == f"<{link.group(1)}>"
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Each recipient's link is their own.
    other = smtp.to("gp@example.org")[0].get_body(("plain",)).get_content()
    assert link.group(1) not in other
    web = re.search(r"Read this online: http://testserver(\S+)", text).group(1)
    page = client.get(web)
    assert page.status_code == 200 and b"Safe sleep" in page.content
    assert b"midwife@example.org" not in page.content

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.sent_by == users["qi_lead"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}
    actions_audited = set(AuditEvent.objects.filter(object_type="Message").values_list(
        "action", flat=True))  # fmt: skip
    assert {"create_message", "move_message", "deliver_message"} <= actions_audited

    # Unsubscribing from the link in the e-mail, without signing in.
    path = link.group(2)
    page = client.get(path)
    assert page.status_code == 200 and b"Unsubscribe" in page.content
    people["midwife"].refresh_from_db()
    assert people["midwife"].unsubscribed_at is None  # opening the link changes nothing
    page = client.post(path, {"scope": "all"})
    assert b"You are unsubscribed" in page.content
    people["midwife"].refresh_from_db()
    assert people["midwife"].unsubscribed_at is not None
    event = AuditEvent.objects.get(action="unsubscribe_contact", object_id=str(
        people["midwife"].pk))  # fmt: skip
    assert event.actor == f"contact {people['midwife'].pk}" and event.detail == {"via": "link"}

    smtp.messages.clear()
    actions.send_message(message=_message(users, subject="Second message"), by=users["qi_lead"])
    assert smtp.recipients() == ["both@example.org", "gp@example.org", "left-one@example.org"]


def test_one_click_unsubscribe_from_the_mail_program(smtp, people, users, client):
    actions.send_message(message=_message(users, audiences=["police"]), by=users["qi_lead"])
    email = smtp.to("police@example.org")[0]
    url = email["List-Unsubscribe"].strip().strip("<>").replace("http://testserver", "")
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    people["police"].refresh_from_db()
    assert people["police"].unsubscribed_at is not None


def test_unsubscribing_from_the_message_audiences_only(smtp, people, users, client):
    actions.send_message(message=_message(users, audiences=["gps"]), by=users["qi_lead"])
    text = smtp.to("both@example.org")[0].get_body(("plain",)).get_content()
    path = re.search(r"Unsubscribe: http://testserver(\S+)", text).group(1)
    client.post(path, {"scope": "audiences"})
    people["both"].refresh_from_db()
    assert people["both"].unsubscribed_at is None
    assert people["both"].unsubscribed_audiences == ["gps"]
    smtp.messages.clear()
    actions.send_message(message=_message(users, audiences=["midwives", "gps"]),
                         by=users["qi_lead"])  # fmt: skip
    assert "both@example.org" in smtp.recipients()  # still a midwife


def test_sending_twice_sends_once_and_a_sent_message_is_frozen(smtp, people, users):
    message = _message(users, audiences=["police"])
    actions.send_message(message=message, by=users["qi_lead"])
    with pytest.raises(actions.OutreachRefused, match="already sent"):
        actions.send_message(message=message, by=users["qi_lead"])
    with pytest.raises(actions.OutreachRefused, match="no longer be changed"):
        actions.save_message(
            by=users["qi_lead"],
            message=message,
            kind="bulletin",
            subject="Changed",
            body="x",
            audiences=["police"],
            public=False,
        )
    with pytest.raises(actions.OutreachRefused, match="no failed deliveries"):
        actions.retry_failed(message=message, by=users["qi_lead"])
    assert len(smtp.messages) == 1


def test_failed_deliveries_are_recorded_and_retried(smtp, people, users, settings):
    message = _message(users, audiences=["police"])
    settings.EMAIL_PORT = 1  # nothing listens there
    assert actions.send_message(message=message, by=users["qi_lead"]) == (0, 1)
    delivery = Delivery.objects.get(message=message)
    assert delivery.status == DeliveryStatus.FAILED and delivery.error
    settings.EMAIL_PORT = smtp.port
    assert actions.retry_failed(message=message, by=users["qi_lead"]) == (1, 0)
    assert smtp.recipients() == ["police@example.org"]


def test_nobody_to_send_to_is_refused(smtp, make_contact, users):
    make_contact("x@example.org", ["teachers"], consent=False)
    message = _message(users, audiences=["teachers"])
    with pytest.raises(actions.OutreachRefused, match="consented"):
        actions.send_message(message=message, by=users["qi_lead"])
    message.refresh_from_db()
    assert message.status == MessageStatus.DRAFT and not smtp.messages


def test_a_forged_or_altered_link_is_refused(client, people):
    response = client.get("/outreach/u/not-a-real-token/")
    assert response.status_code == 400 and b"not valid" in response.content


def test_a_part_sent_message_is_finished_by_the_deliver_command(smtp, people, users, capsys):
    message = actions.start_sending(message=_message(users, audiences=["gps"]), by=users["qi_lead"])
    first = Delivery.objects.filter(message=message).order_by("email").first()
    Delivery.objects.filter(pk=first.pk).update(status=DeliveryStatus.SENT, attempts=1)
    call_command("outreach", "deliver")
    assert "Safe sleep: new guidance: 3 sent, 0 failed." in capsys.readouterr().out
    assert first.email not in smtp.recipients() and len(smtp.recipients()) == 3
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    call_command("outreach", "deliver")
    assert "No message is waiting" in capsys.readouterr().out

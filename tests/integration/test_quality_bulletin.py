"""The monthly bulletin, sent through a real SMTP server on loopback (aiosmtpd)."""

import datetime

import pytest
from django.core.management import call_command

from ncmd.dictionary.identifiers import with_check_digit
from ncmd.quality.compute import compute_quality
from ncmd.registry import actions
from ncmd.registry.models import AuditEvent
from ncmd.snapshots.actions import freeze_snapshot

DIED = datetime.datetime(2024, 3, 2, 4, 30, tzinfo=datetime.UTC)


@pytest.fixture
def results(settings, tmp_path, notify, world, users):
    settings.NCMD_SNAPSHOT_DIR = tmp_path
    numbers = (with_check_digit(f"999{n:06d}") for n in range(300, 400))
    numbers = (n for n in numbers if n)
    for hours in (10, 20, 90):
        notify(at=DIED + datetime.timedelta(hours=hours), nhs_number=next(numbers))
    for hours in (5, 6, 7, 8):
        notify(cdop=world["camden"], by=users["other_cdop_admin"], nhs_number=next(numbers),
               at=DIED + datetime.timedelta(hours=hours), home_postcode="NW1 1AA")  # fmt: skip
    users["cdop_admin"].email = "tees-admin@example.org"
    users["cdop_admin"].save()
    users["other_cdop_admin"].email = "camden-admin@example.org"
    users["other_cdop_admin"].save()
    actions.create_user(username="tees-member", role="cdop_member", organisation=world["tees"],
                        email="member@example.org", by=None)  # fmt: skip
    snapshot = freeze_snapshot(by=None)
    compute_quality(snapshot.folder)
    return snapshot


def test_each_cdop_gets_its_own_bulletin_and_nothing_of_another(smtp, results, capsys):
    call_command("bulletin", "send", "--period", "2024-03")
    assert len(smtp.messages) == 2
    by_recipient = {tuple(to): message for to, message in smtp.messages}
    tees = by_recipient[("tees-admin@example.org",)]
    assert tees["Subject"] == "Tees CDOP: child death review data quality, March 2024"
    text = tees.get_body(("plain",)).get_content()
    html = tees.get_body(("html",)).get_content()
    for body in (text, html):
        assert "Deaths notified within 48 hours" in body
        assert "66.7%" in body  # Tees: 2 of 3 within 48 hours
        assert "85.7%" in body  # England: 6 of 7
        assert "Camden" not in body and "100.0%" not in body.split("Deaths notified")[1][:80]
        assert "/quality/CDOP001/" in body
    assert "Records to fix on your worklist:" in text
    camden = by_recipient[("camden-admin@example.org",)]
    assert "Tees" not in camden.get_body(("plain",)).get_content()
    assert "member@example.org" not in str([to for to, _ in smtp.messages])  # admins only
    assert AuditEvent.objects.filter(action="send_bulletin").count() == 2


def test_a_bulletin_is_not_sent_twice_by_mistake(smtp, results, capsys):
    call_command("bulletin", "send", "--period", "2024-03", "--cdop", "CDOP001")
    call_command("bulletin", "send", "--period", "2024-03", "--cdop", "CDOP001")
    assert len(smtp.messages) == 1
    assert "already sent for this month" in capsys.readouterr().out
    call_command("bulletin", "send", "--period", "2024-03", "--cdop", "CDOP001", "--resend")
    assert len(smtp.messages) == 2


def test_bad_periods_and_codes_get_a_clear_message(results):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="must be a month like 2025-03"):
        call_command("bulletin", "send", "--period", "March")
    with pytest.raises(CommandError, match="No CDOP with the code CDOP999"):
        call_command("bulletin", "send", "--period", "2024-03", "--cdop", "CDOP999")

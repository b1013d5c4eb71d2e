"""Reminders after release, sent through a real SMTP server on loopback, and the generated
lifecycle page."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from ncmd.access import actions
from ncmd.access.models import RequestStatus, StatusChange
from tests.integration.access.access_fixtures import apply, approve, review


def released(researchers, snapshot, days):
    reviewer = researchers["data_access_reviewer"]
    request = approve(review(apply(researchers["researcher"]), reviewer), reviewer, days=days)
    extract = actions.build_extract(request=request, snapshot=snapshot, by=reviewer)
    return actions.release_extract(extract=extract, by=reviewer)


def test_reminders_before_expiry_at_expiry_and_when_destruction_is_late(
    smtp, researchers, snapshot, capsys
):
    researchers["researcher"].email = "researcher@uni.example.ac.uk"
    researchers["researcher"].save()
    researchers["data_access_reviewer"].email = "dar@ncmd.example.org"
    researchers["data_access_reviewer"].save()
    request = released(researchers, snapshot, days=20)
    call_command("access", "reminders")
    assert len(smtp.messages) == 1
    to, message = smtp.messages[0]
    assert to == ["researcher@uni.example.ac.uk"]
    assert f"{request.reference} ends on" in message["Subject"]
    assert "Apply for an extension" in message.get_content()
    call_command("access", "reminders")  # the same day again: nothing twice
    assert len(smtp.messages) == 1
    assert "0 reminders sent." in capsys.readouterr().out.splitlines()[-1]

    # the approval ends: the request is closed by the system and destruction is asked for
    request.expires_on = datetime.date.today() - datetime.timedelta(days=1)
    request.save()
    call_command("access", "reminders")
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    assert StatusChange.objects.get(request=request, transition="close").by_role == "system"
    to, message = smtp.messages[-1]
    assert "Destroy the data" in message["Subject"] and to == ["researcher@uni.example.ac.uk"]

    # the declaration is late: the applicant and the reviewers hear, once a week
    request.destruction_due_on = datetime.date.today() - datetime.timedelta(days=1)
    request.save()
    call_command("access", "reminders")
    to, message = smtp.messages[-1]
    assert message["Subject"].startswith("Overdue")
    assert to == ["dar@ncmd.example.org", "researcher@uni.example.ac.uk"]
    count = len(smtp.messages)
    call_command("access", "reminders")
    assert len(smtp.messages) == count
    assert "CD-" not in "".join(m.get_content() for _, m in smtp.messages)  # no case data


def test_the_lifecycle_page_is_current():
    call_command("access", "docs", "--check")


def test_a_bad_date_is_refused_clearly(db):
    with pytest.raises(CommandError, match="give a date as YYYY-MM-DD"):
        call_command("access", "reminders", "--date", "2026-13-01")


def test_reminders_can_run_as_on_another_day(smtp, researchers, snapshot):
    researchers["researcher"].email = "researcher@uni.example.ac.uk"
    researchers["researcher"].save()
    request = released(researchers, snapshot, days=100)
    call_command("access", "reminders")
    assert smtp.messages == []  # 100 days ahead: not yet
    later = request.expires_on - datetime.timedelta(days=10)
    call_command("access", "reminders", "--date", later.isoformat())
    assert len(smtp.messages) == 1 and "ends on" in smtp.messages[0][1]["Subject"]

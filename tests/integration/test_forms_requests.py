"""Requesting reporting forms: the e-mailed sign-in link (through a real SMTP server on
loopback), what the link opens and what it does not, expiry and single use, the CDOP's list of
requests, reminders by hand and by `ncmd send_reminders`."""

import datetime
import email
import io
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ncmd.registry import actions as registry
from ncmd.registry.models import AuditEvent, FormRequest, Role, User
from ncmd.submissions import actions
from ncmd.submissions.models import Reminder, RequestLink


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content)
        self.messages.append((envelope.rcpt_tos, message["Subject"], message.get_payload()))
        return "250 OK"


@pytest.fixture
def inbox(settings):
    """A real SMTP server on loopback that the platform sends its e-mail to."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield handler.messages
    controller.stop()


@pytest.fixture
def case(notify):
    return notify()


def _link_in(body):
    return re.search(r"http://testserver(/link/[A-Za-z0-9_-]+/)", body).group(1)


def _request(client, case, **data):
    return client.post(reverse("request_reporting_forms", args=[case.reference]), data)


def test_the_page_offers_the_regions_agencies_ticking_those_involved(client, users, case, world):
    registry.save_organisation(
        code="AG9", name="Camden School", type="agency", parent=world["london"],
        agency_type="education", by=None,
    )  # fmt: skip
    client.force_login(users["cdop_admin"])
    html = client.get(reverse("request_reporting_forms", args=[case.reference])).content.decode()
    assert "Tees Hospital" in html and "Cleveland Police" in html
    assert "Camden School" not in html
    # The notification names acute health and the police as involved.
    assert 'value="AG0001" checked' in html and 'value="AG0002" checked' in html
    assert f'value="{users["agency_reporter"].pk}"' in html


def test_a_named_contact_gets_a_link_to_exactly_their_form(client, users, case, world, inbox):
    client.force_login(users["cdop_admin"])
    response = _request(
        client, case, agency=["AG0001", "AG0002"], **{
            "contact-AG0001": "new", "name-AG0001": "Nina Nurse",
            "email-AG0001": "nina@tees.example.nhs.uk", "contact-AG0002": "none",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert FormRequest.objects.filter(case=case).count() == 2
    [(to, subject, body)] = inbox
    assert to == ["nina@tees.example.nhs.uk"]
    assert case.reference in subject and "Ava" not in body and "9434765919" not in body
    path = _link_in(body)
    link = RequestLink.objects.get()
    assert path.split("/")[2] not in link.token_hash  # only the hash is kept
    assert link.expires_at - link.created_at == datetime.timedelta(days=28)

    client.logout()
    landing = client.get(path)  # opening the link spends nothing
    assert landing.status_code == 200 and b"Sign in and open the form" in landing.content
    assert RequestLink.objects.get().used_at is None
    response = client.post(path)
    form_url = reverse("fill_agency_form", args=[case.reference, "reporting", "AG0001"])
    assert response.url == form_url
    nina = User.objects.get(email="nina@tees.example.nhs.uk")
    assert nina.role == Role.AGENCY_REPORTER and nina.organisation == world["hospital"]
    assert not nina.has_usable_password()
    assert FormRequest.objects.get(agency=world["hospital"]).contact == nina
    assert AuditEvent.objects.filter(action="create_user", actor="system").exists()
    assert AuditEvent.objects.filter(action="sign_in_with_link", actor_id=nina.pk).exists()
    assert client.get(form_url).status_code == 200
    assert client.get(reverse("home")).url == form_url
    for other in [
        reverse("case_detail", args=[case.reference]),
        reverse("case_list"),
        reverse("fill_agency_form", args=[case.reference, "reporting", "AG0002"]),
        reverse("request_list"),
        reverse("notify_death"),
        reverse("password_change"),
    ]:
        assert client.get(other).status_code == 404, other
    assert client.post(path).url == form_url  # following it again in the same session

    client.logout()
    used = client.post(path)
    assert b"already been used" in used.content
    assert client.get(form_url).status_code == 302  # to sign in


def test_an_expired_link_does_not_sign_in(client, users, case, world, inbox):
    at = timezone.now() - datetime.timedelta(days=40)
    actions.request_reporting_forms(
        case=case, wanted={world["hospital"]: actions.Contact(name="N", email="n@example.org")},
        by=users["cdop_admin"], base_url="http://testserver", at=at,
    )  # fmt: skip
    response = client.post(_link_in(inbox[0][2]))
    assert b"This link has expired" in response.content
    assert not User.objects.filter(email="n@example.org").exists()


def test_a_wrong_token_is_not_found(client, world):
    response = client.get("/link/not-a-real-token/")
    assert response.status_code == 404 and b"This link is not valid" in response.content


def test_an_existing_reporter_is_linked_to_their_own_account(client, users, case, world, inbox):
    reporter = users["agency_reporter"]
    reporter.email = "rep@tees.example.nhs.uk"
    reporter.save()
    client.force_login(users["cdop_admin"])
    _request(client, case, agency=["AG0001"], **{"contact-AG0001": str(reporter.pk)})
    client.logout()
    client.post(_link_in(inbox[0][2]))
    assert client.session["_auth_user_id"] == str(reporter.pk)


def test_an_address_of_someone_elsewhere_is_refused(client, users, case, world, inbox):
    other = users["cdop_member"]
    other.email = "member@tees.example.org"
    other.save()
    client.force_login(users["cdop_admin"])
    response = _request(
        client, case, agency=["AG0001"],
        **{"contact-AG0001": "new", "name-AG0001": "M", "email-AG0001": "Member@tees.example.org"},
    )  # fmt: skip
    assert b"is the address of a user who does not report for Tees Hospital" in response.content
    assert not FormRequest.objects.exists() and not inbox


def test_mistakes_on_the_request_page_are_listed(client, users, case, world):
    client.force_login(users["cdop_admin"])
    html = _request(client, case, _due_days="0").content.decode()
    assert "Select at least one agency to request a form from." in html
    assert "Enter the number of days to return the form, 1 to 365." in html
    html = _request(
        client, case, agency=["AG0001"], **{"contact-AG0001": "new", "email-AG0001": "x@"}
    ).content.decode()
    assert "Enter the name and e-mail address of the contact at Tees Hospital." in html
    assert not FormRequest.objects.exists()


def test_when_the_mail_server_is_down_nothing_is_recorded(client, users, case, world, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket closes
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    client.force_login(users["cdop_admin"])
    html = _request(
        client, case, agency=["AG0001"],
        **{"contact-AG0001": "new", "name-AG0001": "N", "email-AG0001": "n@example.org"},
    ).content.decode()  # fmt: skip
    assert "could not be sent" in html and "nothing was recorded" in html
    assert not FormRequest.objects.exists() and not RequestLink.objects.exists()


@pytest.mark.parametrize("role", ["cdop_member", "agency_reporter", "national_analyst"])
def test_only_those_allowed_request_forms(client, users, case, role):
    client.force_login(users[role])
    url = reverse("request_reporting_forms", args=[case.reference])
    assert client.get(url).status_code in (403, 404)
    assert client.get(reverse("request_list")).status_code == 403


def _overdue(case, world, users, contact=None):
    at = timezone.now() - datetime.timedelta(days=30)
    wanted = {world["hospital"]: contact}
    return actions.request_reporting_forms(
        case=case, wanted=wanted, by=users["cdop_admin"], base_url="http://testserver", at=at
    )[0]


def test_the_list_shows_overdue_requests_and_sends_a_reminder_with_a_new_link(
    client, users, case, world, inbox
):
    request = _overdue(case, world, users, actions.Contact(name="N", email="n@example.org"))
    first = _link_in(inbox[0][2])
    client.force_login(users["cdop_admin"])
    html = client.get(reverse("request_list") + "?show=overdue").content.decode()
    assert "Overdue" in html and case.reference in html and "Never" in html
    response = client.post(reverse("send_reminder", args=[request.pk]))
    assert response.status_code == 302
    assert Reminder.objects.get().recipients == ["n@example.org"]
    assert inbox[1][0] == ["n@example.org"] and "Reminder" in inbox[1][1]
    second = _link_in(inbox[1][2])
    assert second != first
    assert AuditEvent.objects.filter(action="send_reminder").count() == 1
    client.logout()
    assert b"A newer link has been sent" in client.post(first).content
    assert client.post(second).status_code == 302


def test_another_cdop_cannot_remind_or_see_the_request(client, users, case, world, inbox):
    request = _overdue(case, world, users, actions.Contact(name="N", email="n@example.org"))
    client.force_login(users["other_cdop_admin"])
    assert case.reference not in client.get(reverse("request_list")).content.decode()
    assert client.post(reverse("send_reminder", args=[request.pk])).status_code == 404
    assert not Reminder.objects.exists()


def test_without_a_named_contact_the_agencys_reporters_are_reminded(client, users, case, world,
                                                                   inbox):  # fmt: skip
    request = _overdue(case, world, users)
    client.force_login(users["cdop_admin"])
    client.post(reverse("send_reminder", args=[request.pk]))
    assert "Nobody at Tees Hospital can be reminded" in str(
        list(client.get(reverse("request_list")).context["messages"])
    )
    users["agency_reporter"].email = "rep@example.org"
    users["agency_reporter"].save()
    client.post(reverse("remind_overdue"))
    [(to, _, body)] = inbox
    assert to == ["rep@example.org"]
    assert f"/cases/{case.reference}/forms/reporting/AG0001/" in body and "/link/" not in body


def test_send_reminders_reminds_overdue_requests_once_a_week(users, case, world, inbox):
    _overdue(case, world, users, actions.Contact(name="N", email="n@example.org"))
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    call_command("send_reminders", stdout=out)
    assert "1 reminder(s) sent" in out.getvalue() and "0 reminder(s) sent" in out.getvalue()
    assert Reminder.objects.count() == 1
    assert len(inbox) == 2  # the request, then one reminder
    assert AuditEvent.objects.get(action="send_reminder").actor == "system"

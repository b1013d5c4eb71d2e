"""Notifying a death through the web form: the error summary and field messages, values kept,
the CDOP chosen by the national team, a repeated post, and who may notify."""

import pytest
from django.urls import reverse

from ncmd.dictionary import get_dictionary
from ncmd.registry.models import Case, DuplicateStatus
from ncmd.submissions.webforms import post_data
from tests.conftest import DEFAULT_PASSWORD
from tests.factories import notification_answers


def _form():
    from django.utils import timezone

    return get_dictionary().release_on(timezone.now().date()).form("notification")


def _post(**overrides):
    answers = notification_answers(
        date_of_birth="2024-01-10", date_of_death="2024-03-02", **overrides
    )
    return post_data(_form(), answers)


@pytest.fixture
def tees_admin(client, users):
    client.force_login(users["cdop_admin"])
    return client


def test_the_page_renders_every_question_with_labels_and_hints(tees_admin):
    response = tees_admin.get(reverse("notify_death"))
    assert response.status_code == 200
    html = response.content.decode()
    for name in _form().fields:
        assert f'id="q-{name}"' in html
    assert 'for="f-date_of_birth"' in html
    assert "Answer only if &#x27;Was the death expected or unexpected&#x27; is" in html
    assert "data-show-when=" in html and 'data-depends-on="expected_death"' in html
    assert 'name="nhs_number__special" type="checkbox" value="not_known"' in html


def test_a_valid_notification_makes_a_case_and_goes_to_it(tees_admin, world):
    response = tees_admin.post(reverse("notify_death"), _post())
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("case_detail", args=[case.reference])
    assert case.cdop == world["tees"]
    assert case.date_of_death.isoformat() == "2024-03-02"
    assert case.submissions.get().identifiers.values["nhs_number"] == "9434765919"


def test_a_mistake_shows_the_error_summary_and_keeps_the_answers(tees_admin):
    data = _post(nhs_number="1234567890", family_name="Example-Mistake")
    response = tees_admin.post(reverse("notify_death"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert "There is a problem" in html and "<title>Error: Notify a death" in html
    message = "must be a valid 10-digit NHS number; 1234567890 fails the check digit."
    assert f'<a href="#f-nhs_number">&#x27;NHS number&#x27; {message}' in html
    assert 'id="f-nhs_number-error"' in html and "nhsuk-form-group--error" in html
    assert 'value="1234567890"' in html and 'value="Example-Mistake"' in html


def test_a_required_question_left_blank_is_named(tees_admin):
    data = _post()
    del data["date_of_death"]
    html = tees_admin.post(reverse("notify_death"), data).content.decode()
    assert '<a href="#f-date_of_death">Enter date of death.</a>' in html


def test_not_known_is_an_answer_where_the_dictionary_allows_it(tees_admin):
    data = _post(nhs_number={"special": "not_known"}, nhs_number_absent_reason="not_yet_allocated")
    assert data["nhs_number__special"] == ["not_known"]
    codes = _form().fields["nhs_number_absent_reason"].codelist.by_code
    data["nhs_number_absent_reason"] = [next(iter(codes))]
    response = tees_admin.post(reverse("notify_death"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    submission = Case.objects.get().submissions.get()
    assert submission.identifiers.values["nhs_number"] == {"special": "not_known"}


def test_an_answer_and_not_known_together_are_refused_with_a_message_saying_which(tees_admin):
    data = _post()
    data["nhs_number__special"] = ["not_known"]
    html = tees_admin.post(reverse("notify_death"), data).content.decode()
    assert not Case.objects.exists()
    assert (
        "Give an answer to &#x27;NHS number&#x27; or choose &#x27;Not known&#x27;, not both."
        in (html)
    )


def test_a_repeated_post_notifies_once(tees_admin):
    data = {**_post(), "_once": ["abcdefghijklmnopqrstuv"]}
    first = tees_admin.post(reverse("notify_death"), data)
    second = tees_admin.post(reverse("notify_death"), data)
    assert first.url == second.url
    assert Case.objects.count() == 1


def test_a_possible_duplicate_is_said(tees_admin, notify):
    original = notify()
    response = tees_admin.post(reverse("notify_death"), _post(), follow=True)
    case = Case.objects.exclude(pk=original.pk).get()
    assert case.duplicate_status == DuplicateStatus.POSSIBLE
    assert f"may be a duplicate of case {original.reference}" in response.content.decode()


def test_the_national_team_chooses_the_cdop(client, users, world):
    client.force_login(users["national_admin"])
    html = client.post(reverse("notify_death"), _post()).content.decode()
    assert "Select the CDOP the death is notified to." in html
    assert not Case.objects.exists()
    response = client.post(reverse("notify_death"), {**_post(), "_cdop": ["CDOP003"]})
    assert response.status_code == 302
    assert Case.objects.get().cdop == world["camden"]


@pytest.mark.parametrize("role", ["national_analyst", "agency_reporter", "researcher"])
def test_roles_without_the_permission_are_refused(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("notify_death")).status_code == 403
    assert client.post(reverse("notify_death"), _post()).status_code == 403
    assert not Case.objects.exists()


def test_signing_in_is_needed(client, world):
    response = client.get(reverse("notify_death"))
    assert response.status_code == 302 and "/sign-in/" in response.url
    assert DEFAULT_PASSWORD

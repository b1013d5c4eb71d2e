"""Filling in a case's forms on the web: drafts, submitting, amending with a reason, supplementary
forms that apply listed first, and who may open which form."""

import pytest
from django.urls import reverse

from ncmd.dictionary import get_dictionary
from ncmd.registry import actions
from ncmd.registry.models import AuditEvent, FormRequest, SubmissionStatus
from ncmd.submissions.webforms import post_data


@pytest.fixture
def case(notify):
    return notify()


def _form(name):
    from django.utils import timezone

    return get_dictionary().release_on(timezone.now().date()).form(name)


def _reporting(**overrides):
    answers = {
        "agency_type": "acute_health",
        "agency_name": "Tees Hospital",
        "bereavement_support_offered": True,
        "agency_involvement_summary": "Seen in the emergency department on the day of death.",
        "last_contact_date": "2024-03-01",
        **overrides,
    }
    return post_data(_form("reporting"), {k: v for k, v in answers.items() if v is not None})


@pytest.fixture
def requested(case, world, users):
    return actions.request_reporting_form(
        case=case, agency=world["hospital"], by=users["cdop_admin"]
    )


def _url(case, form_name, agency=None, amend=False):
    args = [case.reference, form_name] + ([agency.code] if agency else [])
    name = ("amend_agency_form" if agency else "amend_form") if amend else (
        "fill_agency_form" if agency else "fill_form")  # fmt: skip
    return reverse(name, args=args)


def test_the_case_forms_page_lists_supplementary_forms_that_apply_first(client, users, case):
    client.force_login(users["cdop_member"])
    html = client.get(reverse("case_forms", args=[case.reference])).content.decode()
    applies = html.index("Supplementary forms that apply to this case")
    others = html.index("Other supplementary forms")
    sudden = html.index(_form("supplementary_sudden_unexpected").title)
    drowning = html.index(_form("supplementary_drowning").title)
    assert applies < sudden < others < drowning


def test_a_draft_can_be_saved_incomplete_and_comes_back(client, users, case, requested, world):
    client.force_login(users["cdop_member"])
    url = _url(case, "reporting", world["hospital"])
    page = client.get(url).content.decode()
    assert 'value="Tees Hospital"' in page  # the agency's own details start filled in
    response = client.post(url, {**_reporting(agency_involvement_summary=None), "_action": "save"})
    assert response.status_code == 302 and response.url == url
    submission = case.submissions.get(form_name="reporting")
    assert submission.status == SubmissionStatus.DRAFT
    assert "agency_involvement_summary" not in submission.answers
    assert "Seen in the emergency" not in client.get(url).content.decode()
    assert "Draft last saved" in client.get(url).content.decode()


def test_a_draft_still_refuses_an_answer_that_is_not_valid(client, users, case, requested, world):
    client.force_login(users["cdop_member"])
    url = _url(case, "reporting", world["hospital"])
    data = {**_reporting(maternal_bmi="ninety"), "_action": "save"}
    html = client.post(url, data).content.decode()
    assert "There is a problem" in html
    assert "must be a number, like 12 or 3.5." in html and 'value="ninety"' in html
    assert not case.submissions.filter(form_name="reporting").exists()


def test_submitting_an_incomplete_form_names_each_missing_answer(client, users, case, requested,
                                                                world):  # fmt: skip
    client.force_login(users["cdop_member"])
    url = _url(case, "reporting", world["hospital"])
    data = {**_reporting(agency_involvement_summary=None, bereavement_support_offered=None),
            "_action": "submit"}  # fmt: skip
    html = client.post(url, data).content.decode()
    assert '<a href="#f-bereavement_support_offered-1">Select was bereavement support' in html
    assert '<a href="#f-agency_involvement_summary">Enter summary of' in html


def test_submitting_returns_the_request_and_amending_keeps_the_earlier_answers(
    client, users, case, requested, world
):
    client.force_login(users["cdop_admin"])
    url = _url(case, "reporting", world["hospital"])
    response = client.post(url, {**_reporting(), "_action": "submit"})
    assert response.url == reverse("case_detail", args=[case.reference])
    requested.refresh_from_db()
    assert requested.returned_at is not None
    assert "Amend it" in client.get(url).content.decode()
    amend = _url(case, "reporting", world["hospital"], amend=True)
    assert "Seen in the emergency" in client.get(amend).content.decode()
    changed = _reporting(agency_involvement_summary="Seen twice in March.")
    html = client.post(amend, changed).content.decode()
    assert "Say why the form is being amended." in html and 'id="f-reason-error"' in html
    response = client.post(amend, {**changed, "_reason": ["Second visit found in the notes"]})
    assert response.status_code == 302
    submission = case.submissions.get(form_name="reporting")
    assert submission.status == SubmissionStatus.AMENDED and submission.revision == 2
    event = AuditEvent.objects.get(action="amend_form")
    assert event.detail["reason"] == "Second visit found in the notes"
    assert event.changes["agency_involvement_summary"][0].startswith("Seen in the emergency")


def test_the_notification_is_amended_with_its_identifiers_shown_and_audited(client, users, case):
    client.force_login(users["cdop_admin"])
    url = _url(case, "notification", amend=True)
    html = client.get(url).content.decode()
    assert 'value="9434765919"' in html
    assert AuditEvent.objects.filter(action="view_identifiers").count() == 1
    data = post_data(_form("notification"), {})
    response = client.post(url, {**data, "_reason": ["wrong"]})
    assert "Enter date of death." in response.content.decode()


def test_questions_that_the_case_rules_out_are_not_asked(client, users, case):
    # The sudden unexpected death form asks some questions only of infants; this child was
    # seven weeks old, so they are shown, with the condition on their answers left to the page.
    client.force_login(users["cdop_member"])
    form = _form("supplementary_sudden_unexpected")
    html = client.get(_url(case, form.name)).content.decode()
    for spec in form.fields.values():
        if spec.show_when is not None and spec.show_when.case_facts and not spec.show_when.fields:
            shown = spec.show_when({}, {"age_days": 52})
            assert (f'id="q-{spec.name}"' in html) == shown


def test_an_agency_reporter_opens_only_their_agencys_requested_form(client, users, case, world,
                                                                   requested, notify):  # fmt: skip
    client.force_login(users["agency_reporter"])
    home = client.get(reverse("home")).content.decode()
    own = _url(case, "reporting", world["hospital"])
    assert f'href="{own}"' in home
    assert client.get(own).status_code == 200
    other_case = notify(nhs_number="9434765870", date_of_death="2024-03-01")
    for url in [
        _url(case, "reporting", world["police"]),
        _url(other_case, "reporting", world["hospital"]),
        _url(case, "analysis"),
        _url(case, "supplementary_sudden_unexpected"),
        _url(case, "notification", amend=True),
    ]:
        assert client.get(url).status_code in (403, 404), url
    response = client.post(own, {**_reporting(), "_action": "submit"})
    assert response.url == own
    assert "This form was submitted" in client.get(own).content.decode()


def test_a_cdop_user_cannot_reach_another_cdops_forms(client, users, case, requested, world):
    client.force_login(users["other_cdop_admin"])
    assert client.get(_url(case, "analysis")).status_code == 404
    assert client.post(_url(case, "analysis"), {"_action": "save"}).status_code == 404
    assert client.get(_url(case, "reporting", world["hospital"])).status_code == 404
    assert client.get(reverse("case_forms", args=[case.reference])).status_code == 404


def test_a_reporting_form_needs_a_request(client, users, case, world):
    client.force_login(users["cdop_admin"])
    assert client.get(_url(case, "reporting", world["police"])).status_code == 404
    assert not FormRequest.objects.exists()


def test_a_national_analyst_cannot_fill_forms(client, users, case):
    client.force_login(users["national_analyst"])
    assert client.get(_url(case, "analysis")).status_code == 403

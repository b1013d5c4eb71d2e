"""Draft notifications through the portal: saving an unfinished notification before any case
exists, the CDOP's list of drafts, resuming (identifiers shown again, the reading audited),
saving again, submitting (checked in full, then `notify_death`), discarding, and who may do
what."""

import pytest
from django.urls import reverse
from django.utils import timezone

from ncmd.dictionary import get_dictionary
from ncmd.registry import actions
from ncmd.registry.models import (
    AuditEvent,
    Case,
    DuplicateStatus,
    NotificationDraft,
    NotificationDraftIdentifiers,
)
from ncmd.submissions.webforms import post_data
from tests.factories import notification_answers


def _form():
    return get_dictionary().release_on(timezone.now().date()).form("notification")


def _complete(**overrides):
    return notification_answers(date_of_birth="2024-01-10", date_of_death="2024-03-02", **overrides)


def _partial():
    """What someone knows in the first minutes: the child, not yet the circumstances."""
    answers = _complete()
    keep = ("nhs_number", "given_name", "family_name", "date_of_birth", "date_of_death", "sex")
    return {k: v for k, v in answers.items() if k in keep}


def _post(answers, action):
    return {**post_data(_form(), answers), "_action": [action]}


@pytest.fixture
def tees_admin(client, users):
    client.force_login(users["cdop_admin"])
    return client


def _save_new(client, answers=None, **extra):
    return client.post(reverse("notify_death"), {**_post(answers or _partial(), "save"), **extra})


def test_saving_an_unfinished_notification_makes_a_draft_and_no_case(tees_admin, world, users):
    response = _save_new(tees_admin)
    draft = NotificationDraft.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("notification_draft", args=[draft.pk])
    assert not Case.objects.exists()
    assert draft.cdop == world["tees"] and draft.created_by == users["cdop_admin"]
    # Identifiers are held apart from the answers, as the registry holds a form's.
    assert "nhs_number" not in draft.answers and "given_name" not in draft.answers
    assert draft.answers["date_of_death"] == "2024-03-02"
    assert NotificationDraftIdentifiers.objects.get(draft=draft).values == {
        "nhs_number": "9434765919", "given_name": "Ava", "family_name": "Example",
    }  # fmt: skip
    event = AuditEvent.objects.get(action="create_notification_draft")
    assert event.object_type == "NotificationDraft" and event.object_id == str(draft.pk)
    assert event.organisation == world["tees"].code
    assert event.changes["date_of_death"] == [None, "2024-03-02"]
    assert event.detail["identifiers_changed"] == ["family_name", "given_name", "nhs_number"]
    assert "9434765919" not in str(event.changes) + str(event.detail)
    assert "Draft notification saved" in tees_admin.get(response.url).content.decode()


def test_a_draft_is_checked_for_types_only(tees_admin):
    # No required questions, no cross-field rules, no duplicate search; a wrong type is refused.
    answers = {**_partial(), "date_of_death": "2023-01-01"}  # before birth: a rule, not a type
    assert _save_new(tees_admin, answers).status_code == 302
    response = _save_new(tees_admin, {**_partial(), "date_of_birth": "31/02/2024"})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "must be a real date" in html and NotificationDraft.objects.count() == 1
    assert 'value="31/02/2024"' in html  # the answers are kept as typed


def test_an_empty_draft_is_refused_with_a_message(tees_admin):
    response = tees_admin.post(reverse("notify_death"), {"_action": "save"})
    assert response.status_code == 200
    assert "Answer at least one question before saving a draft." in response.content.decode()
    assert not NotificationDraft.objects.exists()


def test_the_notify_page_lists_the_cdops_drafts_without_identifiers(
    client, tees_admin, users, world
):
    _save_new(tees_admin)
    draft = NotificationDraft.objects.get()
    client.force_login(users["cdop_member"])  # the same CDOP
    html = client.get(reverse("notify_death")).content.decode()
    assert "Saved drafts (1)" in html
    assert reverse("notification_draft", args=[draft.pk]) in html
    assert "2024-03-02" in html
    assert "9434765919" not in html and "Example" not in html.split("Saved drafts")[1][:2000]
    # Another CDOP sees neither the list entry nor the draft.
    client.force_login(users["other_cdop_admin"])
    assert "Saved drafts" not in client.get(reverse("notify_death")).content.decode()
    assert client.get(reverse("notification_draft", args=[draft.pk])).status_code == 404
    assert client.post(reverse("discard_notification_draft", args=[draft.pk])).status_code == 404
    assert NotificationDraft.objects.exists()


def test_resuming_shows_the_answers_and_identifiers_and_audits_the_reading(tees_admin, users):
    _save_new(tees_admin)
    draft = NotificationDraft.objects.get()
    response = tees_admin.get(reverse("notification_draft", args=[draft.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="9434765919"' in html and 'value="Ava"' in html
    assert 'value="02/03/2024"' in html
    assert "No case exists until it is submitted" in html
    event = AuditEvent.objects.get(action="view_draft_identifiers")
    assert event.actor == users["cdop_admin"].username
    assert event.detail["fields"] == ["family_name", "given_name", "nhs_number"]


def test_saving_again_updates_the_draft_and_audits_what_changed(client, tees_admin, users):
    _save_new(tees_admin)
    draft = NotificationDraft.objects.get()
    client.force_login(users["cdop_member"])
    answers = {**_partial(), "given_name": "Isla", "place_of_death": "home_of_normal_residence"}
    response = client.post(reverse("notification_draft", args=[draft.pk]), _post(answers, "save"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.updated_by == users["cdop_member"]
    assert draft.answers["place_of_death"] == "home_of_normal_residence"
    assert draft.identifiers.values["given_name"] == "Isla"
    event = AuditEvent.objects.get(action="update_notification_draft")
    assert event.changes == {"place_of_death": [None, "home_of_normal_residence"]}
    assert event.detail["identifiers_changed"] == ["given_name"]
    assert "Isla" not in str(event.changes) + str(event.detail)
    assert NotificationDraft.objects.count() == 1


def test_submitting_a_complete_draft_notifies_the_death_and_deletes_the_draft(tees_admin, world):
    _save_new(tees_admin)
    draft = NotificationDraft.objects.get()
    url = reverse("notification_draft", args=[draft.pk])
    data = _post(_complete(), "submit")
    data["_once"] = ["draft-once-token-0123456789"]
    response = tees_admin.post(url, data)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("case_detail", args=[case.reference])
    assert case.cdop == world["tees"] and case.date_of_death.isoformat() == "2024-03-02"
    assert case.submissions.get().identifiers.values["nhs_number"] == "9434765919"
    assert not NotificationDraft.objects.exists()
    assert not NotificationDraftIdentifiers.objects.exists()
    submitted = AuditEvent.objects.get(action="submit_notification_draft")
    assert submitted.case_reference == case.reference and submitted.detail["draft"] == draft.pk
    assert AuditEvent.objects.filter(action="notify_death", case_reference=case.reference).exists()
    # The same post again (a double click) goes to the case the first one made.
    again = tees_admin.post(url, data)
    assert again.status_code == 302 and again.url == response.url
    assert Case.objects.count() == 1


def test_submitting_an_incomplete_draft_shows_every_problem_and_keeps_the_draft(tees_admin):
    _save_new(tees_admin)
    draft = NotificationDraft.objects.get()
    response = tees_admin.post(
        reverse("notification_draft", args=[draft.pk]), _post(_partial(), "submit")
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert '<a href="#f-place_of_death">Select place of death.</a>' in html
    assert "Select was the death expected or unexpected." in html
    assert not Case.objects.exists() and NotificationDraft.objects.filter(pk=draft.pk).exists()


def test_a_submitted_draft_is_flagged_as_a_duplicate_like_any_notification(tees_admin, notify):
    existing = notify(nhs_number="9434765919")
    _save_new(tees_admin)
    draft = NotificationDraft.objects.get()
    tees_admin.post(reverse("notification_draft", args=[draft.pk]), _post(_complete(), "submit"))
    case = Case.objects.exclude(pk=existing.pk).get()
    assert case.duplicate_status == DuplicateStatus.POSSIBLE and case.duplicate_of == existing


def test_discarding_asks_first_then_deletes_the_draft_and_its_identifiers(tees_admin, users):
    _save_new(tees_admin)
    draft = NotificationDraft.objects.get()
    url = reverse("discard_notification_draft", args=[draft.pk])
    confirm = tees_admin.get(url)
    assert confirm.status_code == 200 and "Discard draft notification" in confirm.content.decode()
    assert NotificationDraft.objects.exists()
    response = tees_admin.post(url)
    assert response.status_code == 302 and response.url == reverse("notify_death")
    assert not NotificationDraft.objects.exists()
    assert not NotificationDraftIdentifiers.objects.exists()
    event = AuditEvent.objects.get(action="discard_notification_draft")
    assert event.detail["identifiers_discarded"] == ["family_name", "given_name", "nhs_number"]
    assert "date_of_death" in event.detail["answered"]
    assert "9434765919" not in str(event.detail)
    # Discarding again: the draft is gone, so "not found".
    assert tees_admin.post(url).status_code == 404


def test_the_national_team_chooses_the_cdop_for_a_draft(client, users, world):
    client.force_login(users["national_admin"])
    response = _save_new(client)
    assert response.status_code == 200
    assert "Select the CDOP the death is notified to." in response.content.decode()
    response = _save_new(client, _cdop=world["durham"].code)
    draft = NotificationDraft.objects.get()
    assert response.status_code == 302 and draft.cdop == world["durham"]
    assert "Saved drafts (1)" in client.get(reverse("notify_death")).content.decode()


@pytest.mark.parametrize("role", ["national_analyst", "agency_reporter", "researcher"])
def test_people_who_cannot_notify_cannot_see_or_save_drafts(client, users, role):
    draft = actions.save_notification_draft(
        cdop=users["cdop_admin"].organisation, answers=_partial(), by=users["cdop_admin"]
    )
    client.force_login(users[role])
    assert _save_new(client).status_code == 403
    assert client.get(reverse("notification_draft", args=[draft.pk])).status_code == 403
    assert client.post(reverse("discard_notification_draft", args=[draft.pk])).status_code == 403
    assert NotificationDraft.objects.count() == 1


def test_a_draft_cannot_be_saved_for_an_organisation_that_is_not_a_cdop(users, world):
    with pytest.raises(actions.ActionRefused, match="is not a CDOP"):
        actions.save_notification_draft(
            cdop=world["hospital"], answers=_partial(), by=users["national_admin"]
        )


def test_a_draft_submitted_or_discarded_elsewhere_is_refused_with_a_message(users):
    by = users["cdop_admin"]
    draft = actions.save_notification_draft(cdop=by.organisation, answers=_partial(), by=by)
    actions.discard_notification_draft(draft=draft, by=by)
    with pytest.raises(actions.ActionRefused, match="already been submitted or discarded"):
        actions.save_notification_draft(
            cdop=by.organisation, answers=_partial(), by=by, draft=draft
        )

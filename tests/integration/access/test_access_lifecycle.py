"""The request's lifecycle through the actions: every move is audited with its old and new
status, and every move the table does not allow, or that the wrong person asks for, is refused
with a message and changes nothing."""

import datetime

import pytest

from ncmd.access import actions, lifecycle
from ncmd.access.models import RequestStatus, StatusChange
from ncmd.registry.models import AuditEvent
from tests.integration.access.access_fixtures import apply, approve, complete_values, review

S = RequestStatus


def refused_everything_else(request, users):
    """Every transition not allowed from the request's status is refused for everyone."""
    request.refresh_from_db()
    status = request.status
    for transition in lifecycle.TRANSITIONS:
        if S(status) in transition.sources:
            continue
        for by in (users["researcher"], users["data_access_reviewer"], None):
            with pytest.raises(actions.AccessRefused, match="not possible while"):
                actions.move_request(
                    request=request, transition=transition.name, by=by, note="a note"
                )
    request.refresh_from_db()
    assert request.status == status


def moved(request, transition, by, **context):
    before = AuditEvent.objects.filter(action=f"access_{transition}").count()
    old = S(type(request).objects.get(pk=request.pk).status)
    request = actions.move_request(request=request, transition=transition, by=by, **context)
    event = AuditEvent.objects.filter(action=f"access_{transition}").order_by("-id").first()
    assert AuditEvent.objects.filter(action=f"access_{transition}").count() == before + 1
    assert event.changes == {"status": [old.value, request.status]}
    assert event.actor == (by.username if by else "system")
    assert event.object_type == "AccessRequest" and event.object_id == str(request.pk)
    assert StatusChange.objects.filter(request=request, transition=transition).exists()
    return request


def test_a_request_walks_its_whole_lifecycle_and_each_move_is_audited(researchers, snapshot):
    applicant, reviewer = researchers["researcher"], researchers["data_access_reviewer"]
    request = actions.create_request(title="A study", by=applicant)
    refused_everything_else(request, researchers)
    actions.save_version(version=request.current, by=applicant, values=complete_values())
    request = moved(request, "submit", applicant)
    refused_everything_else(request, researchers)
    request = moved(request, "start_review", reviewer)
    refused_everything_else(request, researchers)
    request = moved(request, "request_information", reviewer, note="Which ethics committee?")
    refused_everything_else(request, researchers)
    request = moved(request, "respond", applicant, note="Example REC, as stated.")
    request = moved(request, "start_review", reviewer)
    review_only = request
    for safe in ("projects", "people", "settings", "data", "outputs"):
        actions.assess_safe(
            version=review_only.current, safe=safe, verdict="met", notes="ok", by=reviewer
        )
    request = moved(
        request,
        "approve",
        reviewer,
        note="Sound.",
        approved_fields={"notification__sex": "as_recorded", "age_band": "as_recorded"},
        approved_until=datetime.date.today() + datetime.timedelta(days=90),
    )
    refused_everything_else(request, researchers)
    extract = actions.build_extract(request=request, snapshot=snapshot, by=reviewer)
    request = moved(request, "release", reviewer, extract=extract)
    refused_everything_else(request, researchers)
    actions.start_change(request=request, kind="amendment", by=applicant)
    actions.save_version(
        version=request.current, by=applicant, values={"change_summary": "Add ethnicity."}
    )
    request = moved(request, "submit_change", applicant)
    request = moved(request, "start_review", reviewer)
    with pytest.raises(actions.AccessRefused, match="refuse the change instead"):
        actions.move_request(request=request, transition="refuse", by=reviewer, note="No.")
    request = moved(request, "refuse_change", reviewer, note="Not justified.")
    assert request.status == S.DATA_RELEASED
    request = moved(request, "close", reviewer, note="Project finished.")
    assert request.destruction_due_on is not None
    refused_everything_else(request, researchers)
    request = moved(
        request,
        "declare_destruction",
        applicant,
        declaration="Deleted from the TRE.",
        destroyed_on=datetime.date.today(),
    )
    assert request.status == S.DATA_DESTROYED
    refused_everything_else(request, researchers)


def test_a_refused_and_a_withdrawn_request(researchers, snapshot):
    applicant, reviewer = researchers["researcher"], researchers["data_access_reviewer"]
    request = moved(review(apply(applicant), reviewer), "refuse", reviewer, note="No benefit.")
    assert request.status == S.REFUSED
    refused_everything_else(request, researchers)
    withdrawn = moved(apply(applicant), "withdraw", applicant)
    assert withdrawn.status == S.CLOSED
    with pytest.raises(actions.AccessRefused, match="No data were released"):
        actions.move_request(
            request=withdrawn,
            transition="declare_destruction",
            by=applicant,
            declaration="x",
            destroyed_on=datetime.date.today(),
        )


def test_the_wrong_person_is_refused(researchers, snapshot):
    applicant, reviewer = researchers["researcher"], researchers["data_access_reviewer"]
    other = researchers["other_researcher"]
    request = actions.create_request(title="A study", by=applicant)
    actions.save_version(version=request.current, by=applicant, values=complete_values())
    for by, message in (
        (other, "Only the applicant"),
        (reviewer, "Only the applicant"),
        (researchers["cdop_admin"], "Only the applicant"),
        (None, "needs a person"),
    ):
        with pytest.raises(actions.AccessRefused, match=message):
            actions.move_request(request=request, transition="submit", by=by)
    with pytest.raises(actions.AccessRefused, match="Only the applicant"):
        actions.save_version(version=request.current, by=other, values={"title": "Mine"})
    request = actions.move_request(request=request, transition="submit", by=applicant)
    for by in (applicant, researchers["national_analyst"]):
        with pytest.raises(actions.AccessRefused, match="Only a reviewer"):
            actions.move_request(request=request, transition="start_review", by=by)


def test_moves_are_refused_until_their_requirements_are_met(researchers, snapshot, users):
    applicant, reviewer = researchers["researcher"], researchers["data_access_reviewer"]
    request = actions.create_request(title="A study", by=applicant)
    with pytest.raises(actions.AccessRefused, match="Explain the public benefit"):
        actions.move_request(request=request, transition="submit", by=applicant)
    actions.save_version(
        version=request.current,
        by=applicant,
        values=complete_values(
            fields=[{"field": "notification__sex", "reason": "", "coarsening": "as_recorded"}]
        ),
    )
    with pytest.raises(actions.AccessRefused, match="Say why you need Sex"):
        actions.move_request(request=request, transition="submit", by=applicant)
    actions.save_version(version=request.current, by=applicant, values=complete_values())
    request = actions.move_request(request=request, transition="submit", by=applicant)
    with pytest.raises(actions.AccessRefused, match="cannot be changed while it is submitted"):
        actions.save_version(version=request.current, by=applicant, values={"title": "Later"})
    request = actions.move_request(request=request, transition="start_review", by=reviewer)
    with pytest.raises(actions.AccessRefused, match="Write a note"):
        actions.move_request(request=request, transition="request_information", by=reviewer)
    with pytest.raises(actions.AccessRefused, match="every one of the Five Safes"):
        approve(request, reviewer)
    review_version = request.current
    for safe in ("projects", "people", "settings", "data"):
        actions.assess_safe(
            version=review_version, safe=safe, verdict="met", notes="ok", by=reviewer
        )
    actions.assess_safe(
        version=review_version,
        safe="outputs",
        verdict="not_met",
        notes="No output plan",
        by=reviewer,
    )
    with pytest.raises(actions.AccessRefused, match="Safe outputs is not met"):
        approve(request, reviewer)
    actions.assess_safe(
        version=review_version,
        safe="outputs",
        verdict="met_with_conditions",
        notes="Outputs checked",
        by=reviewer,
    )
    with pytest.raises(actions.AccessRefused, match="was not requested"):
        approve(request, reviewer, fields={"notification__ethnicity": "as_recorded"})
    with pytest.raises(actions.AccessRefused, match="no finer detail"):
        approve(request, reviewer, fields={"notification__date_of_death": "exact"})
    request = approve(request, reviewer)
    with pytest.raises(actions.AccessRefused, match="Choose an extract"):
        actions.move_request(request=request, transition="release", by=reviewer)


def test_an_unapproved_researcher_cannot_submit(users, snapshot):
    request = actions.create_request(title="A study", by=users["researcher"])
    actions.save_version(version=request.current, by=users["researcher"], values=complete_values())
    with pytest.raises(actions.AccessRefused, match="researcher details"):
        actions.move_request(request=request, transition="submit", by=users["researcher"])


def test_an_extension_moves_the_end_date_of_released_extracts(researchers, snapshot):
    applicant, reviewer = researchers["researcher"], researchers["data_access_reviewer"]
    request = approve(review(apply(applicant), reviewer), reviewer, days=30)
    extract = actions.build_extract(request=request, snapshot=snapshot, by=reviewer)
    request = actions.release_extract(extract=extract, by=reviewer)
    actions.start_change(request=request, kind="extension", by=applicant)
    with pytest.raises(actions.AccessRefused, match="make an amendment instead"):
        actions.save_version(
            version=request.current,
            by=applicant,
            values={
                "fields": [
                    {"field": "notification__ethnicity", "reason": "x", "coarsening": "as_recorded"}
                ]
            },
        )
    later = datetime.date.today() + datetime.timedelta(days=400)
    actions.save_version(
        version=request.current,
        by=applicant,
        values={"change_summary": "Analysis took longer.", "needed_until": later},
    )
    request = actions.move_request(request=request, transition="submit_change", by=applicant)
    request = review(request, reviewer)
    request = actions.move_request(
        request=request,
        transition="approve_extension",
        by=reviewer,
        note="Fine.",
        approved_until=later,
    )
    extract.refresh_from_db()
    assert request.status == S.DATA_RELEASED
    assert request.expires_on == later == extract.expires_on
    assert request.versions.count() == 2


def test_text_longer_than_its_field_is_refused_by_name(researchers):
    applicant = researchers["researcher"]
    with pytest.raises(actions.AccessRefused, match="Title is too long: at most 300"):
        actions.create_request(title="x" * 301, by=applicant)
    request = actions.create_request(title="A study", by=applicant)
    with pytest.raises(actions.AccessRefused, match="Ethics reference is too long"):
        actions.save_version(version=request.current, by=applicant,
                             values={"ethics_reference": "9" * 101})  # fmt: skip

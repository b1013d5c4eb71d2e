"""The recommendation lifecycle through its actions: every move in the table, the refusals, who
may make each move, and an audit event for every change."""

import datetime

import pytest

from ncmd.learning import actions, lifecycles
from ncmd.learning.models import Addressee, ProgressUpdate, RecommendationStatus
from ncmd.registry.actions import ActionRefused
from ncmd.registry.models import AuditEvent
from tests.integration.learning.conftest import pdf

S = RecommendationStatus
# A route from "issued" to each status, by (target, who) steps.
ROUTES = {
    S.ISSUED: [],
    S.ACKNOWLEDGED: [S.ACKNOWLEDGED],
    S.IN_PROGRESS: [S.ACKNOWLEDGED, S.IN_PROGRESS],
    S.IMPLEMENTED: [S.ACKNOWLEDGED, S.IN_PROGRESS, S.IMPLEMENTED],
    S.NOT_ACCEPTED: [S.NOT_ACCEPTED],
    S.CLOSED: [S.NOT_ACCEPTED, S.CLOSED],
}


def make_move(addressee, to, users):
    """Make a move with what it needs, by the right person."""
    transition = lifecycles.find(lifecycles.RECOMMENDATION_TRANSITIONS, addressee.status, to)
    by = users["partner_contact"] if transition.who == lifecycles.ADDRESSEE else users["qi_lead"]
    kwargs = {"note": f"Note for {to}"} if transition.needs else {}
    if transition.needs == "evidence":
        kwargs["uploads"] = [pdf()]
    update = actions.move_recommendation(addressee=addressee, to=to, by=by, **kwargs)
    addressee.refresh_from_db()
    return update


def nhse_response(recommendation, world):
    return Addressee.objects.get(recommendation=recommendation, organisation=world["nhse"])


def test_issuing_opens_a_response_for_each_addressed_organisation(issued, world, users):
    responses = issued.addressees.order_by("organisation__code")
    assert [a.organisation.code for a in responses] == ["CDOP001", "PTN-NHSE"]
    assert all(a.status == S.ISSUED and a.next_update_due for a in responses)
    event = AuditEvent.objects.get(action="issue_recommendation")
    assert event.actor == "qi_lead" and event.detail["organisations"] == ["CDOP001", "PTN-NHSE"]
    with pytest.raises(ActionRefused, match="already been issued"):
        actions.issue_recommendation(recommendation=issued, by=users["qi_lead"])


def test_a_draft_cannot_be_responded_to_and_only_the_programme_issues(draft, world, users):
    with pytest.raises(ActionRefused, match="still a draft"):
        actions.move_recommendation(
            addressee=nhse_response(draft, world), to="acknowledged", by=users["partner_contact"]
        )
    with pytest.raises(ActionRefused, match="Only the programme"):
        actions.issue_recommendation(recommendation=draft, by=users["partner_contact"])


@pytest.mark.parametrize(
    "transition", lifecycles.RECOMMENDATION_TRANSITIONS, ids=lambda t: f"{t.source}->{t.target}"
)
def test_every_transition_in_the_table_can_be_made_and_is_audited(transition, issued, world, users):
    addressee = nhse_response(issued, world)
    for step in ROUTES[transition.source]:
        make_move(addressee, step, users)
    assert addressee.status == transition.source
    events = AuditEvent.objects.filter(action="move_recommendation").count()
    update = make_move(addressee, transition.target, users)
    assert addressee.status == transition.target
    assert update.status_from == transition.source and update.status_to == transition.target
    event = AuditEvent.objects.filter(action="move_recommendation").latest("pk")
    assert AuditEvent.objects.filter(action="move_recommendation").count() == events + 1
    assert event.organisation == "PTN-NHSE" and event.detail["move"] == transition.label
    if transition.source != transition.target:
        assert event.changes["status"] == [transition.source, transition.target]


@pytest.mark.parametrize("source", list(S))
def test_every_move_not_in_the_table_is_refused(source, issued, world, users):
    addressee = nhse_response(issued, world)
    for step in ROUTES[source]:
        make_move(addressee, step, users)
    allowed = {t.target for t in lifecycles.RECOMMENDATION_TRANSITIONS if t.source == source}
    for target in set(S) - allowed:
        before = ProgressUpdate.objects.count()
        with pytest.raises(ActionRefused, match="cannot become"):
            actions.move_recommendation(
                addressee=addressee, to=target, by=users["qi_lead"], note="n", uploads=[pdf()]
            )
        assert ProgressUpdate.objects.count() == before
        addressee.refresh_from_db()
        assert addressee.status == source


def test_implemented_needs_evidence_and_not_accepted_a_reason(issued, world, users):
    addressee = nhse_response(issued, world)
    contact = users["partner_contact"]
    with pytest.raises(ActionRefused, match="give the reason"):
        actions.move_recommendation(addressee=addressee, to="not_accepted", by=contact)
    make_move(addressee, S.ACKNOWLEDGED, users)
    make_move(addressee, S.IN_PROGRESS, users)
    with pytest.raises(ActionRefused, match="attach evidence"):
        actions.move_recommendation(addressee=addressee, to="implemented", by=contact, note="Done.")
    with pytest.raises(ActionRefused, match="not a web address"):
        actions.move_recommendation(
            addressee=addressee,
            to="implemented",
            by=contact,
            note="Done.",
            links=["javascript:alert(1)"],
        )
    update = actions.move_recommendation(
        addressee=addressee,
        to="implemented",
        by=contact,
        note="Done.",
        links=["https://example.org/policy"],
    )
    assert update.links == ["https://example.org/policy"]
    addressee.refresh_from_db()
    assert addressee.status == S.IMPLEMENTED and addressee.next_update_due is None


def test_not_accepted_keeps_the_reason(issued, world, users):
    addressee = nhse_response(issued, world)
    actions.move_recommendation(
        addressee=addressee,
        to="not_accepted",
        by=users["partner_contact"],
        note="Covered by another programme.",
    )
    addressee.refresh_from_db()
    assert addressee.reason == "Covered by another programme."


def test_an_organisation_updates_only_what_is_addressed_to_it(issued, world, users):
    nhse = nhse_response(issued, world)
    tees = Addressee.objects.get(recommendation=issued, organisation=world["tees"])
    for name, addressee in [
        ("other_partner_contact", nhse),
        ("other_cdop_admin", tees),
        ("partner_contact", tees),
        ("cdop_admin", nhse),
        ("cdop_member", tees),
        ("national_analyst", nhse),
    ]:
        with pytest.raises(ActionRefused, match="Only"):
            actions.move_recommendation(addressee=addressee, to="acknowledged", by=users[name])
    assert not ProgressUpdate.objects.exists()
    actions.move_recommendation(addressee=tees, to="acknowledged", by=users["cdop_admin"])
    actions.move_recommendation(addressee=nhse, to="acknowledged", by=users["partner_contact"])
    event = AuditEvent.objects.filter(action="move_recommendation").latest("pk")
    assert event.detail["on_behalf"] is False


def test_programme_moves_are_refused_to_the_addressee(issued, world, users):
    addressee = nhse_response(issued, world)
    actions.move_recommendation(
        addressee=addressee, to="not_accepted", by=users["partner_contact"], note="No."
    )
    with pytest.raises(ActionRefused, match="done by the programme"):
        actions.move_recommendation(addressee=addressee, to="closed", by=users["partner_contact"])


def test_the_programme_can_record_on_an_organisations_behalf(issued, world, users):
    addressee = nhse_response(issued, world)
    actions.move_recommendation(
        addressee=addressee, to="acknowledged", by=users["qi_lead"], note="By letter of 3 July."
    )
    assert AuditEvent.objects.filter(action="move_recommendation").latest("pk").detail["on_behalf"]


def test_adding_a_recommendation_checks_its_fields(report, world, users):
    base = {
        "report": report,
        "text": "T",
        "theme": "suicide",
        "organisations": [world["dfe"]],
        "owner": "O",
        "due_on": datetime.date(2026, 1, 1),
        "by": users["qi_lead"],
    }
    with pytest.raises(ActionRefused, match="not a quality indicator"):
        actions.add_recommendation(**{**base, "indicator": "made_up"})
    with pytest.raises(ActionRefused, match="Unknown audience"):
        actions.add_recommendation(**{**base, "audiences": ["aliens"]})
    with pytest.raises(ActionRefused, match="at least one organisation or audience"):
        actions.add_recommendation(**{**base, "organisations": []})
    first = actions.add_recommendation(**base)
    second = actions.add_recommendation(**{**base, "organisations": [], "audiences": ["gps"]})
    assert (first.number, second.number) == (1, 2)
    assert AuditEvent.objects.filter(action="add_recommendation").count() == 2


def test_a_refused_upload_writes_nothing(issued, world, users, learning_files):
    from django.core.files.uploadedfile import SimpleUploadedFile

    addressee = nhse_response(issued, world)
    make_move(addressee, S.ACKNOWLEDGED, users)
    make_move(addressee, S.IN_PROGRESS, users)
    bad = SimpleUploadedFile("evidence.pdf", b"<html>not a pdf</html>", "application/pdf")
    with pytest.raises(ActionRefused, match="its content is"):
        actions.move_recommendation(
            addressee=addressee,
            to="implemented",
            by=users["partner_contact"],
            note="Done",
            uploads=[bad],
        )
    addressee.refresh_from_db()
    assert addressee.status == S.IN_PROGRESS
    assert ProgressUpdate.objects.filter(status_to=S.IMPLEMENTED).count() == 0

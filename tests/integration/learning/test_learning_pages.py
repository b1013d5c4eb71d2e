"""The learning pages through the Django test client: the programme registers a report, adds and
issues a recommendation; the addressed organisation records progress with evidence; others are
refused; evidence downloads check access."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ncmd.learning import actions
from ncmd.learning.models import Addressee, Recommendation, Report
from ncmd.registry.models import AuditEvent
from tests.integration.learning.conftest import PDF, pdf


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_programme_registers_a_report_and_issues_a_recommendation(client, world, users):
    c = signed_in(client, users["qi_lead"])
    assert "Register a report" in c.get("/learning/").content.decode()
    response = c.post(
        "/learning/reports/new/",
        {
            "title": "Sudden unexpected deaths in infancy",
            "kind": "thematic",
            "published_on": "2025-05-01",
            "summary": "Findings.",
            "key_findings": "A\nB",
        },
    )
    report = Report.objects.get()
    assert response.status_code == 302 and response.url == f"/learning/reports/{report.pk}/"
    response = c.post(
        f"/learning/reports/{report.pk}/recommendations/new/",
        {
            "text": "Give advice.",
            "theme": "safer_sleep",
            "organisations": [world["nhse"].pk],
            "audiences": ["midwives"],
            "owner": "Lead",
            "due_on": "2026-06-30",
            "indicator": "ethnicity_recorded",
            "review_interval_days": 60,
        },
    )
    recommendation = Recommendation.objects.get()
    assert response.url == f"/learning/recommendations/{recommendation.pk}/"
    page = c.get(response.url).content.decode()
    assert "Issue recommendation" in page and "Draft" in page
    c.post(f"/learning/recommendations/{recommendation.pk}/issue/")
    recommendation.refresh_from_db()
    assert recommendation.issued_at is not None
    page = c.get(f"/learning/recommendations/{recommendation.pk}/").content.decode()
    assert "Issued" in page and "Acknowledge" in page


def test_form_errors_are_summarised_not_raised(client, report, users):
    c = signed_in(client, users["qi_lead"])
    response = c.post(
        f"/learning/reports/{report.pk}/recommendations/new/",
        {
            "text": "",
            "theme": "safer_sleep",
            "owner": "",
            "due_on": "31/02/2026",
            "review_interval_days": 3,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert 'href="#id_text"' in page and "Choose at least one organisation or audience" in page
    assert not Recommendation.objects.exists()


def test_the_addressee_records_progress_with_evidence(client, issued, world, users):
    c = signed_in(client, users["partner_contact"])
    home = c.get("/learning/").content.decode()
    assert "Recommendations addressed to NHS England" in home and "National report 2025" in home
    url = f"/learning/recommendations/{issued.pk}/responses/PTN-NHSE/"
    c.post(url, {"to": "acknowledged"})
    c.post(url, {"to": "in_progress", "note": "Checklist drafted."})
    response = c.post(
        url,
        {
            "to": "implemented",
            "note": "Audit shows 92%.",
            "links": "https://example.org/audit\n",
            "files": [pdf("audit.pdf")],
        },
    )
    assert response.status_code == 302
    addressee = Addressee.objects.get(recommendation=issued, organisation=world["nhse"])
    assert addressee.status == "implemented"
    page = c.get(f"/learning/recommendations/{issued.pk}/").content.decode()
    assert "Audit shows 92%." in page and "audit.pdf" in page
    file_url = re.search(r'href="(/learning/files/\d+/)">audit.pdf', page)[1]
    download = c.get(file_url)
    content = b"".join(download.streaming_content)
    assert download.status_code == 200 and content == PDF
    assert download["Content-Disposition"].startswith('attachment; filename="audit.pdf"')
    assert AuditEvent.objects.filter(action="download_learning_file").count() == 1
    # Tees CDOP is addressed too, but cannot read NHS England's evidence.
    other = signed_in(type(client)(), users["cdop_admin"])
    assert other.get(file_url).status_code == 404
    assert "audit.pdf" not in other.get(f"/learning/recommendations/{issued.pk}/").content.decode()
    national = signed_in(type(client)(), users["qi_lead"]).get(file_url)
    assert national.status_code == 200 and b"".join(national.streaming_content) == PDF


def test_a_refused_move_is_shown_as_a_message(client, issued, users):
    c = signed_in(client, users["partner_contact"])
    url = f"/learning/recommendations/{issued.pk}/responses/PTN-NHSE/"
    response = c.post(url, {"to": "implemented", "note": "Done"})
    assert response.status_code == 400
    assert "cannot become implemented" in response.content.decode()
    c.post(url, {"to": "acknowledged"})
    c.post(url, {"to": "in_progress", "note": "Working."})
    bad = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = c.post(url, {"to": "implemented", "note": "Done", "files": [bad]})
    assert response.status_code == 400 and "its content is" in response.content.decode()


def test_upload_size_limit(client, issued, users, settings):
    settings.NCMD_LEARNING_UPLOAD_MAX_BYTES = 10
    c = signed_in(client, users["partner_contact"])
    url = f"/learning/recommendations/{issued.pk}/responses/PTN-NHSE/"
    c.post(url, {"to": "acknowledged"})
    c.post(url, {"to": "in_progress", "note": "Working."})
    response = c.post(url, {"to": "implemented", "note": "Done", "files": [pdf()]})
    assert response.status_code == 400 and "no larger than" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("other_partner_contact", 404),
        ("other_cdop_admin", 404),
        ("agency_reporter", 403),
        ("researcher", 403),
        ("cdop_member", 403),
    ],
)
def test_others_cannot_open_or_update_a_response(client, issued, users, name, status):
    c = signed_in(client, users[name])
    assert c.get(f"/learning/recommendations/{issued.pk}/").status_code == status
    response = c.post(
        f"/learning/recommendations/{issued.pk}/responses/PTN-NHSE/", {"to": "acknowledged"}
    )
    assert response.status_code == status
    assert Addressee.objects.filter(status="acknowledged").count() == 0


def test_contacts_cannot_reach_programme_pages(client, report, issued, users):
    c = signed_in(client, users["partner_contact"])
    for url in [
        "/learning/reports/new/",
        f"/learning/reports/{report.pk}/recommendations/new/",
        "/learning/review/",
        "/learning/interventions/new/",
        "/learning/plan/goals/new/",
        f"/learning/recommendations/{issued.pk}/responses/CDOP001/",
    ]:
        assert c.get(url).status_code in (403, 404), url
    assert c.post(f"/learning/recommendations/{issued.pk}/issue/").status_code == 403


def test_drafts_are_hidden_from_addressees(client, draft, users):
    c = signed_in(client, users["partner_contact"])
    assert c.get(f"/learning/recommendations/{draft.pk}/").status_code == 404
    assert "National report 2025" not in c.get("/learning/").content.decode()


def test_a_pack_is_published_to_its_audience_and_downloads(client, issued, report, world, users):
    c = signed_in(client, users["qi_lead"])
    response = c.post(
        f"/learning/reports/{report.pk}/packs/new/",
        {
            "audience": "midwives",
            "title": "Safer sleep for midwives",
            "summary": "Why.",
            "key_findings": "One\nTwo",
            "aim": "Every family.",
            "measures": "M1\nM2",
            "change_ideas": "C1\nC2",
            "pdsa_cycles": "P1",
        },
    )
    pack_url = response.url
    pack_id = pack_url.rstrip("/").rsplit("/", 1)[1]
    c.post(f"{pack_url}materials/new/", {"title": "Leaflet", "file": pdf("leaflet.pdf")})
    c.post(f"{pack_url}materials/new/", {"title": "Advice", "url": "https://example.org/a"})
    contact = signed_in(type(client)(), users["partner_contact"])
    assert contact.get(pack_url).status_code == 404  # a draft
    c.post(f"{pack_url}publish/")
    page = contact.get(pack_url).content.decode()
    assert "Give safer sleep advice at every contact." in page and "leaflet.pdf" in page
    summary = contact.get(f"/learning/packs/{pack_id}/summary.html")
    assert summary["Content-Disposition"].startswith("attachment")
    assert "What we ask of you" in summary.content.decode()
    full = contact.get(f"/learning/packs/{pack_id}/pack.html").content.decode()
    assert "Plan-do-study-act cycles" in full and "C2" in full
    pdf_response = contact.get(f"/learning/packs/{pack_id}/pack.pdf", follow=True)
    assert "PDF downloads are not available" in pdf_response.content.decode()
    # DfE is not addressed by the pack's recommendation.
    assert (
        signed_in(type(client)(), users["other_partner_contact"]).get(pack_url).status_code == 404
    )
    assert contact.get(f"/learning/packs/{pack_id}/other.html").status_code == 404


def test_the_plan_matrix_and_a_partner_updating_its_own_action(client, world, users):
    qi = users["qi_lead"]
    goal = actions.add_goal(title="Better data", by=qi)
    stream = actions.add_workstream(goal=goal, title="Training", by=qi)
    action = actions.add_plan_action(
        workstream=stream,
        text="Run training days.",
        by=qi,
        partners={world["nhse"]: "lead", world["tees"]: "support"},
        next_review_on=datetime.date(2026, 1, 1),
    )
    other = actions.add_plan_action(
        workstream=stream,
        text="Guidance.",
        by=qi,
        partners={world["dfe"]: "lead"},
        next_review_on=datetime.date(2026, 1, 1),
    )
    assert action.reference == "1.1.1" and other.reference == "1.1.2"
    page = signed_in(client, qi).get("/learning/plan/").content.decode()
    assert "Run training days." in page and "NHSE" in page and "Guidance." in page
    c = signed_in(type(client)(), users["partner_contact"])
    page = c.get("/learning/plan/").content.decode()
    assert "Run training days." in page and "Guidance." not in page
    url = f"/learning/plan/actions/{action.reference}/update/"
    c.post(url, {"to": "in_progress", "note": "Two days held.", "next_review_on": "2030-01-01"})
    c.post(url, {"to": "complete", "note": "All held.", "files": [pdf("register.pdf")]})
    action.refresh_from_db()
    assert action.status == "complete" and action.evidence == "All held."
    assert action.next_review_on >= datetime.date.today()
    assert c.get(f"/learning/plan/actions/{other.reference}/").status_code == 404
    response = c.post(
        f"/learning/plan/actions/{other.reference}/update/", {"to": "in_progress", "note": "x"}
    )
    assert response.status_code == 404
    response = c.post(
        f"/learning/plan/actions/{action.reference}/update/",
        {"to": "in_progress", "note": "Reopen"},
    )
    assert "done by the programme" in response.content.decode()
    assert AuditEvent.objects.filter(action="move_plan_action").count() == 2


def test_involvement_is_recorded_and_shown(client, issued, report, users):
    c = signed_in(client, users["qi_lead"])
    c.post(
        f"/learning/reports/{report.pk}/involvement/new/",
        {
            "recommendation": issued.pk,
            "group": "The Lullaby Trust",
            "group_kind": "bereavement_charity",
            "consulted_on": "2025-04-01",
            "asked": "Is it clear?",
            "changed": "Reworded for families.",
        },
    )
    page = c.get(f"/learning/recommendations/{issued.pk}/").content.decode()
    assert "The Lullaby Trust" in page and "Reworded for families." in page
    assert AuditEvent.objects.filter(action="record_consultation").count() == 1


def test_a_draft_is_changed_and_an_issued_one_addressed_to_one_more(client, draft, world, users):
    c = signed_in(client, users["qi_lead"])
    response = c.post(
        f"/learning/recommendations/{draft.pk}/change/",
        {
            "text": "Give safer sleep advice at discharge.",
            "theme": "safer_sleep",
            "organisations": [world["dfe"].pk, world["tees"].pk],
            "owner": "Lead",
            "due_on": "2030-01-31",
            "review_interval_days": 30,
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.text == "Give safer sleep advice at discharge." and draft.audiences == []
    assert sorted(draft.addressees.values_list("organisation__code", flat=True)) == [
        "CDOP001",
        "PTN-DFE",
    ]
    event = AuditEvent.objects.get(action="change_draft_recommendation")
    assert event.changes["organisations"] == [["CDOP001", "PTN-NHSE"], ["CDOP001", "PTN-DFE"]]
    c.post(f"/learning/recommendations/{draft.pk}/issue/")
    response = c.post(
        f"/learning/recommendations/{draft.pk}/change/",
        {
            "text": "Sneaky",
            "theme": "safer_sleep",
            "organisations": [world["dfe"].pk],
            "owner": "Lead",
            "due_on": "2030-01-31",
            "review_interval_days": 30,
        },
    )
    assert "can no longer be changed" in response.content.decode()
    c.post(f"/learning/recommendations/{draft.pk}/address/", {"organisation": world["nhse"].pk})
    nhse = Addressee.objects.get(recommendation=draft, organisation=world["nhse"])
    assert nhse.status == "issued" and nhse.next_update_due
    page = c.post(
        f"/learning/recommendations/{draft.pk}/address/",
        {"organisation": world["nhse"].pk},
        follow=True,
    ).content.decode()
    assert "already addressed to NHS England" in page
    assert AuditEvent.objects.filter(action="address_recommendation").count() == 1


def test_a_national_analyst_reads_but_changes_nothing(client, issued, users):
    c = signed_in(client, users["national_analyst"])
    assert "National report 2025" in c.get("/learning/").content.decode()
    page = c.get(f"/learning/recommendations/{issued.pk}/").content.decode()
    assert "Give safer sleep advice at every contact." in page and "Acknowledge" not in page
    response = c.post(
        f"/learning/recommendations/{issued.pk}/responses/PTN-NHSE/", {"to": "acknowledged"}
    )
    assert response.status_code == 404
    assert c.get("/learning/review/").status_code == 403
    assert c.get("/learning/plan/").status_code == 200

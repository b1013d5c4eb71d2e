"""The access pages through the Django test client: the researcher's and the reviewer's happy
paths, and the refusals of each page (wrong role, another's request, bad input)."""

import datetime
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from ncmd.access import actions
from ncmd.access.models import (
    AccessRequest,
    OutputCheck,
    RequestStatus,
    ResearcherProfile,
    ResearcherStatus,
)
from ncmd.registry.models import AuditEvent, User
from tests.integration.access.access_fixtures import apply, approve, review

S = RequestStatus


def signed_in(client, user):
    client.force_login(user)
    return client


def application_post(**overrides):
    today = datetime.date.today()
    post = {
        "title": "Sudden infant deaths by season",
        "lay_summary": "Whether they vary by season.",
        "public_benefit": "Safer sleep advice timed to the season.",
        "legal_basis": "public_task",
        "ethics_committee": "Example REC",
        "ethics_reference": "24/EX/0002",
        "ethics_approved_on": "2024-02-01",
        "confidentiality": "not_confidential",
        "opt_out_handling": "Not confidential patient information.",
        "fields": ["notification__sex", "age_band"],
        "reason-notification__sex": "Sex ratio",
        "reason-age_band": "Age at death",
        "period_from": "2024-01-01",
        "period_to": "2024-12-31",
        "storage_location": "University TRE",
        "security_assurance": "DSPT met",
        "who_will_see": "The applicant",
        "needed_until": str(today + datetime.timedelta(days=300)),
    }
    post.update(overrides)
    return post


def test_a_researcher_registers_and_waits_for_a_reviewer(client, users):
    page = client.get(reverse("access_register"))
    assert b"Register as a researcher" in page.content
    post = {
        "first_name": "Rosa",
        "last_name": "Franklin",
        "email": "rosa@uni.example.ac.uk",
        "institution": "University of Example",
        "training_certificate": "ONS SRT 99",
        "training_completed_on": "2024-05-01",
        "password": "a-long-test-password-9",
        "password_again": "a-long-test-password-9",
    }
    response = client.post(reverse("access_register"), post)
    assert b"Registration received" in response.content
    user = User.objects.get(username="rosa@uni.example.ac.uk")
    assert user.role == "researcher" and not user.is_active
    profile = ResearcherProfile.objects.get(user=user)
    assert profile.status == ResearcherStatus.PENDING
    again = client.post(reverse("access_register"), post)
    assert b"already exists" in again.content
    bad = client.post(
        reverse("access_register"),
        {**post, "email": "x", "password": "short", "password_again": "short"},
    )
    assert b"There is a problem" in bad.content and b"e-mail address" in bad.content
    assert b"too short" in bad.content
    reviewer = signed_in(client, users["data_access_reviewer"])
    assert b"Rosa Franklin" in reviewer.get(reverse("access_researchers")).content
    reviewer.post(reverse("access_researchers"), {"profile": profile.pk, "decision": "approve"})
    user.refresh_from_db()
    profile.refresh_from_db()
    assert user.is_active and profile.status == ResearcherStatus.APPROVED
    assert AuditEvent.objects.filter(action="decide_researcher").exists()


def test_the_application_and_review_through_the_pages(client, researchers, snapshot):
    applicant, reviewer = researchers["researcher"], researchers["data_access_reviewer"]
    signed_in(client, applicant)
    response = client.post(reverse("access_new"), {"title": "Sudden infant deaths"})
    request = AccessRequest.objects.get(applicant=applicant)
    assert response.url == reverse("access_edit", args=[request.reference])
    form = client.get(response.url)
    assert b'Why you need it<span class="nhsuk-u-visually-hidden">: Sex</span>' in form.content
    assert b"free text can identify" in form.content
    bad = client.post(response.url, application_post(period_from="2024-13-45"))
    assert b"There is a problem" in bad.content and b"as a real date" in bad.content
    client.post(response.url, application_post(title="Sudden infant deaths by season"))
    version = AccessRequest.objects.get(pk=request.pk).current
    assert {e["field"]: e["reason"] for e in version.fields} == {
        "notification__sex": "Sex ratio",
        "age_band": "Age at death",
    }
    client.post(reverse("access_move", args=[request.reference, "submit"]))
    assert AccessRequest.objects.get(pk=request.pk).status == S.SUBMITTED
    # the reviewer asks for more information; the applicant sees what is asked
    signed_in(client, reviewer)
    assert request.reference.encode() in client.get(reverse("access_home")).content
    client.post(reverse("access_move", args=[request.reference, "start_review"]))
    client.post(
        reverse("access_move", args=[request.reference, "request_information"]),
        {"note": "Which ages do you need?"},
    )
    signed_in(client, applicant)
    page = client.get(reverse("access_request", args=[request.reference]))
    assert b"Which ages do you need?" in page.content
    client.post(
        reverse("access_move", args=[request.reference, "respond"]), {"note": "Infants only."}
    )
    # the reviewer assesses the Five Safes and approves
    signed_in(client, reviewer)
    client.post(reverse("access_move", args=[request.reference, "start_review"]))
    safes = ("projects", "people", "settings", "data", "outputs")
    partial = client.post(
        reverse("access_assess", args=[request.reference]),
        {"verdict-projects": "met", "notes-projects": ""},
    )
    assert b"Write your notes on safe projects" in partial.content
    client.post(
        reverse("access_assess", args=[request.reference]),
        {**{f"verdict-{s}": "met" for s in safes}, **{f"notes-{s}": f"{s} fine" for s in safes}},
    )
    until = str(datetime.date.today() + datetime.timedelta(days=200))
    decision = client.get(reverse("access_decide", args=[request.reference]))
    assert b"Approve with conditions" in decision.content
    client.post(
        reverse("access_decide", args=[request.reference]),
        {
            "approved": ["notification__sex", "age_band"],
            "approved-until": until,
            "conditions": "Outputs checked.",
            "note": "A sound study.",
        },
    )
    request.refresh_from_db()
    assert request.status == S.APPROVED
    # build, check and release an extract; the applicant downloads it
    built = client.post(
        reverse("access_build", args=[request.reference]),
        {"snapshot": snapshot.pk, "fields": ["notification__sex", "age_band"]},
    )
    extract = request.extracts.get()
    assert built.url == reverse("access_extract", args=[request.reference, extract.pk])
    page = client.get(built.url)
    assert b"Passed." in page.content and b"Release the extract" in page.content
    client.post(reverse("access_release", args=[request.reference, extract.pk]))
    assert AccessRequest.objects.get(pk=request.pk).status == S.DATA_RELEASED
    assert extract.request.reference.encode() in client.get(reverse("access_release_log")).content
    signed_in(client, applicant)
    download = client.get(reverse("access_download", args=[request.reference, extract.pk]))
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert sorted(archive.namelist()) == ["SHA256SUMS", "data-description.md", "data.csv"]
    assert AuditEvent.objects.filter(action="download_extract", actor=applicant.username).exists()


def test_output_checking_through_the_pages(client, researchers, snapshot):
    applicant, reviewer = researchers["researcher"], researchers["data_access_reviewer"]
    request = approve(review(apply(applicant), reviewer), reviewer)
    extract = actions.build_extract(request=request, snapshot=snapshot, by=reviewer)
    actions.release_extract(extract=extract, by=reviewer)
    signed_in(client, applicant)
    url = reverse("access_submit_output", args=[request.reference])
    table = io.BytesIO(b"Category,Boys,Girls,Total\nA,10,*,14\nB,20,25,45\nTotal,30,29,59\n")
    table.name = "table-1.csv"
    response = client.post(url, {"title": "Table 1", "file": table})
    output = OutputCheck.objects.get()
    assert response.url == reverse("access_output", args=[request.reference, output.pk])
    page = client.get(response.url)
    assert b"can be worked out from the published figures" in page.content
    assert b"[A / Total] \xe2\x88\x92 [A / Boys]" in page.content
    broken = io.BytesIO(b"PK\x03\x04 not really a workbook")
    broken.name = "table-2.xlsx"
    response = client.post(url, {"title": "Table 2", "file": broken})
    assert b"could not be read" in response.content and OutputCheck.objects.count() == 1
    words = io.BytesIO(b"Category,Deaths\nA,ten\n")
    words.name = "table-3.csv"
    response = client.post(url, {"title": "Table 3", "file": words})
    assert b"row 2, Deaths: &#x27;ten&#x27; is not a count" in response.content
    book = Workbook()
    book.active.append(["Age", "Deaths"])
    book.active.append(["Under 1", 3])
    book.active.append(["1 to 4", 12])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "table-4.xlsx"
    client.post(url, {"title": "Table 4", "file": data})
    small = OutputCheck.objects.get(title="Table 4")
    assert [f["kind"] for f in small.findings] == ["small"]
    signed_in(client, reviewer)
    refused = client.post(
        reverse("access_output", args=[request.reference, small.pk]),
        {"decision": "clear", "notes": ""},
    )
    assert b"Give your reasons" in refused.content
    client.post(
        reverse("access_output", args=[request.reference, small.pk]),
        {"decision": "refuse", "notes": "Suppress the 3."},
    )
    small.refresh_from_db()
    assert small.status == "refused" and small.checked_by == reviewer.username


@pytest.mark.parametrize("name", ["cdop_admin", "national_analyst", "agency_reporter"])
def test_other_roles_cannot_open_the_access_pages(client, users, name):
    signed_in(client, users[name])
    assert client.get(reverse("access_home")).status_code == 403
    assert client.get(reverse("access_new")).status_code == 403
    assert client.get(reverse("access_researchers")).status_code == 403
    assert client.get(reverse("access_release_log")).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("access_home"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_a_researcher_never_sees_another_request(client, researchers, snapshot):
    applicant, reviewer = researchers["researcher"], researchers["data_access_reviewer"]
    request = approve(review(apply(applicant), reviewer), reviewer)
    extract = actions.build_extract(request=request, snapshot=snapshot, by=reviewer)
    actions.release_extract(extract=extract, by=reviewer)
    signed_in(client, researchers["other_researcher"])
    reference = request.reference
    assert reference.encode() not in client.get(reverse("access_home")).content
    for url in (
        reverse("access_request", args=[reference]),
        reverse("access_edit", args=[reference]),
        reverse("access_version", args=[reference, 1]),
        reverse("access_extract", args=[reference, extract.pk]),
        reverse("access_download", args=[reference, extract.pk]),
        reverse("access_submit_output", args=[reference]),
        reverse("access_declare", args=[reference]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("access_move", args=[reference, "declare_destruction"]))
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="download_extract").exists()
    # reviewers review, but do not download
    signed_in(client, reviewer)
    response = client.get(reverse("access_download", args=[reference, extract.pk]))
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="download_extract").exists()


def test_a_researcher_declares_destruction(client, researchers, snapshot):
    applicant, reviewer = researchers["researcher"], researchers["data_access_reviewer"]
    request = approve(review(apply(applicant), reviewer), reviewer)
    extract = actions.build_extract(request=request, snapshot=snapshot, by=reviewer)
    actions.release_extract(extract=extract, by=reviewer)
    signed_in(client, applicant)
    url = reverse("access_declare", args=[request.reference])
    response = client.post(url, {"declaration": "", "destroyed_on": ""})
    assert b"Enter the date the data were destroyed" in response.content
    assert b"Confirm that every copy" in response.content
    client.post(
        url,
        {
            "declaration": "Deleted from the TRE and backups.",
            "confirm": "yes",
            "destroyed_on": str(datetime.date.today()),
        },
    )
    request.refresh_from_db()
    assert request.status == S.DATA_DESTROYED
    page = client.get(reverse("access_request", args=[request.reference]))
    assert b"Download extract" not in page.content


def test_free_text_is_flagged_and_unticked_until_a_reviewer_approves_it(client, researchers,
                                                                       snapshot):  # fmt: skip
    applicant, reviewer = researchers["researcher"], researchers["data_access_reviewer"]
    fields = [
        {"field": "notification__sex", "reason": "Sex ratio", "coarsening": "as_recorded"},
        {"field": "notification__circumstances_summary", "reason": "Themes",
         "coarsening": "as_recorded"},
    ]  # fmt: skip
    request = review(apply(applicant, fields=fields), reviewer)
    signed_in(client, reviewer)
    page = client.get(reverse("access_decide", args=[request.reference])).content.decode()
    assert 'value="notification__sex" checked' in page
    assert 'value="notification__circumstances_summary">' in page  # not ticked
    assert "high: free text can identify a child" in page
    until = str(datetime.date.today() + datetime.timedelta(days=100))
    client.post(reverse("access_decide", args=[request.reference]),
                {"approved": ["notification__sex", "notification__circumstances_summary"],
                 "approved-until": until, "note": "Themes are essential."})  # fmt: skip
    request.refresh_from_db()
    assert request.approved_version.approved_fields == {
        "notification__sex": "as_recorded", "notification__circumstances_summary": "as_recorded"
    }  # fmt: skip

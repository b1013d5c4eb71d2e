"""The API's cases: notifying, listing and reading, always inside the token's scope."""

import pytest

from ncmd.registry import actions
from ncmd.registry.models import AuditEvent, Case
from tests.factories import notification_answers


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


def test_notify_creates_a_case_and_a_repeated_client_reference_returns_it(client, bearer):
    headers = bearer("cdop_admin")
    body = {"client_reference": "CMS-1", "answers": notification_answers()}
    first = post(client, "/api/v1/cases", body, headers)
    assert first.status_code == 201, first.content
    case = first.json()
    assert case["cdop"] == "CDOP001" and case["status"] == "notified"
    assert case["forms"][0]["form"] == "notification"
    assert "nhs_number" not in case["forms"][0]["answers"]  # identifiers are held apart
    assert case["identifiers"] is None
    again = post(client, "/api/v1/cases", body, headers)
    assert again.status_code == 200
    assert again.json()["reference"] == case["reference"]
    assert Case.objects.filter(client_reference="CMS-1").count() == 1


def test_notify_refuses_invalid_answers_with_one_entry_per_problem(client, bearer):
    answers = notification_answers(sex="X", date_of_birth="not a date")
    response = post(client, "/api/v1/cases", {"answers": answers}, bearer("cdop_member"))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    fields = sorted(e["field"] for e in response.json()["errors"])
    assert fields == ["date_of_birth", "sex"]
    assert Case.objects.count() == 0


def test_national_admin_names_the_cdop_and_cdop_staff_cannot_name_another(client, bearer, world):
    answers = notification_answers()
    national = bearer("national_admin")
    missing = post(client, "/api/v1/cases", {"answers": answers}, national)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "cdop"
    made = post(client, "/api/v1/cases", {"cdop": "CDOP003", "answers": answers}, national)
    assert made.status_code == 201 and made.json()["cdop"] == "CDOP003"
    other = post(client, "/api/v1/cases", {"cdop": "CDOP003", "answers": answers},
                 bearer("cdop_admin"))  # fmt: skip
    assert other.status_code == 403
    assert Case.objects.filter(cdop=world["camden"]).count() == 1


@pytest.mark.parametrize("role", ["national_analyst", "agency_reporter", "researcher"])
def test_roles_that_cannot_notify_are_refused(client, bearer, role):
    response = post(client, "/api/v1/cases", {"cdop": "CDOP001",
                    "answers": notification_answers()}, bearer(role))  # fmt: skip
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_list_is_scoped_filtered_and_paged(client, bearer, notify, world, users):
    mine = [notify() for _ in range(3)]
    notify(cdop=world["camden"], by=users["other_cdop_admin"])
    actions.change_case_status(case=mine[0], to="gathering_information", by=users["cdop_admin"])
    headers = bearer("cdop_member")
    listed = client.get("/api/v1/cases", **headers).json()
    assert listed["count"] == 3
    assert {c["reference"] for c in listed["results"]} == {c.reference for c in mine}
    first = client.get("/api/v1/cases?limit=2", **headers).json()
    assert len(first["results"]) == 2 and first["previous"] is None
    second = client.get(first["next"], **headers).json()
    assert len(second["results"]) == 1 and second["next"] is None
    seen = {c["reference"] for c in first["results"] + second["results"]}
    assert seen == {c.reference for c in mine}
    gathering = client.get("/api/v1/cases?status=gathering_information", **headers).json()
    assert [c["reference"] for c in gathering["results"]] == [mine[0].reference]
    assert client.get("/api/v1/cases?year=2024", **headers).json()["count"] == 3
    assert client.get("/api/v1/cases?year=2023", **headers).json()["count"] == 0
    assert client.get("/api/v1/cases?age_band=28-364d", **headers).json()["count"] == 3
    assert client.get("/api/v1/cases?age_band=15-17", **headers).json()["count"] == 0
    later = client.get("/api/v1/cases?updated_since=2999-01-01T00:00:00Z", **headers).json()
    assert later["count"] == 0
    national = client.get("/api/v1/cases", **bearer("national_analyst")).json()
    assert national["count"] == 4


def test_a_bad_filter_is_a_problem(client, bearer):
    response = client.get("/api/v1/cases?limit=0&status=lost", **bearer("cdop_admin"))
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert {e["field"] for e in response.json()["errors"]} == {"limit", "status"}


def test_a_case_outside_scope_is_not_found_for_reads_and_writes(client, bearer, notify):
    case = notify()
    headers = bearer("other_cdop_admin")
    url = f"/api/v1/cases/{case.reference}"
    assert client.get(url, **headers).status_code == 404
    assert client.get(url + "?include=identifiers", **headers).status_code == 404
    assert client.get("/api/v1/cases", **headers).json()["count"] == 0
    put = client.put(url + "/forms/analysis", {"answers": {}}, content_type="application/json",
                     **headers)  # fmt: skip
    assert put.status_code == 404
    amend = post(client, url + "/forms/notification/amendments",
                 {"answers": {}, "reason": "x"}, headers)  # fmt: skip
    assert amend.status_code == 404
    fhir = post(
        client,
        url + "/forms/analysis/fhir",
        {"resourceType": "QuestionnaireResponse", "status": "completed"},
        headers,
    )
    assert fhir.status_code == 404
    missing = client.get("/api/v1/cases/CD-NONE-NONE", **headers)
    assert missing.json()["detail"] == fhir.json()["detail"]  # same answer as not existing


def test_agency_reporter_sees_only_requested_cases_and_their_own_forms(
    client, bearer, notify, users, world
):
    requested, other = notify(), notify()
    actions.request_reporting_form(case=requested, agency=world["hospital"], by=users["cdop_admin"])
    headers = bearer("agency_reporter")
    listed = client.get("/api/v1/cases", **headers).json()
    assert [c["reference"] for c in listed["results"]] == [requested.reference]
    assert client.get(f"/api/v1/cases/{other.reference}", **headers).status_code == 404
    detail = client.get(f"/api/v1/cases/{requested.reference}", **headers).json()
    assert detail["forms"] == []  # the notification is not the agency's form


def test_identifiers_only_on_request_for_roles_that_may_see_them_and_audited(
    client, bearer, notify
):
    case = notify()
    url = f"/api/v1/cases/{case.reference}"
    plain = client.get(url, **bearer("cdop_member")).json()
    assert plain["identifiers"] is None
    assert not AuditEvent.objects.filter(action="view_identifiers").exists()
    shown = client.get(url + "?include=identifiers", **bearer("cdop_member")).json()
    assert shown["identifiers"]["nhs_number"] == "9434765919"
    event = AuditEvent.objects.get(action="view_identifiers")
    assert event.actor == "cdop_member" and event.case_reference == case.reference
    refused = client.get(url + "?include=identifiers", **bearer("national_analyst"))
    assert refused.status_code == 403
    assert AuditEvent.objects.filter(action="view_identifiers").count() == 1

"""The API's forms go through the registry's actions, so they accept and refuse exactly what
the dictionary's one validator does; and a token writes only inside its user's scope."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.exports import SPECIAL_SYSTEM, codelist_system, questionnaire_url
from ncmd.dictionary.validation import validate_answers
from ncmd.registry import actions
from ncmd.registry.facts import case_facts
from ncmd.registry.models import AuditEvent, Case, FormSubmission
from tests.factories import notification_answers

ANALYSIS = {
    "review_date": "2024-06-01",
    "cdrm_held": False,
    "coroner_involvement": "not_referred",
    "category_of_death": "infection",
    "factors_child": ["acute_illness"],
    "factors_social_environment": {"special": "not_known"},
    "factors_physical_environment": {"special": "not_known"},
    "factors_service_provision": ["access_to_services"],
    "modifiable_factors": "not_identified",
}
REPORTING = {
    "agency_type": "acute_health",
    "agency_name": "Tees Hospital",
    "bereavement_support_offered": False,
    "agency_involvement_summary": "Seen in the emergency department.",
}
# Values of every kind, valid for some questions and not for others.
CANDIDATES = st.sampled_from(
    [None, "", "not known", {"special": "not_applicable"}, {"special": "maybe"}, 12, -3, 2.5,
     True, False, "garbage", "2024-01-01", "31/02/2024", "04:30", "25:00", ["acute_illness"],
     "infection", "suicide", "identified", "not_referred", [], ["nonsense"], "F", "X",
     "TS1 1AA", "9434765919", "1234567890", {"nested": 1}, "x" * 250]
)  # fmt: skip
HYPOTHESIS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def put(client, url, body, headers):
    return client.put(url, body, content_type="application/json", **headers)


def post(client, url, body, headers):
    return client.post(url, body, content_type="application/json", **headers)


def spoil(base, names):
    return st.dictionaries(st.sampled_from(names), CANDIDATES, max_size=4).map(
        lambda changes: {k: v for k, v in {**base, **changes}.items() if v is not None}
    )


def assert_same_verdict(response, expected):
    if expected.ok:
        assert response.status_code in (200, 201), response.content
    else:
        assert response.status_code == 422, response.content
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["errors"] == [p.as_dict() for p in expected.problems]


_NOTIFICATION_FIELDS = sorted(
    set(get_dictionary().latest.form("notification").fields) - {"date_of_birth", "date_of_death"}
    | {"not_a_question"}
)
_ANALYSIS_FIELDS = sorted(set(get_dictionary().latest.form("analysis").fields) | {"unknown"})


@HYPOTHESIS
@given(answers=spoil(notification_answers(), _NOTIFICATION_FIELDS))
def test_notify_accepts_and_refuses_exactly_what_the_validator_does(client, bearer, answers):
    form = get_dictionary().latest.form("notification")
    count = Case.objects.count()
    response = post(client, "/api/v1/cases", {"answers": answers}, bearer("cdop_admin"))
    assert_same_verdict(response, validate_answers(form, answers))
    assert Case.objects.count() == count + (1 if response.status_code == 201 else 0)


@HYPOTHESIS
@given(answers=spoil(ANALYSIS, _ANALYSIS_FIELDS), draft=st.booleans())
def test_forms_accept_and_refuse_exactly_what_the_validator_does(
    client, bearer, notify, answers, draft
):
    case = notify()
    release = get_dictionary().latest
    expected = validate_answers(
        release.form("analysis"), answers, case=case_facts(case, release.id), draft=draft
    )
    response = put(client, f"/api/v1/cases/{case.reference}/forms/analysis",
                   {"answers": answers, "draft": draft}, bearer("cdop_member"))  # fmt: skip
    assert_same_verdict(response, expected)
    saved = FormSubmission.objects.filter(case=case, form_name="analysis").first()
    assert (saved is not None) == expected.ok
    if saved is not None:
        assert saved.answers == expected.answers
        assert saved.status == ("draft" if draft else "submitted")


def test_draft_submit_resubmit_and_amend(client, bearer, notify):
    case = notify()
    url = f"/api/v1/cases/{case.reference}/forms/analysis"
    headers = bearer("cdop_admin")
    partial = {"review_date": "2024-06-01"}
    draft = put(client, url, {"answers": partial, "draft": True}, headers)
    assert draft.status_code == 200 and draft.json()["status"] == "draft"
    submitted = put(client, url, {"answers": ANALYSIS}, headers)
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert put(client, url, {"answers": ANALYSIS}, headers).json() == submitted.json()
    changed = put(client, url, {"answers": {**ANALYSIS, "cdrm_held": True,
                                            "cdrm_date": "2024-05-01"}}, headers)  # fmt: skip
    assert changed.status_code == 409
    assert "amend" in changed.json()["detail"]
    no_reason = post(client, url + "/amendments", {"answers": ANALYSIS, "reason": " "}, headers)
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    amended = post(client, url + "/amendments",
                   {"answers": {**ANALYSIS, "category_of_death": "malignancy"},
                    "reason": "Post-mortem result received"}, headers)  # fmt: skip
    assert amended.status_code == 200, amended.content
    assert amended.json()["status"] == "amended" and amended.json()["revision"] == 2
    case.refresh_from_db()
    assert case.category_of_death == "malignancy"
    event = AuditEvent.objects.filter(action="amend_form").get()
    assert event.detail["reason"] == "Post-mortem result received"
    member = post(client, url + "/amendments", {"answers": ANALYSIS, "reason": "x"},
                  bearer("cdop_member"))  # fmt: skip
    assert member.status_code == 403


def test_the_notification_is_not_put_but_can_be_amended(client, bearer, notify):
    case = notify()
    url = f"/api/v1/cases/{case.reference}/forms/notification"
    headers = bearer("cdop_admin")
    assert put(client, url, {"answers": notification_answers()}, headers).status_code == 409
    amended = post(client, url + "/amendments", {
        "answers": notification_answers(ethnicity="B"), "reason": "Family corrected it"
    }, headers)  # fmt: skip
    assert amended.status_code == 200, amended.content
    case.refresh_from_db()
    assert case.ethnicity == "B"


def test_reporting_forms_need_an_agency_and_agency_reporters_only_their_requested_form(
    client, bearer, notify, users, world
):
    case = notify()
    url = f"/api/v1/cases/{case.reference}/forms/reporting"
    staff = bearer("cdop_member")
    missing = put(client, url, {"answers": REPORTING}, staff)
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "agency"
    unknown = put(client, url, {"answers": REPORTING, "agency": "NOPE"}, staff)
    assert unknown.status_code == 422
    reporter = bearer("agency_reporter")
    assert put(client, url, {"answers": REPORTING}, reporter).status_code == 404  # not requested
    actions.request_reporting_form(case=case, agency=world["hospital"], by=users["cdop_admin"])
    other_agency = put(client, url, {"answers": REPORTING, "agency": "AG0002"}, reporter)
    assert other_agency.status_code == 403
    analysis = put(client, f"/api/v1/cases/{case.reference}/forms/analysis",
                   {"answers": ANALYSIS}, reporter)  # fmt: skip
    assert analysis.status_code == 403
    done = put(client, url, {"answers": REPORTING}, reporter)
    assert done.status_code == 200, done.content
    assert done.json()["agency"] == "AG0001"
    police = put(client, url, {"answers": REPORTING, "agency": "AG0002"}, staff)
    assert police.status_code == 200 and police.json()["agency"] == "AG0002"
    seen = client.get(f"/api/v1/cases/{case.reference}", **reporter).json()
    assert [(f["form"], f["agency"]) for f in seen["forms"]] == [("reporting", "AG0001")]


@pytest.mark.parametrize("role", ["national_analyst", "researcher"])
def test_roles_that_cannot_fill_forms_are_refused(client, bearer, notify, role):
    case = notify()
    response = put(client, f"/api/v1/cases/{case.reference}/forms/analysis",
                   {"answers": ANALYSIS}, bearer(role))  # fmt: skip
    assert response.status_code == 403
    assert not FormSubmission.objects.filter(form_name="analysis").exists()


def questionnaire_response(answers, status="completed"):
    release = get_dictionary().latest
    form = release.form("analysis")
    items = []
    for name, value in answers.items():
        field = form.fields[name]
        values = value if isinstance(value, list) else [value]
        answer = []
        for v in values:
            if isinstance(v, dict):
                answer.append({"valueCoding": {"system": SPECIAL_SYSTEM, "code": v["special"]}})
            elif field.is_choice:
                system = codelist_system(release.id, field.codelist.name)
                answer.append({"valueCoding": {"system": system, "code": v}})
            elif isinstance(v, bool):
                answer.append({"valueBoolean": v})
            else:
                answer.append({"valueDate" if field.type == "date" else "valueString": v})
        items.append({"linkId": name, "answer": answer})
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": questionnaire_url("analysis") + "|" + release.id,
        "status": status,
        "item": [{"linkId": "section-review", "item": items}],
    }


def test_fhir_questionnaire_response_is_submitted_through_the_validator(client, bearer, notify):
    case = notify()
    url = f"/api/v1/cases/{case.reference}/forms/analysis/fhir"
    headers = bearer("cdop_admin")
    draft = post(client, url, questionnaire_response({"review_date": "2024-06-01"},
                                                     status="in-progress"), headers)  # fmt: skip
    assert draft.status_code == 200, draft.content
    assert draft.json()["status"] == "draft"
    bad = post(client, url, questionnaire_response({**ANALYSIS, "category_of_death": "bogus"}),
               headers)  # fmt: skip
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["category_of_death"]
    done = post(client, url, questionnaire_response(ANALYSIS), headers)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "submitted"
    assert (
        done.json()["answers"]
        == validate_answers(get_dictionary().latest.form("analysis"), ANALYSIS).answers
    )


def test_a_resource_of_the_wrong_kind_is_refused(client, bearer, notify):
    case = notify()
    url = f"/api/v1/cases/{case.reference}/forms/analysis/fhir"
    headers = bearer("cdop_admin")
    patient = post(client, url, {"resourceType": "Patient"}, headers)
    assert patient.status_code == 422
    other = questionnaire_response(ANALYSIS)
    other["questionnaire"] = questionnaire_url("reporting")
    wrong = post(client, url, other, headers)
    assert wrong.status_code == 422 and "not the" in wrong.json()["errors"][0]["message"]
    assert not FormSubmission.objects.filter(form_name="analysis").exists()

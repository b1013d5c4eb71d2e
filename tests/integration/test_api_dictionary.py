"""Reading the dictionary through the API, the documentation page, and `ncmd dictionary export`."""

import csv
import io
import json

import jsonschema
import pytest
from django.core.management import call_command

from ncmd.dictionary import get_dictionary
from ncmd.dictionary.exports import REDCAP_COLUMNS
from ncmd.submissions.api.actions import create_api_token
from tests.factories import notification_answers


@pytest.fixture
def headers(users):
    _, secret = create_api_token(user=users["researcher"], name="t", by=users["researcher"])
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_releases_forms_and_codelists(client, headers):
    releases = client.get("/api/v1/dictionary/releases", **headers).json()
    assert [r["id"] for r in releases] == list(get_dictionary().releases)
    assert sum(r["in_force"] for r in releases) == 1
    forms = client.get("/api/v1/dictionary/releases/2025-04/forms", **headers).json()
    assert {f["name"] for f in forms} == set(get_dictionary().release("2025-04").forms)
    codelists = client.get("/api/v1/dictionary/releases/2025-04/codelists", **headers).json()
    sex = next(c for c in codelists if c["name"] == "sex")
    assert [c["code"] for c in sex["codes"]] == ["M", "F", "I"]
    assert sex["system"] == "https://ncmd.example/codelists/2025-04/sex"


def test_a_form_carries_its_json_schema_which_matches_the_validator(client, headers):
    form = client.get("/api/v1/dictionary/releases/2025-04/forms/notification", **headers).json()
    assert form["sections"][0]["fields"][0]["name"] == "nhs_number"
    schema = form["answers_schema"]
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(notification_answers("2025-04"), schema)
    questionnaire = client.get(
        "/api/v1/dictionary/releases/2025-04/forms/notification/questionnaire", **headers
    ).json()
    assert questionnaire["resourceType"] == "Questionnaire"


def test_unknown_releases_and_forms_are_404_problems(client, headers):
    for url in ["/api/v1/dictionary/releases/1999-01/forms",
                "/api/v1/dictionary/releases/2025-04/forms/nothing",
                "/api/v1/dictionary/releases/1999-01/codelists"]:  # fmt: skip
        response = client.get(url, **headers)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


def test_the_docs_page_is_rendered_from_the_openapi_document(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    text = page.content.decode()
    assert "POST /api/v1/cases" in text
    assert "/api/v1/cases/{reference}/forms/{form_name}/fhir" in text
    assert "cdn" not in text.lower() and '<script src="http' not in text


def test_export_command_writes_each_format(capsys):
    call_command("dictionary", "export", "2025-04", "--format", "jsonschema", "--form",
                 "notification")  # fmt: skip
    schema = json.loads(capsys.readouterr().out)
    jsonschema.validate(notification_answers("2025-04"), schema)
    call_command("dictionary", "export", "2025-04", "--format", "fhir")
    bundle = json.loads(capsys.readouterr().out)
    assert {e["resource"]["resourceType"] for e in bundle["entry"]} == {"Questionnaire"}
    call_command("dictionary", "export", "2025-04", "--format", "redcap", "--form", "analysis")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert tuple(rows[0]) == REDCAP_COLUMNS
    assert {row[1] for row in rows[1:]} == {"analysis"}

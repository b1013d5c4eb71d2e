"""Schemathesis, run against the API's own OpenAPI document through the WSGI application: for
every operation, generated requests with a valid token never get a server error, and every
response conforms to the document (status code, media type, headers and body schema).

It runs inside the test database's transaction (rolled back afterwards), with a bounded,
derandomised number of examples per operation."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ncmd.registry import actions
from ncmd.submissions.api.actions import create_api_token

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_app():
    # The WSGI handler would close the test's database connection at each request, as Django's
    # own test client avoids; without it every request shares the test transaction.
    request_started.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app, db):
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)


@pytest.fixture
def token(users, notify, world, settings):
    settings.NCMD_API_RATE_LIMIT = 0
    cache.clear()
    case = notify()
    actions.request_reporting_form(case=case, agency=world["hospital"], by=users["cdop_admin"])
    _, secret = create_api_token(user=users["cdop_admin"], name="fuzz", by=users["cdop_admin"])
    return secret


HYPOTHESIS = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def test_api_conforms_to_its_openapi_document(api_schema, token):
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @HYPOTHESIS
        @given(case=operation.as_strategy())
        def check(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()


def test_the_document_describes_every_operation_and_its_problems(client):
    document = client.get("/api/v1/openapi.json").json()
    operations = {
        (method.upper(), path) for path, entries in document["paths"].items() for method in entries
    }
    assert {
        ("POST", "/api/v1/cases"),
        ("GET", "/api/v1/cases"),
        ("GET", "/api/v1/cases/{reference}"),
        ("PUT", "/api/v1/cases/{reference}/forms/{form_name}"),
        ("POST", "/api/v1/cases/{reference}/forms/{form_name}/amendments"),
        ("POST", "/api/v1/cases/{reference}/forms/{form_name}/fhir"),
        ("GET", "/api/v1/dictionary/releases"),
        ("GET", "/api/v1/dictionary/releases/{release_id}/forms"),
        ("GET", "/api/v1/dictionary/releases/{release_id}/forms/{name}"),
        ("GET", "/api/v1/dictionary/releases/{release_id}/codelists"),
    } <= operations
    notify = document["paths"]["/api/v1/cases"]["post"]["responses"]
    assert list(notify["422"]["content"]) == ["application/problem+json"]
    assert "Retry-After" in notify["429"]["headers"]

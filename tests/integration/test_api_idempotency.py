"""Retries are safe (Idempotency-Key), requests are rate limited per token, and every error is
a problem detail without a stack trace."""

from django.core.cache import cache

from ncmd.registry.models import Case, FormSubmission
from ncmd.submissions.api.models import IdempotentResponse
from tests.factories import notification_answers


def post(client, url, body, headers, **extra):
    return client.post(url, body, content_type="application/json", **headers, **extra)


def test_a_repeated_notification_with_the_same_key_returns_the_first_response(client, bearer):
    headers = bearer("cdop_admin")
    body = {"answers": notification_answers()}
    first = post(client, "/api/v1/cases", body, headers, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    again = post(client, "/api/v1/cases", body, headers, HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    other_key = post(client, "/api/v1/cases", body, headers, HTTP_IDEMPOTENCY_KEY="k-2")
    assert other_key.status_code == 201 and Case.objects.count() == 2  # a new request


def test_the_same_key_with_a_different_body_is_refused(client, bearer):
    headers = bearer("cdop_admin")
    post(client, "/api/v1/cases", {"answers": notification_answers()}, headers,
         HTTP_IDEMPOTENCY_KEY="k")  # fmt: skip
    changed = post(client, "/api/v1/cases", {"answers": notification_answers(ethnicity="B")},
                   headers, HTTP_IDEMPOTENCY_KEY="k")  # fmt: skip
    assert changed.status_code == 422
    assert changed.json()["title"] == "Idempotency key reused"
    assert Case.objects.count() == 1


def test_a_refusal_is_remembered_too_and_keys_belong_to_their_user(client, bearer, notify):
    case = notify()
    url = f"/api/v1/cases/{case.reference}/forms/analysis"
    body = {"answers": {"review_date": "not a date"}}
    headers = bearer("cdop_admin")
    first = client.put(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="x",
                       **headers)  # fmt: skip
    again = client.put(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="x",
                       **headers)  # fmt: skip
    assert first.status_code == again.status_code == 422
    assert again.json() == first.json()
    assert again["Content-Type"] == "application/problem+json"
    someone_else = client.put(url, body, content_type="application/json",
                              HTTP_IDEMPOTENCY_KEY="x", **bearer("cdop_member"))  # fmt: skip
    assert someone_else.status_code == 422
    assert "Idempotent-Replayed" not in someone_else
    assert IdempotentResponse.objects.count() == 2
    assert not FormSubmission.objects.filter(form_name="analysis").exists()


def test_requests_over_the_limit_get_429_with_retry_after(client, bearer, settings):
    settings.NCMD_API_RATE_LIMIT = 3
    cache.clear()
    headers, other = bearer("cdop_admin"), bearer("cdop_member")
    codes = [client.get("/api/v1/dictionary/releases", **headers).status_code for _ in range(4)]
    assert codes[:3] == [200, 200, 200]
    if codes[3] == 200:  # the minute turned over between requests; the next one is counted anew
        codes.append(client.get("/api/v1/dictionary/releases", **headers).status_code)
        codes.append(client.get("/api/v1/dictionary/releases", **headers).status_code)
        codes.append(client.get("/api/v1/dictionary/releases", **headers).status_code)
    limited = client.get("/api/v1/dictionary/releases", **headers)
    assert limited.status_code == 429
    assert limited["Content-Type"] == "application/problem+json"
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert client.get("/api/v1/dictionary/releases", **other).status_code == 200  # per token
    cache.clear()


def test_malformed_json_is_a_400_problem_without_internals(client, bearer):
    response = client.post("/api/v1/cases", "{not json", content_type="application/json",
                           **bearer("cdop_admin"))  # fmt: skip
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    text = response.content.decode()
    assert "Traceback" not in text and "JSONDecodeError" not in text
    nul = post(client, "/api/v1/cases", {"answers": {"given_name": "A\x00"}},
               bearer("cdop_admin"))  # fmt: skip
    assert nul.status_code == 400


def test_a_body_of_the_wrong_shape_is_a_422_problem(client, bearer):
    response = post(client, "/api/v1/cases", {"answers": "all of them"}, bearer("cdop_admin"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "answers"


def test_a_nul_character_in_the_address_is_a_400_problem(client, bearer):
    response = client.get("/api/v1/cases/CD-AAAA%00", **bearer("cdop_admin"))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_unknown_api_addresses_are_404_problems(client, bearer):
    response = client.get("/api/v1/no/such/thing", **bearer("cdop_admin"))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"

"""API tokens: made and revoked on the portal (audited, secret shown once, stored hashed), and
refused once revoked or expired or when their user is no longer active."""

import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from ncmd.registry.models import AuditEvent
from ncmd.submissions.api.actions import create_api_token, revoke_api_token
from ncmd.submissions.api.models import ApiToken


@pytest.fixture
def signed_in(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["cdop_member"])
    return client


def csrf_post(client, url, data):
    page = client.get("/account/api-tokens/")
    return client.post(url, {**data, "csrfmiddlewaretoken": page.context["csrf_token"]})


def test_create_shows_the_secret_once_and_keeps_only_its_hash(signed_in, users):
    response = csrf_post(signed_in, "/account/api-tokens/", {"name": "CMS live", "expires": "30"})
    assert response.status_code == 200
    secret = response.context["created"]["secret"]
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=users["cdop_member"])
    assert token.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.values().get())
    assert (token.expires_at - token.created_at) == timedelta(days=30)
    listing = signed_in.get("/account/api-tokens/").content.decode()
    assert "CMS live" in listing and secret not in listing
    assert AuditEvent.objects.filter(action="create_api_token", actor="cdop_member").exists()
    api = signed_in.get("/api/v1/dictionary/releases", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200


def test_a_token_needs_a_name(signed_in):
    response = csrf_post(signed_in, "/account/api-tokens/", {"name": " ", "expires": "90"})
    assert response.status_code == 422
    assert "Enter a name" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_posting_without_the_csrf_token_is_refused(signed_in):
    response = signed_in.post("/account/api-tokens/", {"name": "x", "expires": "90"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_revoke_stops_the_token_and_only_the_owner_can(signed_in, users):
    token, secret = create_api_token(user=users["cdop_member"], name="t", by=users["cdop_member"])
    other, _ = create_api_token(user=users["cdop_admin"], name="o", by=users["cdop_admin"])
    assert csrf_post(signed_in, f"/account/api-tokens/{other.pk}/revoke/", {}).status_code == 404
    response = csrf_post(signed_in, f"/account/api-tokens/{token.pk}/revoke/", {})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="revoke_api_token").count() == 1
    other.refresh_from_db()
    assert other.revoked_at is None
    refused = Client().get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 401


def test_unusable_tokens_get_401_problems(client, users):
    user = users["cdop_admin"]
    _, expired = create_api_token(user=user, name="old", by=user,
                                  at=timezone.now() - timedelta(days=40),
                                  expires_in_days=30)  # fmt: skip
    revoked_token, revoked = create_api_token(user=user, name="gone", by=user)
    revoke_api_token(token=revoked_token, by=user)
    _, good = create_api_token(user=user, name="good", by=user)
    forged = good[:-4] + "AAAA"
    for header in [None, "Bearer", f"Bearer {expired}", f"Bearer {revoked}", f"Bearer {forged}",
                   f"Basic {good}", "Bearer ncmd_nothing_here"]:  # fmt: skip
        extra = {"HTTP_AUTHORIZATION": header} if header else {}
        response = client.get("/api/v1/cases", **extra)
        assert response.status_code == 401, header
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"] == "Bearer"
        assert response.json()["status"] == 401
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {good}").status_code == 200
    user.is_active = False
    user.save()
    assert client.get("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {good}").status_code == 401


def test_a_session_cookie_is_not_an_api_credential(client, users):
    client.force_login(users["cdop_admin"])
    assert client.get("/api/v1/cases").status_code == 401


def test_last_used_is_recorded(client, users):
    token, secret = create_api_token(user=users["cdop_admin"], name="t", by=users["cdop_admin"])
    client.get("/api/v1/dictionary/releases", HTTP_AUTHORIZATION=f"Bearer {secret}")
    token.refresh_from_db()
    assert token.last_used_at is not None

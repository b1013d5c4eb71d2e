"""Signing in and out, password change, throttling, and the administration site."""

from importlib import reload

import pytest
from django.urls import reverse

from tests.conftest import DEFAULT_PASSWORD


def test_passwords_are_hashed_with_argon2():
    import ncmd.settings

    assert reload(ncmd.settings).PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_sign_in_and_out(client, users):
    response = client.post(
        reverse("login"), {"username": "cdop_admin", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")
    home = client.get(reverse("home")).content.decode()
    assert "CDOP administrator" in home and "Tees CDOP" in home
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_shows_the_error_summary(client, users):
    response = client.post(reverse("login"), {"username": "cdop_admin", "password": "wrong"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and "nhsuk-error-summary" in text


def test_repeated_failed_sign_ins_are_throttled(client, users, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "cdop_admin", "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "cdop_admin", "password": DEFAULT_PASSWORD})
    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()


def test_password_change(client, users):
    client.force_login(users["cdop_member"])
    response = client.post(
        reverse("password_change"),
        {
            "old_password": DEFAULT_PASSWORD,
            "new_password1": "another-long-passphrase-7",
            "new_password2": "another-long-passphrase-7",
        },
    )
    assert response.status_code == 302
    users["cdop_member"].refresh_from_db()
    assert users["cdop_member"].check_password("another-long-passphrase-7")


@pytest.mark.parametrize(
    "name,status", [("national_admin", 200), ("cdop_admin", 302), ("national_analyst", 302)]
)
def test_admin_only_for_national_administrators(client, users, name, status):
    client.force_login(users[name])
    assert client.get("/admin/").status_code == status


def test_audit_log_is_read_only_in_the_admin(client, users):
    client.force_login(users["national_admin"])
    assert client.get("/admin/registry/auditevent/").status_code == 200
    assert client.get("/admin/registry/auditevent/add/").status_code == 403


def test_csrf_is_enforced(users):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse("login"), {"username": "cdop_admin", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 403


def test_the_admin_site_is_read_only(client, users):
    client.force_login(users["national_admin"])
    for model in ("user", "organisation", "case", "auditevent", "formrequest"):
        assert client.get(f"/admin/registry/{model}/add/").status_code == 403


def test_lockout_page_states_the_configured_wait(client, users, settings):
    settings.AXES_COOLOFF_TIME = 1.5
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "cdop_admin", "password": "wrong"})
    page = client.post(reverse("login"), {"username": "cdop_admin", "password": "x"})
    assert "paused for 1 hour 30 minutes" in page.content.decode()

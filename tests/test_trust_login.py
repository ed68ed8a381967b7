"""Login protection: django-axes lockout, password rules, session lifetime, logout."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from kb.security import client_ip_address
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LOCKOUT_TEXT = "Zu viele fehlgeschlagene Anmeldeversuche"
RETRY_TEXT = "Bitte versuchen Sie es in 15 Minuten erneut oder wenden Sie sich an die IT."
LOGIN_PAGES = ["/anmelden/", "/admin/login/", "/_util/login/"]


def attempt(client: Client, url: str, username: str, password: str):
    return client.post(url, {"username": username, "password": password})


def is_logged_in(client: Client) -> bool:
    return client.get("/tags/").status_code == 200


def assert_lockout_page(response) -> None:
    assert response.status_code in (429, 403)
    html = response.content.decode()
    assert LOCKOUT_TEXT in html
    assert RETRY_TEXT in html
    assert 'lang="de"' in html and "site-header" in html  # our own look (base.html)


def test_settings_as_documented():
    assert settings.AUTHENTICATION_BACKENDS[0].endswith("AxesBackend")
    assert "django.contrib.auth.backends.ModelBackend" in settings.AUTHENTICATION_BACKENDS
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_ENABLED
    assert settings.AXES_FAILURE_LIMIT == 5
    cooloff: datetime.timedelta = settings.AXES_COOLOFF_TIME
    assert cooloff.total_seconds() == 15 * 60
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True


@pytest.mark.parametrize("url", LOGIN_PAGES)
def test_five_wrong_passwords_lock_the_account(client, staff, url):
    for _ in range(4):
        response = attempt(client, url, "mia", "falsch")
        assert response.status_code == 200
        assert LOCKOUT_TEXT not in response.content.decode()
    # The fifth failure reaches the limit: from now on this username/address pair is locked.
    assert_lockout_page(attempt(client, url, "mia", "falsch"))
    # Even the right password does not help during the cool-off.
    assert_lockout_page(attempt(client, url, "mia", "pw-mia"))
    assert not is_logged_in(client)


def test_lockout_is_per_username_and_address(client, staff):
    make_user("otto", "Mitarbeitende")
    for _ in range(5):
        attempt(client, "/anmelden/", "mia", "falsch")
    assert_lockout_page(attempt(client, "/anmelden/", "mia", "pw-mia"))

    # Another account from the same address logs in.
    response = attempt(client, "/anmelden/", "otto", "pw-otto")
    assert response.status_code == 302
    assert is_logged_in(client)

    # The same account from another address logs in too.
    other = Client(REMOTE_ADDR="10.20.30.40")
    response = attempt(other, "/anmelden/", "mia", "pw-mia")
    assert response.status_code == 302
    assert is_logged_in(other)


def test_wagtail_admin_and_our_login_share_the_counter(client, editor):
    for _ in range(3):
        attempt(client, "/anmelden/", "ronja", "falsch")
    for _ in range(2):
        attempt(client, "/admin/login/", "ronja", "falsch")
    assert_lockout_page(attempt(client, "/admin/login/", "ronja", "pw-ronja"))
    assert_lockout_page(attempt(client, "/anmelden/", "ronja", "pw-ronja"))


def test_successful_login_resets_the_counter(client, staff):
    for _ in range(4):
        attempt(client, "/anmelden/", "mia", "falsch")
    assert attempt(client, "/anmelden/", "mia", "pw-mia").status_code == 302
    assert not AccessAttempt.objects.filter(username="mia").exists()
    client.post(reverse("logout"))

    for _ in range(4):
        assert attempt(client, "/anmelden/", "mia", "falsch").status_code == 200
    assert attempt(client, "/anmelden/", "mia", "pw-mia").status_code == 302
    assert is_logged_in(client)


def test_lockout_ends_after_the_cool_off(client, staff):
    for _ in range(5):
        attempt(client, "/anmelden/", "mia", "falsch")
    assert_lockout_page(attempt(client, "/anmelden/", "mia", "pw-mia"))
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert attempt(client, "/anmelden/", "mia", "pw-mia").status_code == 302


def test_authenticate_with_a_request_is_checked_by_axes(staff):
    """Programmatic authenticate() calls with a request are locked out as well."""
    factory = RequestFactory()
    for _ in range(5):
        request = factory.post("/anmelden/")
        assert authenticate(request, username="mia", password="falsch") is None
    request = factory.post("/anmelden/")
    assert authenticate(request, username="mia", password="pw-mia") is None
    assert getattr(request, "axes_locked_out", False)


def test_test_client_login_still_works(client, staff):
    assert client.login(username="mia", password="pw-mia")
    assert is_logged_in(client)
    assert not client.login(username="mia", password="falsch")


@pytest.mark.parametrize(
    "password", ["kurz", "passwort", "password123", "12345678901", "mia-arnsberg"]
)
def test_weak_passwords_are_rejected(password):
    user = make_user("mia.arnsberg", email="mia@arnsberg.example")
    with translation.override("de"), pytest.raises(ValidationError) as error:
        validate_password(password, user)
    assert all("Passwort" in message for message in error.value.messages)  # German


def test_strong_password_is_accepted(staff):
    validate_password("Regenrückhaltebecken-Sundern-42", staff)


def test_admin_user_form_rejects_a_common_password(client):
    admin = make_user("ada", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        reverse("wagtailusers_users:add"),
        {
            "username": "neu",
            "email": "neu@arnsberg.example",
            "first_name": "Neu",
            "last_name": "Person",
            "password1": "password",
            "password2": "password",
        },
    )
    assert response.status_code == 200
    assert not type(admin).objects.filter(username="neu").exists()
    assert "Dieses Passwort ist zu üblich." in response.content.decode()


def test_session_ends_after_its_lifetime_and_with_the_browser(client, staff):
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    response = attempt(client, "/anmelden/", "mia", "pw-mia")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE
    assert is_logged_in(client)

    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/tags/")
    assert response.status_code == 302
    assert response["Location"].startswith("/anmelden/?next=")


def test_logout_only_by_post(staff_client):
    assert staff_client.get(reverse("logout")).status_code == 405
    assert is_logged_in(staff_client)
    response = staff_client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert not is_logged_in(staff_client)


def test_client_address_behind_a_reverse_proxy(settings, client, staff):
    factory = RequestFactory()
    forwarded = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 10.1.2.3", "REMOTE_ADDR": "127.0.0.1"}
    assert client_ip_address(factory.get("/", **forwarded)) == "127.0.0.1"  # no proxy trusted
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip_address(factory.get("/", **forwarded)) == "10.1.2.3"  # forged entry ignored
    assert client_ip_address(factory.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"

    # Behind the proxy the lockout applies per real client, not to everyone at once.
    attacker = Client(HTTP_X_FORWARDED_FOR="10.9.9.9", REMOTE_ADDR="127.0.0.1")
    for _ in range(5):
        attempt(attacker, "/anmelden/", "mia", "falsch")
    assert_lockout_page(attempt(attacker, "/anmelden/", "mia", "pw-mia"))
    colleague = Client(HTTP_X_FORWARDED_FOR="10.1.1.1", REMOTE_ADDR="127.0.0.1")
    assert attempt(colleague, "/anmelden/", "mia", "pw-mia").status_code == 302

"""What the admin's login page needs is reachable without a login (issue 10, #14 part 1):
the scripts' translation catalogue, the icon sprite and Wagtail's password reset."""

from __future__ import annotations

import pytest
from django.core import mail

from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/admin/jsi18n/", "/admin/sprite/"])
def test_login_page_assets_are_public(client, url):
    response = client.get(url)
    assert response.status_code == 200


def test_password_reset_works_without_login(client):
    make_user("paula", "Redaktion Arnsberg", email="paula@arnsberg.example")
    response = client.get("/admin/password_reset/")
    assert response.status_code == 200
    response = client.post("/admin/password_reset/", {"email": "paula@arnsberg.example"})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["paula@arnsberg.example"]


@pytest.mark.parametrize("url", ["/admin/", "/admin/pages/", "/admin/reports/"])
def test_the_rest_of_the_admin_still_needs_a_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(("/anmelden/?next=", "/admin/login/?next="))

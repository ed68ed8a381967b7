"""/healthz for load balancers: no login, only ok/fail for anonymous callers."""

import pytest
from django.contrib.auth.models import User
from django.db import connection

pytestmark = pytest.mark.django_db


def test_health_is_public_and_says_only_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_details_only_for_administrators(client):
    client.force_login(User.objects.create_superuser("root", password="x-long-password"))
    assert client.get("/healthz").json() == {
        "status": "ok",
        "checks": {"database": "ok", "search": "ok"},
    }


def test_health_reports_failure_with_503(client, monkeypatch):
    def broken(*args, **kwargs):
        raise connection.Database.OperationalError("database is gone")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "fail"}

"""Refusals speak German: a forbidden action (403) and an expired form (CSRF) get the site's
own pages, never Django's English defaults."""

from __future__ import annotations

import pytest
from django.test import Client

from cooperation.models import WorkingGroupPage
from cooperation.seed import seed_cooperation

pytestmark = pytest.mark.django_db


def test_a_non_member_posting_a_result_gets_the_german_403_page(staff_client):
    seed_cooperation()
    group = WorkingGroupPage.objects.get(title="Krisenmanagement")
    response = staff_client.post(
        f"/arbeitsgruppen/{group.pk}/ergebnis/", {"title": "Darf ich nicht"}
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Keine Berechtigung" in html and "Forbidden" not in html
    assert not group.results.filter(title="Darf ich nicht").exists()


def test_an_expired_form_gets_the_german_csrf_page(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    response = client.post("/abos/zustellung/", {"delivery": "sofort"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formular abgelaufen" in html and "Forbidden" not in html
    assert "nicht gespeichert" in html

"""Dashboard panel "Meine fälligen Prüfungen": the owner's overdue and soon-due articles, soonest
first, each confirmable in one POST; the deputy sees them when the owner cannot be reached."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from kb.models import ArticlePage
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PANEL = "Meine fälligen Prüfungen"


@pytest.fixture
def owned(demo_articles, editor):
    today = timezone.localdate()
    ArticlePage.objects.update(review_due=today + datetime.timedelta(days=400))
    overdue = ArticlePage.objects.get(slug="demo-smart-city-pilot-arnsberg")
    soon = ArticlePage.objects.get(slug="demo-hitzeschutz-arnsberg")
    later = ArticlePage.objects.get(slug="demo-blackout-vorsorge-arnsberg")
    ArticlePage.objects.filter(pk=overdue.pk).update(
        responsible=editor, review_due=today - datetime.timedelta(days=3)
    )
    ArticlePage.objects.filter(pk=soon.pk).update(
        responsible=editor, review_due=today + datetime.timedelta(days=20)
    )
    ArticlePage.objects.filter(pk=later.pk).update(
        responsible=editor, review_due=today + datetime.timedelta(days=90)
    )
    return overdue, soon, later


def panel_html(client) -> str:
    html = client.get("/admin/").content.decode()
    found = re.search(r'id="kb-my-due-reviews-section".*?</section>', html, re.S)
    return found[0] if found else ""


def test_owner_sees_due_articles_soonest_first_and_confirms_one(client, editor, owned):
    overdue, soon, later = owned
    client.force_login(editor)
    html = client.get("/admin/").content.decode()
    assert PANEL in html
    panel = panel_html(client)
    assert panel.index(overdue.title) < panel.index(soon.title)
    assert later.title not in panel
    today = timezone.localdate()
    assert f"überfällig seit {today - datetime.timedelta(days=3):%d.%m.%Y}" in panel
    assert f"fällig am {today + datetime.timedelta(days=20):%d.%m.%Y}" in panel
    assert f'action="/admin/pruefung/{overdue.pk}/bestaetigen/"' in panel
    assert f"/admin/pages/{overdue.pk}/edit/" in panel

    response = client.post(f"/admin/pruefung/{overdue.pk}/bestaetigen/", {"next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    panel = panel_html(client)
    assert overdue.title not in panel and soon.title in panel


def test_nothing_shown_without_due_reviews(client, chief, demo_articles):
    client.force_login(chief)
    assert PANEL not in client.get("/admin/").content.decode()


def test_deputy_sees_them_only_when_the_owner_cannot_be_reached(client, editor, owned):
    overdue = owned[0]
    deputy = make_user("dana", "Redaktion Arnsberg", email="dana@arnsberg.example")
    ArticlePage.objects.filter(pk=overdue.pk).update(deputy=deputy)
    client.force_login(deputy)
    assert overdue.title not in panel_html(client)
    editor.is_active = False
    editor.save()
    assert overdue.title in panel_html(client)

"""Password-protected pages are throttled like the login forms (issue 10, #12)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse
from wagtail.models import PageViewRestriction

from kb.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def protected(demo_articles):
    cache.clear()
    page = ArticlePage.objects.live().order_by("pk").first()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="richtig-2026"
    )
    url = reverse("wagtailcore_authenticate_with_password", args=[restriction.pk, page.pk])
    yield page, url
    cache.clear()


def _guess(client, page, url, password):
    return client.post(url, {"password": password, "return_url": page.url})


def test_right_password_opens_the_page(staff_client, protected):
    page, url = protected
    assert staff_client.get(page.url).status_code == 200  # the password form
    assert _guess(staff_client, page, url, "richtig-2026").status_code == 302
    response = staff_client.get(page.url)
    assert page.title in response.content.decode()


def test_guessing_is_refused_after_five_wrong_passwords(staff_client, protected, settings):
    page, url = protected
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert _guess(staff_client, page, url, "falsch").status_code == 200
    response = _guess(staff_client, page, url, "richtig-2026")
    assert response.status_code == 429
    assert "Zugang vorübergehend gesperrt" in response.content.decode()


def test_a_success_resets_the_count(staff_client, protected, settings):
    page, url = protected
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _guess(staff_client, page, url, "falsch")
    assert _guess(staff_client, page, url, "richtig-2026").status_code == 302
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _guess(staff_client, page, url, "falsch")
    assert _guess(staff_client, page, url, "richtig-2026").status_code == 302

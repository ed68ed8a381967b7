"""The preview of a new, not yet saved article renders (found with issue 10, #13)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from kb.models import ArticlePage, TopicPage

pytestmark = pytest.mark.django_db


def test_preview_of_an_unsaved_article_renders(demo_articles, editor):
    topic = TopicPage.objects.get(title="Smart City")
    page = ArticlePage(
        title="Neuer Beitrag in Arbeit",
        slug="neuer-beitrag",
        summary="Noch nicht gespeichert",
        body=[("heading", {"text": "Worum es geht", "level": "h2"})],
    )
    # As Wagtail's create view prepares a page for its preview.
    page.depth = topic.depth + 1
    page.path = topic.path + "ZZZZ"
    page.set_url_path(topic)
    request = RequestFactory().get("/")
    request.user = editor
    response = page.make_preview_request(request, page.default_preview_mode)
    assert response.status_code == 200
    html = response.render().content.decode()
    assert "Neuer Beitrag in Arbeit" in html
    assert "Worum es geht" in html

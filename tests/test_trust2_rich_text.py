"""Intro texts of the home and topic pages are sanitised like the article body (issue 10, #15)."""

from __future__ import annotations

import pytest

from kb.models import TopicPage
from kb.topics import ensure_topic, home_page

pytestmark = pytest.mark.django_db

HOSTILE = (
    "<p>Willkommen <b>im Netz</b><script>alert(1)</script>"
    '<img src="x" onerror="alert(2)"><a href="javascript:alert(3)">Link</a></p>'
)


def _assert_clean(html: str) -> None:
    assert "Willkommen <b>im Netz</b>" in html
    assert "<script>alert(1)" not in html
    assert "onerror" not in html
    assert "javascript:alert" not in html


def test_topic_intro_is_sanitised(staff_client):
    topic = ensure_topic("Stadtplanung")
    TopicPage.objects.filter(pk=topic.pk).update(intro=HOSTILE)
    response = staff_client.get(topic.url)
    assert response.status_code == 200
    _assert_clean(response.content.decode())


def test_home_intro_is_sanitised(staff_client):
    home = home_page()
    type(home).objects.filter(pk=home.pk).update(intro=HOSTILE)
    response = staff_client.get("/")
    assert response.status_code == 200
    _assert_clean(response.content.decode())


def test_markdown_import_keeps_the_text_around_a_broken_image():
    from kb.markdown_blocks import markdown_to_blocks

    (block,) = markdown_to_blocks('Absatz ![i](x" onerror="alert(1)) Ende')
    assert block["type"] == "paragraph"
    assert "Absatz" in block["value"] and "Ende" in block["value"]
    assert "<img" not in block["value"]  # what looked like an attribute stays plain text

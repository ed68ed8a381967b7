"""Reading requires login: anonymous visitors are sent to the login page everywhere."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from kb.models import ArticlePage, TopicPage

pytestmark = pytest.mark.django_db


def anonymous_urls() -> list[str]:
    article = ArticlePage.objects.live().first()
    topic = TopicPage.objects.live().first()
    return [
        "/",
        topic.url,
        article.url,
        "/tags/",
        "/tags/starkregen/",
        "/suche/?q=Hitze",
        "/admin/",
        "/documents/1/x.pdf",
        "/gibt-es-nicht/",
    ]


def test_anonymous_is_redirected_to_login_everywhere(client, demo_articles):
    for url in anonymous_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_login_page_is_public_and_german(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Anmelden" in html
    assert 'lang="de"' in html


def test_login_then_back_to_requested_page(client, staff):
    response = client.post(
        reverse("login") + "?next=/tags/",
        {"username": "mia", "password": "pw-mia", "next": "/tags/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/tags/"
    assert client.get("/tags/").status_code == 200


def test_wrong_password_shows_german_error(client, staff):
    response = client.post(reverse("login"), {"username": "mia", "password": "falsch"})
    assert response.status_code == 200
    assert "Benutzername" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


def test_logout_ends_the_session(staff_client):
    assert staff_client.get("/").status_code == 200
    response = staff_client.post(reverse("logout"))
    assert response.status_code == 302
    assert staff_client.get("/").status_code == 302


def test_staff_cannot_reach_the_admin(staff_client):
    response = staff_client.get("/admin/")
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"]


def test_root_page_exists_only_once():
    assert Page.objects.filter(depth=2).count() == 1

"""Side channels of private content: the "Meinten Sie …" vocabulary, tag pages of tags used only
on hidden pages, and the labels of filter chips must not reveal what the reader may not see."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from kb.models import ArticlePage, TopicPage
from kb.topics import home_page

pytestmark = pytest.mark.django_db
API = "/api/v1/search/"


def restrict_to_chiefs(page) -> None:
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])


def add_article(topic: TopicPage, slug: str, title: str, tag: str, *, publish: bool = True):
    page = ArticlePage(title=title, slug=slug, summary="Interne Notiz", live=False)
    topic.add_child(instance=page)
    page.tags.add(tag)
    revision = page.save_revision()
    if publish:
        revision.publish()
    return ArticlePage.objects.get(pk=page.pk)


def suggestion_for(client, q: str) -> str | None:
    response = client.get(API, {"q": q})
    assert response.status_code == 200, response.content
    payload = response.json()
    assert payload["count"] == 0, payload
    return payload.get("suggestion")


def test_spelling_suggestion_offers_no_words_of_private_articles(
    client, staff, chief, demo_articles
):
    topic = TopicPage.objects.get(title="Krisenmanagement")
    page = add_article(topic, "geheim-alpha", "Geheimwortalpha Lagebild", "Geheimtagbeta")
    restrict_to_chiefs(page)

    client.force_login(staff)
    for typo in ("geheimwortalpxy", "geheimtagbexy"):
        suggestion = suggestion_for(client, typo) or ""
        assert "geheim" not in suggestion.casefold(), (typo, suggestion)
    html = client.get("/suche/", {"q": "geheimwortalpxy"}).content.decode()
    assert "Geheimwortalpha" not in html
    # Public words are still suggested (a second, unknown word keeps the query without a hit:
    # the typo alone is corrected by the search itself).
    assert "Leerstandskataster" in (suggestion_for(client, "Leerstandskatasterr Xqzvbl") or "")

    # The chief editors may read the article: for them its words are suggested.
    client.force_login(chief)
    assert suggestion_for(client, "geheimwortalpxy") == "Geheimwortalpha"
    assert suggestion_for(client, "geheimtagbexy") == "Geheimtagbeta"


def test_spelling_suggestion_offers_no_tags_used_only_on_drafts(staff_client, demo_articles):
    topic = TopicPage.objects.get(title="Krisenmanagement")
    add_article(topic, "entwurf-gamma", "Entwurf", "Entwurfstaggamma", publish=False)
    suggestion = suggestion_for(staff_client, "entwurfstaggamxy") or ""
    assert "entwurfstag" not in suggestion.casefold(), suggestion


def test_tag_page_of_a_tag_used_only_on_hidden_pages_is_not_found(
    client, staff, chief, demo_articles
):
    topic = TopicPage.objects.get(title="Krisenmanagement")
    private = add_article(topic, "geheim-delta", "Lagebild Delta", "Geheimtag Delta")
    restrict_to_chiefs(private)
    add_article(topic, "entwurf-delta", "Entwurf Delta", "Entwurfstag Delta", publish=False)

    client.force_login(staff)
    assert client.get("/tags/gibt-es-nicht/").status_code == 404
    for slug, name in (("geheimtag-delta", "Geheimtag Delta"), ("entwurfstag-delta", "Entwurf")):
        response = client.get(f"/tags/{slug}/")
        assert response.status_code == 404, slug
        assert name not in response.content.decode()
    assert client.get("/tags/hitze/").status_code == 200

    client.force_login(chief)
    response = client.get("/tags/geheimtag-delta/")
    assert response.status_code == 200
    assert "Lagebild Delta" in response.content.decode()


def test_filter_chips_do_not_show_titles_of_private_topics_or_tags(
    client, staff, chief, demo_articles
):
    topic = TopicPage(title="Geheimthema Omega", slug="thema-x7")
    home_page().add_child(instance=topic)
    topic.save_revision().publish()
    restrict_to_chiefs(topic)
    add_article(topic, "geheim-omega", "Lagebild Omega", "Geheimtag Omega")

    client.force_login(staff)
    for params, secret in (
        ({"topic": "thema-x7"}, "Geheimthema Omega"),
        ({"q": "Hitze", "topic": "thema-x7"}, "Geheimthema Omega"),
        ({"tag": "geheimtag-omega"}, "Geheimtag Omega"),
        ({"q": "Hitze", "tag": "geheimtag-omega"}, "Geheimtag Omega"),
    ):
        response = client.get("/suche/", params)
        assert response.status_code == 200
        html = response.content.decode()
        assert secret not in html, params
        # The chip shows the value as it was typed.
        assert "Aktive Filter" in html and next(iter(params.values())) in html

    # Who may read the topic sees its title in the chip.
    client.force_login(chief)
    html = client.get("/suche/", {"topic": "thema-x7"}).content.decode()
    assert "Geheimthema Omega" in html
    assert "Lagebild Omega" in html


def test_query_naming_a_hidden_tag_gets_no_tag_link(client, staff, chief, demo_articles):
    topic = TopicPage.objects.get(title="Krisenmanagement")
    add_article(topic, "lagezentrum-oeffentlich", "Lagezentrum im Rathaus", "Krisenstab")
    private = add_article(topic, "lagezentrum-geheim", "Interne Lage", "Lagezentrum")
    restrict_to_chiefs(private)

    client.force_login(staff)
    html = client.get("/suche/", {"q": "Lagezentrum"}).content.decode()
    assert "Lagezentrum im Rathaus" in html  # there are visible results
    assert "/tags/lagezentrum/" not in html

    client.force_login(chief)
    html = client.get("/suche/", {"q": "Lagezentrum"}).content.decode()
    assert "/tags/lagezentrum/" in html

"""Topic and tag pages filter with the parameter names of the search page (`?city=`); links and
bookmarks with the old name (`?stadt=`) are redirected permanently to the same filter."""

from __future__ import annotations

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from taggit.models import Tag

from kb.importer import import_records
from kb.models import ArticlePage, TopicPage
from kb.tags import tag_url
from search.backends.base import FACETS

pytestmark = pytest.mark.django_db

TOPIC = "Klimafolgenanpassung & Resilienz"


def topic() -> TopicPage:
    return TopicPage.objects.get(title=TOPIC)


def titles_in(html: str) -> set[str]:
    return {
        node.get_text(strip=True)
        for node in BeautifulSoup(html, "html.parser").select(".card__title")
    }


def city_titles(articles, city: str) -> set[str]:
    return {a.title for a in articles if city in {c.name for c in a.cities.all()}}


def filter_links(html: str) -> dict[str, str]:
    """Text of each city filter link -> its href."""
    soup = BeautifulSoup(html, "html.parser")
    return {
        link.get_text(" ", strip=True).split(" (")[0]: link["href"]
        for link in soup.select(".filter__link")
    }


def test_the_city_parameter_is_named_as_on_the_search_page():
    assert "city" in FACETS


def test_old_stadt_parameter_redirects_permanently_to_city(staff_client, demo_articles):
    url = topic().url
    response = staff_client.get(url, {"stadt": "sundern", "page": "1"})
    assert response.status_code == 301
    location = urlsplit(response["Location"])
    assert location.path == url
    assert parse_qs(location.query) == {"city": ["sundern"], "page": ["1"]}

    followed = staff_client.get(url + "?stadt=sundern", follow=True)
    assert followed.redirect_chain == [(url + "?city=sundern", 301)]
    articles = ArticlePage.objects.child_of(topic()).live()
    assert titles_in(followed.content.decode()) == city_titles(articles, "Sundern")

    # Tag pages answer the old name the same way.
    response = staff_client.get("/tags/hitze/", {"stadt": "arnsberg"})
    assert response.status_code == 301
    assert response["Location"] == "/tags/hitze/?city=arnsberg"


def test_the_new_name_wins_over_the_old_one(staff_client, demo_articles):
    response = staff_client.get(topic().url + "?stadt=arnsberg&city=sundern")
    assert response.status_code == 301
    assert response["Location"] == topic().url + "?city=sundern"


def test_pages_without_old_parameters_are_not_redirected(staff_client, demo_articles):
    assert staff_client.get(topic().url, {"city": "sundern"}).status_code == 200
    assert staff_client.get("/tags/hitze/", {"city": "sundern"}).status_code == 200
    assert staff_client.get("/tags/hitze/").status_code == 200


def test_city_filters_the_topic_page_by_slug_or_name(staff_client, demo_articles):
    articles = list(ArticlePage.objects.child_of(topic()).live())
    sundern = city_titles(articles, "Sundern")
    assert sundern and sundern != {a.title for a in articles}
    for value in ["sundern", "Sundern", "SUNDERN"]:
        html = staff_client.get(topic().url, {"city": value}).content.decode()
        assert titles_in(html) == sundern, value
        assert "Beiträge aus Sundern" in html
    # An unknown city filters nothing.
    html = staff_client.get(topic().url, {"city": "gibt-es-nicht"}).content.decode()
    assert titles_in(html) == {a.title for a in articles}


def test_city_filters_the_tag_page(staff_client, demo_articles):
    tagged = list(ArticlePage.objects.live().filter(tags__slug="hitze"))
    arnsberg = city_titles(tagged, "Arnsberg")
    assert arnsberg and arnsberg != {a.title for a in tagged}

    html = staff_client.get("/tags/hitze/", {"city": "arnsberg"}).content.decode()
    assert titles_in(html) == arnsberg
    assert "aus Arnsberg mit dem Schlagwort „Hitze“" in html
    assert "Schlagwort: Hitze – Arnsberg" in html  # the window title

    html = staff_client.get("/tags/hitze/").content.decode()
    assert titles_in(html) == {a.title for a in tagged}


def test_a_city_without_articles_with_the_tag_says_so(staff_client, demo_articles):
    # "Ländlicher Raum" is a Sundern tag only.
    url = tag_url(Tag.objects.get(name="Ländlicher Raum").slug)
    html = staff_client.get(url, {"city": "arnsberg"}).content.decode()
    assert titles_in(html) == set()
    assert "noch keine Beiträge aus Arnsberg" in html
    assert f'href="{url}">Beiträge aus allen Städten anzeigen' in html


def test_filter_links_use_the_new_name(staff_client, demo_articles):
    for url in [topic().url, "/tags/hitze/"]:
        html = staff_client.get(url).content.decode()
        links = filter_links(html)
        assert links["Alle Städte"] == url
        assert links["Sundern"] == f"{url}?city=sundern"
        assert links["Arnsberg"] == f"{url}?city=arnsberg"
        assert "stadt=" not in html

        filtered = staff_client.get(links["Sundern"]).content.decode()
        current = BeautifulSoup(filtered, "html.parser").select_one(
            '.filter__link[aria-current="true"]'
        )
        assert current.get_text(" ", strip=True).startswith("Sundern")


def test_page_links_of_a_filtered_list_keep_the_city(staff_client, demo_articles):
    start = datetime.date(2026, 1, 1)
    import_records(
        [
            {
                "slug": f"hitzeschutz-baustein-{n}",
                "title": f"Hitzeschutz Baustein {n}",
                "cities": ["Sundern"],
                "topic": TOPIC,
                "department": "Fachbereich Umwelt und Klima",
                "tags": ["Hitze"],
                "summary": f"Baustein {n} des Hitzeschutzes.",
                "body": "Was sich bewährt hat.",
                "contact": None,
                "date": (start + datetime.timedelta(days=n)).isoformat(),
            }
            for n in range(12)
        ]
    )
    for url in [topic().url, "/tags/hitze/"]:
        html = staff_client.get(url, {"city": "sundern"}).content.decode()
        next_link = BeautifulSoup(html, "html.parser").select_one('a[rel="next"]')
        assert parse_qs(urlsplit(next_link["href"]).query) == {"city": ["sundern"], "page": ["2"]}
        second = staff_client.get(url + next_link["href"]).content.decode()
        assert "Seite 2 von 2" in second
        assert "Beiträge aus Sundern" in second

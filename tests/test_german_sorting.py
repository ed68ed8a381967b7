"""Names are listed in German alphabetical order (DIN 5007-1) wherever the site or the API sorts
by name: "Ländlicher Raum" before "Leerstand", "Städtetag" before "Starkregen" (Python's and the
databases' code-point order put them the other way round)."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from kb.collation import german_sort_key, german_sorted
from kb.models import ArticlePage, City, ContactPerson


def texts(html: str, selector: str) -> list[str]:
    return [
        " ".join(node.get_text(" ", strip=True).split())
        for node in BeautifulSoup(html, "html.parser").select(selector)
    ]


def assert_before(names: list[str], first: str, second: str) -> None:
    assert first in names and second in names, (first, second, names)
    assert names.index(first) < names.index(second), names


# --- the sort key --------------------------------------------------------------------------------


def test_sort_key_orders_german_words_as_a_dictionary_does():
    names = [
        "Starkregen",
        "Leerstand",
        "Zebra",
        "Städtetag",
        "ländlicher Raum",
        "Öl",
        "Oma",
        "Maße",
        "Masse",
        "Bär",
        "Bar",
        "bar",
        "Mulde",
        "Müller",
        "Smartphone",
        "Smart City",
        "„Kita“",
        "apfel",
        "Äpfel",
        "Apfel",
        "Birne",
    ]
    assert german_sorted(names) == [
        "apfel",  # case is only the third criterion: lower case first …
        "Apfel",
        "Äpfel",  # … and an umlaut only breaks a tie, after the plain letter
        "bar",
        "Bar",
        "Bär",
        "Birne",
        "„Kita“",  # quotes around a name are ignored
        "ländlicher Raum",  # ä = a, case-insensitive
        "Leerstand",
        "Masse",
        "Maße",  # ß = ss, after the plain letters
        "Mulde",  # DIN 5007-1: ü = u ("Mulde" < "Müller"), not ü = ue
        "Müller",
        "Öl",  # ö = o
        "Oma",
        "Smart City",  # a word break sorts before any letter
        "Smartphone",
        "Städtetag",
        "Starkregen",
        "Zebra",
    ]


def test_sort_key_sets_no_two_different_names_equal():
    names = ["Kita", "kita", "KITA", "Kíta", "Kita "]
    keys = {german_sort_key(name) for name in names}
    assert len(keys) == len(names)
    # Every order of the input gives the same result.
    assert german_sorted(names) == german_sorted(reversed(names))


# --- pages and API on the demo content -----------------------------------------------------------


@pytest.mark.django_db
def test_tag_index_lists_tags_in_german_order(staff_client, demo_articles):
    names = texts(staff_client.get("/tags/").content.decode(), ".tag-index__link")
    assert_before(names, "Ländlicher Raum", "Leerstand")
    assert_before(names, "Städtetag", "Starkregen")
    assert_before(names, "Förderung", "Geflüchtete")
    assert names == german_sorted(names)


@pytest.mark.django_db
def test_tags_of_an_article_are_in_german_order_on_its_page_and_its_cards(
    staff_client, demo_articles
):
    article = ArticlePage.objects.get(slug="demo-leerstand-innenstadt-sundern")
    assert {"Ländlicher Raum", "Leerstand"} <= {tag.name for tag in article.tags.all()}

    page_tags = texts(staff_client.get(article.url).content.decode(), ".article__meta .tag")
    assert_before(page_tags, "Ländlicher Raum", "Leerstand")
    assert page_tags == german_sorted(page_tags)

    # Its card on a tag page and on its topic page.
    for url in ["/tags/leerstand/", article.get_parent().url]:
        soup = BeautifulSoup(staff_client.get(url).content.decode(), "html.parser")
        card = next(
            card for card in soup.select(".card") if article.title in card.get_text(" ", strip=True)
        )
        card_tags = [tag.get_text(strip=True) for tag in card.select(".tag")]
        assert_before(card_tags, "Ländlicher Raum", "Leerstand")


@pytest.mark.django_db
def test_search_facets_and_api_results_sort_names_the_german_way(staff_client, demo_articles):
    # Facets: most frequent first, equal counts in German order.
    data = staff_client.get("/api/v1/search/", {"tag": "Ländlicher Raum"}).json()
    tag_facet = data["facets"]["tag"]
    counts = {item["label"]: item["count"] for item in tag_facet}
    assert counts["Städtetag"] == counts["Starkregen"]
    labels = [item["label"] for item in tag_facet]
    assert_before(labels, "Städtetag", "Starkregen")
    assert [item["count"] for item in tag_facet] == sorted(counts.values(), reverse=True)
    for count in set(counts.values()):
        same = [item["label"] for item in tag_facet if item["count"] == count]
        assert same == german_sorted(same)

    # A result's tags.
    data = staff_client.get("/api/v1/search/", {"q": "Leerstand", "city": "sundern"}).json()
    (result,) = data["results"]
    assert_before(result["tags"], "Ländlicher Raum", "Leerstand")
    # The facet of this one hit: every tag counts 1, so the order is the names' alone.
    labels = [item["label"] for item in data["facets"]["tag"]]
    assert_before(labels, "Ländlicher Raum", "Leerstand")


@pytest.mark.django_db
def test_search_page_lists_facet_values_in_german_order(staff_client, demo_articles):
    html = staff_client.get("/suche/", {"tag": "Ländlicher Raum"}).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    group = soup.select_one('.facet[aria-labelledby="facet-tag"]')
    labels = [
        label.find(string=True, recursive=False).strip() for label in group.select(".facet__label")
    ]
    assert_before(labels, "Städtetag", "Starkregen")


@pytest.mark.django_db
def test_cities_are_listed_in_german_order(staff_client, demo_articles):
    # A city whose name starts with an umlaut: by code point it would come after "Sundern".
    oehringen = City.objects.create(name="Öhringen", slug="oehringen")
    article = ArticlePage.objects.get(slug="demo-starkregenvorsorge-sundern")
    article.cities.add(oehringen, City.objects.get(name="Arnsberg"))
    article.save_revision().publish()

    html = staff_client.get(article.get_parent().url).content.decode()
    filter_names = [name.split(" (")[0] for name in texts(html, ".filter__link")]
    assert filter_names == ["Alle Städte", "Arnsberg", "Öhringen", "Sundern"]
    assert texts(staff_client.get(article.url).content.decode(), ".article__meta .badge") == [
        "Arnsberg",
        "Öhringen",
        "Sundern",
    ]
    data = staff_client.get("/api/v1/search/", {"q": "Starkregen", "city": "oehringen"}).json()
    assert [result["cities"] for result in data["results"]] == [["Arnsberg", "Öhringen", "Sundern"]]


@pytest.mark.django_db
def test_contact_persons_are_listed_in_german_order(staff_client, demo_articles):
    article = ArticlePage.objects.get(slug="demo-leerstand-innenstadt-sundern")
    city = City.objects.get(name="Sundern")
    through = ArticlePage.contacts.through
    for name in ["Paul Brandt", "Özlem Brandt"]:
        person = ContactPerson.objects.create(name=name, city=city)
        through.objects.create(articlepage_id=article.pk, contactperson_id=person.pk)

    html = staff_client.get(article.url).content.decode()
    names = texts(html, ".contacts .contact__name")
    assert names == german_sorted(names)
    assert_before(names, "Markus Feldmann", "Özlem Brandt")
    assert_before(names, "Özlem Brandt", "Paul Brandt")

    # The people a query names (both are called Brandt).
    people = staff_client.get("/api/v1/search/", {"q": "Brandt"}).json()["people"]
    assert [person["name"] for person in people] == ["Özlem Brandt", "Paul Brandt"]

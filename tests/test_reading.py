"""What a logged-in staff member sees on home, topic, article and tag pages."""

from pathlib import Path

import pytest
from django.utils.html import escape

from kb.models import ArticlePage, City, TopicPage

pytestmark = pytest.mark.django_db


def test_home_shows_topics_with_counts_and_newest_per_city(staff_client, demo_articles):
    html = staff_client.get("/").content.decode()
    for topic in TopicPage.objects.all():
        assert escape(topic.title) in html
    # Mia works in Arnsberg (by e-mail domain): first what the other cities shared, then her own.
    assert html.index("Neu aus Sundern") < html.index("Neu aus Arnsberg")
    assert "Nachbarstädte von Arnsberg" in html


def test_topic_page_lists_newest_first_and_filters_by_city(staff_client, demo_articles):
    topic = TopicPage.objects.get(title="Klimafolgenanpassung & Resilienz")
    articles = ArticlePage.objects.child_of(topic).live().order_by("-first_published")
    html = staff_client.get(topic.url).content.decode()
    positions = [html.index(escape(a.title)) for a in articles]
    assert positions == sorted(positions)

    sundern_only = staff_client.get(topic.url + "?city=sundern").content.decode()
    for article in articles:
        names = {c.name for c in article.cities.all()}
        assert (escape(article.title) in sundern_only) == ("Sundern" in names)


def test_article_page_shows_origin_toc_contacts_tags_and_counterpart(staff_client, demo_articles):
    article = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern")
    counterpart = ArticlePage.objects.get(slug="demo-hitzeschutz-arnsberg")
    response = staff_client.get(article.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sundern" in html
    assert escape(article.get_parent().title) in html
    for tag in article.tags.all():
        assert f"/tags/{tag.slug}/" in html
    contact = article.contacts.get()
    assert contact.name in html and f"mailto:{contact.email}" in html
    assert "So macht es Arnsberg" in html
    assert escape(counterpart.title) in html
    # Table of contents links to the headings in the body.
    first_heading = next(b for b in article.body if b.block_type == "heading")
    assert escape(first_heading.value["text"]) in html
    assert 'href="#' in html
    assert "Fachliche Prüfung:" in html and "Nächste Prüfung:" in html


def test_counterpart_is_shown_from_both_sides(staff_client, demo_articles):
    arnsberg = ArticlePage.objects.get(slug="demo-hitzeschutz-arnsberg")
    html = staff_client.get(arnsberg.url).content.decode()
    assert "So macht es Sundern" in html


def test_related_articles_prefer_other_cities(staff_client, demo_articles, rf, staff):
    from kb.listings import cards, related_ids

    article = ArticlePage.objects.get(slug="demo-starkregenvorsorge-arnsberg")
    request = rf.get("/")
    request.user = staff
    ids = related_ids(article, request)
    by_id = cards(request, ids)
    related = [by_id[pk] for pk in ids if pk in by_id]
    assert related, "an article with shared tags has related articles"
    assert any("Sundern" in {c.name for c in r.cities.all()} for r in related[:2])


def test_tag_pages_list_articles_across_cities(staff_client, demo_articles):
    overview = staff_client.get("/tags/").content.decode()
    assert "Starkregen" in overview
    html = staff_client.get("/tags/starkregen/").content.decode()
    tagged = ArticlePage.objects.live().filter(tags__slug="starkregen")
    assert tagged.count() >= 2
    for article in tagged:
        assert escape(article.title) in html
    assert staff_client.get("/tags/gibt-es-nicht/").status_code == 404


def test_malformed_page_parameters_do_not_fail(staff_client, demo_articles):
    topic = TopicPage.objects.first()
    for value in ["abc", "-1", "999999999", "", "1.5"]:
        assert staff_client.get(topic.url, {"page": value}).status_code == 200
        assert staff_client.get("/tags/starkregen/", {"page": value}).status_code == 200
    assert staff_client.get(topic.url, {"city": "x" * 5000}).status_code == 200


def test_a_third_city_appears_in_badges_and_filters_without_code_changes(
    client, staff, chief, demo_articles
):
    # The Chefredaktion adds the city in the admin, no code involved.
    client.force_login(chief)
    response = client.post(
        "/admin/snippets/kb/city/add/",
        {"name": "Meschede", "slug": "meschede", "email_domain": "", "color": "#5a2d82"},
    )
    assert response.status_code == 302
    meschede = City.objects.get(name="Meschede")
    article = ArticlePage.objects.get(slug="demo-hitzeschutz-arnsberg")
    article.cities.add(meschede)
    article.save_revision().publish()

    staff_client = client
    staff_client.force_login(staff)
    topic = article.get_parent()
    topic_html = staff_client.get(topic.url).content.decode()
    assert "?city=meschede" in topic_html
    filtered = staff_client.get(topic.url + "?city=meschede").content.decode()
    assert escape(article.title) in filtered
    assert "Meschede" in staff_client.get(article.url).content.decode()
    # A city that joins gets its place among the neighbours on the home page.
    home = staff_client.get("/").content.decode()
    assert "Neu aus Meschede und Sundern" in home  # cities by name


def test_printable_article_has_print_styles(staff_client, demo_articles):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/wissensnetz.css")).read_text(encoding="utf-8")
    assert "@media print" in css


def _home_cards(html: str) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    return [a.get("href") for a in soup.select("main .card__title a")]


def test_home_page_shows_every_article_once(client, staff, admin_user, demo_articles):
    # Joint articles belong to every city, but the home page lists each article in one
    # section only: for a reader of a city and for one without a city (an administrator).
    for user in (staff, admin_user):
        client.force_login(user)
        links = _home_cards(client.get("/").content.decode())
        assert links, "the home page lists new articles"
        assert len(links) == len(set(links)), links


def test_home_page_starts_with_what_the_other_cities_shared(staff_client, demo_articles):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(staff_client.get("/").content.decode(), "html.parser")
    sections = [h.get_text(strip=True) for h in soup.select("main section h2")]
    neighbours = sections.index("Neu aus Sundern")
    own = sections.index("Neu aus Arnsberg")
    assert neighbours < own
    first = soup.find("h2", string="Neu aus Sundern").find_parent("section")
    for card in first.select(".card"):
        # What the neighbours shared is not from Arnsberg (joint articles are Arnsberg's too).
        assert "Arnsberg" not in [b.get_text(strip=True) for b in card.select(".badge")]


def test_article_page_offers_editing_to_editors_only(client, staff, editor, demo_articles):
    article = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern")
    edit = f'href="/admin/pages/{article.pk}/edit/"'
    client.force_login(staff)
    assert edit not in client.get(article.url).content.decode()
    client.force_login(editor)
    html = client.get(article.url).content.decode()
    assert edit in html and ">Bearbeiten</a>" in html


def test_article_page_says_how_current_it_is_and_who_published_it(
    client, staff, chief, demo_articles
):
    article = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern")
    client.force_login(staff)
    html = client.get(article.url).content.decode()
    # Imported: the article's own date, no publisher (the import is nobody).
    stand = article.first_published.strftime("%d.%m.%Y")
    assert f"Stand: {stand}" in html  # the printout's line
    assert "veröffentlicht von" not in html

    chief.first_name, chief.last_name = "Charlotte", "Chef"
    chief.save()
    article.save_revision(user=chief).publish(user=chief)
    html = client.get(article.url).content.decode()
    assert "veröffentlicht von Charlotte Chef" in html
    from django.utils import timezone

    assert f"Stand: {timezone.localdate():%d.%m.%Y}" in html


def test_counterparts_of_one_city_share_one_heading(staff_client, demo_articles):
    target = ArticlePage.objects.get(slug="demo-hitzeschutz-arnsberg")
    second = ArticlePage.objects.get(slug="demo-blackout-vorsorge-sundern")
    second.counterpart = target
    second.save_revision().publish()
    html = staff_client.get(target.url).content.decode()
    assert html.count("So macht es Sundern") == 1
    assert escape(second.title) in html

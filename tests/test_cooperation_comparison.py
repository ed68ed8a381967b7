"""Side by side: "So machen es <Stadt A> und <Stadt B>" for a counterpart pair and any two
articles on the same problem, the page to pick the second article, and the article page's link.

The heading comes from the articles' cities (a third city added in the admin works), hidden
articles are a 404, lessons learned are shown per side, the page prints in two columns.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from kb.models import ArticlePage, City, TopicPage
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

CSS = Path(__file__).resolve().parent.parent / "static" / "css" / "wissensnetz.css"


def article(slug: str) -> ArticlePage:
    return ArticlePage.objects.get(slug=slug)


def compare_url(a: ArticlePage, b: ArticlePage) -> str:
    return f"/vergleich/{a.pk}/{b.pk}/"


def h1(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1).strip()


def new_article(
    topic: TopicPage, title: str, cities, *, tags=(), body=None, summary="Kurz.", **extra
):
    page = ArticlePage(title=title, summary=summary, body=body or [], **extra)
    topic.add_child(instance=page)
    page.cities.set(cities)
    for tag in tags:
        page.tags.add(tag)
    page.save_revision().publish()
    return ArticlePage.objects.get(pk=page.pk)


@pytest.fixture
def pair(demo_articles) -> tuple[ArticlePage, ArticlePage]:
    return article("demo-hitzeschutz-arnsberg"), article("demo-hitzeschutz-sundern")


# --- the comparison page ------------------------------------------------------------------------


def test_a_counterpart_pair_side_by_side(staff_client, pair):
    arnsberg, sundern = pair
    response = staff_client.get(compare_url(arnsberg, sundern))
    assert response.status_code == 200
    html = response.content.decode()
    assert h1(html) == "So machen es Arnsberg und Sundern"
    assert "<title>So machen es Arnsberg und Sundern · Wissensnetz</title>" in html
    # Both summaries, both titles linking to the articles, in the order of the address.
    for page in (arnsberg, sundern):
        assert page.summary.split("\n")[0][:60] in html
        assert f'<a href="{page.url}">{page.title}</a>' in html
    assert html.index(arnsberg.title) < html.index(sundern.title)
    # Key facts of each side.
    assert html.count("<dt>Fachbereich:</dt>") == 2
    assert html.count("<dt>Ansprechpersonen:</dt>") == 2
    assert html.count("<dt>Erstveröffentlichung:</dt>") == 2
    assert html.count("<dt>Themenfeld:</dt>") == 2
    assert arnsberg.department.name in html and sundern.department.name in html
    for contact in [*arnsberg.contacts.all(), *sundern.contacts.all()]:
        assert contact.name in html
    assert "Gemeinsame Schlagwörter:" in html and ">Hitzeschutz</a>" in html
    # Arnsberg's "Lessons learned" and Sundern's "Praxistipp" sections, as callouts on their
    # side, taken out of the body (not repeated).
    assert html.count('<section class="comparison__lessons"') == 2
    side_a, side_b = html.split('<article class="comparison__side"')[1:]
    assert '<p class="callout__title"><span lang="en">Lessons learned</span></p>' in side_a
    assert '<p class="callout__title">Praxistipp</p>' in side_b
    assert html.count("Hitzeschutz ist eine Querschnittsaufgabe") == 1
    assert html.count("am besten über Vertrauenspersonen") == 1
    lessons_a = side_a.split('aria-labelledby="a-body"')[0]
    assert "Hitzeschutz ist eine Querschnittsaufgabe" in lessons_a
    # Two columns with the bodies, section headings below the column headings.
    assert html.count('<article class="comparison__side"') == 2
    assert html.count('<section class="comparison__body article__body rich-text"') == 2
    assert '<h4 id="a-organisation-' in html and '<h4 id="b-organisation-' in html
    assert "<h2>Organisation</h2>" not in html


def test_reversed_order_and_the_same_article_twice(staff_client, pair):
    arnsberg, sundern = pair
    html = staff_client.get(compare_url(sundern, arnsberg)).content.decode()
    assert h1(html) == "So machen es Sundern und Arnsberg"
    response = staff_client.get(compare_url(arnsberg, arnsberg))
    assert response.status_code == 302
    assert response["Location"] == f"/vergleich/{arnsberg.pk}/"


def test_two_articles_without_counterpart_link_and_a_joint_article(staff_client, demo_articles):
    pilot = article("demo-smart-city-pilot-arnsberg")
    joint = article("demo-smart-city-wissenstransfer-arnsberg-sundern")
    html = staff_client.get(compare_url(pilot, joint)).content.decode()
    # The joint article lists both of its cities; Arnsberg is named once.
    assert h1(html) == "So machen es Arnsberg und Sundern"
    assert "Zwei Beiträge nebeneinander aus dem Themenfeld Smart City" in html


def test_a_third_city_added_in_the_admin(client, staff_client, demo_articles):
    """A city created through the admin's snippet form is compared like the first two."""
    client.force_login(make_user("admin", is_superuser=True, is_staff=True))
    response = client.post(
        "/admin/snippets/kb/city/add/",
        {"name": "Meschede", "slug": "meschede", "email_domain": "meschede.de", "color": "#1d4f91"},
    )
    assert response.status_code == 302
    meschede = City.objects.get(name="Meschede")
    arnsberg_article = article("demo-hitzeschutz-arnsberg")
    topic = arnsberg_article.get_parent().specific
    hitze = next(tag for tag in arnsberg_article.tags.all() if tag.name == "Hitzeschutz")
    from_meschede = new_article(topic, "Hitzeschutz in Meschede", [meschede], tags=[hitze])
    html = staff_client.get(compare_url(arnsberg_article, from_meschede)).content.decode()
    assert h1(html) == "So machen es Arnsberg und Meschede"
    assert "Dieser Beitrag nennt keine Lessons learned oder Praxistipps." in html

    # An article of two cities against a third: all three, in a sentence.
    both = new_article(
        topic, "Hitzeschutz gemeinsam", City.objects.filter(name__in=["Arnsberg", "Sundern"])
    )
    html = staff_client.get(compare_url(both, from_meschede)).content.decode()
    assert h1(html) == "So machen es Arnsberg, Sundern und Meschede"

    # And the pick page offers the Meschede article for the Arnsberg one.
    html = staff_client.get(f"/vergleich/{arnsberg_article.pk}/").content.decode()
    assert "Hitzeschutz in Meschede" in html
    assert compare_url(arnsberg_article, from_meschede) in html


def test_callout_blocks_are_lessons_too(staff_client, pair):
    arnsberg, _ = pair
    topic = arnsberg.get_parent().specific
    body = [
        {"type": "heading", "value": {"text": "Vorgehen", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Wir haben Trinkbrunnen aufgestellt.</p>"},
        {
            "type": "callout",
            "value": {"kind": "praxistipp", "text": "<p>Brunnen vor dem Sommer prüfen.</p>"},
        },
        {"type": "heading", "value": {"text": "Lessons learned", "level": "h2"}},
    ]
    other = new_article(topic, "Trinkbrunnen", City.objects.filter(name="Sundern"), body=body)
    html = staff_client.get(compare_url(arnsberg, other)).content.decode()
    lessons = html.split('<section class="comparison__lessons" aria-labelledby="b-lessons">')[1]
    lessons = lessons.split("</section>")[0]
    assert "Brunnen vor dem Sommer prüfen." in lessons
    assert "Praxistipp" in lessons
    # The empty "Lessons learned" heading of the body template is not shown as a lesson.
    assert "Lessons learned" not in lessons
    body_b = html.split('aria-labelledby="b-body"')[1]
    assert "Wir haben Trinkbrunnen aufgestellt." in body_b
    assert "Brunnen vor dem Sommer prüfen." not in body_b


def test_hidden_articles_are_404_never_revealed(staff_client, pair, chief):
    arnsberg, sundern = pair
    restriction = PageViewRestriction.objects.create(
        page=sundern, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    response = staff_client.get(compare_url(arnsberg, sundern))
    assert response.status_code == 404
    assert sundern.title not in response.content.decode()
    assert staff_client.get(f"/vergleich/{sundern.pk}/").status_code == 404
    # The pick page of the visible article does not offer it.
    html = staff_client.get(f"/vergleich/{arnsberg.pk}/").content.decode()
    assert sundern.title not in html
    # The Chefredaktion may read it, so may compare it.
    staff_client.force_login(chief)
    assert staff_client.get(compare_url(arnsberg, sundern)).status_code == 200

    restriction.delete()
    draft = ArticlePage.objects.get(pk=sundern.pk)
    draft.unpublish()
    assert staff_client.get(compare_url(arnsberg, sundern)).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/vergleich/999999/1/",
        "/vergleich/99999999999999999999999/3/",
        "/vergleich/3/99999999999999999999999/",
        "/vergleich/99999999999999999999999/",
        "/vergleich/0/",
        "/vergleich/abc/",
    ],
)
def test_bad_ids_are_404(staff_client, demo_articles, path):
    assert staff_client.get(path).status_code == 404


def test_a_topic_page_is_no_article(staff_client, pair):
    arnsberg, _ = pair
    topic = arnsberg.get_parent()
    assert staff_client.get(f"/vergleich/{arnsberg.pk}/{topic.pk}/").status_code == 404


def test_login_required(client, pair):
    arnsberg, sundern = pair
    response = client.get(compare_url(arnsberg, sundern))
    assert response.status_code == 302 and "/anmelden/" in response["Location"]


def test_comparison_queries_are_bounded(staff_client, pair, demo_articles):
    arnsberg, sundern = pair
    staff_client.get(compare_url(arnsberg, sundern))
    with CaptureQueriesContext(connection) as few:
        staff_client.get(compare_url(arnsberg, sundern))
    topic = arnsberg.get_parent().specific
    tags = list(arnsberg.tags.all())
    big = new_article(topic, "Viel Hitze", City.objects.filter(name="Sundern"), tags=tags)
    for number in range(3):
        new_article(
            topic, f"Noch mehr Hitze {number}", City.objects.filter(name="Sundern"), tags=tags
        )
    with CaptureQueriesContext(connection) as more:
        staff_client.get(compare_url(arnsberg, big))
    assert len(more) <= len(few) + 1
    with CaptureQueriesContext(connection) as pick:
        staff_client.get(f"/vergleich/{arnsberg.pk}/")
    assert len(pick) <= 25


def test_printable_two_columns_stacked_on_narrow_screens():
    css = CSS.read_text(encoding="utf-8")
    block = css[css.index("H3 – Vergleich") :]
    assert re.search(r"\.comparison \{[^}]*grid-template-columns: repeat\(2", block)
    narrow = block[block.index("@media (max-width: 48em)") :]
    assert "grid-template-columns: minmax(0, 1fr)" in narrow.split("@media print")[0]
    printed = block[block.index("@media print") :]
    assert "body:has(.comparison-page) .site-header" in printed
    assert "repeat(2, minmax(0, 1fr))" in printed


# --- the pick page ------------------------------------------------------------------------------


def test_pick_page_offers_the_counterpart_first_then_other_cities_by_shared_tags(
    staff_client, demo_articles
):
    arnsberg = article("demo-blackout-vorsorge-arnsberg")
    counterpart = article("demo-blackout-vorsorge-sundern")
    topic = arnsberg.get_parent().specific
    tags = {tag.name: tag for tag in arnsberg.tags.all()}
    sundern = City.objects.filter(name="Sundern")
    one_tag = new_article(topic, "Notstrom für das Rathaus", sundern, tags=[tags["Blackout"]])
    two_tags = new_article(
        topic,
        "Treffpunkte im Dorf",
        sundern,
        tags=[tags["Blackout"], tags["Notfalltreffpunkte"]],
    )
    same_city = new_article(
        topic,
        "Arnsberger Notfallplan",
        City.objects.filter(name="Arnsberg"),
        tags=list(tags.values()),
    )
    elsewhere = TopicPage.objects.exclude(pk=topic.pk).first()
    unrelated = new_article(elsewhere, "Ganz anderes Thema", sundern)

    html = staff_client.get(f"/vergleich/{arnsberg.pk}/").content.decode()
    assert "<h1>Mit einem Beitrag einer anderen Stadt vergleichen</h1>" in html
    order = [html.index(p.title) for p in (counterpart, two_tags, one_tag)]
    assert order == sorted(order)
    assert html.index("Gegenstück") < html.index(counterpart.title)
    assert "2 gemeinsame Schlagwörter, gleiches Themenfeld" in html
    assert "1 gemeinsames Schlagwort, gleiches Themenfeld" in html
    for other in (counterpart, two_tags, one_tag):
        assert compare_url(arnsberg, other) in html
    # Only other cities' articles; nothing unrelated.
    assert same_city.title not in html
    assert unrelated.title not in html


def lonely_article() -> ArticlePage:
    """An article alone in a topic area of its own, without tags: nothing to compare with."""
    home = TopicPage.objects.first().get_parent()
    own_topic = home.add_child(instance=TopicPage(title="Nur hier", slug="nur-hier"))
    return new_article(own_topic, "Ganz allein", City.objects.filter(name="Arnsberg"))


def test_pick_page_without_candidates_says_so(staff_client, demo_articles):
    alone = lonely_article()
    html = staff_client.get(f"/vergleich/{alone.pk}/").content.decode()
    assert "noch keinen Beitrag einer anderen Stadt" in html
    assert "/vergleich/" + str(alone.pk) + "/" not in html.split("<h1>")[1]


# --- the article page's link --------------------------------------------------------------------


def test_article_page_links_to_the_comparison_with_its_counterpart(staff_client, pair):
    arnsberg, sundern = pair
    html = staff_client.get(arnsberg.url).content.decode()
    link = f'<a href="{compare_url(arnsberg, sundern)}">'
    assert f"{link}Vergleichen: So machen es Arnsberg und Sundern</a>" in html
    assert "Mit einem Beitrag einer anderen Stadt vergleichen" not in html


def test_article_page_without_counterpart_links_to_the_pick_page(staff_client, demo_articles):
    pilot = article("demo-smart-city-pilot-arnsberg")
    html = staff_client.get(pilot.url).content.decode()
    assert (
        f'<a href="/vergleich/{pilot.pk}/">Mit einem Beitrag einer anderen Stadt vergleichen</a>'
        in html
    )
    assert "Vergleichen: So machen es" not in html


def test_article_page_without_candidates_shows_no_link(staff_client, demo_articles):
    alone = lonely_article()
    html = staff_client.get(alone.url).content.decode()
    assert "/vergleich/" not in html
    assert 'class="compare-links"' not in html

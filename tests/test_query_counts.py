"""Reading pages run a fixed number of SQL queries, however many articles they show.

Each test renders a page twice: with the demo content, and again after 30 more articles (tags,
both cities, a contact person each, counterparts) have been imported and the measured article has
got more contact persons. Both renders must stay under the same tight bound, so a query per card,
per city badge, per tag or per contact (an N+1) fails the suite instead of slowing production
down. The bounds are the counts measured when they were set plus a small margin.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils.html import escape

from kb.importer import import_records
from kb.models import ArticlePage, ContactPerson, Department, TopicPage

pytestmark = pytest.mark.django_db

EXTRA_ARTICLES = 30
TOPIC = "Klimafolgenanpassung & Resilienz"
TARGET = "demo-hitzeschutz-sundern"

# Every request of a logged-in reader pays for these before the page itself queries anything:
# session, user, Wagtail's site lookup and, for pages, the page route and its view-restriction
# check, and the permission lookups of the header ("Redaktion" link).


def extra_records(count: int) -> list[dict]:
    """Articles that crowd every list: same topic and tags as the target, newest first."""
    cities = [["Arnsberg"], ["Sundern"], ["Arnsberg", "Sundern"]]
    start = datetime.date(2026, 1, 1)
    records = []
    for n in range(count):
        records.append(
            {
                "slug": f"mehr-hitzeschutz-{n}",
                "title": f"Hitzeschutz Baustein {n}",
                "cities": cities[n % 3],
                "topic": TOPIC,
                "department": f"Fachdienst Klima {n % 7}",
                "tags": ["Hitze", "Hitzeschutz", f"Baustein {n % 5}", "Gesundheit"],
                "summary": f"Baustein {n} des Hitzeschutzes: was sich bewährt hat.",
                "body": (
                    f"Hitzeschutz im Alltag, Baustein {n}.\n\n## Vorgehen\n\n"
                    "- Trinkwasser bereitstellen\n- Kühle Orte ausweisen\n\n"
                    "## Erfahrungen\n\nDie Hitzeschutz-Maßnahmen wurden gut angenommen."
                ),
                "contact": {
                    "name": f"Person {n}",
                    "email": f"person{n}@{'sundern' if n % 2 else 'arnsberg'}.example",
                    "phone": f"02931 {n:04d}",
                },
                "date": (start + datetime.timedelta(days=n)).isoformat(),
                # Every fifth names the target as its counterpart: "So macht es …" grows too.
                **({"counterpart": TARGET} if n % 5 == 0 else {}),
            }
        )
    return records


def grow() -> None:
    """Import the extra articles and give the target article more contact persons."""
    import_records(extra_records(EXTRA_ARTICLES))
    target = ArticlePage.objects.get(slug=TARGET)
    through = ArticlePage.contacts.through
    for contact in ContactPerson.objects.filter(name__in=[f"Person {n}" for n in range(6)]):
        through.objects.get_or_create(articlepage_id=target.pk, contactperson_id=contact.pk)
    assert Department.objects.filter(name__startswith="Fachdienst Klima").exists()


def render_twice(client, url: str, bound: int, django_assert_max_num_queries, params=None):
    """Render `url` with the demo content and after growing it; both under the same bound."""
    responses = []
    for step in ("demo", "grown"):
        if step == "grown":
            grow()
        with django_assert_max_num_queries(bound):
            response = client.get(url, params or {})
        assert response.status_code == 200
        responses.append(response)
    return responses


def test_home_page(staff_client, demo_articles, django_assert_max_num_queries):
    # Topics with counts (1 grouped count), cities, newest ids per city and from the
    # neighbour cities (1 each), one fetch of all shown articles with their cities and tags (3),
    # their topics (1) and the request overhead.
    _, grown = render_twice(staff_client, "/", 22, django_assert_max_num_queries)
    html = grown.content.decode()
    assert "Hitzeschutz Baustein 29" in html  # the newest article is shown
    assert f"von {len(demo_articles) + EXTRA_ARTICLES} Beiträgen" in html


def test_topic_page(staff_client, demo_articles, django_assert_max_num_queries):
    topic = TopicPage.objects.get(title=TOPIC)
    # City counts (1), cities (1), count + page of articles with cities and tags (4), topics of
    # the cards (1) and the request overhead.
    _, grown = render_twice(staff_client, topic.url, 20, django_assert_max_num_queries)
    html = grown.content.decode()
    assert "Hitzeschutz Baustein 29" in html
    assert "Seite 1 von" in html


def test_topic_page_filtered_by_city(staff_client, demo_articles, django_assert_max_num_queries):
    topic = TopicPage.objects.get(title=TOPIC)
    _, grown = render_twice(
        staff_client, topic.url, 20, django_assert_max_num_queries, {"stadt": "sundern"}
    )
    assert "Beiträge aus Sundern" in grown.content.decode()


def test_article_page(staff_client, demo_articles, django_assert_max_num_queries):
    url = ArticlePage.objects.get(slug=TARGET).url
    # Breadcrumbs (1), the article's cities, tags, contacts with department and city, its
    # department (4), counterparts and related articles with their cards (about 8) and the
    # request overhead.
    _, grown = render_twice(staff_client, url, 30, django_assert_max_num_queries)
    html = grown.content.decode()
    assert "So macht es Arnsberg" in html
    assert "Hitzeschutz Baustein 25" in html  # a counterpart naming this article
    assert "Person 5" in html  # one of the added contact persons
    assert "Verwandte Beiträge" in html


def test_tag_index(staff_client, demo_articles, django_assert_max_num_queries):
    # One grouped count over all tags and the request overhead.
    _, grown = render_twice(staff_client, "/tags/", 11, django_assert_max_num_queries)
    assert "Baustein 4" in grown.content.decode()


def test_tag_detail(staff_client, demo_articles, django_assert_max_num_queries):
    # The tag (1), count + page of articles with cities and tags (4), their topics (1) and the
    # request overhead.
    _, grown = render_twice(staff_client, "/tags/hitze/", 15, django_assert_max_num_queries)
    html = grown.content.decode()
    assert "Hitzeschutz Baustein 29" in html
    assert escape("Seite 1 von") in html


def test_search_page(staff_client, demo_articles, django_assert_max_num_queries):
    _, grown = render_twice(
        staff_client, "/suche/", 40, django_assert_max_num_queries, {"q": "Hitzeschutz"}
    )
    assert "Hitzeschutz Baustein" in grown.content.decode()


def test_search_api(staff_client, demo_articles, django_assert_max_num_queries):
    _, grown = render_twice(
        staff_client, "/api/v1/search/", 30, django_assert_max_num_queries, {"q": "Hitzeschutz"}
    )
    assert grown.json()["count"] > EXTRA_ARTICLES

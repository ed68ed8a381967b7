"""The home page's counts and "what is new" lists come from the cache, keyed by the content
version (Wagtail's page log): a publish or unpublish shows on the very next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kb.models import ArticlePage, City, TopicPage

pytestmark = pytest.mark.django_db


def count_line(html: str) -> str:
    start = html.index('id="home-search-hint"')
    return " ".join(html[start : html.index("</p>", start)].split())


def test_publish_and_unpublish_show_at_once(staff_client, demo_articles):
    before = count_line(staff_client.get("/").content.decode())
    assert f"von {len(demo_articles)} Beiträgen" in before

    topic = TopicPage.objects.get(title="Krisenmanagement")
    article = ArticlePage(title="Sirenenprobe in Sundern", slug="sirenenprobe", summary="Probe.")
    topic.add_child(instance=article)
    article.cities.set([City.objects.get(name="Sundern")])
    article.save_revision().publish()
    html = staff_client.get("/").content.decode()
    assert f"von {len(demo_articles) + 1} Beiträgen" in count_line(html)
    assert "Sirenenprobe in Sundern" in html  # newest from the neighbour city, for Mia

    article.refresh_from_db()
    article.unpublish()
    html = staff_client.get("/").content.decode()
    assert f"von {len(demo_articles)} Beiträgen" in count_line(html)
    assert "Sirenenprobe in Sundern" not in html


def test_a_repeated_visit_does_not_count_again(staff_client, demo_articles):
    staff_client.get("/")
    with CaptureQueriesContext(connection) as first:
        staff_client.get("/")
    sql = " ".join(query["sql"] for query in first.captured_queries)
    # The grouped count of articles per topic and the newest-first scans are cached.
    assert "GROUP BY" not in sql.upper()
    assert "COUNT(" not in sql.upper()

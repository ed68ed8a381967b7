"""Reading pages answer any parameters with a normal page, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kb.models import ArticlePage, TopicPage

pytestmark = pytest.mark.django_db

values = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=200),
    st.sampled_from(["abc", "-1", "0", str(10**9), "1e9", "", "arnsberg", "%00", "../../etc"]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    page=st.lists(values, max_size=3),
    city=st.lists(values, max_size=3),
    stadt=st.lists(values, max_size=2),
    extra=values,
)
def test_reading_pages_survive_any_parameters(
    staff_client, demo_articles, page, city, stadt, extra
):
    topic = TopicPage.objects.first()
    article = ArticlePage.objects.first()
    # `stadt` is the old name of `city`: topic and tag pages redirect it (301) first.
    params = {"page": page, "city": city, "stadt": stadt, "unbekannt": extra}
    for url in ["/", topic.url, article.url, "/tags/", "/tags/hitze/", "/suche/"]:
        response = staff_client.get(url, params, follow=True)
        assert response.status_code == 200, (url, params)


def test_nul_bytes_never_reach_the_database(staff_client, demo_articles):
    topic = TopicPage.objects.first()
    assert staff_client.get(topic.url, {"city": "\x00", "page": "1\x00"}).status_code == 200
    redirected = staff_client.get(topic.url, {"stadt": "\x00"}, follow=True)
    assert redirected.status_code == 200
    assert staff_client.get("/tags/%00/").status_code == 404
    assert staff_client.get("/%00/").status_code == 404
    assert staff_client.get(topic.url + "%00x/").status_code == 404
    response = staff_client.get("/api/v1/search/", {"q": "Hit\x00ze", "city": "Sun\x00dern"})
    assert response.status_code == 200
    assert response.json()["count"] >= 1

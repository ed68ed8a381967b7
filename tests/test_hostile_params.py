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
@given(page=st.lists(values, max_size=3), stadt=st.lists(values, max_size=3), extra=values)
def test_reading_pages_survive_any_parameters(staff_client, demo_articles, page, stadt, extra):
    topic = TopicPage.objects.first()
    article = ArticlePage.objects.first()
    params = {"page": page, "stadt": stadt, "unbekannt": extra}
    for url in ["/", topic.url, article.url, "/tags/", "/tags/hitze/", "/suche/"]:
        response = staff_client.get(url, params)
        assert response.status_code == 200, (url, params)

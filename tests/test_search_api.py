"""The search JSON API contract, filters, facets, and what must never leak into results."""

import pytest
from django.contrib.auth.models import Group
from wagtail.contrib.search_promotions.models import Query as PromotionQuery
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import PageViewRestriction

from kb.models import ArticlePage, TopicPage
from search.models import DailyQueryCount, SynonymGroup

pytestmark = pytest.mark.django_db
API = "/api/v1/search/"


def api(client, **params):
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def slugs(payload) -> list[str]:
    return [result["slug"] for result in payload["results"]]


def facet(payload, name) -> dict[str, int]:
    return {item["value"]: item["count"] for item in payload["facets"][name]}


def test_anonymous_gets_401_json_not_a_redirect(client, demo_articles):
    response = client.get(API, {"q": "Hitze"})
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert client.get("/api/v1/autocomplete/", {"q": "Hi"}).status_code == 401


def test_response_contract(staff_client, demo_articles):
    payload = api(staff_client, q="Hitze")
    assert set(payload) >= {"count", "page", "page_size", "results", "facets"}
    assert payload["page"] == 1 and payload["page_size"] == 20
    assert payload["count"] >= 2
    first = payload["results"][0]
    assert set(first) == {
        "slug",
        "title",
        "url",
        "cities",
        "topic",
        "tags",
        "summary",
        "snippet",
        "date",
    }
    assert first["slug"].startswith("demo-hitzeschutz")
    assert "<mark>" in first["snippet"]
    assert set(payload["facets"]) == {"city", "topic", "tag", "department"}
    assert {"value", "label", "count"} == set(payload["facets"]["city"][0])


def test_filters_accept_names_or_slugs_any_case_and_repeat_as_or(staff_client, demo_articles):
    by_name = api(staff_client, q="Hitze", city="SUNDERN")
    by_slug = api(staff_client, q="Hitze", city="sundern")
    assert slugs(by_name) == slugs(by_slug)
    assert slugs(by_name)[0] == "demo-hitzeschutz-sundern"
    assert all("Sundern" in result["cities"] for result in by_name["results"])
    assert "demo-hitzeschutz-arnsberg" not in slugs(by_name)
    both = api(staff_client, q="Hitze", city=["Arnsberg", "sundern"])
    assert {"demo-hitzeschutz-arnsberg", "demo-hitzeschutz-sundern"} <= set(slugs(both))
    topic = api(staff_client, q="Starkregen", topic="Klimafolgenanpassung & Resilienz")
    assert topic["count"] >= 2
    assert all(r["topic"] == "Klimafolgenanpassung & Resilienz" for r in topic["results"])
    tagged = api(staff_client, q="", tag="hitzeschutz")
    assert set(slugs(tagged)) == {"demo-hitzeschutz-arnsberg", "demo-hitzeschutz-sundern"}
    assert api(staff_client, q="Hitze", city="Atlantis")["count"] == 0


def test_facet_counts_follow_query_and_other_filters(staff_client, demo_articles):
    payload = api(staff_client, q="Starkregen", city="Sundern")
    cities = facet(payload, "city")
    # The city facet ignores its own filter (so staff can switch), the others apply it.
    assert cities["arnsberg"] >= 1 and cities["sundern"] >= 1
    assert sum(facet(payload, "topic").values()) == payload["count"]
    unfiltered = api(staff_client, q="Starkregen")
    assert unfiltered["count"] > payload["count"]


def test_empty_query_with_filters_lists_newest_first(staff_client, demo_articles):
    payload = api(staff_client, city="Sundern", page_size=50)
    dates = [result["date"] for result in payload["results"]]
    assert dates == sorted(dates, reverse=True)
    assert all("Sundern" in result["cities"] for result in payload["results"])


def test_sort_newest_and_pagination(staff_client, demo_articles):
    newest = api(staff_client, q="Stadt", sort="newest", page_size=5)
    dates = [result["date"] for result in newest["results"]]
    assert dates == sorted(dates, reverse=True)
    page2 = api(staff_client, q="Stadt", sort="newest", page_size=5, page=2)
    assert not set(slugs(newest)) & set(slugs(page2))
    assert page2["page"] == 2


@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "0"},
        {"page_size": "x"},
        {"sort": "random"},
    ],
)
def test_malformed_parameters_get_400_json(staff_client, demo_articles, params):
    response = staff_client.get(API, {"q": "Hitze", **params})
    assert response.status_code == 400
    assert "error" in response.json()


def test_huge_page_and_page_size_are_capped(staff_client, demo_articles):
    payload = api(staff_client, q="Hitze", page=str(10**9), page_size="100000")
    assert payload["results"] == [] and payload["page_size"] == 100


def test_query_equal_to_a_tag_ranks_tagged_articles_first(staff_client, demo_articles):
    payload = api(staff_client, q="Ehrenamt")
    tagged = {a.slug for a in ArticlePage.objects.filter(tags__name="Ehrenamt")}
    assert set(slugs(payload)[: len(tagged)]) == tagged


def test_synonym_added_in_admin_takes_effect_at_once(client, chief, staff, demo_articles):
    client.force_login(staff)
    assert api(client, q="Xqzvblsyn")["count"] == 0
    client.force_login(chief)
    response = client.post(
        "/admin/snippets/search/synonymgroup/add/",
        {"terms": "Xqzvblsyn, Starkregen", "note": "Test"},
    )
    assert response.status_code == 302
    assert SynonymGroup.objects.filter(terms__contains="Xqzvblsyn").exists()
    client.force_login(staff)
    found = slugs(api(client, q="Xqzvblsyn"))
    assert "demo-starkregenvorsorge-sundern" in found


def test_promoted_pages_come_first(staff_client, demo_articles):
    pinned = ArticlePage.objects.get(slug="demo-staedtetag-2023-sundern")
    query = PromotionQuery.get("hitze")
    SearchPromotion.objects.create(query=query, page=pinned, sort_order=0)
    payload = api(staff_client, q="Hitze")
    assert payload["promoted"][0]["slug"] == "demo-staedtetag-2023-sundern"


def test_queries_are_logged_aggregated_without_users(staff_client, demo_articles):
    api(staff_client, q="Hitze")
    api(staff_client, q="  hitze ")
    api(staff_client, q="Quantenkryptographie")
    hitze = DailyQueryCount.objects.get(query="hitze")
    assert hitze.count == 2 and hitze.zero_results == 0
    assert DailyQueryCount.objects.get(query="quantenkryptographie").zero_results == 1
    field_names = {f.name for f in DailyQueryCount._meta.get_fields()}
    assert not field_names & {"user", "user_id", "ip", "session"}


# --- never leak ---------------------------------------------------------------------------------


def _new_article(slug: str, text: str) -> ArticlePage:
    topic = TopicPage.objects.get(title="Krisenmanagement")
    page = ArticlePage(title=f"Geheimsache {text}", slug=slug, summary=text, live=False)
    topic.add_child(instance=page)
    page.tags.add("Geheimtag")
    return page


def assert_nowhere(client, word: str, tag: str = "geheimtag"):
    payload = api(client, q=word)
    assert payload["count"] == 0, slugs(payload)
    everything = api(client, city=["Arnsberg", "Sundern"], page_size=100)
    assert tag not in facet(everything, "tag")
    suggestions = client.get("/api/v1/autocomplete/", {"q": word[:6]}).json()["suggestions"]
    assert not any(word.lower() in s["label"].lower() for s in suggestions)
    html = client.get("/suche/", {"q": word}).content.decode()
    assert "Geheimsache" not in html


def test_draft_never_published_does_not_leak(staff_client, demo_articles):
    page = _new_article("entwurf", "Xqzvblentw")
    page.save_revision()
    assert_nowhere(staff_client, "Xqzvblentw")


def test_unpublished_changes_do_not_leak(staff_client, demo_articles):
    page = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern")
    page.summary = "Geheimer Entwurfstext Zaubertrank"
    page.save_revision()
    assert api(staff_client, q="Zaubertrank")["count"] == 0
    assert api(staff_client, q="Telefonkette")["count"] >= 1


def test_page_in_moderation_does_not_leak(client, editor, staff, demo_articles):
    page = _new_article("moderation", "Xqzvblmodr")
    page.save_revision(user=editor)
    workflow = page.get_workflow()
    workflow.start(page, editor)
    assert page.current_workflow_state.status == "in_progress"
    client.force_login(staff)
    assert_nowhere(client, "Xqzvblmodr")


def test_private_page_does_not_leak_to_other_groups(client, staff, chief, demo_articles):
    page = _new_article("privat", "Xqzvblpriv")
    page.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    client.force_login(staff)
    assert_nowhere(client, "Xqzvblpriv")
    client.force_login(chief)
    assert "privat" in slugs(api(client, q="Xqzvblpriv"))


def test_unpublished_and_deleted_pages_leave_the_index(staff_client, demo_articles):
    page = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern")
    assert "demo-hitzeschutz-sundern" in slugs(api(staff_client, q="Telefonkette"))
    page.unpublish()
    assert "demo-hitzeschutz-sundern" not in slugs(api(staff_client, q="Telefonkette"))
    other = ArticlePage.objects.get(slug="demo-hitzeschutz-arnsberg")
    other.delete()
    assert "demo-hitzeschutz-arnsberg" not in slugs(api(staff_client, q="Hitzeaktionsplan"))


# --- language handling, end to end --------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Sprachfoerderung", "demo-sprachfoerderung-kita-arnsberg"),  # umlaut spelling
        ("Kindertagesstätte Sprache", "demo-sprachfoerderung-kita-sundern"),  # synonym + stem
        ("Notfalltreffpunkt", "demo-blackout-vorsorge-arnsberg"),  # inflection
        ("Stromausfall", "demo-blackout-vorsorge-sundern"),  # synonym of Blackout
        ("Treffpunkte Notfall", "demo-blackout-vorsorge-arnsberg"),  # compound, other way round
        ("Leerstandsmanagment", "demo-leerstand-innenstadt-sundern"),  # one typo
    ],
)
def test_german_language_handling(staff_client, demo_articles, query, expected):
    assert expected in slugs(api(staff_client, q=query))[:5]


def test_quoted_phrase_must_occur(staff_client, demo_articles):
    loose = slugs(api(staff_client, q="Telefonkette Hitze"))
    exact = slugs(api(staff_client, q='"Hitze Telefonkette"'))
    assert "demo-hitzeschutz-sundern" in loose
    assert exact == [] or all(s == "demo-hitzeschutz-sundern" for s in exact)

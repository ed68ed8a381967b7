"""Search staff can trust (issue 11), through the JSON API on the demo content: a hit is about
the query, people are found by name, and the count is the count of real hits."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

from kb.models import ArticlePage, TopicPage
from search.analysis import fold_umlauts, normalise
from search.models import DailyQueryCount

pytestmark = pytest.mark.django_db
API = "/api/v1/search/"


def api(client, q: str, **params) -> dict:
    response = client.get(API, {"q": q, "page_size": 50, **params})
    assert response.status_code == 200, response.content
    return response.json()


def slugs(payload: dict, key: str = "results") -> list[str]:
    return [item["slug"] for item in payload[key]]


def folded(text: str) -> str:
    return fold_umlauts(normalise(text))


def holding(demo_articles, *needles: str) -> set[str]:
    """Slugs of the demo articles whose text (title, summary, body, tags) holds every needle."""
    found = set()
    for record in demo_articles:
        parts = [record["title"], record["summary"], record["body"], *record["tags"]]
        text = folded(" ".join(parts))
        if all(folded(needle) in text for needle in needles):
            found.add(record["slug"])
    return found


def assert_counted_right(payload: dict) -> None:
    # The count is the number of real hits; related articles are neither counted nor results.
    assert payload["count"] == len(payload["results"])
    assert not set(slugs(payload)) & set(slugs(payload, "related"))


@pytest.mark.parametrize("query", ["Bebauungsplan", "B-Plan"])
def test_a_plan_of_another_kind_is_no_bebauungsplan(staff_client, demo_articles, query):
    payload = api(staff_client, query)
    assert_counted_right(payload)
    # "Bebauungspl" also holds the plural (Bebauungsplänen).
    about = holding(demo_articles, "Bebauungspl") | holding(demo_articles, "B-Plan")
    assert set(slugs(payload)) == about
    # Dienstplan, Wochenplan, Starkregenplanung are no Bebauungsplan, not even related.
    assert not set(slugs(payload, "related")) - about


@pytest.mark.parametrize("query", ["Hitzeschutz", "Schwammstadt"])
def test_a_compound_finds_only_articles_that_hold_it(staff_client, demo_articles, query):
    payload = api(staff_client, query)
    assert_counted_right(payload)
    assert payload["count"] >= 1
    # Datenschutz, Klimaschutz, every "Stadt": the head alone is not enough, not even related.
    assert set(slugs(payload)) <= holding(demo_articles, query) | _tagged(demo_articles, query)
    assert not set(slugs(payload, "related")) - holding(demo_articles, query)


def _tagged(demo_articles, tag: str) -> set[str]:
    return {r["slug"] for r in demo_articles if folded(tag) in map(folded, r["tags"])}


def test_two_compounds_need_both(staff_client, demo_articles):
    payload = api(staff_client, "Personalmangel Fachkräfte")
    assert_counted_right(payload)
    both = holding(demo_articles, "Fachkr") & (
        holding(demo_articles, "Personalmangel") | holding(demo_articles, "Personal", "Mangel")
    )
    assert set(slugs(payload)) <= both
    assert payload["count"] <= 3


def test_question_words_do_not_match_content(staff_client, demo_articles):
    payload = api(staff_client, "Wer kennt sich mit Photovoltaik aus?")
    assert_counted_right(payload)
    assert set(slugs(payload)) == set(slugs(api(staff_client, "Photovoltaik")))
    # "kennt" is no stem of Deutschkenntnisse.
    assert "demo-sprachfoerderung-kita-arnsberg" not in slugs(payload)

    chain = api(staff_client, "Wie funktioniert die Telefonkette?")
    assert set(slugs(chain)) == holding(demo_articles, "Telefonkette")
    assert set(slugs(api(staff_client, "Was müssen wir beim Hitzeschutz beachten?"))) == set(
        slugs(api(staff_client, "Hitzeschutz"))
    )
    assert slugs(api(staff_client, "Gibt es eine Telefonkette?")) == slugs(chain)


def test_a_number_alone_makes_no_hit(staff_client, demo_articles):
    payload = api(staff_client, "Hochwasser 2021")
    assert_counted_right(payload)
    assert payload["count"] >= 1
    assert slugs(payload)[0] in holding(demo_articles, "Hochwasser")
    # Every hit holds the word or both its parts (Trinkwasser ... hoch); articles that mention
    # only the year are neither hits nor related.
    water = holding(demo_articles, "wasser", "hoch")
    assert set(slugs(payload)) <= water
    assert set(slugs(payload, "related")) <= water
    assert holding(demo_articles, "2021") - water


def test_hyphenated_and_spaced_spellings_rank_alike(staff_client, demo_articles):
    hyphen = api(staff_client, "Katastrophenschutz-Leuchtturm")
    spaced = api(staff_client, "Katastrophenschutz Leuchtturm")
    assert hyphen["count"] >= 1
    assert slugs(hyphen) == slugs(spaced)


def test_a_name_finds_the_person_first_and_their_articles(staff_client, demo_articles):
    payload = api(staff_client, "Thomas Kleinschmidt")
    assert [person["name"] for person in payload["people"]] == ["Thomas Kleinschmidt"]
    assert slugs(payload) == ["demo-blackout-vorsorge-arnsberg"]
    assert payload["count"] == 1

    miriam = api(staff_client, "Miriam Stratmann")
    assert "demo-solaroffensive-arnsberg-sundern" in slugs(miriam)
    assert [person["name"] for person in miriam["people"]] == ["Miriam Stratmann"]


def test_a_surname_alone_is_an_answer_not_a_knowledge_gap(staff_client, demo_articles):
    payload = api(staff_client, "Hengstebeck")
    assert [person["name"] for person in payload["people"]] == ["Petra Hengstebeck"]
    assert "demo-ankommensbuero-ukraine-arnsberg" in slugs(payload)
    page = staff_client.get("/suche/", {"q": "Hengstebeck"}).content.decode()
    assert "Keine Treffer" not in page
    assert page.index("Petra Hengstebeck") < page.index("Ankommensbüro")
    logged = DailyQueryCount.objects.get(query="hengstebeck")
    assert (logged.count, logged.zero_results) == (2, 0)


def test_no_answer_says_so_and_is_a_knowledge_gap(staff_client, demo_articles):
    payload = api(staff_client, "Hundesteuer Ermäßigung")
    assert (payload["count"], payload["results"], payload["people"]) == (0, [], [])
    # No related article either: a near spelling alone ("erfassen") is noise, not a lead.
    assert payload["related"] == []
    assert api(staff_client, "Laterne kaputt")["related"] == []
    page = staff_client.get("/suche/", {"q": "Hundesteuer Ermäßigung"}).content.decode()
    assert "Keine Treffer" in page
    assert DailyQueryCount.objects.get(query="hundesteuer ermässigung").zero_results == 2


def test_the_page_shows_real_hits_and_related_articles_apart(staff_client, demo_articles):
    payload = api(staff_client, "Telefonkette Sensoren")
    page = staff_client.get("/suche/", {"q": "Telefonkette Sensoren"}).content.decode()
    if payload["count"]:
        assert f"{payload['count']} Treffer" in page
    else:
        assert "Keine Treffer" in page
    assert payload["related"], "articles holding one of the words are offered apart"
    assert "Ähnliche Beiträge" in page
    assert "zählen nicht zu den Treffern" in page


UNHELD = "Drogenkonsumraum Telefonkette Hitzeschutz"


def test_a_compound_the_index_does_not_hold_leaves_no_hit(staff_client, demo_articles):
    # Three words may miss one, but not a compound no article holds in any form: the two
    # other words would make hits of articles about something else.
    assert not holding(demo_articles, "Drogenkonsumraum")
    assert holding(demo_articles, "Telefonkette", "Hitzeschutz")
    payload = api(staff_client, UNHELD)
    assert (payload["count"], payload["results"]) == (0, [])
    assert set(slugs(payload, "related")) & holding(demo_articles, "Telefonkette", "Hitzeschutz")
    page = staff_client.get("/suche/", {"q": UNHELD}).content.decode()
    assert "Keine Treffer" in page
    assert DailyQueryCount.objects.get(query=folded(UNHELD)).zero_results == 2
    # A missing word that is no compound is still forgiven.
    forgiven = api(staff_client, "Telefonkette Hitzeschutz ausprobieren")
    assert set(slugs(forgiven)) & holding(demo_articles, "Telefonkette", "Hitzeschutz")


def test_a_private_page_does_not_decide_whether_a_compound_is_held(
    client, staff, chief, demo_articles
):
    # Whether the compound occurs anywhere is decided among the pages the reader may see:
    # otherwise the hit count would tell staff that a private section mentions it.
    topic = TopicPage.objects.get(title="Krisenmanagement")
    page = ArticlePage(
        title="Drogenkonsumraum im Stadtgebiet",
        slug="drogenkonsumraum",
        summary="Vertraulich: die Telefonkette des Trägers.",
    )
    topic.add_child(instance=page)
    page.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    client.force_login(staff)
    assert api(client, UNHELD)["count"] == 0
    client.force_login(chief)
    found = slugs(api(client, UNHELD))
    assert "drogenkonsumraum" in found
    # For the Chefredaktion the compound is held, so one missing word is forgiven again.
    assert set(found) & holding(demo_articles, "Telefonkette", "Hitzeschutz")

"""Ranking of the database backend (search.backends.database), called directly on a small index
built through the real import and indexing path."""

import json

import numpy as np
import pytest

from kb.importer import import_file
from kb.models import ArticlePage
from kb.topics import ensure_default_topics, find_topic
from search import vocabulary
from search.backends import database
from search.backends.database import DatabaseBackend, run
from search.models import SynonymGroup
from search.query import parse

pytestmark = pytest.mark.django_db

CLIMATE = "Klimafolgenanpassung & Resilienz"
CRISIS = "Krisenmanagement"
SCHOOL = "Schule & Kita"
CITIES = {"arnsberg": "arnsberg", "sundern": "sundern"}
BOTH = ("Arnsberg", "Sundern")
SCHOOL_WAY = ("Schulweg", "Verkehrssicherheit")
# Words no query asks for, to make an article long (its words weigh less).
FILLER = "Im Herbst fällt viel Regen auf Wege und Wiesen der Siedlung. " * 100


def record(
    slug, title, body, *, city="Arnsberg", topic=CLIMATE, tags=("Klima",), date="2024-01-01"
):
    return {
        "slug": slug,
        "title": title,
        "cities": [city] if isinstance(city, str) else list(city),
        "topic": topic,
        "department": "Umweltamt",
        "tags": list(tags),
        "summary": "Ein Beitrag aus der Praxis.",
        "body": body,
        "contact": None,
        "date": date,
    }


ARTICLES = [
    # Coverage: all query words (in a long text) against one word (in the title, repeated).
    record("zisterne-alles", "Regen sammeln", "Eine Zisterne mit Förderung. " + FILLER),
    record("zisterne-nur", "Zisterne im Garten", "Die Zisterne prüfen, die Zisterne leeren."),
    *(record(f"foerderung-{n}", "Geld vom Land", "Förderung beantragen.") for n in range(4)),
    # Title against body.
    record("gruendach-titel", "Gründach für die Schule", "Die Begrünung kühlt das Gebäude ab."),
    record("gruendach-text", "Begrünung von Gebäuden", "Ein Gründach kühlt das Gebäude ab."),
    # Phrases.
    record("orte-nah", "Sommer in der Stadt", "In der Stadt gibt es kühle Orte für heiße Tage."),
    record(
        "orte-fern", "Sommer in der Stadt", "Viele Orte der Stadt bleiben an heißen Tagen kühl."
    ),
    # Facets, restrictions, sorting.
    record("hitze-arnsberg", "Hitze im Rathaus", "Hitze belastet alle.", date="2023-06-01"),
    record("hitze-sundern", "Hitze in Schulen", "Hitze stört.", city="Sundern", date="2025-06-01"),
    record(
        "hitze-krise", "Hitze als Krise", "Hitze.", city="Sundern", topic=CRISIS, date="2024-06-01"
    ),
    record("hitze-beide", "Hitze gemeinsam", "Gegen Hitze.", city=BOTH, date="2022-06-01"),
    # Ties broken by date.
    record("laub-best", "Laubbläser Laubbläser", "Laubbläser sind laut. Laubbläser stören."),
    record("laub-2023", "Laub im Herbst", "Ein Laubbläser ist laut.", date="2023-01-01"),
    record("laub-2025", "Laub im Herbst", "Ein Laubbläser ist laut.", date="2025-01-01"),
    record("laub-2024", "Laub im Herbst", "Ein Laubbläser ist laut.", date="2024-01-01"),
    # Tag boost.
    record("trinkwasser-titel", "Trinkwasser Trinkwasser", "Trinkwasser bleibt sauber."),
    record("trinkwasser-tag", "Vorrat anlegen", "Auch Trinkwasser.", tags=("Notfallvorsorge",)),
    # City preference: same topic and tags as the best match from the other city.
    record(
        "laufbus-arnsberg",
        "Laufbus zur Grundschule",
        "Der Laufbus fährt, der Laufbus hält.",
        topic=SCHOOL,
        tags=SCHOOL_WAY,
    ),
    record(
        "laufbus-sundern",
        "Laufbus für Grundschüler",
        "Ein Versuch.",
        city="Sundern",
        topic="Jugendarbeit",
        tags=("Jugend",),
    ),
    record(
        "schulweg-sundern",
        "Zu Fuß zur Grundschule",
        "Kinder gehen gemeinsam.",
        city="Sundern",
        topic=SCHOOL,
        tags=SCHOOL_WAY,
    ),
    # Compound parts.
    record("sensoren-ganz", "Freie Plätze finden", "Parkplatzsensoren zeigen freie Plätze an."),
    record("sensoren-teil", "Luft messen", "Sensoren messen die Luftqualität."),
]


@pytest.fixture
def index():
    SynonymGroup.objects.all().delete()
    vocabulary.clear()
    ensure_default_topics()
    import_file("\n".join(json.dumps(item, ensure_ascii=False) for item in ARTICLES).encode())
    ids = dict(ArticlePage.objects.values_list("slug", "pk"))
    yield {pk: slug for slug, pk in ids.items()}
    vocabulary.clear()


def found(index, text, **options):
    result = run(parse(text, city_names=options.pop("city_names", None)), **options)
    return [index[hit.doc.object_id] for hit in result.hits]


def hits(index, text, **options):
    """(slug, score) of each hit of run(), best first."""
    query = parse(text, city_names=options.pop("city_names", None))
    return [(index[hit.doc.object_id], hit.score) for hit in run(query, **options).hits]


def slugs(index, text, **options):
    return [slug for slug, _ in hits(index, text, **options)]


def test_a_hit_holds_every_word_of_a_short_query(index):
    # "zisterne-nur" has one of the words, in its title and more often: not a hit, but offered
    # apart as a related article (not counted).
    result = run(parse("Zisterne Förderung"), related_limit=5)
    assert [index[hit.doc.object_id] for hit in result.hits] == ["zisterne-alles"]
    assert result.total == 1
    assert "zisterne-nur" in [index[hit.doc.object_id] for hit in result.related]
    assert run(parse("Zisterne Förderung")).related == []


def test_a_hit_of_a_longer_query_may_miss_one_word_in_three(index):
    # Each holds two of the three words; "foerderung-*" hold one and are no hits.
    assert set(slugs(index, "Zisterne Förderung Garten")) == {"zisterne-alles", "zisterne-nur"}


def test_title_match_outranks_body_match(index):
    assert slugs(index, "Gründach") == ["gruendach-titel", "gruendach-text"]


def test_title_bonus_multiplies_title_matches_only(index, monkeypatch):
    bonus = database.TITLE_BONUS
    assert bonus > 0
    with_bonus = dict(hits(index, "Gründach"))
    monkeypatch.setattr(database, "TITLE_BONUS", 0.0)
    without = dict(hits(index, "Gründach"))
    assert with_bonus["gruendach-titel"] / without["gruendach-titel"] == pytest.approx(1 + bonus)
    assert with_bonus["gruendach-text"] == pytest.approx(without["gruendach-text"])


def test_quoted_phrase_excludes_documents_without_it(index):
    assert slugs(index, '"kühle Orte"') == ["orte-nah"]
    assert slugs(index, '"Orte kühle"') == []
    # Unquoted, both match; the words standing together earn the better rank.
    assert slugs(index, "kühle Orte") == ["orte-nah", "orte-fern"]


def test_a_compound_s_part_alone_makes_no_hit_and_no_related_article(index):
    # "sensoren-teil" holds "Sensoren" only: the compound's head is not what the query is about.
    result = run(parse("Parkplatzsensoren"), related_limit=5)
    assert [index[hit.doc.object_id] for hit in result.hits] == ["sensoren-ganz"]
    assert (result.total, result.related) == (1, [])


def test_facets_ignore_their_own_filter_and_respect_the_others(index):
    sundern = run(parse("Hitze"), filters={"city": {"sundern"}})
    assert sundern.total == 3
    assert {index[hit.doc.object_id] for hit in sundern.hits} == {
        "hitze-sundern",
        "hitze-krise",
        "hitze-beide",
    }
    climate, crisis = find_topic(CLIMATE).slug, find_topic(CRISIS).slug
    assert sundern.facets["city"] == {"arnsberg": 2, "sundern": 3}
    assert sundern.facets["topic"] == {climate: 2, crisis: 1}

    both = run(parse("Hitze"), filters={"city": {"sundern"}, "topic": {crisis}})
    assert [index[hit.doc.object_id] for hit in both.hits] == ["hitze-krise"]
    assert both.facets["city"] == {"sundern": 1}
    assert both.facets["topic"] == {climate: 2, crisis: 1}
    assert run(parse("Hitze"), with_facets=False).facets == {}


def test_restricted_paths_hide_documents_and_their_counts(index):
    page = ArticlePage.objects.get(slug="hitze-arnsberg")
    result = run(parse("Hitze"), restricted=[page.path])
    assert result.total == 3
    assert "hitze-arnsberg" not in {index[hit.doc.object_id] for hit in result.hits}
    assert result.facets["city"] == {"arnsberg": 1, "sundern": 3}
    # A restricted section hides everything below it.
    below = slugs(index, "Hitze", restricted=[find_topic(CRISIS).path])
    assert sorted(below) == ["hitze-arnsberg", "hitze-beide", "hitze-sundern"]


def test_sort_newest_orders_by_date(index):
    newest = run(parse("Hitze"), sort="newest")
    dates = [hit.doc.date.isoformat() for hit in newest.hits]
    assert dates == ["2025-06-01", "2024-06-01", "2023-06-01", "2022-06-01"]


def test_empty_query_lists_every_article_newest_first(index):
    result = run(parse(""))
    assert result.total == len(ARTICLES)
    dates = [hit.doc.date for hit in result.hits]
    assert dates == sorted(dates, reverse=True)


def test_limit_keeps_the_best_with_ties_broken_by_date(index):
    assert slugs(index, "Laubbläser") == ["laub-best", "laub-2025", "laub-2024", "laub-2023"]
    limited = run(parse("Laubbläser"), limit=2)
    assert [index[hit.doc.object_id] for hit in limited.hits] == ["laub-best", "laub-2025"]
    assert limited.total == 4


def test_top_includes_ties_at_the_cut_in_the_date_order():
    slots = np.array([0, 1, 2, 3])
    scores = np.array([3.0, 2.0, 2.0, 2.0])
    dates = np.array([1, 5, 9, 7])
    assert database._top(slots, scores, dates, 2) == [0, 2]
    assert database._top(slots, scores, dates, 3) == [0, 2, 3]
    assert database._top(slots, scores, dates, 10) == [0, 2, 3, 1]
    assert database._top(slots, scores, dates, 0) == []


def test_boost_tag_puts_tagged_matches_first(index):
    plain = dict(hits(index, "Trinkwasser"))
    assert max(plain, key=plain.get) == "trinkwasser-titel"
    boosted = hits(index, "Trinkwasser", boost_tag="notfallvorsorge")
    assert boosted[0][0] == "trinkwasser-tag"
    assert dict(boosted)["trinkwasser-titel"] == pytest.approx(plain["trinkwasser-titel"])
    # The boost reorders matches; it does not add tagged articles that do not match.
    assert "trinkwasser-tag" not in slugs(index, "Hitze", boost_tag="notfallvorsorge")


def test_named_city_comes_first_with_articles_that_solve_the_same_problem(index):
    assert slugs(index, "Laufbus") == ["laufbus-arnsberg", "laufbus-sundern"]
    found = slugs(index, "Laufbus Sundern", city_names=CITIES)
    assert found[-1] == "laufbus-arnsberg"
    # The Sundern article on the same topic with the same tags is found without the word.
    assert set(found[:-1]) == {"laufbus-sundern", "schulweg-sundern"}
    assert "schulweg-sundern" not in slugs(index, "Laufbus")


def test_backend_search_windows_the_ranking_and_counts_all(index):
    full = run(parse("Hitze"))
    window = DatabaseBackend().search(parse("Hitze"), offset=1, size=2)
    assert [hit.doc.object_id for hit in window.hits] == [
        hit.doc.object_id for hit in full.hits[1:3]
    ]
    assert window.total == full.total == 4
    assert window.facets == full.facets
    assert DatabaseBackend().search(parse("Hitze"), offset=4, size=2).hits == []

"""What every search backend must do, checked on each of them with the same articles.

The articles go through the real importer (kb.importer.import_file, docs/FORMAT.md), queries
through search.query.parse, and the backend is called as search.service calls it:
`backend.search(parsed_query, offset=..., size=..., kind=..., filters=..., ...)`.

The database backend (search.backends.database) always runs. The Elasticsearch/OpenSearch
backend runs only when ELASTICSEARCH_URL names a server: the same documents are then indexed
there under a throw-away index prefix (a full rebuild, as manage.py rebuild_search_index does),
and deleted afterwards. The backends score differently, so the assertions are about order
between clearly different documents, sets, filters, facets, paging and totals, not about scores.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

import pytest
from taggit.models import Tag

from kb.importer import import_file
from kb.models import ArticlePage, City, ContactPerson, TopicPage
from kb.topics import ensure_default_topics
from search import vocabulary
from search.backends.base import EngineResult, SearchBackend
from search.backends.database import DatabaseBackend
from search.query import parse

pytestmark = pytest.mark.django_db

CLIMATE = "Klimafolgenanpassung & Resilienz"
PLANNING = "Stadtplanung"
ADMINISTRATION = "Kommunalverwaltung & Daseinsvorsorge"
SMART_CITY = "Smart City"


def _record(slug, title, cities, topic, tags, summary, body, contact, day, department):
    name, city = contact
    user = name.lower().replace(" ", ".")
    return {
        "slug": slug,
        "title": title,
        "cities": cities,
        "topic": topic,
        "department": department,
        "tags": tags,
        "summary": summary,
        "body": body,
        "contact": {"name": name, "email": f"{user}@{city}.example", "phone": "02931 100"},
        "date": day,
    }


JANA = ("Jana Kowalczyk", "arnsberg")
TOM = ("Tom Brenneke", "sundern")
ELIF = ("Elif Demir", "arnsberg")
OLE = ("Ole Hansen", "sundern")

ARTICLES = [
    _record(
        "bt-zisterne-versickerung",
        "Zisterne und Versickerung auf dem eigenen Grundstück",
        ["Arnsberg"],
        CLIMATE,
        ["Starkregen", "Regenwasser"],
        "Wie Hausbesitzer Regenwasser in einer Zisterne sammeln und den Rest versickern lassen.",
        "Eine Zisterne fängt das Wasser vom Dach auf. Was sie nicht fasst, geht in die "
        "Versickerung: eine flache Mulde im Garten nimmt es auf.\n\n## Beratung\n\n"
        "Die Stadt berät zu Zisterne und Versickerung kostenlos.",
        JANA,
        "2025-06-02",
        "Fachdienst Umwelt",
    ),
    _record(
        "bt-zisterne-foerderung",
        "Förderprogramm für Zisternen",
        ["Sundern"],
        CLIMATE,
        ["Regenwasser", "Förderung"],
        "Die Stadt bezuschusst den Einbau einer Zisterne mit bis zu 500 Euro.",
        "Wer eine Zisterne einbaut, stellt den Antrag vor Baubeginn. Gefördert werden "
        "Behälter ab drei Kubikmetern. Das Regenwasser dient der Gartenbewässerung.",
        TOM,
        "2024-03-11",
        "Fachbereich Bauen",
    ),
    _record(
        "bt-mulden-neubaugebiet",
        "Mulden für die Versickerung im Neubaugebiet",
        ["Arnsberg"],
        PLANNING,
        ["Starkregen", "Bauleitplanung"],
        "Der Bebauungsplan sieht offene Mulden vor.",
        "Im Neubaugebiet am Hang sorgen offene Mulden für die Versickerung. Die Straßen "
        "entwässern in die Grünflächen.",
        ELIF,
        "2023-09-05",
        "Fachdienst Stadtplanung",
    ),
    _record(
        "bt-trinkbrunnen-innenstadt",
        "Trinkbrunnen in der Innenstadt",
        ["Arnsberg", "Sundern"],
        ADMINISTRATION,
        ["Hitzeschutz"],
        "Beide Städte stellen im Sommer Trinkbrunnen auf.",
        "Die Trinkbrunnen stehen an den Marktplätzen und werden täglich geprüft.",
        OLE,
        "2022-05-20",
        "Fachdienst Tiefbau",
    ),
    _record(
        "bt-sommerfest-stadtpark",
        "Sommerfest im Stadtpark",
        ["Sundern"],
        ADMINISTRATION,
        ["Veranstaltung"],
        "Musik, Spiele und Essen für alle Generationen.",
        "Das Sommerfest beginnt am Samstag um zehn Uhr mit einem Konzert der Musikschule. "
        "Vereine stellen sich an ihren Ständen vor, Kinder basteln im Zelt und am Nachmittag "
        "spielt eine Band auf der Wiese. Für Getränke sorgen die Vereine, an heißen Tagen "
        "steht zusätzlich ein Trinkbrunnen am Eingang. Der Eintritt ist frei, Parkplätze gibt "
        "es am Rathaus.",
        OLE,
        "2025-08-15",
        "Fachdienst Kultur",
    ),
    _record(
        "bt-sensoren-parkplaetze",
        "Sensoren melden freie Parkplätze",
        ["Arnsberg"],
        SMART_CITY,
        ["Parken", "Sensorik"],
        "In der Altstadt zeigen Sensoren an, welche Stellplätze frei sind.",
        "Die Sensoren im Boden melden jede Belegung an eine App.",
        ELIF,
        "2024-11-30",
        "Fachdienst Digitalisierung",
    ),
    _record(
        "bt-hitzetelefon-sundern",
        "Hitzetelefon für ältere Menschen",
        ["Sundern"],
        CLIMATE,
        ["Hitzeschutz"],
        "Ehrenamtliche rufen an heißen Tagen ältere Menschen an.",
        "Das Hitzetelefon erinnert ans Trinken und vermittelt Hilfe.",
        TOM,
        "2023-07-01",
        "Fachbereich Soziales",
    ),
]
# Newest first, as an empty query lists them.
NEWEST = [
    "bt-sommerfest-stadtpark",
    "bt-zisterne-versickerung",
    "bt-sensoren-parkplaetze",
    "bt-zisterne-foerderung",
    "bt-mulden-neubaugebiet",
    "bt-hitzetelefon-sundern",
    "bt-trinkbrunnen-innenstadt",
]

live_server = pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="ELASTICSEARCH_URL not set: no Elasticsearch/OpenSearch server",
)


@dataclass
class Corpus:
    """The imported articles: slug <-> page id, and the slugs (facet values) of names."""

    ids: dict[str, int]
    slugs: dict[int, str]
    city: dict[str, str]
    topic: dict[str, str]
    tag: dict[str, str]
    contact: dict[str, int]
    path: dict[str, str]


@pytest.fixture(autouse=True)
def fresh_caches():
    vocabulary.clear()
    yield
    vocabulary.clear()


@pytest.fixture
def corpus(db, settings) -> Corpus:
    # Indexing writes the database index; nothing is mirrored to a configured server.
    settings.SEARCH_BACKEND = "database"
    ensure_default_topics()
    lines = "\n".join(json.dumps(record, ensure_ascii=False) for record in ARTICLES)
    import_file(lines.encode("utf-8"))
    ids = dict(ArticlePage.objects.filter(slug__startswith="bt-").values_list("slug", "pk"))
    assert set(ids) == {record["slug"] for record in ARTICLES}
    return Corpus(
        ids=ids,
        slugs={pk: slug for slug, pk in ids.items()},
        city=dict(City.objects.values_list("name", "slug")),
        topic=dict(TopicPage.objects.values_list("title", "slug")),
        tag=dict(Tag.objects.values_list("name", "slug")),
        contact=dict(ContactPerson.objects.values_list("name", "pk")),
        path=dict(TopicPage.objects.values_list("title", "path")),
    )


class _NoFallback:
    """Stands in for the database index behind the server: a test must see the server fail."""

    def search(self, *args, **kwargs):
        raise AssertionError("the search server did not answer (see the logged error)")


def _server_backend() -> Iterator[SearchBackend]:
    from search.backends.elasticsearch import ElasticsearchBackend, ElasticsearchEngine
    from search.indexing import article_document, contact_document

    engine = ElasticsearchEngine(prefix=f"wissensnetz_test_{secrets.token_hex(4)}_")
    assert engine.ping(), f"ELASTICSEARCH_URL is set, but {engine.server} does not answer"
    backend = ElasticsearchBackend(fallback=_NoFallback(), engine=engine)
    try:
        # The documents manage.py rebuild_search_index sends (search.indexing.rebuild_server).
        documents = chain(
            (article_document(page) for page in ArticlePage.objects.live()),
            (contact_document(contact) for contact in ContactPerson.objects.all()),
        )
        assert backend.rebuild(documents) == len(ARTICLES) + ContactPerson.objects.count()
        yield backend
    finally:
        # Delete by name: wildcard deletes are refused by default (destructive_requires_name).
        for name in engine._request("GET", f"{engine.prefix}*"):
            engine._send("DELETE", name, allow=(404,))


@pytest.fixture(
    params=[
        "database",
        pytest.param("elasticsearch", marks=live_server),
    ]
)
def backend(request, corpus) -> Iterator[SearchBackend]:
    if request.param == "database":
        yield DatabaseBackend()
    else:
        yield from _server_backend()


def search(backend: SearchBackend, text: str, **options) -> EngineResult:
    return backend.search(parse(text), **options)


def found(corpus: Corpus, result: EngineResult) -> list[str]:
    return [corpus.slugs[hit.doc.object_id] for hit in result.hits]


# --- ranking ------------------------------------------------------------------------------------


def test_documents_with_all_words_are_hits_and_the_others_related(backend, corpus):
    result = search(backend, "Zisterne Versickerung", related_limit=5)
    slugs = found(corpus, result)
    assert slugs[0] == "bt-zisterne-versickerung"
    # The others hold one of the words each: offered apart as related, not counted as hits.
    related = [corpus.slugs[hit.doc.object_id] for hit in result.related]
    assert {"bt-zisterne-foerderung", "bt-mulden-neubaugebiet"} <= set(related)
    assert not set(related) & set(slugs)
    assert result.total == len(slugs)
    assert all(hit.doc.kind == "article" for hit in result.hits)
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True)


def test_a_word_in_the_title_beats_the_same_word_in_the_body(backend, corpus):
    slugs = found(corpus, search(backend, "Trinkbrunnen"))
    # The newer article mentions it once in a long body; the older one is about it.
    assert slugs[:2] == ["bt-trinkbrunnen-innenstadt", "bt-sommerfest-stadtpark"]


def test_words_nobody_wrote_find_nothing(backend, corpus):
    result = search(backend, "Quantenkryptographie")
    assert (result.hits, result.total) == ([], 0)
    # A person's name finds the articles they are the contact for, nothing else.
    by_name = search(backend, "Kowalczyk")
    hers = {r["slug"] for r in ARTICLES if r["contact"]["name"] == "Jana Kowalczyk"}
    assert set(found(corpus, by_name)) == hers
    assert by_name.total == len(hers)


# --- filters and facets --------------------------------------------------------------------------


def test_filter_values_are_or_within_and_across_filters(backend, corpus):
    arnsberg, sundern = corpus.city["Arnsberg"], corpus.city["Sundern"]
    both = search(backend, "", filters={"city": {arnsberg, sundern}})
    assert set(found(corpus, both)) == set(NEWEST)
    only_sundern = search(backend, "", filters={"city": {sundern}})
    assert set(found(corpus, only_sundern)) == {
        "bt-zisterne-foerderung",
        "bt-trinkbrunnen-innenstadt",
        "bt-sommerfest-stadtpark",
        "bt-hitzetelefon-sundern",
    }
    across = search(backend, "", filters={"city": {sundern}, "topic": {corpus.topic[CLIMATE]}})
    assert set(found(corpus, across)) == {"bt-zisterne-foerderung", "bt-hitzetelefon-sundern"}
    assert across.total == 2
    tagged = search(
        backend, "Regenwasser", filters={"tag": {corpus.tag["Regenwasser"]}, "city": {arnsberg}}
    )
    assert found(corpus, tagged) == ["bt-zisterne-versickerung"]
    assert search(backend, "Zisterne", filters={"tag": {corpus.tag["Hitzeschutz"]}}).total == 0


def test_hits_carry_the_filter_values(backend, corpus):
    (hit,) = search(
        backend, "Förderprogramm Zisternen", filters={"city": {corpus.city["Sundern"]}}
    ).hits
    assert corpus.slugs[hit.doc.object_id] == "bt-zisterne-foerderung"
    assert hit.doc.city == {corpus.city["Sundern"]}
    assert hit.doc.topic == {corpus.topic[CLIMATE]}
    assert hit.doc.tag == {corpus.tag["Regenwasser"], corpus.tag["Förderung"]}
    assert len(hit.doc.department) == 1
    assert hit.doc.date.isoformat() == "2024-03-11"


def test_facet_counts_ignore_their_own_filter(backend, corpus):
    arnsberg, sundern = corpus.city["Arnsberg"], corpus.city["Sundern"]
    climate, administration = corpus.topic[CLIMATE], corpus.topic[ADMINISTRATION]
    everything = search(backend, "")
    assert dict(everything.facets["city"]) == {arnsberg: 4, sundern: 4}
    assert set(everything.facets) == {"city", "topic", "tag", "department"}
    assert sum(everything.facets["topic"].values()) == len(ARTICLES)

    in_sundern = search(backend, "", filters={"city": {sundern}})
    # The city facet counts as if no city were chosen, so staff can switch cities ...
    assert dict(in_sundern.facets["city"]) == {arnsberg: 4, sundern: 4}
    # ... the other facets count the articles the city filter leaves.
    assert dict(in_sundern.facets["topic"]) == {climate: 2, administration: 2}
    assert sum(in_sundern.facets["department"].values()) == in_sundern.total == 4

    both = search(backend, "", filters={"city": {sundern}, "topic": {climate}})
    assert dict(both.facets["city"]) == {arnsberg: 1, sundern: 2}
    assert dict(both.facets["topic"]) == {climate: 2, administration: 2}
    assert dict(both.facets["tag"]) == {
        corpus.tag["Regenwasser"]: 1,
        corpus.tag["Förderung"]: 1,
        corpus.tag["Hitzeschutz"]: 1,
    }

    query = search(backend, "Zisterne", filters={"city": {sundern}})
    assert found(corpus, query) == ["bt-zisterne-foerderung"]
    assert dict(query.facets["city"]) == {arnsberg: 1, sundern: 1}

    assert not any(search(backend, "Zisterne", with_facets=False).facets.values())


# --- visibility ---------------------------------------------------------------------------------


def test_restricted_paths_are_hidden_from_hits_totals_and_facets(backend, corpus):
    planning = [corpus.path[PLANNING]]
    open_result = search(backend, "Versickerung")
    assert "bt-mulden-neubaugebiet" in found(corpus, open_result)
    hidden = search(backend, "Versickerung", restricted=planning)
    assert found(corpus, hidden) == ["bt-zisterne-versickerung"]
    assert hidden.total == open_result.total - 1

    everything = search(backend, "", restricted=planning)
    assert "bt-mulden-neubaugebiet" not in found(corpus, everything)
    assert everything.total == len(ARTICLES) - 1
    assert everything.facets["tag"][corpus.tag["Starkregen"]] == 1
    assert corpus.tag["Bauleitplanung"] not in everything.facets["tag"]
    assert corpus.topic[PLANNING] not in everything.facets["topic"]

    # A single article's own path hides just that article.
    page_path = ArticlePage.objects.get(slug="bt-sommerfest-stadtpark").path
    alone = found(corpus, search(backend, "Trinkbrunnen", restricted=[page_path]))
    assert alone[0] == "bt-trinkbrunnen-innenstadt"
    assert "bt-sommerfest-stadtpark" not in alone


# --- sorting and paging -------------------------------------------------------------------------


def test_sort_newest(backend, corpus):
    relevance = search(backend, "Regenwasser Zisterne Versickerung")
    newest = search(backend, "Regenwasser Zisterne Versickerung", sort="newest")
    assert set(found(corpus, newest)) == set(found(corpus, relevance))
    assert newest.total == relevance.total
    dates = [hit.doc.date for hit in newest.hits]
    assert dates == sorted(dates, reverse=True)
    assert found(corpus, newest)[:2] == ["bt-zisterne-versickerung", "bt-zisterne-foerderung"]


def test_empty_query_lists_everything_filtered_newest_first(backend, corpus):
    everything = search(backend, "")
    assert found(corpus, everything) == NEWEST
    assert everything.total == len(ARTICLES)
    in_sundern = search(backend, "", filters={"city": {corpus.city["Sundern"]}})
    assert found(corpus, in_sundern) == [
        "bt-sommerfest-stadtpark",
        "bt-zisterne-foerderung",
        "bt-hitzetelefon-sundern",
        "bt-trinkbrunnen-innenstadt",
    ]
    # Relevance is meaningless without words: "newest" gives the same list.
    assert found(corpus, search(backend, "", sort="newest")) == NEWEST


def test_offset_and_size_give_a_window_with_the_total(backend, corpus):
    page = search(backend, "", offset=2, size=3)
    assert found(corpus, page) == NEWEST[2:5]
    assert page.total == len(ARTICLES)
    last = search(backend, "", offset=6, size=3)
    assert (found(corpus, last), last.total) == (NEWEST[6:], len(ARTICLES))
    beyond = search(backend, "", offset=50, size=10)
    assert (beyond.hits, beyond.total) == ([], len(ARTICLES))
    # Facets count every match, not the window.
    assert sum(page.facets["topic"].values()) == len(ARTICLES)

    ranked = found(corpus, search(backend, "Zisterne Versickerung Regenwasser"))
    window = search(backend, "Zisterne Versickerung Regenwasser", offset=1, size=1)
    assert found(corpus, window) == ranked[1:2]
    assert window.total == len(ranked)


# --- contact persons ----------------------------------------------------------------------------


def test_contacts_are_their_own_kind(backend, corpus):
    by_name = search(backend, "Kowalczyk", kind="contact")
    assert [(hit.doc.kind, hit.doc.object_id) for hit in by_name.hits] == [
        ("contact", corpus.contact["Jana Kowalczyk"])
    ]
    assert by_name.total == 1
    # Found by what their articles are about (the articles' tags): the two whose articles are
    # tagged with the word first (others may follow on part of it: Stark-regen).
    by_topic = search(backend, "Regenwasser", kind="contact", with_facets=False)
    assert {hit.doc.object_id for hit in by_topic.hits[:2]} == {
        corpus.contact["Jana Kowalczyk"],
        corpus.contact["Tom Brenneke"],
    }
    assert all(hit.doc.kind == "contact" for hit in by_topic.hits)
    # Articles never answer a contact search, nor contacts an article search.
    assert all(hit.doc.kind == "article" for hit in search(backend, "Regenwasser").hits)

"""Thesaurus expansion (search.thesaurus): everyday words find articles in administrative words.

The thesaurus is OpenThesaurus from Debian's `mythes-de`, read at run time and not part of the
repository; without it these tests are skipped (the search then works without expansion).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from kb.importer import import_file
from kb.topics import ensure_default_topics
from search import thesaurus, vocabulary
from search.analysis import whole_stem
from search.backends.elasticsearch.queries import build_query
from search.query import MAX_THESAURUS_ALTERNATIVES, THESAURUS_WEIGHT, parse
from search.vocabulary import Vocabulary

PATH = thesaurus.DEFAULT_PATH
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not Path(PATH).is_file(),
        reason=f"no thesaurus at {PATH} (install the Debian package mythes-de)",
    ),
]
API = "/api/v1/search/"
TOPIC = "Kommunalverwaltung & Daseinsvorsorge"


def _record(slug: str, title: str, summary: str, body: str) -> dict:
    return {
        "slug": slug,
        "title": title,
        "cities": ["Sundern"],
        "topic": TOPIC,
        "department": "Fachdienst Soziales",
        "tags": [],
        "summary": summary,
        "body": body,
        "contact": {"name": "Jana Kowalczyk", "email": "jana@sundern.example", "phone": "1"},
        "date": "2025-03-01",
    }


ARTICLES = [
    _record(
        "th-sprachmittlung",
        "Sprachmittler für Elterngespräche",
        "Wie Kitas einen Sprachmittler aus dem städtischen Pool anfragen.",
        "Der Pool vermittelt ehrenamtliche Sprachmittler für Gespräche mit Eltern. "
        "Die Anfrage geht zwei Wochen vorher an die Koordinierungsstelle.",
    ),
    _record(
        "th-trauung",
        "Trauung im Rathaus",
        "Welche Trauorte das Standesamt anbietet und wie Paare einen Termin reservieren.",
        "Der Trausaal im Rathaus fasst 30 Gäste; Termine vergibt das Standesamt ein Jahr im "
        "Voraus.",
    ),
    _record(
        "th-hochzeit",
        "Hochzeit im Sorpepark",
        "Wie die Stadt eine Hochzeit im Park unter freiem Himmel möglich macht.",
        "Für eine Hochzeit im Sorpepark reserviert das Standesamt den Pavillon.",
    ),
]


@pytest.fixture(autouse=True)
def thesaurus_on(settings):
    """The Debian thesaurus, whatever the environment says, and fresh per-index caches."""
    settings.WISSENSNETZ_THESAURUS = PATH
    settings.SEARCH_BACKEND = "database"
    vocabulary.clear()
    yield
    vocabulary.clear()


@pytest.fixture
def articles(db) -> None:
    ensure_default_topics()
    lines = "\n".join(json.dumps(record, ensure_ascii=False) for record in ARTICLES)
    import_file(lines.encode("utf-8"))


def slugs(client, q: str) -> list[str]:
    response = client.get(API, {"q": q})
    assert response.status_code == 200, response.content
    return [result["slug"] for result in response.json()["results"]]


def thesaurus_variants(query, index: int = 0) -> dict[tuple[str, ...], float]:
    return {
        variant.terms: variant.weight
        for variant in query.clauses[index].variants
        if variant.weight == THESAURUS_WEIGHT
    }


def test_an_everyday_word_finds_the_administrative_one(staff_client, articles):
    # "Übersetzer" occurs nowhere; OpenThesaurus has Übersetzer ~ Sprachmittler ~ Dolmetscher.
    assert slugs(staff_client, "Übersetzer") == ["th-sprachmittlung"]
    assert slugs(staff_client, "Übersetzer Elterngespräche") == ["th-sprachmittlung"]


def test_a_direct_match_ranks_above_a_thesaurus_match(staff_client, articles):
    found = slugs(staff_client, "Hochzeit")
    # Hochzeit ~ Trauung: both are hits, the article that says "Hochzeit" first.
    assert found == ["th-hochzeit", "th-trauung"]


def test_disabled_setting_means_no_expansion(staff_client, articles, settings):
    settings.WISSENSNETZ_THESAURUS = ""
    assert slugs(staff_client, "Übersetzer") == []
    assert slugs(staff_client, "Hochzeit") == ["th-hochzeit"]


def test_a_missing_file_searches_as_before_and_says_so_once(
    staff_client, articles, settings, tmp_path, caplog
):
    settings.WISSENSNETZ_THESAURUS = str(tmp_path / "no-such-thesaurus.dat")
    with caplog.at_level(logging.WARNING, logger="search.thesaurus"):
        assert slugs(staff_client, "Übersetzer") == []
        assert slugs(staff_client, "Sprachmittler") == ["th-sprachmittlung"]
    assert len([r for r in caplog.records if r.name == "search.thesaurus"]) == 1


def test_only_words_the_index_holds_are_added():
    # Of Übersetzer's senses only the word the index knows is added, at the thesaurus weight.
    query = parse("Übersetzer", Vocabulary({whole_stem("sprachmittler"): 2, "stadt": 50}))
    assert thesaurus_variants(query) == {(whole_stem("sprachmittler"),): THESAURUS_WEIGHT}
    # Laterne ~ Lampion, Papierlaterne: a sense whose words the index lacks adds nothing.
    assert thesaurus_variants(parse("Laterne", Vocabulary({"latern": 1, "stadt": 5}))) == {}


def test_generic_words_names_and_numbers_are_not_expanded():
    # "trau" (Trauung) in most documents would make "Hochzeit" match nearly everything.
    common = Vocabulary({"trau": 40, "heirat": 2, "stadt": 50})
    assert thesaurus_variants(parse("Hochzeit", common)) == {("heirat",): THESAURUS_WEIGHT}
    # A person called "Hochzeit" is meant by name only.
    assert thesaurus_variants(parse("Hochzeit", common, names=frozenset({"hochzeit"}))) == {}
    assert thesaurus_variants(parse("2024", Vocabulary({"2024": 3}))) == {}


def test_at_most_a_few_alternatives_per_word():
    # Every word of kaputt's many senses is an index term: still only a handful are added.
    alternatives = thesaurus.current().alternatives("kaputt")
    terms = {alt.entry[0]: 1 for alt in alternatives if len(alt.entry) == 1}
    assert len(terms) > MAX_THESAURUS_ALTERNATIVES
    terms["stadt"] = 10_000
    added = thesaurus_variants(parse("kaputt", Vocabulary(terms)))
    assert 0 < len(added) <= MAX_THESAURUS_ALTERNATIVES


def test_editors_synonyms_keep_their_weight(db):
    from search.models import SynonymGroup

    SynonymGroup.objects.all().delete()
    SynonymGroup.objects.create(terms="Rente, Ruhestand")
    vocabulary.clear()
    query = parse("Rente", Vocabulary({"ruhestand": 2, "pension": 2, "stadt": 50}))
    weights = {variant.terms: variant.weight for variant in query.clauses[0].variants}
    assert weights[("ruhestand",)] == 0.9
    assert weights[("pension",)] == THESAURUS_WEIGHT


def test_the_elasticsearch_query_counts_a_thesaurus_word_as_a_match():
    query = parse("Übersetzer", Vocabulary({whole_stem("sprachmittler"): 2, "stadt": 50}))
    body = json.dumps(build_query(query, **_es_options()))
    assert f'"{whole_stem("sprachmittler")}"' in body
    assert f'"boost": {THESAURUS_WEIGHT}' in body


def _es_options() -> dict:
    return {
        "kind": "article",
        "filters": {},
        "restricted": [],
        "sort": "relevance",
        "boost_tag": None,
        "size": 10,
        "offset": 0,
    }

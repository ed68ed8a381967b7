"""The Elasticsearch/OpenSearch backend (the package search.backends.elasticsearch).

Unit tests check the generated index settings, documents and query bodies as concrete JSON
structures; queries come from search.query.parse on real text. The engine's HTTP protocol
(index creation, bulk, atomic alias swap, errors) is checked against a small in-memory stand-in
for the server's REST API. Live tests need a real server and run only when ELASTICSEARCH_URL is
set, e.g. ELASTICSEARCH_URL=http://127.0.0.1:9200 (Elasticsearch 8/9 or OpenSearch 2/3).
"""

from __future__ import annotations

import json
import os
import secrets
from collections import Counter
from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from requests.adapters import BaseAdapter

from search import vocabulary
from search.analysis import analyse, fold_umlauts, normalise, stems, whole_stem
from search.backends import elasticsearch
from search.backends.base import Doc, EngineResult, Hit
from search.backends.elasticsearch import (
    ElasticsearchBackend,
    ElasticsearchEngine,
    ElasticsearchResult,
    SearchUnavailable,
    build_query,
    decompound_words,
    document_body,
    german_normalization,
    index_settings,
)
from search.backends.elasticsearch.queries import held_query
from search.query import parse
from search.vocabulary import Vocabulary

pytestmark = pytest.mark.django_db  # parse() reads the editors' synonym groups

VOCABULARY = Vocabulary(
    {
        "parkplatz": 1,
        "sensor": 2,
        "park": 3,
        "platz": 3,
        "bahnhof": 1,
        "amt": 1,
        "sozial": 1,
        "kita": 2,
        "starkregen": 1,
        "vorsorg": 1,
    }
)
WORDS = ["sensor", "parkplatz", "platz", "park", "sensor"]
GROUPS = [["Kita", "Kindertagesstätte", "Kindertageseinrichtung"], ["B-Plan", "Bebauungsplan"]]


@pytest.fixture(autouse=True)
def fresh_caches():
    vocabulary.clear()
    yield
    vocabulary.clear()


def bool_of(body: dict) -> dict:
    """The bool query of a _search body, inside the function_score that weighs it (overdue
    articles: search.ranking.OVERDUE_FACTOR; a named city)."""
    query = body["query"]
    return query["function_score"]["query"]["bool"] if "function_score" in query else query["bool"]


def query_body(text: str, **overrides):
    options = {
        "kind": "article",
        "filters": {},
        "restricted": [],
        "sort": "relevance",
        "boost_tag": None,
        "size": 20,
        "offset": 0,
    }
    options.update(overrides)
    return build_query(parse(text, VOCABULARY), **options)


def article(object_id: int, title: str, body: str, **attributes) -> dict:
    """A document as search.indexing computes it for an article."""
    summary = attributes.pop("summary", "")
    fields = {
        "title": title,
        "tags": attributes.pop("tag_names", ""),
        "summary": summary,
        "body": body,
        "meta": attributes.pop("meta", ""),
    }
    attributes.setdefault("path", f"0001000100010{object_id:03d}")
    attributes["stems"] = " ".join(stems(f"{title}\n{summary}\n{body}"))
    return {"kind": "article", "object_id": object_id, "fields": fields, "attributes": attributes}


# --- index settings ---------------------------------------------------------------------------


def test_analyzers_run_the_german_filters_in_order():
    analysis = index_settings(GROUPS, WORDS)["settings"]["analysis"]
    index = analysis["analyzer"]["de_index"]
    search = analysis["analyzer"]["de_search"]
    assert index == {
        "type": "custom",
        "tokenizer": "standard",
        "filter": [
            "lowercase",
            "de_stop",
            "german_normalization",
            "asciifolding",
            "de_decompounder",
            "de_stemmer",
        ],
    }
    # Search: synonyms after stemming, and no decompounder before the graph filter.
    assert search["filter"] == [
        "lowercase",
        "de_stop",
        "german_normalization",
        "asciifolding",
        "de_stemmer",
        "de_synonyms",
    ]
    assert analysis["analyzer"]["shadow"] == {
        "type": "custom",
        "tokenizer": "whitespace",
        "filter": [],
    }
    filters = analysis["filter"]
    assert filters["de_stemmer"] == {"type": "stemmer", "language": "light_german"}
    assert filters["de_decompounder"]["type"] == "dictionary_decompounder"
    assert filters["de_decompounder"]["min_subword_size"] == 3
    assert filters["de_decompounder"]["only_longest_match"] is False
    assert filters["de_stop"]["type"] == "stop"
    assert "für" in filters["de_stop"]["stopwords"]


def test_synonym_groups_become_equivalence_lines():
    groups = [*GROUPS, ["Alleinstehend"], ["KITA", "kita"]]
    synonyms = index_settings(groups, WORDS)["settings"]["analysis"]["filter"]["de_synonyms"]
    assert synonyms == {
        "type": "synonym_graph",
        "synonyms": [
            "b-plan, bebauungsplan",
            "kindertageseinrichtung, kindertagesstätte, kita",
        ],
        "lenient": True,
    }


def test_without_synonyms_the_search_analyzer_has_no_synonym_filter():
    analysis = index_settings([], WORDS)["settings"]["analysis"]
    assert "de_synonyms" not in analysis["filter"]
    assert "de_synonyms" not in analysis["analyzer"]["de_search"]["filter"]
    assert analysis["analyzer"]["de_search"]["filter"][-1] == "de_stemmer"


def test_decompounder_word_list_is_present_sorted_and_unique():
    decompounder = index_settings(GROUPS, WORDS)["settings"]["analysis"]["filter"][
        "de_decompounder"
    ]
    assert decompounder["word_list"] == ["park", "parkplatz", "platz", "sensor"]


def test_settings_are_deterministic():
    first = index_settings(GROUPS, WORDS)
    second = index_settings(list(reversed(GROUPS)), list(reversed(WORDS)))
    assert json.dumps(first, sort_keys=False) == json.dumps(second, sort_keys=False)


def test_mappings_hold_every_field():
    properties = index_settings(GROUPS, WORDS)["mappings"]["properties"]
    for name in ("kind", "cities", "topic", "tags", "department", "path"):
        assert properties[name] == {"type": "keyword"}, name
    assert properties["object_id"] == {"type": "long"}
    assert properties["date"]["type"] == "date"
    assert properties["review_due"] == {"type": "date", "format": "strict_date"}
    for name in ("title", "tags_text", "summary", "body", "meta"):
        assert properties[name]["type"] == "text", name
        assert properties[name]["analyzer"] == "de_index", name
        assert properties[name]["search_analyzer"] == "de_search", name
    assert properties["title"]["fields"]["raw"]["type"] == "keyword"
    assert properties["terms"] == {"type": "text", "analyzer": "shadow"}
    assert properties["stems"] == {"type": "text", "analyzer": "shadow"}


def test_german_normalization_is_lucenes():
    assert german_normalization("bürger") == "burger"
    assert german_normalization("buerger") == "burger"
    assert german_normalization("parkplaetze") == "parkplatze"
    assert german_normalization("straße") == "strasse"
    assert german_normalization("feuer") == "feuer"  # e after "eu" stays
    assert german_normalization("quelle") == "quelle"  # u after q never drops an e
    assert german_normalization("schoen") == german_normalization("schön") == "schon"


def test_decompound_words_are_spelled_as_the_decompounder_sees_tokens():
    found = decompound_words()
    assert len(found) == 20000
    assert found == sorted(found)
    assert len(set(found)) == len(found)
    assert all(len(word) >= 4 for word in found)
    # Spelled as tokens reach the decompounder: "Bürger" -> "burger", as the lexicon's "buerger".
    for word in ("Bürger", "Europäer", "Straßenbäume", "Trophäe", "Feuerwehr"):
        token = german_normalization(word.lower())
        assert german_normalization(fold_umlauts(normalise(word))) == token, word
    assert "europaer" in found and "europar" not in found
    assert {"parkplatz", "sensor", "burger", "verwaltung"} <= set(found)
    assert not {"buerger", "nicht", "fuer", "fur", "werden"} & set(found)
    assert german_normalization(fold_umlauts("bürger")) == german_normalization("bürger")
    assert set(decompound_words(100)) < set(decompound_words(1000))


# --- documents --------------------------------------------------------------------------------


def test_document_body_from_what_indexing_computes():
    item = article(
        7,
        "Sensoren für Parkplätze",
        "Die Stadt misst freie Stellplätze.",
        tag_names="Parken Sensorik",
        meta="Arnsberg Smart City",
        cities="|sundern|arnsberg|",
        tags="|sensorik|parken|",
        topic="smart-city",
        department="",
        date=date(2025, 3, 1),
        review_due=date(2026, 3, 1),
    )
    body = document_body("article", 7, item["fields"], item["attributes"])
    assert body["review_due"] == "2026-03-01"
    assert body["kind"] == "article"
    assert body["object_id"] == 7
    assert body["cities"] == ["arnsberg", "sundern"]
    assert body["tags"] == ["parken", "sensorik"]
    assert body["topic"] == "smart-city"
    assert body["department"] is None
    assert body["date"] == "2025-03-01"
    assert body["path"] == "0001000100010007"
    assert body["title"] == "Sensoren für Parkplätze"
    assert body["tags_text"] == "Parken Sensorik"
    assert body["meta"] == "Arnsberg Smart City"
    expected = [
        *analyse("Sensoren für Parkplätze"),
        *analyse("Parken Sensorik"),
        *analyse("Die Stadt misst freie Stellplätze."),
        *analyse("Arnsberg Smart City"),
    ]
    assert body["terms"].split() == expected
    assert body["stems"] == item["attributes"]["stems"]


def test_contact_document_without_path_or_date():
    fields = {"title": "Jana Beispiel", "summary": "Klimaschutzmanagerin"}
    body = document_body("contact", 3, fields, {"cities": "|sundern|", "stems": "jana beispiel"})
    assert body["path"] == ""
    assert body["date"] is None
    assert body["cities"] == ["sundern"]
    assert body["tags"] == []
    assert body["topic"] is None
    assert body["body"] == ""


# --- queries ----------------------------------------------------------------------------------


def test_kind_filter_and_restricted_paths():
    body = query_body("Parkplatz", kind="contact", restricted=["00010005", "00010002"])
    bool_query = bool_of(body)
    assert bool_query["filter"] == [{"term": {"kind": "contact"}}]
    assert bool_query["must_not"] == [
        {"prefix": {"path": "00010002"}},
        {"prefix": {"path": "00010005"}},
    ]


def test_clauses_become_dis_max_over_their_variants():
    body = query_body("Parkplatzsensoren Bahnhof")
    matching = bool_of(body)["must"][0]["bool"]
    assert matching["minimum_should_match"] == 1
    should = matching["should"]
    assert should[0] == {
        "multi_match": {
            "query": "parkplatzsensoren bahnhof",
            "type": "most_fields",
            "fields": ["title^5", "tags_text^3", "summary^1.5", "body", "meta^0.6", "people"],
        }
    }
    dis_max = [item["dis_max"]["queries"] for item in should if "dis_max" in item]
    assert dis_max[0] == [
        {"bool": {"must": [{"term": {"terms": "parkplatzsensor"}}], "boost": 1.0}},
        {
            "bool": {
                "must": [
                    {"term": {"terms": "park"}},
                    {"term": {"terms": "platz"}},
                    {"term": {"terms": "sensor"}},
                ],
                "boost": 0.9,
            }
        },
    ]
    assert dis_max[1] == [{"bool": {"must": [{"term": {"terms": "bahnhof"}}], "boost": 1.0}}]
    # The server does not split query compounds: our analysis does, into the text fields too.
    parts = [item["multi_match"] for item in should[1:] if "multi_match" in item]
    assert parts == [
        {
            "query": "park platz sensoren",
            "type": "cross_fields",
            "operator": "and",
            "fields": ["title^5", "tags_text^3", "summary^1.5", "body", "meta^0.6", "people"],
            "boost": 0.9,
        }
    ]


def test_compound_query_terms_occur_in_the_document_that_spells_it_apart():
    item = article(1, "Sensoren für Parkplätze", "Freie Plätze werden gemeldet.")
    indexed = set(document_body("article", 1, item["fields"], item["attributes"])["terms"].split())
    body = query_body("Parkplatzsensoren")
    dis_max = bool_of(body)["must"][0]["bool"]["should"][1]["dis_max"]["queries"]
    matching = [
        [clause["term"]["terms"] for clause in variant["bool"]["must"]]
        for variant in dis_max
        if all(clause["term"]["terms"] in indexed for clause in variant["bool"]["must"])
    ]
    assert matching == [["park", "platz", "sensor"]]


def test_filters_go_to_post_filter_and_each_facet_ignores_its_own():
    filters = {"city": {"sundern"}, "tag": {"starkregen", "kita"}, "topic": set()}
    body = query_body("Kita", filters=filters)
    city = {"terms": {"cities": ["sundern"]}}
    tag = {"terms": {"tags": ["kita", "starkregen"]}}
    assert body["post_filter"] == {"bool": {"filter": [city, tag]}}
    aggs = body["aggs"]
    assert set(aggs) == {"city", "topic", "tag", "department"}
    assert aggs["city"]["filter"] == {"bool": {"filter": [tag]}}
    assert aggs["tag"]["filter"] == {"bool": {"filter": [city]}}
    assert aggs["topic"]["filter"] == {"bool": {"filter": [city, tag]}}
    assert aggs["department"]["filter"] == {"bool": {"filter": [city, tag]}}
    assert aggs["city"]["aggs"] == {"values": {"terms": {"field": "cities", "size": 200}}}
    assert aggs["tag"]["aggs"]["values"]["terms"]["field"] == "tags"
    assert aggs["topic"]["aggs"]["values"]["terms"]["field"] == "topic"
    # Filters never restrict the query itself, or the facets could not count around them.
    assert "sundern" not in json.dumps(body["query"])


def test_without_filters_there_is_no_post_filter_and_facets_count_everything():
    body = query_body("Kita")
    assert "post_filter" not in body
    assert body["aggs"]["city"]["filter"] == {"match_all": {}}
    assert "aggs" not in query_body("Kita", with_facets=False)


def test_unknown_filter_is_refused():
    with pytest.raises(ValueError, match="farbe"):
        query_body("Kita", filters={"farbe": {"rot"}})


def test_quoted_phrase_is_required_on_the_stems_field():
    body = query_body('"Sensoren für Parkplätze" Bahnhof')
    must = bool_of(body)["must"]
    # Stems in reading order, stopwords kept, as search.analysis.stems spells the document.
    # must[0] scores, must[1] is the hit rule (see test_hit_rule_...), then the phrases.
    assert must[2:] == [{"match_phrase": {"stems": " ".join(stems("Sensoren für Parkplätze"))}}]
    assert must[2]["match_phrase"]["stems"].startswith("sensor fur parkplatz")
    # The document side holds the same sequence (stopwords kept), so the phrase can match.
    item = article(1, "Neue Sensoren für Parkplätze am Bahnhof", "")
    indexed = document_body("article", 1, item["fields"], item["attributes"])["stems"]
    assert f" {must[2]['match_phrase']['stems']} " in f" {indexed} "


def test_hit_rule_needs_every_word_of_a_short_query_in_full():
    # As in the database backend: each word with one of its full variants (a compound with all
    # its parts), numbers optional, tagged articles always.
    rule = bool_of(query_body("Hochwasser 2021", boost_tag="hochwasser"))["must"][1]
    either = rule["bool"]["filter"][0]["bool"]["should"]
    assert either[1] == {"term": {"tags": "hochwasser"}}
    words = either[0]["bool"]
    assert words["minimum_should_match"] == 1
    assert len(words["should"]) == 1  # "2021" is no required clause
    variants = words["should"][0]["bool"]["should"]
    stem = whole_stem("hochwasser")
    assert {"bool": {"must": [{"term": {"terms": stem}}], "boost": 1.0}} in variants


def test_an_unheld_compound_makes_every_word_required():
    # As in the database backend: of three words one may be missing, unless it is a compound
    # no visible document holds (the engine counts that with held_query() first).
    text = "Parkplatzsensoren Bahnhof Kita"
    query = parse(text, VOCABULARY)
    assert [clause.text for clause in query.forgivable] == ["parkplatzsensoren"]

    def needed(**options):
        rule = bool_of(query_body(text, **options))["must"][1]
        return rule["bool"]["filter"][0]["bool"]["minimum_should_match"]

    assert (needed(), needed(unheld=1)) == (2, 3)


def test_whether_a_compound_is_held_is_counted_among_visible_documents():
    query = parse("Parkplatzsensoren Bahnhof Kita", VOCABULARY)
    body = held_query(query.forgivable[0], kind="article", restricted=["00010002"])
    found = bool_of(body)
    assert found["must_not"] == [{"prefix": {"path": "00010002"}}]
    assert found["filter"][0] == {"term": {"kind": "article"}}
    variants = found["filter"][1]["bool"]["should"]
    assert {"bool": {"must": [{"term": {"terms": "parkplatzsensor"}}], "boost": 1.0}} in variants


def test_neighbouring_words_earn_a_proximity_bonus():
    should = bool_of(query_body("Starkregen Vorsorge"))["should"]
    assert should == [
        {"match_phrase": {"stems": {"query": "starkreg vorsorg", "slop": 2, "boost": 1.0}}}
    ]


def test_tag_boost():
    should = bool_of(query_body("Starkregen", boost_tag="starkregen"))["should"]
    assert should == [{"term": {"tags": {"value": "starkregen", "boost": 10.0}}}]
    assert "should" not in bool_of(query_body("Starkregen"))


def test_sort_orders():
    relevance = query_body("Kita")
    assert relevance["sort"][0] == {"_score": {"order": "desc"}}
    assert relevance["sort"][1] == {"date": {"order": "desc", "missing": "_last"}}
    assert "track_scores" not in relevance
    newest = query_body("Kita", sort="newest")
    assert newest["sort"][:2] == [
        {"date": {"order": "desc", "missing": "_last"}},
        {"_score": {"order": "desc"}},
    ]
    assert newest["track_scores"] is True


def test_empty_query_lists_everything_newest_first():
    body = query_body("", boost_tag="kita", restricted=["00010002"])
    bool_query = bool_of(body)
    assert bool_query["must"] == [{"match_all": {}}]
    assert bool_query["must_not"] == [{"prefix": {"path": "00010002"}}]
    assert "should" not in bool_query
    assert body["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}


def test_paging_stays_inside_the_result_window():
    body = query_body("Kita", size=1000, offset=9990)
    assert (body["from"], body["size"]) == (9990, 10)
    assert body["track_total_hits"] is True
    assert "kind" in body["_source"] and "body" not in body["_source"]


def test_named_city_is_preferred():
    query = parse("Laufbus Sundern", VOCABULARY, city_names={"sundern": "sundern"})
    body = build_query(
        query,
        kind="article",
        filters={},
        restricted=[],
        sort="relevance",
        boost_tag=None,
        size=20,
        offset=0,
    )
    function_score = body["query"]["function_score"]
    assert function_score["functions"][1:] == [
        {"filter": {"terms": {"cities": ["sundern"]}}, "weight": 2.0}
    ]
    assert function_score["functions"][0]["filter"] == {
        "range": {"review_due": {"lt": "now/d", "time_zone": "Europe/Berlin"}}
    }
    assert function_score["boost_mode"] == "multiply"
    assert function_score["query"]["bool"]["filter"] == [{"term": {"kind": "article"}}]


# --- the engine's HTTP protocol, against an in-memory stand-in for the REST API -------------------


def _response(request, status: int, payload=None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = b"" if payload is None else json.dumps(payload).encode()
    response.headers["Content-Type"] = "application/json"
    response.url = request.url
    response.request = request
    return response


class FakeCluster(BaseAdapter):
    """Indices, aliases and documents, with the answers (and errors) of the real REST API."""

    def __init__(self):
        super().__init__()
        self.indices: dict[str, dict] = {}
        self.aliases: dict[str, set[str]] = {}
        self.calls: list[tuple[str, str]] = []
        self.alias_updates: list[list[dict]] = []
        self.searches: list[dict] = []
        self.fail_bulk = False

    def close(self):
        pass

    def _missing(self, request, name):
        error = {"type": "index_not_found_exception", "reason": f"no such index [{name}]"}
        return _response(request, 404, {"error": {"root_cause": [error], **error}, "status": 404})

    def _resolve(self, name):
        if name in self.aliases:
            (index,) = self.aliases[name]
            return index
        return name if name in self.indices else None

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        path = url.path.strip("/")
        params = {key: values[0] for key, values in parse_qs(url.query).items()}
        method = request.method
        self.calls.append((method, path))
        raw = request.body.decode() if isinstance(request.body, bytes) else request.body
        parts = path.split("/") if path else []
        if not parts:
            return _response(request, 200, {"version": {"number": "fake"}})
        if method == "HEAD" and len(parts) == 1:
            found = parts[0] in self.indices or parts[0] in self.aliases
            return _response(request, 200 if found else 404)
        if parts[0] == "_alias" and method == "GET":
            if parts[1] not in self.aliases:
                return _response(request, 404, {"error": "alias missing", "status": 404})
            return _response(
                request, 200, {i: {"aliases": {parts[1]: {}}} for i in self.aliases[parts[1]]}
            )
        if parts == ["_aliases"] and method == "POST":
            actions = json.loads(raw)["actions"]
            self.alias_updates.append(actions)
            for action in actions:
                ((verb, args),) = action.items()
                if verb == "add":
                    self.aliases.setdefault(args["alias"], set()).add(args["index"])
                elif verb == "remove":
                    self.aliases[args["alias"]].discard(args["index"])
                    if not self.aliases[args["alias"]]:
                        del self.aliases[args["alias"]]
                elif verb == "remove_index":
                    del self.indices[args["index"]]
            return _response(request, 200, {"acknowledged": True})
        if len(parts) == 1 and method == "PUT":
            if parts[0] in self.indices or parts[0] in self.aliases:
                error = {"type": "resource_already_exists_exception", "reason": "exists"}
                return _response(request, 400, {"error": error, "status": 400})
            body = json.loads(raw)
            self.indices[parts[0]] = {"settings": body, "docs": {}}
            for alias in body.get("aliases", {}):
                self.aliases.setdefault(alias, set()).add(parts[0])
            return _response(request, 200, {"acknowledged": True, "index": parts[0]})
        if len(parts) == 1 and method == "DELETE":
            if parts[0] not in self.indices:
                return self._missing(request, parts[0])
            del self.indices[parts[0]]
            for members in self.aliases.values():
                members.discard(parts[0])
            self.aliases = {alias: m for alias, m in self.aliases.items() if m}
            return _response(request, 200, {"acknowledged": True})
        index = self._resolve(parts[0])
        if index is None or (params.get("require_alias") and parts[0] not in self.aliases):
            return self._missing(request, parts[0])
        docs = self.indices[index]["docs"]
        if parts[1] == "_doc" and method == "PUT":
            docs[parts[2]] = json.loads(raw)
            return _response(request, 201, {"result": "created", "_id": parts[2]})
        if parts[1] == "_doc" and method == "DELETE":
            if docs.pop(parts[2], None) is None:
                return _response(request, 404, {"result": "not_found"})
            return _response(request, 200, {"result": "deleted"})
        if parts[1] == "_bulk":
            lines = [json.loads(line) for line in raw.splitlines() if line]
            items = []
            for action, source in zip(lines[::2], lines[1::2], strict=True):
                if self.fail_bulk:
                    error = {"type": "mapper_parsing_exception", "reason": "kaputt"}
                    items.append({"index": {"_id": action["index"]["_id"], "error": error}})
                    continue
                docs[action["index"]["_id"]] = source
                items.append({"index": {"_id": action["index"]["_id"], "status": 201}})
            return _response(request, 200, {"errors": self.fail_bulk, "items": items})
        if parts[1] == "_refresh":
            return _response(request, 200, {"_shards": {"failed": 0}})
        if parts[1] == "_search":
            # Queries are not evaluated: every document of the kind is a hit (protocol only).
            body = json.loads(raw)
            self.searches.append(body)
            kind = bool_of(body)["filter"][0]["term"]["kind"]
            found = [doc for _, doc in sorted(docs.items()) if doc["kind"] == kind]
            aggregations = {}
            for name, field in (("city", "cities"), ("tag", "tags"), ("topic", "topic")):
                counts = Counter()
                for doc in found:
                    value = doc.get(field)
                    counts.update(value if isinstance(value, list) else [value] if value else [])
                buckets = [{"key": k, "doc_count": n} for k, n in counts.most_common()]
                aggregations[name] = {"doc_count": len(found), "values": {"buckets": buckets}}
            hits = [
                {"_id": f"{d['kind']}-{d['object_id']}", "_score": 1.5, "_source": d} for d in found
            ]
            return _response(
                request,
                200,
                {
                    "hits": {"total": {"value": len(found), "relation": "eq"}, "hits": hits},
                    "aggregations": aggregations,
                },
            )
        return _response(request, 400, {"error": f"not supported: {method} {path}"})


@pytest.fixture
def cluster() -> FakeCluster:
    return FakeCluster()


@pytest.fixture
def fake_engine(cluster) -> ElasticsearchEngine:
    session = requests.Session()
    session.mount("http://search.test:9200", cluster)
    return ElasticsearchEngine("http://search.test:9200", "wn_", session=session)


def _documents() -> list[dict]:
    return [
        article(
            1,
            "Sensoren für Parkplätze",
            "Freie Stellplätze in der Innenstadt werden gemeldet.",
            cities="|arnsberg|",
            tags="|parken|sensorik|",
            topic="smart-city",
            date=date(2025, 3, 1),
        ),
        article(
            2,
            "Kita-Anmeldung online",
            "Eltern melden ihr Kind über das Portal an.",
            cities="|sundern|",
            tags="|kita|",
            topic="schule-kita",
            date=date(2024, 8, 15),
        ),
        article(
            3,
            "Starkregenvorsorge für Hausbesitzer",
            "Rückstauklappen schützen Keller bei Starkregen.",
            cities="|arnsberg|sundern|",
            tags="|starkregen|",
            topic="klimafolgenanpassung",
            date=date(2023, 5, 2),
        ),
        {
            "kind": "contact",
            "object_id": 1,
            "fields": {"title": "Jana Beispiel", "summary": "Sensorik und Parken"},
            "attributes": {"cities": "|arnsberg|", "stems": "jana beispiel"},
        },
    ]


def test_engine_reads_prefix_and_alias(fake_engine):
    assert fake_engine.alias == "wn_articles"
    assert fake_engine.server == "search.test:9200"


def test_rebuild_swaps_the_alias_atomically_and_drops_the_old_index(fake_engine, cluster):
    assert fake_engine.rebuild(_documents(), synonym_groups=GROUPS, words_list=WORDS) == 4
    (first,) = fake_engine.alias_indices()
    assert first.startswith("wn_articles_")
    assert set(cluster.indices[first]["docs"]) == {
        "article-1",
        "article-2",
        "article-3",
        "contact-1",
    }
    assert cluster.indices[first]["settings"] == index_settings(GROUPS, WORDS)

    assert fake_engine.rebuild(_documents()[:2], synonym_groups=GROUPS, words_list=WORDS) == 2
    (second,) = fake_engine.alias_indices()
    assert second != first
    assert list(cluster.indices) == [second]  # the old index is gone
    # One request moved the alias: searches saw the old index or the new one, never none.
    assert cluster.alias_updates[-1] == [
        {"remove": {"index": first, "alias": "wn_articles"}},
        {"add": {"index": second, "alias": "wn_articles"}},
    ]
    # Filled and refreshed before the swap; the old index is deleted only after it.
    calls = cluster.calls
    refreshed = calls.index(("POST", f"{second}/_refresh"))
    swapped = max(i for i, call in enumerate(calls) if call == ("POST", "_aliases"))
    assert refreshed < swapped < calls.index(("DELETE", first))


def test_failed_rebuild_keeps_the_old_index(fake_engine, cluster):
    fake_engine.rebuild(_documents(), synonym_groups=GROUPS, words_list=WORDS)
    (first,) = fake_engine.alias_indices()
    cluster.fail_bulk = True
    with pytest.raises(SearchUnavailable, match="nicht indexiert.*kaputt"):
        fake_engine.rebuild(_documents(), synonym_groups=GROUPS, words_list=WORDS)
    assert fake_engine.alias_indices() == [first]
    assert list(cluster.indices) == [first]


def test_rebuild_replaces_an_auto_created_index_under_the_alias_name(fake_engine, cluster):
    cluster.indices["wn_articles"] = {"settings": {}, "docs": {}}
    fake_engine.rebuild(_documents(), synonym_groups=GROUPS, words_list=WORDS)
    assert cluster.alias_updates[-1][0] == {"remove_index": {"index": "wn_articles"}}
    assert list(cluster.indices) == fake_engine.alias_indices()


def test_index_creates_the_index_once_and_delete_removes(fake_engine, cluster):
    doc = _documents()[0]
    args = (doc["kind"], doc["object_id"], doc["fields"], doc["attributes"])
    fake_engine.index(*args)
    fake_engine.index(*args)
    (name,) = fake_engine.alias_indices()
    assert list(cluster.indices) == [name]
    assert cluster.indices[name]["docs"]["article-1"]["cities"] == ["arnsberg"]
    assert ("PUT", "wn_articles/_doc/article-1") in cluster.calls
    assert fake_engine.ensure_index(GROUPS, WORDS) is False
    assert fake_engine.delete("article", 1) is True
    assert fake_engine.delete("article", 1) is False
    assert cluster.indices[name]["docs"] == {}


def test_run_returns_engine_types(fake_engine, cluster):
    fake_engine.rebuild(_documents(), synonym_groups=GROUPS, words_list=WORDS)
    result = fake_engine.run(parse("Parken", VOCABULARY), filters={"city": {"sundern"}})
    assert isinstance(result, ElasticsearchResult)
    assert result.total == 3
    assert [hit.doc.object_id for hit in result.hits] == [1, 2, 3]
    assert result.hits[0] == Hit(
        Doc(
            id=1,
            kind="article",
            object_id=1,
            path="0001000100010001",
            date=date(2025, 3, 1),
            city=frozenset({"arnsberg"}),
            topic=frozenset({"smart-city"}),
            tag=frozenset({"parken", "sensorik"}),
            department=frozenset(),
        ),
        1.5,
    )
    assert result.facets["city"] == Counter({"arnsberg": 2, "sundern": 2})
    assert isinstance(result.facets["tag"], Counter)
    assert result.facets["department"] == Counter()
    assert cluster.searches[-1]["post_filter"] == {
        "bool": {"filter": [{"terms": {"cities": ["sundern"]}}]}
    }


def test_missing_index_is_a_clear_german_error(fake_engine):
    with pytest.raises(SearchUnavailable, match="existiert noch nicht") as error:
        fake_engine.run(parse("Kita", VOCABULARY))
    assert error.value.status == 404


def test_unreachable_server():
    engine = ElasticsearchEngine("http://user:geheim@127.0.0.1:9", "wn_", timeout=2)
    assert engine.ping() is False
    with pytest.raises(SearchUnavailable, match="nicht erreichbar") as error:
        engine.run(parse("Kita", VOCABULARY))
    assert "geheim" not in str(error.value)


def test_no_url_configured(settings, monkeypatch):
    settings.ELASTICSEARCH_URL = ""
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    with pytest.raises(SearchUnavailable, match="ELASTICSEARCH_URL"):
        ElasticsearchEngine()


class Fallback:
    """Stands in for the database backend: records what it was asked, answers `result`."""

    def __init__(self):
        self.result = EngineResult(hits=[], total=0)
        self.calls: list[dict] = []

    def search(self, query, **options):
        self.calls.append(options)
        return self.result


def test_backend_searches_on_the_server(fake_engine, cluster):
    fake_engine.rebuild(_documents(), synonym_groups=GROUPS, words_list=WORDS)
    fallback = Fallback()
    backend = ElasticsearchBackend(fallback, engine=fake_engine)
    assert (backend.name, backend.mirrors) == ("elasticsearch", True)
    result = backend.search(parse("Parken", VOCABULARY), offset=1, size=2, kind="contact")
    assert [(hit.doc.kind, hit.doc.object_id) for hit in result.hits] == [("contact", 1)]
    assert (cluster.searches[-1]["from"], cluster.searches[-1]["size"]) == (1, 2)
    assert fallback.calls == []
    assert backend.ping() is True


def test_backend_answers_from_the_fallback_while_the_server_is_unreachable(caplog):
    fallback = Fallback()
    engine = ElasticsearchEngine("http://127.0.0.1:9", "wn_", timeout=2)
    backend = ElasticsearchBackend(fallback, engine=engine)
    query = parse("Kita", VOCABULARY)
    assert backend.search(query, offset=20, size=10, kind="contact") is fallback.result
    assert fallback.calls == [{"offset": 20, "size": 10, "kind": "contact"}]
    assert "answering from the database index" in caplog.text
    assert backend.ping() is False


def test_backend_without_a_configured_server_answers_from_the_fallback(settings, monkeypatch):
    settings.ELASTICSEARCH_URL = ""
    monkeypatch.delenv("ELASTICSEARCH_URL", raising=False)
    monkeypatch.setattr(elasticsearch.client, "_engine", None)
    fallback = Fallback()
    backend = ElasticsearchBackend(fallback)  # the process-wide engine, from the settings
    assert backend.search(parse("Kita", VOCABULARY)) is fallback.result
    assert fallback.calls == [{"offset": 0, "size": None}]
    with pytest.raises(SearchUnavailable, match="ELASTICSEARCH_URL"):
        backend.index("article", 1, {}, {})


# --- live: a real Elasticsearch or OpenSearch server ----------------------------------------

live = pytest.mark.skipif(
    not os.environ.get("ELASTICSEARCH_URL"),
    reason="ELASTICSEARCH_URL not set: no Elasticsearch/OpenSearch server",
)


@pytest.fixture
def live_engine():
    engine = ElasticsearchEngine(prefix=f"wissensnetz_test_{secrets.token_hex(4)}_")
    assert engine.ping(), f"ELASTICSEARCH_URL is set, but {engine.server} does not answer"
    yield engine
    # Delete by name: wildcard deletes are refused by default (destructive_requires_name).
    for name in engine._request("GET", f"{engine.prefix}*"):
        engine._send("DELETE", name, allow=(404,))


@live
def test_live_compound_query_finds_the_parts(live_engine):
    live_engine.rebuild(_documents(), synonym_groups=GROUPS)
    result = live_engine.run(parse("Parkplatzsensoren", VOCABULARY))
    assert [hit.doc.object_id for hit in result.hits][:1] == [1]
    assert all(hit.doc.kind == "article" for hit in result.hits)
    contacts = live_engine.run(parse("Sensorik", VOCABULARY), kind="contact")
    assert [(hit.doc.kind, hit.doc.object_id) for hit in contacts.hits] == [("contact", 1)]


@live
def test_live_synonyms_and_phrases(live_engine):
    live_engine.rebuild(_documents(), synonym_groups=GROUPS)
    synonym = live_engine.run(parse("Kindertagesstätte", Vocabulary({})))
    assert [hit.doc.object_id for hit in synonym.hits] == [2]
    phrase = live_engine.run(parse('"Sensoren für Parkplätze"', VOCABULARY))
    assert [hit.doc.object_id for hit in phrase.hits] == [1]
    wrong_order = live_engine.run(parse('"Parkplätze für Sensoren"', VOCABULARY))
    assert wrong_order.hits == []


@live
def test_live_facets_count_around_their_own_filter(live_engine):
    live_engine.rebuild(_documents(), synonym_groups=GROUPS)
    everything = live_engine.run(parse("", VOCABULARY))
    assert [hit.doc.object_id for hit in everything.hits] == [1, 2, 3]  # newest first
    assert everything.facets["city"] == Counter({"arnsberg": 2, "sundern": 2})
    sundern = live_engine.run(parse("", VOCABULARY), filters={"city": {"sundern"}})
    assert sorted(hit.doc.object_id for hit in sundern.hits) == [2, 3]
    assert sundern.total == 2
    assert sundern.facets["city"] == Counter({"arnsberg": 2, "sundern": 2})
    assert sundern.facets["tag"] == Counter({"kita": 1, "starkregen": 1})
    hidden = live_engine.run(parse("", VOCABULARY), restricted=["0001000100010002"])
    assert sorted(hit.doc.object_id for hit in hidden.hits) == [1, 3]


@live
def test_live_alias_swap_leaves_one_index(live_engine):
    live_engine.rebuild(_documents(), synonym_groups=GROUPS)
    (first,) = live_engine.alias_indices()
    live_engine.rebuild(_documents()[1:], synonym_groups=GROUPS)
    indices = live_engine.alias_indices()
    assert len(indices) == 1 and indices != [first]
    assert not live_engine._exists(first)
    assert live_engine.run(parse("Parkplatzsensoren", VOCABULARY)).hits == []


@live
def test_live_index_and_delete(live_engine):
    live_engine.rebuild(_documents()[1:], synonym_groups=GROUPS)
    doc = _documents()[0]
    live_engine.index(doc["kind"], doc["object_id"], doc["fields"], doc["attributes"])
    found = live_engine.run(parse("Parkplatzsensoren", VOCABULARY))
    assert [hit.doc.object_id for hit in found.hits][:1] == [1]
    assert live_engine.delete("article", 1) is True
    assert live_engine.run(parse("Parkplatzsensoren", VOCABULARY)).hits == []

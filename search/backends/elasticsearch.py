"""The scale-out search engine: Elasticsearch 8/9 or OpenSearch 2/3 over plain HTTP+JSON.

Used instead of search.engine when settings.SEARCH_BACKEND == "elasticsearch". It answers with
the same types (EngineResult, Hit, Doc) and reads the same ParsedQuery, so the search page and
the API do not care which engine runs. `requests` talks to the server directly: the official
elasticsearch-py client refuses to talk to OpenSearch.

Two analysis paths meet in one index:

- the server's own German analysis on the text fields (title, tags_text, summary, body, meta):
  lower case, stopwords, german_normalization (ä -> a, ae -> a, ß -> ss), accents off, then at
  index time a dictionary decompounder over our lexicon's most frequent words, and the
  light_german stemmer; at search time the editors' synonyms as a synonym_graph instead of the
  decompounder (a graph filter after a decompounder breaks), while query words are split into
  their compound parts by search.analysis in Python;
- our own analysis (search.analysis.analyse), indexed as whitespace-separated terms in `terms`
  (the terms the database engine's postings hold), which the clauses and variants of
  search.query are matched against; `stems` (search.analysis.stems: reading order, stopwords
  kept) serves quoted phrases and the proximity bonus.

Rebuilds go to a fresh concrete index that replaces the old one behind the alias in one atomic
alias update, so searches never see a half-built index.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from ..analysis import (
    NOT_PARTS,
    STOPWORDS,
    analyse,
    fold_umlauts,
    lexicon,
    quoted_phrases,
    split_compound,
    stems,
    word_parts,
    words,
)
from ..query import ParsedQuery
from .base import FACETS, Doc, EngineResult, Hit, SearchUnavailable

logger = logging.getLogger(__name__)
DEFAULT_PREFIX = "wissensnetz_"
ALIAS_NAME = "articles"
# Document fields as search.indexing computes them -> text field in the index, boost.
TEXT_FIELDS: dict[str, tuple[str, float]] = {
    "title": ("title", 5.0),
    "tags": ("tags_text", 3.0),
    "summary": ("summary", 1.5),
    "body": ("body", 1.0),
    "meta": ("meta", 0.6),
}
MULTI_MATCH_FIELDS = ["title^5", "tags_text^3", "summary^1.5", "body", "meta^0.6"]
# Facet name (as in search.engine.FACETS and the filters) -> keyword field.
FACET_FIELDS = {"city": "cities", "topic": "topic", "tag": "tags", "department": "department"}
FACET_SIZE = 200
SOURCE_FIELDS = ["kind", "object_id", "path", "date", "cities", "topic", "tags", "department"]
COMPOUND_PARTS_BOOST = 0.9
NEAR_PAIR_BOOST = 1.0
NEAR_PAIR_SLOP = 2
TAG_BOOST = 10.0
CITY_WEIGHT = 2.0  # the database engine halves the other cities' scores: same ratio
MAX_RESULT_WINDOW = 10_000  # the server's default index.max_result_window
BULK_BATCH = 500
BULK_TIMEOUT = 120.0  # seconds for one bulk request during a rebuild
DECOMPOUND_MIN_LENGTH = 4

INDEX_FILTERS = [
    "lowercase",
    "de_stop",
    "german_normalization",
    "asciifolding",
    "de_decompounder",
    "de_stemmer",
]
SEARCH_FILTERS = [
    "lowercase",
    "de_stop",
    "german_normalization",
    "asciifolding",
    "de_stemmer",
    "de_synonyms",
]


# The server answers with the total count of matches; hits holds at most `size` of them.
ElasticsearchResult = EngineResult


# --- analysis settings --------------------------------------------------------------------------


def german_normalization(word: str) -> str:
    """Lucene's GermanNormalizationFilter in Python: what the server does to each token.

    ä/ö/ü -> a/o/u, ß -> ss, and an e after a, o or u is dropped (ae -> a, oe -> o, ue -> u)
    unless the u follows a vowel or q ("Feuer", "Quelle" keep theirs).
    """
    ordinary, vowel, umlaut = 0, 1, 2
    state = ordinary
    out: list[str] = []
    for char in word:
        if char in "ao":
            state = umlaut
        elif char == "u":
            state = umlaut if state == ordinary else vowel
        elif char == "e":
            if state == umlaut:
                state = vowel
                continue
            state = vowel
        elif char in "iqy":
            state = vowel
        elif char in "äöü":
            char = {"ä": "a", "ö": "o", "ü": "u"}[char]
            state = vowel
        elif char == "ß":
            char = "ss"
            state = ordinary
        else:
            state = ordinary
        out.append(char)
    return "".join(out)


def decompound_words(limit: int = 20000) -> list[str]:
    """The `limit` most frequent lexicon words usable as compound parts, sorted alphabetically.

    Spelled as tokens look when they reach the decompounder, i.e. after german_normalization
    (the lexicon's "buerger" becomes "burger", as "Bürger" does in the token stream).
    """
    excluded = {german_normalization(fold_umlauts(word)) for word in STOPWORDS | NOT_PARTS}
    best: dict[str, float] = {}
    for word, frequency in lexicon().items():
        normalised = german_normalization(word)
        if len(normalised) < DECOMPOUND_MIN_LENGTH or normalised in excluded:
            continue
        if frequency > best.get(normalised, 0.0):
            best[normalised] = frequency
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[: max(limit, 0)]
    return sorted(word for word, _ in ranked)


def synonym_lines(synonym_groups: Iterable[Iterable[str]]) -> list[str]:
    """Editors' groups as Solr equivalence lines ("kita, kindertagesstatte"), sorted, unique."""
    lines: set[str] = set()
    for group in synonym_groups:
        # words() lower-cases and drops the characters the synonym syntax reserves (, => \ #).
        terms = sorted({" ".join(words(term)) for term in group} - {""})
        if len(terms) > 1:
            lines.add(", ".join(terms))
    return sorted(lines)


def editor_synonym_groups() -> list[list[str]]:
    """The synonym groups the editors maintain in the admin, as written."""
    from ..models import SynonymGroup

    return [group.term_list() for group in SynonymGroup.objects.order_by("pk")]


def index_settings(synonym_groups: list[list[str]], decompound_words: list[str]) -> dict:
    """Settings and mappings of a new index (deterministic: same input, same JSON)."""
    lines = synonym_lines(synonym_groups)
    filters: dict[str, dict[str, Any]] = {
        "de_stop": {"type": "stop", "stopwords": sorted(STOPWORDS)},
        "de_decompounder": {
            "type": "dictionary_decompounder",
            "word_list": sorted(set(decompound_words)),
            "min_subword_size": 3,
            "only_longest_match": False,
        },
        "de_stemmer": {"type": "stemmer", "language": "light_german"},
    }
    search_filters = list(SEARCH_FILTERS)
    if lines:
        # Rules are analysed by the filters before this one, so they meet stemmed query tokens.
        filters["de_synonyms"] = {"type": "synonym_graph", "synonyms": lines, "lenient": True}
    else:
        # An empty rule list is refused by some server versions; no rules, no filter.
        search_filters.remove("de_synonyms")
    text = {"type": "text", "analyzer": "de_index", "search_analyzer": "de_search"}
    return {
        "settings": {
            "index": {"number_of_shards": 1},
            "analysis": {
                "filter": filters,
                "analyzer": {
                    "de_index": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": list(INDEX_FILTERS),
                    },
                    "de_search": {
                        "type": "custom",
                        "tokenizer": "standard",
                        "filter": search_filters,
                    },
                    "shadow": {"type": "custom", "tokenizer": "whitespace", "filter": []},
                },
            },
        },
        "mappings": {
            "dynamic": False,
            "properties": {
                "kind": {"type": "keyword"},
                "object_id": {"type": "long"},
                "path": {"type": "keyword"},
                "date": {"type": "date", "format": "strict_date"},
                "cities": {"type": "keyword"},
                "topic": {"type": "keyword"},
                "tags": {"type": "keyword"},
                "department": {"type": "keyword"},
                "title": {**text, "fields": {"raw": {"type": "keyword", "ignore_above": 256}}},
                "tags_text": dict(text),
                "summary": dict(text),
                "body": dict(text),
                "meta": dict(text),
                "terms": {"type": "text", "analyzer": "shadow"},
                "stems": {"type": "text", "analyzer": "shadow"},
            },
        },
    }


# --- documents ----------------------------------------------------------------------------------


def document_id(kind: str, object_id: int) -> str:
    return f"{kind}-{int(object_id)}"


def _values(value: str | Iterable[str] | None) -> list[str]:
    """'|a|b|' (as search.indexing stores lists) or a list -> sorted unique values."""
    if not value:
        return []
    parts = value.split("|") if isinstance(value, str) else list(value)
    return sorted({part for part in parts if part})


def _iso_date(value: date | str | None) -> str | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return date.fromisoformat(str(value)[:10]).isoformat()


def document_body(kind: str, object_id: int, fields: dict[str, str], attributes: dict) -> dict:
    """The index document for what search.indexing computes (fields and SearchDocument values)."""
    texts = {name: fields.get(name) or "" for name in TEXT_FIELDS}
    body: dict[str, Any] = {
        "kind": kind,
        "object_id": int(object_id),
        "path": attributes.get("path") or "",
        "date": _iso_date(attributes.get("date")),
        "cities": _values(attributes.get("cities")),
        "topic": attributes.get("topic") or None,
        "tags": _values(attributes.get("tags")),
        "department": attributes.get("department") or None,
    }
    for name, (field_name, _) in TEXT_FIELDS.items():
        body[field_name] = texts[name]
    body["terms"] = " ".join(term for name in TEXT_FIELDS for term in analyse(texts[name]))
    body["stems"] = attributes.get("stems") or ""
    return body


def _doc(source: dict) -> Doc:
    object_id = int(source["object_id"])
    date_value = source.get("date")
    topic = source.get("topic")
    department = source.get("department")
    return Doc(
        id=object_id,
        kind=source.get("kind", ""),
        object_id=object_id,
        path=source.get("path") or "",
        date=date.fromisoformat(date_value[:10]) if date_value else None,
        city=frozenset(_values(source.get("cities"))),
        topic=frozenset([topic]) if topic else frozenset(),
        tag=frozenset(_values(source.get("tags"))),
        department=frozenset([department]) if department else frozenset(),
    )


# --- queries ------------------------------------------------------------------------------------


def _compound_parts(word: str) -> list[str]:
    """A query word split by our analysis (parkplatzsensoren -> park platz sensoren)."""
    pieces = word_parts(word)
    if len(pieces) > 1:
        return [piece for piece in pieces if len(piece) > 1]
    return list(split_compound(word))


def _phrase_texts(query: ParsedQuery) -> list[str]:
    """Quoted phrases as stem sequences, stopwords kept: what the `stems` field holds."""
    found = [" ".join(stems(text)) for text in quoted_phrases(query.text)]
    return list(dict.fromkeys(text for text in found if text))


def _adjacent_pairs(query: ParsedQuery) -> list[str]:
    firsts = [clause.variants[0].terms for clause in query.clauses if clause.variants]
    pairs = [f"{a[-1]} {b[0]}" for a, b in zip(firsts, firsts[1:], strict=False)]
    return list(dict.fromkeys(pairs))


def _variant_query(terms: tuple[str, ...], weight: float) -> dict:
    return {"bool": {"must": [{"term": {"terms": term}} for term in terms], "boost": weight}}


def _match_query(query: ParsedQuery) -> dict:
    """Any clause may match: the server's analysis over the text fields, or ours over `terms`.

    The server does not split query words (see the module docstring), so each compound of the
    query also asks for all of its parts, split by search.analysis, anywhere in the text fields.
    """
    text = " ".join(clause.text for clause in query.clauses)
    should: list[dict] = [
        {"multi_match": {"query": text, "type": "most_fields", "fields": MULTI_MATCH_FIELDS}}
    ]
    for clause in query.clauses:
        should.append(
            {"dis_max": {"queries": [_variant_query(v.terms, v.weight) for v in clause.variants]}}
        )
        parts = [part for word in clause.text.split() for part in _compound_parts(word)]
        if parts:
            should.append(
                {
                    "multi_match": {
                        "query": " ".join(parts),
                        "type": "cross_fields",
                        "operator": "and",
                        "fields": MULTI_MATCH_FIELDS,
                        "boost": COMPOUND_PARTS_BOOST,
                    }
                }
            )
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _filter_clauses(filters: dict[str, set[str]], skip: str | None = None) -> list[dict]:
    return [
        {"terms": {FACET_FIELDS[name]: sorted(values)}}
        for name, values in sorted(filters.items())
        if name != skip
    ]


def _date_sort() -> dict:
    return {"date": {"order": "desc", "missing": "_last"}}


def build_query(
    query: ParsedQuery,
    *,
    kind: str,
    filters: dict[str, set[str]],
    restricted: list[str],
    sort: str,
    boost_tag: str | None,
    size: int,
    offset: int,
    with_facets: bool = True,
) -> dict:
    """The _search body: matching, visibility, filters (post_filter), facets, sorting."""
    unknown = set(filters) - set(FACET_FIELDS)
    if unknown:
        raise ValueError(f"Unbekannter Filter: {', '.join(sorted(unknown))}")
    filters = {name: set(values) for name, values in filters.items() if values}
    must_not = [{"prefix": {"path": path}} for path in sorted(set(restricted))]
    bool_query: dict[str, Any] = {"filter": [{"term": {"kind": kind}}], "must_not": must_not}
    empty = query.is_empty
    if empty:
        bool_query["must"] = [{"match_all": {}}]
    else:
        must = [_match_query(query)]
        must.extend({"match_phrase": {"stems": text}} for text in _phrase_texts(query))
        bool_query["must"] = must
        should: list[dict] = [
            {
                "match_phrase": {
                    "stems": {"query": pair, "slop": NEAR_PAIR_SLOP, "boost": NEAR_PAIR_BOOST}
                }
            }
            for pair in _adjacent_pairs(query)
        ]
        if boost_tag:
            should.append({"term": {"tags": {"value": boost_tag, "boost": TAG_BOOST}}})
        if should:
            bool_query["should"] = should
    search_query: dict[str, Any] = {"bool": bool_query}
    cities = sorted(set(getattr(query, "cities", None) or ()))
    if cities and not empty:
        search_query = {
            "function_score": {
                "query": search_query,
                "functions": [{"filter": {"terms": {"cities": cities}}, "weight": CITY_WEIGHT}],
                "score_mode": "multiply",
                "boost_mode": "multiply",
            }
        }

    offset = min(max(offset, 0), MAX_RESULT_WINDOW)
    body: dict[str, Any] = {
        "query": search_query,
        "from": offset,
        "size": max(0, min(size, MAX_RESULT_WINDOW - offset)),
        "track_total_hits": True,
        "_source": SOURCE_FIELDS,
    }
    tie = {"object_id": {"order": "desc"}}
    if empty:
        body["sort"] = [_date_sort(), tie]
    elif sort == "newest":
        body["sort"] = [_date_sort(), {"_score": {"order": "desc"}}, tie]
        body["track_scores"] = True
    else:
        body["sort"] = [{"_score": {"order": "desc"}}, _date_sort(), tie]
    if filters:
        body["post_filter"] = {"bool": {"filter": _filter_clauses(filters)}}
    if with_facets:
        aggs: dict[str, Any] = {}
        for name in FACETS:
            others = _filter_clauses(filters, skip=name)
            aggs[name] = {
                "filter": {"bool": {"filter": others}} if others else {"match_all": {}},
                "aggs": {"values": {"terms": {"field": FACET_FIELDS[name], "size": FACET_SIZE}}},
            }
        body["aggs"] = aggs
    return body


# --- the engine ---------------------------------------------------------------------------------


def _setting(name: str, default: str = "") -> str:
    value: Any = None
    try:
        from django.conf import settings

        if settings.configured:
            value = getattr(settings, name, None)
    except ImportError:  # pragma: no cover - Django is always installed here
        value = None
    if value in (None, ""):
        value = os.environ.get(name, default)
    return str(value) if value is not None else default


def _batches(items: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _error_reason(response: requests.Response) -> tuple[str, str]:
    """(type, reason) of an error answer, as far as the server says."""
    try:
        payload = response.json()
    except ValueError:
        return "", response.text[:200]
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        cause = (error.get("root_cause") or [error])[0]
        return str(cause.get("type", "")), str(cause.get("reason", ""))[:300]
    if isinstance(error, str):
        return "", error[:300]
    return "", ""


class ElasticsearchEngine:
    """Index maintenance and search against one alias (prefix + "articles")."""

    def __init__(
        self,
        url: str | None = None,
        prefix: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        ca_certs: str | None = None,
        timeout: float = 10.0,
        session: requests.Session | None = None,
    ) -> None:
        self.url = (url or _setting("ELASTICSEARCH_URL")).rstrip("/")
        if not self.url:
            raise SearchUnavailable(
                "Es ist kein Suchserver eingerichtet (ELASTICSEARCH_URL ist leer)."
            )
        if prefix is None:
            prefix = _setting("ELASTICSEARCH_INDEX_PREFIX", DEFAULT_PREFIX)
        self.prefix = prefix.lower()
        self.alias = self.prefix + ALIAS_NAME
        self.timeout = timeout
        self.session = session or requests.Session()
        user = user if user is not None else _setting("ELASTICSEARCH_USER")
        if user:
            if password is None:
                password = _setting("ELASTICSEARCH_PASSWORD")
            self.session.auth = (user, password or "")
        ca_certs = ca_certs if ca_certs is not None else _setting("ELASTICSEARCH_CA_CERTS")
        if ca_certs:
            self.session.verify = ca_certs
        parts = urlsplit(self.url)
        # For messages: never repeat credentials that may be part of the URL.
        self.server = f"{parts.hostname or self.url}{f':{parts.port}' if parts.port else ''}"

    # -- HTTP

    def _send(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        ndjson: str | None = None,
        params: dict[str, str] | None = None,
        allow: tuple[int, ...] = (),
        timeout: float | None = None,
    ) -> requests.Response:
        headers = {"Accept": "application/json"}
        data = None
        if ndjson is not None:
            data = ndjson.encode("utf-8")
            headers["Content-Type"] = "application/x-ndjson"
        elif body is not None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json"
        try:
            response = self.session.request(
                method,
                f"{self.url}/{path.lstrip('/')}",
                data=data,
                headers=headers,
                params=params,
                timeout=timeout or self.timeout,
            )
        except requests.RequestException as error:
            raise SearchUnavailable(
                f"Der Suchserver {self.server} ist nicht erreichbar ({type(error).__name__})."
            ) from error
        if response.status_code >= 400 and response.status_code not in allow:
            kind, reason = _error_reason(response)
            detail = f"{kind}: {reason}" if kind and reason else kind or reason
            message = f"Der Suchserver {self.server} hat die Anfrage abgelehnt "
            message += f"(HTTP {response.status_code}{', ' + detail if detail else ''})."
            raise SearchUnavailable(message, status=response.status_code, reason=kind)
        return response

    def _request(self, method: str, path: str, **kwargs: Any) -> dict:
        response = self._send(method, path, **kwargs)
        if not response.content:
            return {}
        try:
            payload = response.json()
        except ValueError as error:
            raise SearchUnavailable(
                f"Der Suchserver {self.server} hat keine gültige JSON-Antwort geschickt."
            ) from error
        return payload if isinstance(payload, dict) else {"items": payload}

    # -- status

    def ping(self) -> bool:
        """True if the server answers."""
        try:
            self._send("GET", "/")
        except SearchUnavailable:
            return False
        return True

    def alias_indices(self) -> list[str]:
        """The concrete indices behind the alias (normally exactly one)."""
        response = self._send("GET", f"_alias/{self.alias}", allow=(404,))
        if response.status_code == 404:
            return []
        return sorted(response.json())

    def _exists(self, name: str) -> bool:
        return self._send("HEAD", name, allow=(404,)).status_code == 200

    def _new_index_name(self) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
        name = f"{self.alias}_{stamp}"
        while self._exists(name):  # two rebuilds within a microsecond
            stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
            name = f"{self.alias}_{stamp}"
        return name

    def _settings(
        self, synonym_groups: list[list[str]] | None, words_list: list[str] | None
    ) -> dict:
        return index_settings(
            editor_synonym_groups() if synonym_groups is None else synonym_groups,
            decompound_words() if words_list is None else words_list,
        )

    # -- maintenance

    def ensure_index(
        self,
        synonym_groups: list[list[str]] | None = None,
        words_list: list[str] | None = None,
    ) -> bool:
        """Create an empty index behind the alias unless there is one; True if created."""
        if self.alias_indices():
            return False
        if self._exists(self.alias):
            raise SearchUnavailable(
                f"„{self.alias}“ ist ein Index statt eines Alias; bitte den Suchindex neu "
                "aufbauen (manage.py rebuild_search_index)."
            )
        body = self._settings(synonym_groups, words_list)
        body["aliases"] = {self.alias: {}}
        try:
            self._request("PUT", self._new_index_name(), body=body)
        except SearchUnavailable as error:
            # Another process was quicker: fine, as long as the alias now exists.
            if self.alias_indices():
                return False
            raise error
        return True

    def index(
        self,
        kind: str,
        object_id: int,
        fields: dict[str, str],
        attributes: dict,
        *,
        refresh: str = "wait_for",
    ) -> None:
        """Add or replace one document; creates the index if there is none yet."""
        body = document_body(kind, object_id, fields, attributes)
        path = f"{self.alias}/_doc/{document_id(kind, object_id)}"
        # require_alias: never let the server auto-create a concrete index under the alias name.
        params = {"require_alias": "true", "refresh": refresh}
        try:
            self._request("PUT", path, body=body, params=params)
        except SearchUnavailable as error:
            if error.status != 404:
                raise
            self.ensure_index()
            self._request("PUT", path, body=body, params=params)

    def delete(self, kind: str, object_id: int, *, refresh: str = "wait_for") -> bool:
        """Remove one document; False if it was not there (or there is no index)."""
        response = self._send(
            "DELETE",
            f"{self.alias}/_doc/{document_id(kind, object_id)}",
            params={"refresh": refresh},
            allow=(404,),
        )
        return response.status_code != 404

    def rebuild(
        self,
        documents: Iterable[dict],
        *,
        synonym_groups: list[list[str]] | None = None,
        words_list: list[str] | None = None,
        batch_size: int = BULK_BATCH,
    ) -> int:
        """Index `documents` ({kind, object_id, fields, attributes}) into a new index, then swap
        the alias to it atomically and delete the old index. Returns the number indexed."""
        new = self._new_index_name()
        self._request("PUT", new, body=self._settings(synonym_groups, words_list))
        count = 0
        old: list[str] = []
        try:
            for batch in _batches(documents, batch_size):
                lines: list[str] = []
                for item in batch:
                    kind, object_id = item["kind"], item["object_id"]
                    action = {"index": {"_id": document_id(kind, object_id)}}
                    source = document_body(
                        kind, object_id, item.get("fields") or {}, item.get("attributes") or {}
                    )
                    lines.append(json.dumps(action))
                    lines.append(json.dumps(source, ensure_ascii=False))
                result = self._request(
                    "POST",
                    f"{new}/_bulk",
                    ndjson="\n".join(lines) + "\n",
                    timeout=max(self.timeout, BULK_TIMEOUT),
                )
                if result.get("errors"):
                    raise SearchUnavailable(_bulk_error(result))
                count += len(batch)
            self._request("POST", f"{new}/_refresh")
            old = self.alias_indices()
            actions: list[dict] = [
                {"remove": {"index": index, "alias": self.alias}} for index in old
            ]
            if not old and self._exists(self.alias):
                # A concrete index under the alias name (auto-created by an old write) goes too.
                actions.append({"remove_index": {"index": self.alias}})
            actions.append({"add": {"index": new, "alias": self.alias}})
            self._request("POST", "_aliases", body={"actions": actions})
        except BaseException:
            with contextlib.suppress(SearchUnavailable):
                self._send("DELETE", new, allow=(404,))
            raise
        for index in old:
            if index != new:
                self._send("DELETE", index, allow=(404,))
        return count

    # -- search

    def run(
        self,
        query: ParsedQuery,
        *,
        kind: str = "article",
        filters: dict[str, set[str]] | None = None,
        restricted: list[str] | None = None,
        sort: str = "relevance",
        boost_tag: str | None = None,
        with_facets: bool = True,
        size: int = 1000,
        offset: int = 0,
    ) -> ElasticsearchResult:
        """Matching documents, filtered, sorted, with facet counts (each facet ignores itself)."""
        body = build_query(
            query,
            kind=kind,
            filters=filters or {},
            restricted=restricted or [],
            sort=sort,
            boost_tag=boost_tag,
            size=size,
            offset=offset,
            with_facets=with_facets,
        )
        try:
            response = self._request("POST", f"{self.alias}/_search", body=body)
        except SearchUnavailable as error:
            if error.status == 404:
                raise SearchUnavailable(
                    f"Der Suchindex „{self.alias}“ existiert noch nicht; bitte "
                    "„manage.py rebuild_search_index“ ausführen.",
                    status=404,
                    reason=error.reason,
                ) from error
            raise
        found = response.get("hits", {})
        hits = [
            Hit(_doc(hit["_source"]), float(hit.get("_score") or 0.0))
            for hit in found.get("hits", [])
        ]
        total = found.get("total", len(hits))
        if isinstance(total, dict):
            total = total.get("value", len(hits))
        facets: dict[str, Counter] = {}
        if with_facets:
            aggregations = response.get("aggregations", {})
            for name in FACETS:
                buckets = aggregations.get(name, {}).get("values", {}).get("buckets", [])
                facets[name] = Counter({b["key"]: b["doc_count"] for b in buckets})
        return ElasticsearchResult(hits=hits, facets=facets, total=int(total))


def _bulk_error(result: dict) -> str:
    for item in result.get("items", []):
        for outcome in item.values():
            error = outcome.get("error")
            if error:
                reason = error.get("reason", "") if isinstance(error, dict) else str(error)
                return (
                    f"Der Suchserver hat Dokument {outcome.get('_id', '?')} nicht indexiert "
                    f"({reason[:300]})."
                )
    return "Der Suchserver hat nicht alle Dokumente indexiert."


_engine: ElasticsearchEngine | None = None
_engine_lock = threading.Lock()


def get_engine() -> ElasticsearchEngine:
    """The process-wide engine, configured from the settings."""
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                _engine = ElasticsearchEngine()
    return _engine


def run(query: ParsedQuery, **kwargs: Any) -> ElasticsearchResult:
    """Same call as search.engine.run, against the configured server."""
    return get_engine().run(query, **kwargs)


class ElasticsearchBackend:
    """Searches on the server; the database index answers while the server is unreachable."""

    name = "elasticsearch"
    mirrors = True

    def __init__(self, fallback) -> None:
        self.fallback = fallback

    def search(self, query: ParsedQuery, *, offset: int = 0, size: int | None = None, **options):
        try:
            return get_engine().run(query, offset=offset, size=size or 1000, **options)
        except SearchUnavailable:
            logger.exception("Search server unavailable; answering from the database index")
        return self.fallback.search(query, offset=offset, size=size, **options)

    def index(self, kind: str, object_id: int, fields: dict[str, str], attributes: dict) -> None:
        get_engine().index(kind, object_id, fields, attributes)

    def delete(self, kind: str, object_id: int) -> None:
        get_engine().delete(kind, object_id)

    def rebuild(self, documents) -> int:
        return get_engine().rebuild(documents)

    def ping(self) -> bool:
        return get_engine().ping()

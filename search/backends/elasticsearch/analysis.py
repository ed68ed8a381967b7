"""Settings and mappings of an index: the server's German analysis next to ours.

Two analysis paths meet in one index:

- the server's own German analysis on the text fields (title, tags_text, summary, body, meta):
  lower case, stopwords, german_normalization (ä -> a, ae -> a, ß -> ss), accents off, then at
  index time a dictionary decompounder over our lexicon's most frequent words, and the
  light_german stemmer; at search time the editors' synonyms as a synonym_graph instead of the
  decompounder (a graph filter after a decompounder breaks), while query words are split into
  their compound parts by search.analysis in Python (see .queries);
- our own analysis (search.analysis.analyse), indexed as whitespace-separated terms in `terms`
  (the terms the database backend's postings hold), which the clauses and variants of
  search.query are matched against; `stems` (search.analysis.stems: reading order, stopwords
  kept) serves quoted phrases and the proximity bonus.

Stopwords, the lexicon and the word splitting come from search.analysis; german_normalization
is the server's own filter, emulated here so the decompounder's word list is spelled as the
tokens that reach it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ...analysis import NOT_PARTS, STOPWORDS, fold_umlauts, lexicon, words
from .documents import FACET_FIELDS, TEXT_FIELDS

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
    from ...models import SynonymGroup

    return [group.term_list() for group in SynonymGroup.objects.order_by("pk")]


def _text_mappings() -> dict[str, dict]:
    """The text fields (documents.TEXT_FIELDS), analysed by the server; the title also as a
    keyword."""
    text = {"type": "text", "analyzer": "de_index", "search_analyzer": "de_search"}
    mappings = {field_name: dict(text) for field_name in TEXT_FIELDS.values()}
    mappings["title"]["fields"] = {"raw": {"type": "keyword", "ignore_above": 256}}
    return mappings


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
                "review_due": {"type": "date", "format": "strict_date"},
                **{field_name: {"type": "keyword"} for field_name in FACET_FIELDS.values()},
                **_text_mappings(),
                "terms": {"type": "text", "analyzer": "shadow"},
                "stems": {"type": "text", "analyzer": "shadow"},
            },
        },
    }

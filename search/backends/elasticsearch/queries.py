"""A parsed query (search.query.ParsedQuery) as a _search body, and the answer as an EngineResult.

Matching runs on both analysis paths (see .analysis): the server's over the boosted text fields,
ours over `terms`. Filters go to a post_filter so that each facet can count around its own
filter; visibility (kind, restricted paths) restricts the query itself.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings

from ...analysis import quoted_phrases, split_compound, stems, word_parts
from ...query import ParsedQuery
from ...ranking import OVERDUE_FACTOR
from ..base import FACETS, FIELD_WEIGHTS, EngineResult, Hit
from .documents import FACET_FIELDS, SOURCE_FIELDS, TEXT_FIELDS, source_doc


def _boosted(field_name: str, weight: float) -> str:
    """A multi_match field spec: "title^5", or the bare name for weight 1."""
    return field_name if weight == 1 else f"{field_name}^{weight:g}"


# The text fields with base.FIELD_WEIGHTS as boosts: the same weights as the database index.
MULTI_MATCH_FIELDS = [_boosted(TEXT_FIELDS[name], weight) for name, weight in FIELD_WEIGHTS.items()]
FACET_SIZE = 200
COMPOUND_PARTS_BOOST = 0.9
NEAR_PAIR_BOOST = 1.0
NEAR_PAIR_SLOP = 2
TAG_BOOST = 10.0
CITY_WEIGHT = 2.0  # the database backend halves the other cities' scores: same ratio
MAX_RESULT_WINDOW = 10_000  # the server's default index.max_result_window

# The server answers with the total count of matches; hits holds at most `size` of them.
ElasticsearchResult = EngineResult


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

    The server does not split query words (see .analysis), so each compound of the query also
    asks for all of its parts, split by search.analysis, anywhere in the text fields.
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


def clause_query(clause) -> dict:
    """A clause matched in full: one of its variants with all its terms."""
    return {"bool": {"should": [_variant_query(v.terms, 1.0) for v in clause.variants]}}


def visibility(kind: str, restricted: list[str], exclude_ids=frozenset()) -> dict[str, list]:
    """The documents of `kind` the reader may see, as bool filter and must_not lists."""
    must_not: list[dict] = [{"prefix": {"path": path}} for path in sorted(set(restricted))]
    if exclude_ids:
        must_not.append({"terms": {"object_id": sorted(int(pk) for pk in exclude_ids)}})
    return {"filter": [{"term": {"kind": kind}}], "must_not": must_not}


def held_query(clause, *, kind: str, restricted: list[str], exclude_ids=frozenset()) -> dict:
    """A _count body: does any document the reader may see hold this clause in full?
    (ParsedQuery.forgivable: the database backend decides the same among the same documents.)"""
    found = visibility(kind, restricted, exclude_ids)
    found["filter"] = [*found["filter"], clause_query(clause)]
    return {"query": {"bool": found}}


def _hit_rule(query: ParsedQuery, boost_tag: str | None, unheld: int = 0) -> dict:
    """The database backend's hit rule as a filter: enough required clauses matched in full
    (a variant with all its terms; a number alone or a compound's head alone is no hit; all of
    them when a forgivable compound is `unheld`), or tagged with what staff typed."""
    clauses = [clause_query(clause) for clause in query.required]
    needed = max(query.needed_given(unheld), 1)
    rule: dict = {"bool": {"should": clauses, "minimum_should_match": needed}}
    if boost_tag:
        rule = {"bool": {"should": [rule, {"term": {"tags": boost_tag}}]}}
    return {"bool": {"filter": [rule]}}


def _filter_clauses(filters: dict[str, set[str]], skip: str | None = None) -> list[dict]:
    return [
        {"terms": {FACET_FIELDS[name]: sorted(values)}}
        for name, values in sorted(filters.items())
        if name != skip
    ]


def overdue_function() -> dict:
    """search.ranking.OVERDUE_FACTOR for articles whose review was due before today (in the
    site's time zone, as the database backend counts days)."""
    due = {"lt": "now/d", "time_zone": settings.TIME_ZONE}
    return {"filter": {"range": {"review_due": due}}, "weight": OVERDUE_FACTOR}


def _date_sort() -> dict:
    return {"date": {"order": "desc", "missing": "_last"}}


def build_query(
    query: ParsedQuery,
    *,
    kind: str,
    filters: dict[str, set[str]],
    restricted: list[str],
    sort: str,
    exclude_ids: set[int] | frozenset[int] = frozenset(),
    boost_tag: str | None,
    size: int,
    offset: int,
    with_facets: bool = True,
    unheld: int = 0,
) -> dict:
    """The _search body: matching, visibility, filters (post_filter), facets, sorting.
    `unheld`: how many of the query's forgivable compounds no visible document holds."""
    unknown = set(filters) - set(FACET_FIELDS)
    if unknown:
        raise ValueError(f"Unbekannter Filter: {', '.join(sorted(unknown))}")
    filters = {name: set(values) for name, values in filters.items() if values}
    bool_query: dict[str, Any] = visibility(kind, restricted, exclude_ids)
    empty = query.is_empty
    if empty:
        bool_query["must"] = [{"match_all": {}}]
    else:
        must = [_match_query(query), _hit_rule(query, boost_tag, unheld)]
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
    functions: list[dict] = []
    if not empty and kind == "article":
        functions.append(overdue_function())
    if cities and not empty:
        functions.append({"filter": {"terms": {"cities": cities}}, "weight": CITY_WEIGHT})
    if functions:
        # Documents no function's filter matches keep their score (factor 1).
        search_query = {
            "function_score": {
                "query": search_query,
                "functions": functions,
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


def read_response(response: dict, *, with_facets: bool) -> ElasticsearchResult:
    """The server's answer to a build_query() body as the backends' result type."""
    found = response.get("hits", {})
    hits = [
        Hit(source_doc(hit["_source"]), float(hit.get("_score") or 0.0))
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

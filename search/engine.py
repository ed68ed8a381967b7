"""Executes parsed queries against the database index: scoring, filters, facets, sorting.

Scoring is BM25 over the pre-weighted postings: for each clause the best variant counts, a
variant's score is the sum of idf x saturated weight of its terms (all terms must occur), and
documents that match more of the clauses rank above those that match fewer.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from .models import Posting, SearchDocument
from .query import ParsedQuery
from .vocabulary import cached

K1 = 1.2
FACETS = ("city", "topic", "tag", "department")
PHRASE_BONUS = 1.5
TITLE_BONUS = 0.6
TAG_BONUS = 2.0
RERANK_WINDOW = 60
PARTIAL_LIMIT = 50
MAX_SEQUENCE = 600  # proximity looks at the start of long articles only


@dataclass(frozen=True)
class Doc:
    id: int
    kind: str
    object_id: int
    path: str
    date: date | None
    city: frozenset[str]
    topic: frozenset[str]
    tag: frozenset[str]
    department: frozenset[str]


def _split(value: str) -> frozenset[str]:
    return frozenset(part for part in value.split("|") if part)


def _load_documents() -> dict[int, Doc]:
    rows = SearchDocument.objects.values_list(
        "id", "kind", "object_id", "path", "date", "cities", "topic", "tags", "department"
    )
    return {
        row[0]: Doc(
            id=row[0],
            kind=row[1],
            object_id=row[2],
            path=row[3],
            date=row[4],
            city=_split(row[5]),
            topic=frozenset([row[6]]) if row[6] else frozenset(),
            tag=_split(row[7]),
            department=frozenset([row[8]]) if row[8] else frozenset(),
        )
        for row in rows.iterator(chunk_size=5000)
    }


def documents() -> dict[int, Doc]:
    return cached("documents", _load_documents)


@dataclass
class Hit:
    doc: Doc
    score: float


@dataclass
class EngineResult:
    hits: list[Hit]
    facets: dict[str, Counter] = field(default_factory=dict)
    total: int = 0


def _visible(doc: Doc, restricted: list[str]) -> bool:
    return not any(doc.path.startswith(path) for path in restricted)


def _passes(doc: Doc, filters: dict[str, set[str]], skip: str | None = None) -> bool:
    for name, values in filters.items():
        if name != skip and values and not (getattr(doc, name) & values):
            return False
    return True


def _idf(df: int, total: int) -> float:
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


_last_fetch: list = [None, None]


def _posting_rows(terms: frozenset[str], docs: dict[int, Doc]) -> list[tuple]:
    """Postings of the query's terms; the article and the contact search of one query share
    one fetch (the cache is keyed by the index snapshot and the terms)."""
    key = (id(docs), terms)
    if _last_fetch[0] == key:
        return _last_fetch[1]
    rows = (
        list(
            Posting.objects.filter(term__in=list(terms))
            .values_list("term", "document_id", "weight", "in_title")
            .iterator(chunk_size=10000)
        )
        if terms
        else []
    )
    _last_fetch[:] = [key, rows]
    return rows


def score(query: ParsedQuery, kind: str) -> dict[int, float]:
    """Document id -> relevance score, for documents of `kind` matching at least one clause."""
    docs = documents()
    total = sum(1 for doc in docs.values() if doc.kind == kind) or 1
    terms = query.all_terms()
    postings: dict[str, dict[int, float]] = defaultdict(dict)
    in_title: set[tuple[str, int]] = set()
    for term, document_id, weight, title in _posting_rows(frozenset(terms), docs):
        doc = docs.get(document_id)
        if doc is not None and doc.kind == kind:
            postings[term][document_id] = weight
            if title:
                in_title.add((term, document_id))
    # Each term's saturated BM25 contribution per document, computed once per query.
    contribution: dict[str, dict[int, float]] = {}
    for term, found in postings.items():
        idf = _idf(len(found), total)
        contribution[term] = {
            document_id: idf * weight * (K1 + 1) / (weight + K1)
            for document_id, weight in found.items()
        }

    scores: dict[int, float] = defaultdict(float)
    matched: Counter = Counter()
    title_matched: Counter = Counter()
    for clause in query.clauses:
        best: dict[int, float] = {}
        best_in_title: set[int] = set()
        for variant in clause.variants:
            lists = [contribution.get(term, {}) for term in variant.terms]
            size = len(variant.terms)
            factor = variant.weight / size**0.5
            if size == 1:
                for document_id, value in lists[0].items():
                    value *= factor
                    if value > best.get(document_id, 0.0):
                        best[document_id] = value
                    if (variant.terms[0], document_id) in in_title:
                        best_in_title.add(document_id)
                continue
            total_of: dict[int, float] = defaultdict(float)
            present: Counter = Counter()
            for found in lists:
                for document_id, value in found.items():
                    total_of[document_id] += value
                    present[document_id] += 1
            # All parts of a compound must occur for full credit. Documents with only some parts
            # earn a little, but only when few documents have them all (otherwise they are noise
            # that makes nearly every article a hit).
            partial_ok = sum(1 for n in present.values() if n == size) < PARTIAL_LIMIT
            for document_id, value in total_of.items():
                if present[document_id] < size and not partial_ok:
                    continue
                value *= factor * (present[document_id] / size) ** 2
                if value > best.get(document_id, 0.0):
                    best[document_id] = value
                if present[document_id] == size and all(
                    (term, document_id) in in_title for term in variant.terms
                ):
                    best_in_title.add(document_id)
        for document_id, value in best.items():
            scores[document_id] += value
            matched[document_id] += 1
        title_matched.update(best_in_title)
    clauses = len(query.clauses) or 1
    for document_id in scores:
        coverage = matched[document_id] / clauses
        # Matching all words beats matching some: coverage enters squared. A title that holds
        # the query's words is the strongest sign that an article is about them.
        title_share = title_matched[document_id] / clauses
        scores[document_id] *= coverage**2 * (1 + TITLE_BONUS * title_share)
    return scores


def _apply_phrases(query: ParsedQuery, scores: dict[int, float]) -> dict[int, float]:
    """Quoted phrases must occur; adjacent query words earn a bonus (best candidates only)."""
    needs_filter = bool(query.phrases)
    adjacent = _adjacent_pairs(query)
    if not needs_filter and not adjacent:
        return scores
    ranked = sorted(scores, key=scores.get, reverse=True)
    if needs_filter:
        allowed = _containing_phrases(ranked, query.phrases)
        ranked = [document_id for document_id in ranked if document_id in allowed]
    window = ranked[:RERANK_WINDOW]
    stems_of = (
        dict(SearchDocument.objects.filter(pk__in=window).values_list("pk", "stems"))
        if window and adjacent
        else {}
    )
    result = {document_id: scores[document_id] for document_id in ranked}
    for document_id in window:
        sequence = f" {stems_of.get(document_id, '')} "
        if adjacent:
            tokens = sequence.split(" ", MAX_SEQUENCE)[:MAX_SEQUENCE]
            exact = _near_pairs(tokens, adjacent, window=1, ordered=True)
            near = _near_pairs(tokens, adjacent, window=3)
            closeness = (exact + (near - exact) / 3) / len(adjacent)
            result[document_id] *= 1 + (PHRASE_BONUS - 1) * closeness
    return result


def _containing_phrases(ids: list[int], phrases: list[tuple[str, ...]]) -> set[int]:
    """The documents whose stem sequence contains every phrase (the database scans the text)."""
    found: set[int] = set()
    for start in range(0, len(ids), 5000):
        candidates = SearchDocument.objects.filter(pk__in=ids[start : start + 5000])
        for phrase in phrases:
            text = " ".join(phrase)
            candidates = candidates.filter(
                Q(stems=text)
                | Q(stems__startswith=f"{text} ")
                | Q(stems__endswith=f" {text}")
                | Q(stems__contains=f" {text} ")
            )
        found.update(candidates.values_list("pk", flat=True))
    return found


def _near_pairs(
    sequence: list[str], pairs: list[tuple[str, str]], window: int = 3, ordered: bool = False
) -> int:
    """How many of the query's neighbouring word pairs stand close together in the text."""
    positions: dict[str, list[int]] = defaultdict(list)
    wanted = {term for pair in pairs for term in pair}
    for index, term in enumerate(sequence):
        if term in wanted:
            positions[term].append(index)
    found = 0
    for a, b in pairs:
        distances = (j - i for i in positions.get(a, ()) for j in positions.get(b, ()))
        if any(0 < d <= window if ordered else abs(d) <= window for d in distances):
            found += 1
    return found


def _adjacent_pairs(query: ParsedQuery) -> list[tuple[str, str]]:
    firsts = [clause.variants[0].terms for clause in query.clauses if clause.variants]
    return [(a[-1], b[0]) for a, b in zip(firsts, firsts[1:], strict=False)]


def _similarity(a: Doc, b: Doc) -> float:
    shared = len(a.tag & b.tag)
    tags = shared / len(a.tag | b.tag) if shared else 0.0
    return 0.5 * (a.topic == b.topic and bool(a.topic)) + 0.5 * tags


def prefer_cities(scores: dict[int, float], cities: set[str], kind: str) -> dict[int, float]:
    """ "Laufbus Arnsberg": the named city's articles first, including the ones that solve the
    same problem as the best matches from other cities (same topic, shared tags)."""
    docs = documents()
    ranked = sorted(scores, key=scores.get, reverse=True)
    others = [docs[i] for i in ranked[:5] if i in docs and not docs[i].city & cities]
    result: dict[int, float] = {}
    for document_id, value in scores.items():
        doc = docs.get(document_id)
        if doc is not None:
            result[document_id] = value if doc.city & cities else value * 0.5
    if others:
        for doc in docs.values():
            if doc.kind != kind or not doc.city & cities:
                continue
            transfer = max(scores[o.id] * _similarity(doc, o) for o in others)
            if transfer:
                result[doc.id] = max(result.get(doc.id, 0.0), 0.0) + 0.9 * transfer
    return result


def run(
    query: ParsedQuery,
    *,
    kind: str = SearchDocument.ARTICLE,
    filters: dict[str, set[str]] | None = None,
    restricted: list[str] | None = None,
    sort: str = "relevance",
    boost_tag: str | None = None,
    with_facets: bool = True,
    limit: int | None = None,
) -> EngineResult:
    """Matching documents, filtered, sorted (the best `limit` of them), with facet counts."""
    filters = {name: values for name, values in (filters or {}).items() if values}
    restricted = restricted or []
    docs = documents()
    if query.is_empty:
        scores = {doc.id: 0.0 for doc in docs.values() if doc.kind == kind}
    else:
        scores = _apply_phrases(query, score(query, kind))
    if query.cities and not query.is_empty:
        scores = prefer_cities(scores, set(query.cities), kind)
    if boost_tag:
        for document_id in scores:
            if boost_tag in docs[document_id].tag:
                scores[document_id] = scores[document_id] * TAG_BONUS + 10.0

    if restricted:
        visible = [docs[i] for i in scores if i in docs and _visible(docs[i], restricted)]
    else:
        visible = [docs[i] for i in scores if i in docs]
    facets: dict[str, Counter] = {name: Counter() for name in FACETS}
    selected = []
    for doc in visible:
        failed = [name for name, values in filters.items() if not getattr(doc, name) & values]
        if not failed:
            selected.append(doc)
        if with_facets and len(failed) <= 1:
            # A facet's counts ignore its own filter: a document that fails only that filter
            # still counts there, so staff can switch between values.
            for name in failed or FACETS:
                facets[name].update(getattr(doc, name))
    if sort == "newest" or query.is_empty:
        key = lambda doc: (doc.date or date.min, doc.id)  # noqa: E731
    else:
        key = lambda doc: (scores[doc.id], (doc.date or date.min))  # noqa: E731
    top = heapq.nlargest(limit, selected, key=key) if limit is not None else sorted(
        selected, key=key, reverse=True
    )
    return EngineResult([Hit(doc, scores[doc.id]) for doc in top], facets, total=len(selected))

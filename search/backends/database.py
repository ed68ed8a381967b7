"""Executes parsed queries against the database index: scoring, filters, facets, sorting.

Scoring is BM25 over the pre-weighted postings: for each clause the best variant counts, a
variant's score is the sum of idf x saturated weight of its terms (all terms must occur), and
documents that match more of the clauses rank above those that match fewer.

Everything is vectorised with numpy over one array slot per document: a snapshot of the
documents' filter attributes is held per process (rebuilt when the index version changes), and
a query reads one binary posting list per term (search.postings).

Articles whose review is overdue (review_due before the day of the query) score
search.ranking.OVERDUE_FACTOR of what they would otherwise: slightly lower, never hidden.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db.models import Q
from django.utils import timezone

from ..models import SearchDocument, TermPostings
from ..postings import decode
from ..query import ParsedQuery
from ..ranking import OVERDUE_FACTOR
from ..vocabulary import cached
from .base import FACETS, Doc, EngineResult, Hit

K1 = 1.2
PHRASE_BONUS = 1.5
TITLE_BONUS = 0.6
TAG_BONUS = 2.0
RERANK_WINDOW = 60
PARTIAL_LIMIT = 50
# A related article (not a hit) must match a query word as written, by its compound parts or by
# an editors' synonym: a near spelling (0.7) or a thesaurus word (0.5) alone would list noise
# under "Keine Treffer" ("kaputt" -> "verbraucht", "Laterne" -> "Plattform").
RELATED_MIN_WEIGHT = 0.8
MAX_SEQUENCE = 600  # proximity looks at the start of long articles only
_NO_DATE = date.min.toordinal()
_NEVER_DUE = date.max.toordinal()


def _split(value: str) -> list[str]:
    return [part for part in value.split("|") if part]


class Facet:
    """One facet's values as (document slot, value number) pairs, plus the inverse lists."""

    def __init__(self, values_per_doc: list[list[str]]):
        self.labels: list[str] = []
        numbers: dict[str, int] = {}
        slots, values = [], []
        for slot, doc_values in enumerate(values_per_doc):
            for value in doc_values:
                number = numbers.get(value)
                if number is None:
                    number = numbers[value] = len(self.labels)
                    self.labels.append(value)
                slots.append(slot)
                values.append(number)
        self.numbers = numbers
        self.slots = np.array(slots, dtype=np.int32)
        self.values = np.array(values, dtype=np.int32)
        order = np.argsort(self.values, kind="stable")
        self._by_value = self.slots[order]
        self._offsets = np.searchsorted(self.values[order], np.arange(len(self.labels) + 1))
        self.per_doc = np.bincount(self.slots, minlength=len(values_per_doc)).astype(np.int32)

    def slots_with(self, value: str) -> np.ndarray:
        number = self.numbers.get(value)
        if number is None:
            return self._by_value[:0]
        return self._by_value[self._offsets[number] : self._offsets[number + 1]]

    def mask(self, values: set[str], size: int) -> np.ndarray:
        found = np.zeros(size, dtype=bool)
        for value in values:
            found[self.slots_with(value)] = True
        return found

    def counts(self, selected: np.ndarray) -> dict[str, int]:
        picked = self.values[selected[self.slots]]
        counted = np.bincount(picked, minlength=len(self.labels))
        return {self.labels[i]: int(counted[i]) for i in np.flatnonzero(counted)}


class Snapshot:
    """The documents of one kind as arrays, one slot per document."""

    def __init__(self, kind: str):
        rows = list(
            SearchDocument.objects.filter(kind=kind)
            .order_by("pk")
            .values_list(
                "id",
                "object_id",
                "path",
                "date",
                "cities",
                "topic",
                "tags",
                "department",
                "review_due",
            )
            .iterator(chunk_size=5000)
        )
        self.kind = kind
        self.rows = rows
        self.size = len(rows)
        self.pks = np.array([row[0] for row in rows], dtype=np.int64)
        self.object_ids = np.array([row[1] for row in rows], dtype=np.int64)
        self.paths = [row[2] for row in rows]
        self.dates = np.array(
            [row[3].toordinal() if row[3] else _NO_DATE for row in rows], dtype=np.int64
        )
        # No review due: never overdue.
        self.review_due = np.array(
            [row[8].toordinal() if row[8] else _NEVER_DUE for row in rows], dtype=np.int64
        )
        self.facets = {
            "city": Facet([_split(row[4]) for row in rows]),
            "topic": Facet([[row[5]] if row[5] else [] for row in rows]),
            "tag": Facet([_split(row[6]) for row in rows]),
            "department": Facet([[row[7]] if row[7] else [] for row in rows]),
        }
        self._docs: dict[int, Doc] = {}
        self._visible: dict[tuple[str, ...], np.ndarray] = {}

    def slots_of(self, pks: np.ndarray) -> np.ndarray:
        """Slots of document ids (-1 for ids this snapshot does not hold)."""
        found = np.searchsorted(self.pks, pks)
        found = np.minimum(found, max(self.size - 1, 0))
        if not self.size:
            return np.full(len(pks), -1, dtype=np.int64)
        return np.where(self.pks[found] == pks, found, -1)

    def doc(self, slot: int) -> Doc:
        doc = self._docs.get(slot)
        if doc is None:
            row = self.rows[slot]
            doc = self._docs[slot] = Doc(
                id=row[0],
                kind=self.kind,
                object_id=row[1],
                path=row[2],
                date=row[3],
                city=frozenset(_split(row[4])),
                topic=frozenset([row[5]]) if row[5] else frozenset(),
                tag=frozenset(_split(row[6])),
                department=frozenset([row[7]]) if row[7] else frozenset(),
            )
        return doc

    def overdue(self, today: date) -> np.ndarray:
        """Mask of the documents whose review was due before `today` (the day of the query:
        the snapshot may be older than today)."""
        return self.review_due < today.toordinal()

    def visible(self, restricted: list[str]) -> np.ndarray | None:
        """Mask of the documents outside the restricted (private) sections, or None for all."""
        if not restricted:
            return None
        key = tuple(sorted(restricted))
        mask = self._visible.get(key)
        if mask is None:
            mask = np.array([not path.startswith(key) for path in self.paths], dtype=bool)
            self._visible[key] = mask
        return mask

    def without_objects(self, object_ids) -> np.ndarray | None:
        """Mask of the documents not about these objects, or None for all."""
        if not object_ids:
            return None
        return ~np.isin(self.object_ids, np.fromiter(object_ids, dtype=np.int64))


def snapshot(kind: str) -> Snapshot:
    return cached(f"snapshot-{kind}", lambda: Snapshot(kind))


@dataclass
class TermList:
    slots: np.ndarray
    weights: np.ndarray
    in_title: np.ndarray


def _term_lists(snap: Snapshot, terms: set[str]) -> dict[str, TermList]:
    if not terms:
        return {}
    found: dict[str, TermList] = {}
    rows = TermPostings.objects.filter(kind=snap.kind, term__in=sorted(terms)).values_list(
        "term", "data"
    )
    for term, data in rows:
        ids, weights = decode(data)
        slots = snap.slots_of(ids.astype(np.int64))
        known = slots >= 0
        if not known.all():  # written after this snapshot was taken
            slots, weights = slots[known], weights[known]
        found[term] = TermList(slots, np.abs(weights), weights < 0)
    return found


def _idf(df: int, total: int) -> float:
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


def score(
    query: ParsedQuery, snap: Snapshot, visible: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Relevance per slot, the mask of the candidates (documents matching at least one
    required clause in full), and the mask of the hits: documents that match enough of the
    query's required clauses in full (a compound with all its parts, not only its head or
    modifier; not only a number; a clause's thesaurus alternative counts like its word).
    `visible` masks the documents the reader may see: whether a forgivable compound is held
    anywhere is decided among those only, so hit counts say nothing about private pages."""
    size = snap.size
    total = size or 1
    lists = _term_lists(snap, query.all_terms())
    contribution: dict[str, np.ndarray] = {}
    for term, found in lists.items():
        idf = _idf(len(found.slots), total)
        contribution[term] = idf * found.weights * (K1 + 1) / (found.weights + K1)

    scores = np.zeros(size, dtype=np.float64)
    matched = np.zeros(size, dtype=np.int32)
    title_matched = np.zeros(size, dtype=np.int32)
    required = {id(clause) for clause in query.required}
    fully_matched = np.zeros(size, dtype=np.int32)
    nearly_matched = np.zeros(size, dtype=bool)
    forgivable = {id(clause) for clause in query.forgivable}
    unheld = 0
    for clause in query.clauses:
        best = np.zeros(size, dtype=np.float64)
        full_match = np.zeros(size, dtype=bool)
        near_match = np.zeros(size, dtype=bool)
        best_in_title = np.zeros(size, dtype=bool)
        for variant in clause.variants:
            present_lists = [t for t in variant.terms if t in lists]
            count = len(variant.terms)
            factor = variant.weight / count**0.5
            if count == 1:
                if not present_lists:
                    continue
                term = present_lists[0]
                slots = lists[term].slots
                values = contribution[term] * factor
                best[slots] = np.maximum(best[slots], values)
                full_match[slots] = True
                if variant.weight >= RELATED_MIN_WEIGHT:
                    near_match[slots] = True
                best_in_title[slots[lists[term].in_title]] = True
                continue
            if not present_lists:
                continue
            all_slots = np.concatenate([lists[t].slots for t in present_lists])
            totals = np.bincount(
                all_slots,
                weights=np.concatenate([contribution[t] for t in present_lists]),
                minlength=size,
            )
            present = np.bincount(all_slots, minlength=size)
            full = present == count
            # All parts of a compound must occur for full credit. Documents with only some parts
            # earn a little (they may be listed as related articles, never as hits), but only
            # when few documents have them all.
            value = totals * factor * (present / count) ** 2
            if np.count_nonzero(full) >= PARTIAL_LIMIT:
                value = np.where(full, value, 0.0)
            np.maximum(best, value, out=best)
            full_match |= full
            if variant.weight >= RELATED_MIN_WEIGHT:
                near_match |= full
            # Two parts of three ("Parkplatz" of Parkplatzsensoren) may make a related article;
            # one part alone ("Stadt" of Schwammstadt) never does.
            if count > 2:
                near_match |= (present >= 2) & ~full
            titled = np.concatenate([lists[t].slots[lists[t].in_title] for t in present_lists])
            best_in_title |= full & (np.bincount(titled, minlength=size) == count)
        hit = best > 0
        scores += best
        matched += hit
        title_matched += best_in_title & hit
        if id(clause) in required:
            fully_matched += full_match
            nearly_matched |= near_match
        if id(clause) in forgivable:
            held = full_match if visible is None else full_match & visible
            unheld += not held.any()
    clauses = len(query.clauses) or 1
    # Matching all words beats matching some: coverage enters squared. A title that holds the
    # query's words is the strongest sign that an article is about them.
    coverage = matched / clauses
    scores *= coverage**2 * (1 + TITLE_BONUS * title_matched / clauses)
    hits = fully_matched >= max(query.needed_given(unheld), 1)
    # Candidates (hits and related articles) match at least one required word in full (as
    # written, by its parts or an editors' synonym), or most parts of a long compound: a
    # document holding only a compound's head ("Stadt" for "Schwammstadt"), only a number or
    # only a near spelling or a thesaurus word is not even related.
    return scores, nearly_matched | hits, hits


def _apply_phrases(
    query: ParsedQuery, snap: Snapshot, scores: np.ndarray, matched: np.ndarray, hits: np.ndarray
) -> np.ndarray:
    """Quoted phrases must occur; adjacent query words earn a bonus (best hits only).
    Changes `scores`, `matched` and `hits` in place."""
    adjacent = _adjacent_pairs(query) if snap.kind == SearchDocument.ARTICLE else []
    if query.phrases:
        candidates = matched.copy()
        # Only documents holding every word of every phrase can contain it.
        words = {term for phrase in query.phrases for term in phrase}
        lists = _term_lists(snap, words)
        for term in words:
            has = np.zeros(snap.size, dtype=bool)
            if term in lists:
                has[lists[term].slots] = True
            candidates &= has
        allowed = _containing_phrases(snap, np.flatnonzero(candidates), query.phrases)
        keep = np.zeros(snap.size, dtype=bool)
        keep[allowed] = True
        matched &= keep
        hits &= keep
        scores[~matched] = 0.0
    if not adjacent:
        return scores
    slots = np.flatnonzero(hits)
    if not slots.size:
        return scores
    window = _top(slots, scores[slots], snap.dates[slots], RERANK_WINDOW)
    pks = [int(snap.pks[slot]) for slot in window]
    stems_of = dict(SearchDocument.objects.filter(pk__in=pks).values_list("pk", "stems"))
    wanted = {term for pair in adjacent for term in pair}
    for slot, pk in zip(window, pks, strict=True):
        tokens = stems_of.get(pk, "").split(" ", MAX_SEQUENCE)[:MAX_SEQUENCE]
        positions: dict[str, set[int]] = {}
        for index, term in enumerate(tokens):
            if term in wanted:
                positions.setdefault(term, set()).add(index)
        exact = _near_pairs(positions, adjacent, window=1, ordered=True)
        near = _near_pairs(positions, adjacent, window=3)
        closeness = (exact + (near - exact) / 3) / len(adjacent)
        scores[slot] *= 1 + (PHRASE_BONUS - 1) * closeness
    return scores


def _containing_phrases(
    snap: Snapshot, slots: np.ndarray, phrases: list[tuple[str, ...]]
) -> list[int]:
    """The slots whose stem sequence contains every phrase (the database scans the text)."""
    slot_of = {int(snap.pks[slot]): int(slot) for slot in slots}
    pks = list(slot_of)
    found: list[int] = []
    for start in range(0, len(pks), 5000):
        candidates = SearchDocument.objects.filter(pk__in=pks[start : start + 5000])
        for phrase in phrases:
            text = " ".join(phrase)
            candidates = candidates.filter(
                Q(stems=text)
                | Q(stems__startswith=f"{text} ")
                | Q(stems__endswith=f" {text}")
                | Q(stems__contains=f" {text} ")
            )
        found.extend(slot_of[pk] for pk in candidates.values_list("pk", flat=True))
    return found


def _near_pairs(
    positions: dict[str, set[int]],
    pairs: list[tuple[str, str]],
    window: int = 3,
    ordered: bool = False,
) -> int:
    """How many of the query's neighbouring word pairs stand close together in the text
    (`positions`: where each query term occurs in the document's stem sequence)."""
    offsets = range(1, window + 1) if ordered else range(-window, window + 1)
    found = 0
    for a, b in pairs:
        after = positions.get(b)
        if after and any(i + d in after for i in positions.get(a, ()) for d in offsets):
            found += 1
    return found


def _adjacent_pairs(query: ParsedQuery) -> list[tuple[str, str]]:
    firsts = [clause.variants[0].terms for clause in query.clauses if clause.variants]
    return [(a[-1], b[0]) for a, b in zip(firsts, firsts[1:], strict=False)]


def prefer_cities(
    snap: Snapshot, scores: np.ndarray, hits: np.ndarray, cities: set[str]
) -> np.ndarray:
    """ "Laufbus Arnsberg": the named city's articles first, including the ones that solve the
    same problem as the best hits from other cities (same topic, shared tags). Changes
    `hits` in place."""
    in_city = snap.facets["city"].mask(cities, snap.size)
    slots = np.flatnonzero(hits)
    others = [
        slot for slot in _top(slots, scores[slots], snap.dates[slots], 5) if not in_city[slot]
    ]
    result = np.where(in_city, scores, scores * 0.5)
    if not others:
        return result
    topic, tag = snap.facets["topic"], snap.facets["tag"]
    topic_of = np.full(snap.size, -1, dtype=np.int32)
    topic_of[topic.slots] = topic.values
    transfer = np.zeros(snap.size, dtype=np.float64)
    for other in others:
        other_doc = snap.doc(other)
        shared = np.zeros(snap.size, dtype=np.int32)
        for value in other_doc.tag:
            shared[tag.slots_with(value)] += 1
        union = tag.per_doc + len(other_doc.tag) - shared
        jaccard = np.divide(shared, union, out=np.zeros(snap.size), where=shared > 0)
        same_topic = (topic_of == topic_of[other]) & (topic_of[other] >= 0)
        similarity = 0.5 * same_topic + 0.5 * jaccard
        np.maximum(transfer, scores[other] * similarity, out=transfer)
    transfer = np.where(in_city, transfer, 0.0)
    gains = transfer > 0
    result[gains] = np.where(hits[gains], result[gains], 0.0) + 0.9 * transfer[gains]
    hits |= gains
    return result


def _top(slots: np.ndarray, scores: np.ndarray, dates: np.ndarray, limit: int) -> list[int]:
    """The `limit` best slots by score, then date (ties at the cut included in the sort)."""
    if limit <= 0:
        return []
    if limit < len(slots):
        cut = np.partition(scores, len(scores) - limit)[len(scores) - limit]
        keep = scores >= cut
        slots, scores, dates = slots[keep], scores[keep], dates[keep]
    order = np.lexsort((dates, scores))[::-1]
    return [int(slot) for slot in slots[order][:limit]]


def run(
    query: ParsedQuery,
    *,
    kind: str = SearchDocument.ARTICLE,
    filters: dict[str, set[str]] | None = None,
    restricted: list[str] | None = None,
    exclude_ids: set[int] | None = None,
    sort: str = "relevance",
    boost_tag: str | None = None,
    with_facets: bool = True,
    limit: int | None = None,
    related_limit: int = 0,
) -> EngineResult:
    """Matching documents, filtered, sorted (the best `limit` of them), with facet counts."""
    filters = {name: values for name, values in (filters or {}).items() if values}
    snap = snapshot(kind)
    visible = snap.visible(restricted or [])
    # Objects the reader may no longer see although the index has not caught up yet.
    kept = snap.without_objects(exclude_ids or ())
    if kept is not None:
        visible = kept if visible is None else visible & kept
    if query.is_empty:
        scores = np.zeros(snap.size, dtype=np.float64)
        matched = np.ones(snap.size, dtype=bool)
        hits = matched.copy()
    else:
        scores, matched, hits = score(query, snap, visible)
        scores = _apply_phrases(query, snap, scores, matched, hits)
        if query.cities:
            scores = prefer_cities(snap, scores, hits, set(query.cities))
            matched |= hits
        if boost_tag:
            tagged = np.zeros(snap.size, dtype=bool)
            tagged[snap.facets["tag"].slots_with(boost_tag)] = True
            tagged &= matched
            scores[tagged] = scores[tagged] * TAG_BONUS + 10.0
            # An article tagged with what staff typed is about it.
            hits |= tagged
        scores = scores * np.where(snap.overdue(timezone.localdate()), OVERDUE_FACTOR, 1.0)

    if visible is not None:
        matched &= visible
    # Documents that share only part of the query (a compound's head, a number, one word of
    # several) are no hits; the best of them are offered apart as related articles.
    near = matched & ~hits
    matched &= hits
    passes = {name: snap.facets[name].mask(values, snap.size) for name, values in filters.items()}
    selected = matched.copy()
    for mask in passes.values():
        selected &= mask
    facets: dict[str, dict[str, int]] = {}
    if with_facets:
        for name in FACETS:
            # A facet's counts ignore its own filter, so staff can switch between values.
            base = matched.copy()
            for other, mask in passes.items():
                if other != name:
                    base &= mask
            facets[name] = snap.facets[name].counts(base)

    slots = np.flatnonzero(selected)
    count = len(slots) if limit is None else min(limit, len(slots))
    if sort == "newest" or query.is_empty:
        order = np.lexsort((snap.pks[slots], snap.dates[slots]))[::-1][:count]
        top = [int(slot) for slot in slots[order]]
    else:
        top = _top(slots, scores[slots], snap.dates[slots], count)
    found = [Hit(snap.doc(slot), float(scores[slot])) for slot in top]
    related: list[Hit] = []
    if related_limit:
        for mask in passes.values():
            near &= mask
        near_slots = np.flatnonzero(near)
        top_near = _top(near_slots, scores[near_slots], snap.dates[near_slots], related_limit)
        related = [Hit(snap.doc(slot), float(scores[slot])) for slot in top_near]
    return EngineResult(found, facets, total=len(slots), related=related)


class DatabaseBackend:
    """The default backend: our own index in the database (always written, see indexing)."""

    name = "database"
    mirrors = False

    def search(
        self, query: ParsedQuery, *, offset: int = 0, size: int | None = None, **options
    ) -> EngineResult:
        # Everything is ranked anyway; only the best offset + size are sorted, then sliced.
        limit = offset + size if size is not None else None
        result = run(query, limit=limit, **options)
        result.hits = result.hits[offset:]
        return result

    def index(self, kind: str, object_id: int, fields: dict[str, str], attributes: dict) -> None:
        """Nothing to mirror: search.indexing writes this index itself."""

    def delete(self, kind: str, object_id: int) -> None:
        """Nothing to mirror: search.indexing writes this index itself."""

    def rebuild(self, documents) -> int:
        return 0

    def ping(self) -> bool:
        from ..models import IndexState

        IndexState.objects.exists()
        return True

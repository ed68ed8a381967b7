"""Posting lists as binary blocks: encoding them, and merging document changes into them.

A list holds the ids of the documents (SearchDocument pk, int32, ascending) that contain a term,
followed by one float32 weight per document; a negative weight marks a term in the title. The
engine reads a query's lists with one query and scores them with numpy (search.engine).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

import numpy as np
from django.db import connection

from .models import TermPostings

ID = np.dtype("<i4")
WEIGHT = np.dtype("<f4")
CHUNK = 500
# Index writers take this transaction-level lock on PostgreSQL, so two writers never merge into
# the same posting list at once (SQLite serialises writers by itself).
LOCK_KEY = 0x5753_4E49  # "WSNI"


def encode(ids: np.ndarray, weights: np.ndarray) -> bytes:
    return ids.astype(ID, copy=False).tobytes() + weights.astype(WEIGHT, copy=False).tobytes()


def decode(data: bytes | memoryview) -> tuple[np.ndarray, np.ndarray]:
    """Document ids and signed weights of a stored list (read-only views of the bytes)."""
    count = len(data) // 8
    ids = np.frombuffer(data, dtype=ID, count=count)
    weights = np.frombuffer(data, dtype=WEIGHT, count=count, offset=4 * count)
    return ids, weights


def lock_for_writing() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def merge(
    kind: str,
    drop: Iterable[int],
    touched: Iterable[str],
    new: dict[str, tuple[np.ndarray, np.ndarray]],
) -> None:
    """Remove the documents `drop` from the lists of the `touched` terms and add the `new`
    entries. Must run inside the caller's transaction (after lock_for_writing)."""
    drop_ids = np.fromiter(drop, dtype=ID)
    drop_ids.sort()
    terms = sorted(set(touched) | set(new))
    for start in range(0, len(terms), CHUNK):
        chunk = terms[start : start + CHUNK]
        existing = {row.term: row for row in TermPostings.objects.filter(kind=kind, term__in=chunk)}
        to_update, to_create, to_delete = [], [], []
        for term in chunk:
            row = existing.get(term)
            ids, weights = decode(row.data) if row is not None else (None, None)
            if ids is not None and drop_ids.size:
                keep = ~np.isin(ids, drop_ids, assume_unique=True)
                ids, weights = ids[keep], weights[keep]
            added = new.get(term)
            if added is not None:
                if ids is None or not ids.size:
                    ids, weights = added
                else:
                    ids = np.concatenate([ids, added[0]])
                    weights = np.concatenate([weights, added[1]])
                order = np.argsort(ids, kind="stable")
                ids, weights = ids[order], weights[order]
            size = 0 if ids is None else int(ids.size)
            if row is None:
                if size:
                    to_create.append(
                        TermPostings(kind=kind, term=term, df=size, data=encode(ids, weights))
                    )
            elif not size:
                to_delete.append(row.pk)
            else:
                row.df, row.data = size, encode(ids, weights)
                to_update.append(row)
        if to_delete:
            TermPostings.objects.filter(pk__in=to_delete).delete()
        if to_update:
            TermPostings.objects.bulk_update(to_update, ["df", "data"], batch_size=CHUNK)
        if to_create:
            TermPostings.objects.bulk_create(to_create, batch_size=CHUNK)


class PostingBuffer:
    """Collects the postings of many documents of one kind and merges them in one go, so a bulk
    import rewrites each posting list once instead of once per document."""

    def __init__(self, kind: str, flush_at: int = 4_000_000):
        self.kind = kind
        self.flush_at = flush_at
        self._reset()

    def _reset(self) -> None:
        self.term_ids: dict[str, int] = {}
        self.terms: list[str] = []
        self.term_column = array("i")
        self.id_column = array("i")
        self.weight_column = array("f")
        self.drop: set[int] = set()
        self.touched: set[str] = set()
        self.forgotten: set[int] = set()

    def add(self, document_id: int, weights: dict[str, float], title_terms: set[str]) -> None:
        for term, weight in weights.items():
            index = self.term_ids.get(term)
            if index is None:
                index = self.term_ids[term] = len(self.terms)
                self.terms.append(term)
            self.term_column.append(index)
            self.id_column.append(document_id)
            self.weight_column.append(-weight if term in title_terms else weight)
        if len(self.id_column) >= self.flush_at:
            self.flush()

    def replace(self, document_id: int, old_terms: Iterable[str]) -> None:
        """The document's earlier postings (under `old_terms`) are to be removed."""
        self.drop.add(document_id)
        self.touched.update(old_terms)

    def forget(self, document_ids: set[int]) -> None:
        """Documents deleted after they were added: their buffered postings must not be merged."""
        self.forgotten |= document_ids

    def flush(self) -> None:
        if not self.id_column and not self.drop:
            return
        terms = np.frombuffer(self.term_column, dtype=np.int32)
        ids = np.frombuffer(self.id_column, dtype=np.int32)
        weights = np.frombuffer(self.weight_column, dtype=np.float32)
        if self.forgotten:
            keep = ~np.isin(ids, np.fromiter(self.forgotten, dtype=np.int32))
            terms, ids, weights = terms[keep], ids[keep], weights[keep]
        order = np.lexsort((ids, terms))
        terms, ids, weights = terms[order], ids[order], weights[order]
        bounds = np.flatnonzero(np.diff(terms)) + 1
        starts = np.concatenate([[0], bounds]) if terms.size else np.array([], dtype=np.int64)
        ends = np.concatenate([bounds, [terms.size]]) if terms.size else starts
        new = {
            self.terms[int(terms[s])]: (ids[s:e], weights[s:e])
            for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
        }
        merge(self.kind, self.drop, self.touched, new)
        self._reset()

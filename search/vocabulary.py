"""Per-process caches of what the index knows, refreshed when the index version changes."""

from __future__ import annotations

import contextvars
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

from .analysis import STOPWORDS, whole_stem, words

_lock = threading.Lock()
_cache: dict[str, tuple[str, object]] = {}
ALPHABET = "abcdefghijklmnopqrstuvwxyzäöü"


_pinned: contextvars.ContextVar[str | None] = contextvars.ContextVar("index_version", default=None)


def index_version() -> str:
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    from .models import IndexState

    return IndexState.objects.filter(pk=1).values_list("version", flat=True).first() or ""


@contextmanager
def one_index_version():
    """Within this block every cache is checked against one reading of the index version:
    one query per search instead of one per cache lookup."""
    token = _pinned.set(index_version())
    try:
        yield
    finally:
        _pinned.reset(token)


def cached(name: str, build, version: str | None = None):
    """Return the cached value for the current index version, building it when stale."""
    version = index_version() if version is None else version
    entry = _cache.get(name)
    if entry and entry[0] == version:
        return entry[1]
    with _lock:
        value = build()
        _cache[name] = (version, value)
    return value


def clear() -> None:
    _cache.clear()


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in ALPHABET}
    inserts = {a + c + b for a, b in splits for c in ALPHABET}
    return deletes | transposes | replaces | inserts


@dataclass
class Vocabulary:
    """Index terms with their document frequency (for typo correction)."""

    terms: dict[str, int] = field(default_factory=dict)
    _max_df: int | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    def current(cls) -> Vocabulary:
        return cached("vocabulary", cls._load)

    @classmethod
    def _load(cls) -> Vocabulary:
        from .models import TermPostings

        terms: dict[str, int] = {}
        rows = TermPostings.objects.values_list("term", "df").iterator(chunk_size=20000)
        for term, df in rows:
            terms[term] = terms.get(term, 0) + df
        return cls(terms)

    def knows(self, term: str) -> bool:
        return term in self.terms

    def df(self, term: str) -> int:
        return self.terms.get(term, 0)

    def max_df(self) -> int:
        """The document frequency of the commonest term: close to the number of documents,
        which the vocabulary does not hold, and a yardstick for how generic a term is."""
        if self._max_df is None:
            self._max_df = max(self.terms.values(), default=0)
        return self._max_df

    def near(self, term: str, limit: int = 3) -> list[str]:
        """Known terms one edit away, most frequent first (only for words of 5+ letters)."""
        if len(term) < 5:
            return []
        found = [(self.terms[c], c) for c in _edits(term) if c in self.terms]
        return [term for _, term in sorted(found, reverse=True)[:limit]]


def _load_synonyms() -> list[list[tuple[str, ...]]]:
    from .models import SynonymGroup

    groups = []
    for group in SynonymGroup.objects.all():
        terms = []
        for term in group.term_list():
            found = [w for w in words(term) if w not in STOPWORDS] or words(term)
            stems = tuple(whole_stem(w) for w in found)
            if stems:
                terms.append(stems)
        if len(terms) > 1:
            groups.append(terms)
    return groups


def synonym_groups() -> list[list[tuple[str, ...]]]:
    return cached("synonyms", _load_synonyms)

"""What every search backend shares: result types, facet names, field weights, the interface.

The database index (search.backends.database) is always written and is the reference; a search
server (search.backends.elasticsearch) mirrors it. Both answer a parsed query
(search.query.ParsedQuery) with the same result types, so the search page and the API do not
care which backend runs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ..query import ParsedQuery

# The filters staff can set, and the facets counted for them, in display order.
FACETS = ("city", "topic", "tag", "department")

# Indexed text fields and their weights (BM25F's w in the database index, the field boost on a
# search server): a word in the title counts five times one in the body.
FIELD_WEIGHTS: dict[str, float] = {
    "title": 5.0,
    "tags": 3.0,
    "summary": 1.5,
    "body": 1.0,
    "meta": 0.6,
    # The names of an article's contact persons (matched as names, see analysis.analyse_names).
    "people": 1.0,
}


@dataclass(frozen=True)
class Doc:
    """An indexed document as the backends return it: what filters and result cards need."""

    id: int
    kind: str
    object_id: int
    path: str
    date: date | None
    city: frozenset[str]
    topic: frozenset[str]
    tag: frozenset[str]
    department: frozenset[str]


@dataclass
class Hit:
    doc: Doc
    score: float


@dataclass
class EngineResult:
    """A window of hits, facet counts (value -> count per facet) and the total match count."""

    hits: list[Hit]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    total: int = 0
    # Documents that share only part of the query: not hits, not counted (best first).
    related: list[Hit] = field(default_factory=list)


class SearchUnavailable(RuntimeError):
    """The search server cannot be reached or refused a request (message in German)."""

    def __init__(self, message: str, *, status: int | None = None, reason: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


class SearchBackend(Protocol):
    """The interface search.service and search.indexing use; get_backend() picks one."""

    name: str
    #: True when a separate server holds a copy of the index (mirrored on every change).
    mirrors: bool

    def search(
        self,
        query: ParsedQuery,
        *,
        offset: int = 0,
        size: int | None = None,
        kind: str = "article",
        filters: dict[str, set[str]] | None = None,
        restricted: list[str] | None = None,
        exclude_ids: set[int] | None = None,
        sort: str = "relevance",
        boost_tag: str | None = None,
        with_facets: bool = True,
        related_limit: int = 0,
    ) -> EngineResult:
        """Matching documents `offset` .. `offset + size` (all with size None), filtered and
        sorted, with facet counts (each facet ignores its own filter) and the total.
        `restricted`: tree paths whose documents are left out; `exclude_ids`: object ids left
        out as well (pages the reader may no longer see although the index still has them).
        `related_limit`: how many documents that match only part of the query to return apart
        (EngineResult.related)."""
        ...

    def index(self, kind: str, object_id: int, fields: dict[str, str], attributes: dict) -> None:
        """Mirror one document (after the database index has it)."""
        ...

    def delete(self, kind: str, object_id: int) -> None:
        """Mirror the removal of one document."""
        ...

    def rebuild(self, documents) -> int:
        """Rebuild the mirror from scratch; returns the number of documents."""
        ...

    def ping(self) -> bool:
        """True if the backend can answer."""
        ...

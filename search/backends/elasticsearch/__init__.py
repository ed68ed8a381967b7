"""The scale-out search backend: Elasticsearch 8/9 or OpenSearch 2/3 over plain HTTP+JSON.

get_backend() returns it when settings.SEARCH_BACKEND == "elasticsearch". It answers with the
same types (base.EngineResult, Hit, Doc) and reads the same ParsedQuery as the database backend
(search.backends.database), which stays the reference and answers while the server is down.

- .analysis: index settings and mappings, the German analysis on the server's side;
- .documents: the index's fields, documents from what search.indexing computes, hits -> Doc;
- .queries: ParsedQuery -> _search body (boosts from base.FIELD_WEIGHTS), answer -> result;
- .client: the HTTP client ElasticsearchEngine (maintenance, atomic alias swap, search).
"""

from __future__ import annotations

import logging

from ...query import ParsedQuery
from ..base import EngineResult, SearchUnavailable
from .analysis import decompound_words, german_normalization, index_settings
from .client import ElasticsearchEngine, get_engine, run
from .documents import document_body
from .queries import ElasticsearchResult, build_query

__all__ = [
    "ElasticsearchBackend",
    "ElasticsearchEngine",
    "ElasticsearchResult",
    "SearchUnavailable",
    "build_query",
    "decompound_words",
    "document_body",
    "german_normalization",
    "get_engine",
    "index_settings",
    "run",
]

logger = logging.getLogger(__name__)


class ElasticsearchBackend:
    """Searches on the server; the database index answers while the server is unreachable.

    `engine`: the server connection (default: the process-wide get_engine())."""

    name = "elasticsearch"
    mirrors = True

    def __init__(self, fallback, engine: ElasticsearchEngine | None = None) -> None:
        self.fallback = fallback
        self._engine = engine

    @property
    def engine(self) -> ElasticsearchEngine:
        return self._engine or get_engine()

    def search(
        self, query: ParsedQuery, *, offset: int = 0, size: int | None = None, **options
    ) -> EngineResult:
        try:
            return self.engine.run(
                query, offset=offset, size=size if size is not None else 1000, **options
            )
        except SearchUnavailable:
            logger.exception("Search server unavailable; answering from the database index")
        return self.fallback.search(query, offset=offset, size=size, **options)

    def index(self, kind: str, object_id: int, fields: dict[str, str], attributes: dict) -> None:
        self.engine.index(kind, object_id, fields, attributes)

    def delete(self, kind: str, object_id: int) -> None:
        self.engine.delete(kind, object_id)

    def rebuild(self, documents) -> int:
        return self.engine.rebuild(documents)

    def ping(self) -> bool:
        return self.engine.ping()

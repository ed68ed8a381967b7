"""Search backends: the database index (default) and Elasticsearch/OpenSearch (scale-out).

get_backend() is the only place that reads settings.SEARCH_BACKEND.
"""

from __future__ import annotations

from django.conf import settings

from .base import SearchBackend
from .database import DatabaseBackend

_database = DatabaseBackend()


def get_backend() -> SearchBackend:
    """The configured backend (read per call, so tests can switch it with settings overrides)."""
    if settings.SEARCH_BACKEND == "elasticsearch":
        from .elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(fallback=_database)
    return _database


def database_backend() -> DatabaseBackend:
    """The database index itself, whatever backend is configured (it is always written)."""
    return _database

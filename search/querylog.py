"""Search analytics: queries counted per day (for the Suchanalyse report); no user is stored.

Logging is a side matter of a search: it must never fail or delay one. While another writer holds
the database (a long import on SQLite), the count waits at most ``WAIT_SECONDS`` and is then kept
in this process and written with the next search that gets through.
"""

from __future__ import annotations

import logging
import threading
from datetime import date

from django.db import DatabaseError
from django.db.models import F
from django.utils import timezone

from kb.db_locks import short_write

from .analysis import normalise
from .models import DailyQueryCount

logger = logging.getLogger(__name__)

WAIT_SECONDS = 0.2
# Distinct (day, query) pairs kept while the database is busy; beyond that, counts are dropped
# (and the drop logged) so that memory stays bounded.
PENDING_LIMIT = 1000

_pending: dict[tuple[date, str], list[int]] = {}
_pending_lock = threading.Lock()


def log_query(text: str, result_count: int) -> None:
    """Aggregated per day and query; no user is recorded. Never raises."""
    query = normalise(" ".join(text.split()))[:255]
    if not query:
        return
    _add_pending(timezone.localdate(), query, 1, 1 if result_count == 0 else 0)
    with _pending_lock:
        batch = dict(_pending)
        _pending.clear()
    try:
        with short_write(WAIT_SECONDS):
            for (day, pending_query), (count, zero) in batch.items():
                _write(day, pending_query, count, zero)
    except DatabaseError as error:
        logger.warning("Search query log deferred (database busy): %s", error)
        for (day, pending_query), (count, zero) in batch.items():
            _add_pending(day, pending_query, count, zero)


def _write(day: date, query: str, count: int, zero: int) -> None:
    updated = DailyQueryCount.objects.filter(day=day, query=query).update(
        count=F("count") + count, zero_results=F("zero_results") + zero
    )
    if not updated:
        DailyQueryCount.objects.create(day=day, query=query, count=count, zero_results=zero)


def _add_pending(day: date, query: str, count: int, zero: int) -> None:
    with _pending_lock:
        entry = _pending.get((day, query))
        if entry is None:
            if len(_pending) >= PENDING_LIMIT:
                logger.warning("Query log full while the database is busy: %r dropped", query)
                return
            entry = _pending[(day, query)] = [0, 0]
        entry[0] += count
        entry[1] += zero

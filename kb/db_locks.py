"""Short waits for the database's write lock, and recognising a lock error.

SQLite has one writer at a time: while a long write (an import, a restore) holds the lock, other
writers wait up to the connection's busy timeout (settings: SQLITE_BUSY_TIMEOUT). Writes that are
only a side matter of a request (the search's query log, the health probe) must not wait that
long: ``short_write()`` gives up after a fraction of a second instead. On PostgreSQL writers only
wait for each other on the same rows; there ``short_write()`` bounds that wait with
``lock_timeout``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction

# PostgreSQL error codes that mean "not now" rather than "broken": lock_not_available,
# read_only_sql_transaction (a standby, or a database switched to read-only).
_BUSY_SQLSTATES = {"55P03", "25006"}


@contextmanager
def short_write(seconds: float) -> Iterator[None]:
    """A transaction whose writes give up after ``seconds`` if another writer holds the lock.

    Raises ``DatabaseError`` then (see ``is_busy``); the caller decides what to do without it."""
    milliseconds = max(1, int(seconds * 1000))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout")
            (previous,) = cursor.fetchone()
            # Before the transaction starts: BEGIN IMMEDIATE already waits for the lock.
            cursor.execute(f"PRAGMA busy_timeout = {milliseconds}")
        try:
            with transaction.atomic():
                yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA busy_timeout = {int(previous)}")
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL lock_timeout = '{milliseconds}ms'")
        yield


def is_busy(error: BaseException | None) -> bool:
    """True for "the database is locked / read-only right now" (worth a retry later)."""
    if not isinstance(error, DatabaseError):
        return False
    cause = error.__cause__ or error
    if getattr(cause, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    return "database is locked" in str(error) or "database table is locked" in str(error)

"""GET /healthz: is the database reachable and writable, and the search engine? For load balancers.

Anonymous callers learn only "ok" or "fail" (and the status code); logged-in administrators
also see which component failed, and "locked" when the database answers reads but cannot take a
write within a second (SQLite held by a long import or restore; PostgreSQL read-only or a lock).
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from kb.db_locks import is_busy, short_write

logger = logging.getLogger(__name__)


WRITE_WAIT_SECONDS = 1.0


def _database() -> str:
    """ "ok", "locked" (reads work, a write would wait) or "fail"."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            if cursor.fetchone() != (1,):
                return "fail"
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        logger.exception("Health check: database unreachable")
        return "fail"
    try:
        # The write a login needs (its session row); matches nothing and is rolled back, but
        # takes the write lock (SQLite) or needs a writable database (PostgreSQL).
        with short_write(WRITE_WAIT_SECONDS), connection.cursor() as cursor:
            cursor.execute("UPDATE django_session SET expire_date = expire_date WHERE 1 = 0")
    except DatabaseError as error:
        if is_busy(error):
            logger.error("Health check: database locked for writing (%s)", error)
            return "locked"
        logger.exception("Health check: database not writable")
        return "fail"
    return "ok"


def _search() -> bool:
    from search.backends import get_backend

    from .backup import restore_pending

    try:
        if restore_pending():
            logger.error(
                "Health check: a restore did not finish; run manage.py rebuild_search_index"
            )
            return False
        return get_backend().ping()
    except Exception:  # noqa: BLE001
        logger.exception("Health check: search backend unreachable")
        return False


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database()}
    checks["search"] = "ok" if checks["database"] != "fail" and _search() else "fail"
    healthy = all(state == "ok" for state in checks.values())
    body: dict = {"status": "ok" if healthy else "fail"}
    if request.user.is_authenticated and request.user.is_superuser:
        body["checks"] = checks
    return JsonResponse(body, status=200 if healthy else 503)

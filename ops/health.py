"""GET /healthz: is the database reachable, and the search engine? For load balancers.

Anonymous callers learn only "ok" or "fail" (and the status code); logged-in administrators
also see which component failed.
"""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        logger.exception("Health check: database unreachable")
        return False


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
    checks["search"] = checks["database"] and _search()
    healthy = all(checks.values())
    body: dict = {"status": "ok" if healthy else "fail"}
    if request.user.is_authenticated and request.user.is_superuser:
        body["checks"] = {name: "ok" if ok else "fail" for name, ok in checks.items()}
    return JsonResponse(body, status=200 if healthy else 503)

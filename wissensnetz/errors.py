"""The site's error views (handler500): a database that is busy is not a technical fault.

While a long write holds the database (an import or restore on SQLite), a request that needs to
write (a login, a save) waits up to the busy timeout and then fails with "database is locked".
Staff get a calm 503 with Retry-After instead of "Technischer Fehler"; the API answers JSON.
"""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

from kb.db_locks import is_busy

RETRY_AFTER_SECONDS = 30
BUSY_MESSAGE = (
    "Die Datenbank ist gerade mit einer größeren Änderung beschäftigt (zum Beispiel einem "
    "Import). Bitte versuchen Sie es in einer Minute noch einmal."
)


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    # Django calls handler500 while the exception is being handled: sys.exc_info() holds it.
    if not is_busy(sys.exc_info()[1]):
        return defaults.server_error(request, template_name)
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse({"error": BUSY_MESSAGE}, status=503)
    else:
        html = loader.get_template("503.html").render({"message": BUSY_MESSAGE})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response

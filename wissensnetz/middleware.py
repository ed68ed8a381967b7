"""Request hygiene before any view runs."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found


class NulBytesMiddleware:
    """NUL characters have no meaning in a URL, and PostgreSQL refuses them in text columns.

    They are removed from query parameters (so `?q=%00Hitze` searches for "Hitze"), and a path
    containing one answers 404 — instead of a database error deep inside some view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return page_not_found(request, Http404("NUL im Pfad"))
        if "%00" in request.META.get("QUERY_STRING", ""):
            cleaned = request.GET.copy()
            request.GET = type(cleaned)(mutable=True)
            for key in cleaned:
                request.GET.setlist(
                    key.replace("\x00", ""), [v.replace("\x00", "") for v in cleaned.getlist(key)]
                )
            request.GET._mutable = False
        return self.get_response(request)

"""Request hygiene before any view runs, and caching headers of what it answers."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.views.defaults import page_not_found

# An empty entity tag names nothing: we never send one, so a client cannot have received it.
EMPTY_ETAGS = frozenset({'""', 'W/""'})


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


class PrivateCacheMiddleware:
    """Nothing a logged-in user is shown may be stored by a shared cache, nor by default by the
    browser: responses to authenticated requests get `Cache-Control: private, no-store`.

    A view that chose its own Cache-Control keeps it (kb/media.py lets the browser keep images
    for an hour; `never_cache` is stricter anyway), but it is made `private` — `public` for a
    logged-in user would let a proxy hand it to the next visitor. Documents (Wagtail's serve
    view sends no Cache-Control) get `private, no-store` like pages, deliberately: they may sit
    in a collection with restricted access and are downloads, not page furniture. Static files
    never get here: WhiteNoise answers them earlier in MIDDLEWARE, with its own far-future
    caching.

    Entity tags: Wagtail's document view uses the document's file_hash as ETag, which is empty
    for documents created without computing it — `ETag: ""`, and `If-None-Match: ""` then
    matched *every* such document (304). Empty tags are therefore removed from If-None-Match
    before the view sees it, and an empty ETag is never sent (Last-Modified still validates).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
        if if_none_match:
            tags = parse_etags(if_none_match)
            if EMPTY_ETAGS.intersection(tags):
                kept = [tag for tag in tags if tag not in EMPTY_ETAGS]
                if kept:
                    request.META["HTTP_IF_NONE_MATCH"] = ", ".join(kept)
                else:
                    del request.META["HTTP_IF_NONE_MATCH"]

        response = self.get_response(request)

        if response.has_header("ETag") and response["ETag"].strip() in EMPTY_ETAGS:
            del response["ETag"]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if not response.has_header("Cache-Control"):
                response["Cache-Control"] = "private, no-store"
            else:
                patch_cache_control(response, private=True)
        return response

"""Site search page. Search logic lives in this app; the view only reads parameters and renders."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from kb.listings import paginate

from .query import MAX_QUERY_LENGTH, search_articles


def search(request: HttpRequest) -> HttpResponse:
    raw_query = request.GET.get("q", "")
    query = raw_query[:MAX_QUERY_LENGTH]
    results = search_articles(request, query) if query.strip() else None
    return TemplateResponse(
        request,
        "search/search.html",
        {
            "search_query": query,
            "query_truncated": len(raw_query) > MAX_QUERY_LENGTH,
            "search_results": paginate(request, results) if results is not None else None,
        },
    )

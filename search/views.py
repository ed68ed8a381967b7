"""The search page (/suche/). Search logic lives in search.service and the backends;
this view only renders."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from kb.listings import restricted_paths_for

from .hints import popular_tags
from .params import read_params
from .service import TOP_TAGS, search
from .vocabulary import one_index_version


def search_page(request: HttpRequest) -> HttpResponse:
    # One reading of the index version for the search and the template tags that label facets
    # (each cache lookup would otherwise ask the database again).
    with one_index_version():
        response = _search_page(request)
        response.render()
    return response


def _search_page(request: HttpRequest) -> TemplateResponse:
    params = read_params(request.GET, strict=False)
    params.page_size = 10
    has_input = bool(params.q.strip() or params.filters)
    outcome = search(request, params) if has_input else None
    context = {
        "search_query": params.q[:500],
        "outcome": outcome,
        "active_filters": params.filters,
        "sort": params.sort,
        "top_tags": TOP_TAGS,
    }
    if outcome is None or (outcome.count == 0 and not outcome.people):
        context["popular_tags"] = popular_tags(restricted_paths_for(request))
    return TemplateResponse(request, "search/search.html", context)

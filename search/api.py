"""JSON API: GET /api/v1/search/ (contract in README) and /api/v1/autocomplete/."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from .autocomplete import complete
from .groups import group_json
from .params import BadRequest, read_params
from .results import article_json, person_json
from .service import search


def _unauthorised() -> JsonResponse:
    return JsonResponse({"error": "Anmeldung erforderlich."}, status=401)


# The API answers anonymous callers with 401 JSON rather than the login redirect.
@login_not_required
@require_GET
def search_api(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return _unauthorised()
    try:
        params = read_params(request.GET, strict=True)
    except BadRequest as error:
        return JsonResponse({"error": str(error)}, status=400)
    outcome = search(request, params, for_api=True)
    response = {
        "count": outcome.count,
        "page": outcome.page,
        "page_size": outcome.page_size,
        "results": outcome.results,
        "facets": outcome.facets,
    }
    if outcome.query.truncated:
        response["note"] = "Die Suchanfrage war zu lang und wurde gekürzt."
    # The people the query names, found first; articles that share only part of the query
    # (not hits, not in `count`, page 1 only).
    response["people"] = [person_json(person) for person in outcome.people]
    response["related"] = outcome.related
    # The working groups the query is about (page 1 only).
    response["groups"] = [group_json(group) for group in outcome.groups]
    if outcome.promoted:
        response["promoted"] = [article_json(page, "") for page in outcome.promoted]
    if outcome.suggestion:
        response["suggestion"] = outcome.suggestion
    return JsonResponse(response, json_dumps_params={"ensure_ascii": False})


@login_not_required
@require_GET
def autocomplete_api(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return _unauthorised()
    return JsonResponse(
        {"suggestions": complete(request, request.GET.get("q", ""))},
        json_dumps_params={"ensure_ascii": False},
    )

"""Search request parameters: read, validated and capped (shared by the page and the API)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict

from .backends.base import FACETS

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_FILTER_VALUES = 20


class BadRequest(ValueError):
    """A parameter that cannot be understood (answered with 400 by the API)."""


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE


def _int(value: str | None, default: int, name: str, *, strict: bool) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        if strict:
            raise BadRequest(f"„{name}“ muss eine ganze Zahl sein.") from None
        return default
    if number < 1:
        if strict:
            raise BadRequest(f"„{name}“ muss mindestens 1 sein.")
        return default
    return number


def read_params(data: QueryDict, *, strict: bool) -> SearchParams:
    """Read request parameters; with strict=True malformed values raise BadRequest."""
    sort = data.get("sort") or "relevance"
    if sort not in ("relevance", "newest"):
        if strict:
            raise BadRequest("„sort“ ist „relevance“ oder „newest“.")
        sort = "relevance"
    page_size = _int(data.get("page_size"), DEFAULT_PAGE_SIZE, "page_size", strict=strict)
    page = _int(data.get("page"), 1, "page", strict=strict)
    filters = {
        name: [v for v in data.getlist(name) if v.strip()][:MAX_FILTER_VALUES] for name in FACETS
    }
    return SearchParams(
        q=data.get("q", ""),
        filters={k: v for k, v in filters.items() if v},
        sort=sort,
        page=min(page, 10_000),
        page_size=min(page_size, MAX_PAGE_SIZE),
    )

"""Template helpers for the search page (/suche/): filter links, pagination links, lookups.

Every link is built from the current request's query string, so the search text, the sort
order and the other filters survive a click. Changing a filter always drops ``page``: the
result list changes, and page 3 of the old list means nothing for the new one.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django import template
from django.http import QueryDict
from django.urls import reverse

from kb.listings import restricted_paths_for
from search.backends.base import FACETS
from search.facets import resolve_filter, visible_label

register = template.Library()

FACET_HEADINGS = {
    "city": "Stadt",
    "topic": "Themenfeld",
    "tag": "Schlagwort",
    "department": "Fachbereich",
}
# Parameters a filter link keeps besides the filters themselves.
KEPT_PARAMS = ("q", "sort")


# --- lookups -------------------------------------------------------------------------------------


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ outcome.snippets|get_item:article.pk }}`` – dictionary lookup by a variable key.

    Returns "" for a missing key or a non-mapping, so templates can test the result with
    ``{% if %}``. Safe strings (the highlighted snippets) stay safe.
    """
    if mapping is None:
        return ""
    try:
        return mapping.get(key, "")
    except AttributeError:
        return ""


# --- building query strings ----------------------------------------------------------------------


def _base(request) -> QueryDict:
    """A mutable copy of the current parameters without ``page`` and without empty values."""
    params = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name == "page":
            continue
        kept = [value for value in values if value.strip()]
        if kept:
            params.setlist(name, kept)
    if params.get("sort") == "relevance":
        del params["sort"]  # the default; keeps the URLs short
    return params


def _url(params: QueryDict) -> str:
    encoded = params.urlencode()
    return reverse("search") + (f"?{encoded}" if encoded else "")


def _memo(request) -> dict:
    """Per-request memo: one page asks "is this value active?" a few hundred times."""
    memo = getattr(request, "_search_tags_memo", None)
    if memo is None:
        memo = {}
        with contextlib.suppress(AttributeError):
            request._search_tags_memo = memo
    return memo


def _resolve(name: str, raw: str, memo: dict | None = None) -> frozenset[str]:
    """Index values (slugs) a raw URL value stands for."""
    key = (name, raw)
    if memo is not None and key in memo:
        return memo[key]
    try:
        found = frozenset(resolve_filter(name, [raw]))
    except Exception:  # noqa: BLE001 - a label lookup must never break the page
        found = frozenset()
    if memo is not None:
        memo[key] = found
    return found


def _matches(name: str, raw: str, slug: str, memo: dict | None = None) -> bool:
    """Does the raw URL value (a slug or a display name, any case) stand for this facet value?"""
    raw = raw.strip()
    if raw == slug or raw.casefold() == slug.casefold():
        return True
    return _resolve(name, raw, memo) == {slug}


def _is_active(request, name: str, slug: str) -> bool:
    memo = _memo(request)
    return any(_matches(name, raw, slug, memo) for raw in request.GET.getlist(name))


@register.simple_tag
def toggle_filter_url(request, name: str, value: str) -> str:
    """URL with facet value ``value`` switched on (added) or off (removed); page reset."""
    params = _base(request)
    current = params.getlist(name)
    memo = _memo(request)
    remaining = [raw for raw in current if not _matches(name, raw, value, memo)]
    if len(remaining) == len(current):
        remaining.append(value)
    if remaining:
        params.setlist(name, remaining)
    elif name in params:
        del params[name]
    return _url(params)


@register.simple_tag
def remove_filter_url(request, name: str, raw: str) -> str:
    """URL without one filter value exactly as it appears in the URL (for the filter chips)."""
    params = _base(request)
    remaining = [value for value in params.getlist(name) if value != raw]
    if remaining:
        params.setlist(name, remaining)
    elif name in params:
        del params[name]
    return _url(params)


@register.simple_tag
def clear_filters_url(request) -> str:
    """URL with the same search text and sort order, but without any filter."""
    params = _base(request)
    for name in list(params.keys()):
        if name not in KEPT_PARAMS:
            del params[name]
    return _url(params)


@register.simple_tag
def page_url(request, number: int) -> str:
    """URL of result page ``number`` with all other parameters kept."""
    params = _base(request)
    if int(number) > 1:
        params["page"] = str(number)
    return _url(params)


@register.simple_tag
def search_url(text: str) -> str:
    """/suche/?q=<text> – for the "Meinten Sie …" link."""
    params = QueryDict(mutable=True)
    params["q"] = text
    return _url(params)


# --- facets and filter chips ---------------------------------------------------------------------


def _label_for(name: str, raw: str, outcome, request=None) -> str:
    """Display name of a raw filter value: from the facet list, the labels of what the reader
    may see, or as given. Never from all labels: a topic or tag behind a view restriction (or
    only on drafts) must not show its name to someone who types its slug."""
    facets = getattr(outcome, "facets", None) or {}
    for item in facets.get(name, []):
        if _matches(name, raw, item["value"]):
            return item["label"]
    if request is not None:
        with contextlib.suppress(Exception):  # a label lookup must never break the page
            label = visible_label(name, raw, restricted_paths_for(request))
            if label is not None:
                return label
    return raw.strip()


@register.simple_tag
def active_filter_chips(request, active_filters, outcome=None) -> list[dict[str, str]]:
    """One entry per active filter value: group heading, label and the URL that removes it."""
    chips = []
    for name in FACETS:
        for raw in (active_filters or {}).get(name, []):
            chips.append(
                {
                    "name": name,
                    "group": FACET_HEADINGS[name],
                    "value": raw,
                    "label": _label_for(name, raw, outcome, request),
                    "remove_url": remove_filter_url(request, name, raw),
                }
            )
    return chips


@register.simple_tag
def facet_groups(request, outcome, top_tags: int = 10) -> list[dict[str, Any]]:
    """The facet sidebar: per facet its heading and values (label, count, active, toggle URL).

    The tag facet is split into the ``top_tags`` most frequent values and the rest; ``rest_open``
    says whether an active value hides in the rest (then the <details> starts open).
    """
    groups = []
    facets = getattr(outcome, "facets", None) or {}
    for name in FACETS:
        items = []
        for item in facets.get(name, []):
            items.append(
                {
                    "value": item["value"],
                    "label": item["label"],
                    "count": item["count"],
                    "active": _is_active(request, name, item["value"]),
                    "url": toggle_filter_url(request, name, item["value"]),
                }
            )
        if not items:
            continue
        if name == "tag":
            top, rest = items[: int(top_tags)], items[int(top_tags) :]
        else:
            top, rest = items, []
        groups.append(
            {
                "name": name,
                "heading": FACET_HEADINGS[name],
                "items": top,
                "rest": rest,
                "rest_open": any(item["active"] for item in rest),
            }
        )
    return groups


@register.simple_tag
def facet_label(outcome, name: str, value: str) -> str:
    """Display name of a facet value (e.g. the matched tag), falling back to the value."""
    return _label_for(name, value, outcome)


@register.simple_tag
def result_start(outcome) -> int:
    """Number of the first result on the current page (for <ol start="…">)."""
    try:
        return (int(outcome.page) - 1) * int(outcome.page_size) + 1
    except (AttributeError, TypeError, ValueError):
        return 1


@register.filter
def hyphenated(text: str | None) -> str:
    """Soft hyphens between the parts of long compounds (facet labels in the narrow filter
    column break as "Klimafolgen-/anpassung", never mid-part); escaped like any text."""
    from search.analysis import soft_hyphens

    return soft_hyphens(str(text or ""))

"""Facet values: slugs in the index, display names for people; filters typed by name."""

from __future__ import annotations

from typing import Any

from taggit.models import Tag

from kb.models import City, Department, TopicPage
from kb.topics import german_slug

from .analysis import normalise
from .query import ParsedQuery
from .vocabulary import cached


def labels() -> dict[str, dict[str, str]]:
    return cached(
        "facet-labels",
        lambda: {
            "city": dict(City.objects.values_list("slug", "name")),
            "topic": dict(TopicPage.objects.values_list("slug", "title")),
            "tag": dict(Tag.objects.values_list("slug", "name")),
            "department": {
                german_slug(name): name
                for name in Department.objects.values_list("name", flat=True)
            },
        },
    )


def resolve_filter(name: str, values: list[str]) -> set[str]:
    """Display names or slugs, any case -> index values. Unknown values match nothing."""
    known = labels()[name]
    by_name = {label.casefold(): slug for slug, label in known.items()}
    resolved = set()
    for value in values:
        value = value.strip()[:255]
        key = value.casefold()
        resolved.add(by_name.get(key) or (key if key in known else f"\x00{key}"))
    return resolved


def facet_list(name: str, counts) -> list[dict[str, Any]]:
    known = labels()[name]
    items = [
        {"value": value, "label": known.get(value, value), "count": count}
        for value, count in counts.items()
        if count
    ]
    items.sort(key=lambda item: (-item["count"], item["label"].casefold()))
    return items


def matched_tag(query: ParsedQuery) -> str | None:
    if not query.tag_text:
        return None
    for slug, label in labels()["tag"].items():
        if normalise(label) == query.tag_text:
            return slug
    return None


def city_names() -> dict[str, str]:
    return {normalise(label): slug for slug, label in labels()["city"].items()}

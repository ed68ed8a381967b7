"""Facet values: slugs in the index, display names for people; filters typed by name."""

from __future__ import annotations

from typing import Any

from taggit.models import Tag

from kb.collation import german_sort_key
from kb.models import ArticlePage, City, Department, TopicPage
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


def visible_labels(restricted: list[str]) -> dict[str, dict[str, str]]:
    """`labels()` cut down to what a reader may see: live topics and the tags of live articles
    outside `restricted` (tree paths of view restrictions the reader does not pass). Cities and
    departments are public. Cached per index version and per set of restricted paths."""
    paths = sorted(set(restricted))
    known = labels()  # outside `build`: the cache's lock is held while building

    def build():
        topics = TopicPage.objects.live()
        articles = ArticlePage.objects.live()
        for path in paths:
            topics = topics.exclude(path__startswith=path)
            articles = articles.exclude(path__startswith=path)
        return {
            **known,
            "topic": dict(topics.values_list("slug", "title")),
            "tag": dict(
                Tag.objects.filter(
                    kb_articlepagetag_items__content_object__in=articles.order_by().values("pk")
                )
                .distinct()
                .values_list("slug", "name")
            ),
        }

    return cached("facet-labels:" + "|".join(paths), build)


def visible_label(name: str, raw: str, restricted: list[str]) -> str | None:
    """Display name of a raw filter value (slug or display name, any case) among the values the
    reader may see; None for anything else, so that a hidden topic or tag keeps its name."""
    known = visible_labels(restricted).get(name, {})
    key = raw.strip()[:255].casefold()
    for slug, label in known.items():
        if key in (slug.casefold(), label.casefold()):
            return label
    return None


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
    # Most frequent first; equal counts in German alphabetical order ("Ländlicher Raum",
    # "Leerstand").
    items.sort(key=lambda item: (-item["count"], german_sort_key(item["label"])))
    return items


def matched_tag(query: ParsedQuery, restricted: list[str]) -> str | None:
    """The tag the whole query names, among the tags of articles the reader may see."""
    if not query.tag_text:
        return None
    for slug, label in visible_labels(restricted).get("tag", {}).items():
        if normalise(label) == query.tag_text:
            return slug
    return None


def city_names() -> dict[str, str]:
    return {normalise(label): slug for slug, label in labels()["city"].items()}

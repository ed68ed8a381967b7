"""Help for searches without results: a spelling suggestion and popular tags."""

from __future__ import annotations

import difflib
from typing import Any

from taggit.models import Tag

from kb.models import ArticlePage

from .analysis import normalise, surface_words
from .backends import get_backend
from .facets import facet_list
from .query import parse
from .vocabulary import cached


def _restriction_key(restricted: list[str]) -> str:
    return "|".join(sorted(set(restricted)))


def _surface_vocabulary(restricted: list[str]) -> dict[str, str]:
    """Normalised word -> the word as written, from the titles and summaries of the live
    articles outside `restricted` (tree paths of view restrictions the reader does not pass)
    and the tags of those articles: only words the reader may see anyway.

    Cached per index version and per set of restricted paths (readers in the same groups share
    one vocabulary)."""

    def build():
        articles = ArticlePage.objects.live()
        for path in set(restricted):
            articles = articles.exclude(path__startswith=path)
        found: dict[str, str] = {}
        texts = list(articles.values_list("title", "summary"))
        tags = (
            Tag.objects.filter(
                kb_articlepagetag_items__content_object__in=articles.order_by().values("pk")
            )
            .distinct()
            .values_list("name", flat=True)
        )
        texts += [(name, "") for name in tags]
        for title, summary in texts:
            for word in surface_words(f"{title} {summary}"):
                if len(word) > 3:
                    found.setdefault(normalise(word), word)
        return found

    return cached(f"surface-vocabulary:{_restriction_key(restricted)}", build)


def suggestion(text: str, restricted: list[str]) -> str | None:
    """A 'Meinten Sie …' spelling for a query without results, if there is a close one among
    the words the reader may see (`restricted`: see `_surface_vocabulary`)."""
    vocabulary = _surface_vocabulary(restricted)
    changed = False
    corrected = []
    for word in surface_words(text)[:10]:
        key = normalise(word)
        if key in vocabulary:
            corrected.append(word)
            continue
        close = difflib.get_close_matches(key, list(vocabulary), n=1, cutoff=0.75)
        if close:
            corrected.append(vocabulary[close[0]])
            changed = True
        else:
            corrected.append(word)
    return " ".join(corrected) if changed else None


def popular_tags(restricted: list[str], limit: int = 10) -> list[dict[str, Any]]:
    result = get_backend().search(parse(""), restricted=restricted, size=0)
    return facet_list("tag", result.facets.get("tag", {}))[:limit]

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


def _surface_vocabulary() -> dict[str, str]:
    """Normalised word -> the word as written, from titles, summaries and tags."""

    def build():
        found: dict[str, str] = {}
        texts = list(ArticlePage.objects.live().values_list("title", "summary"))
        texts += [(name, "") for name in Tag.objects.values_list("name", flat=True)]
        for title, summary in texts:
            for word in surface_words(f"{title} {summary}"):
                if len(word) > 3:
                    found.setdefault(normalise(word), word)
        return found

    return cached("surface-vocabulary", build)


def suggestion(text: str) -> str | None:
    """A 'Meinten Sie …' spelling for a query without results, if there is a close one."""
    vocabulary = _surface_vocabulary()
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

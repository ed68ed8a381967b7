"""Suggestions while typing: article titles, tags and contact persons.

Matching folds like the search (case, ß/ss, accents, ä/ae: `buerger` finds "Bürgerbüro", `Sta`
finds "Städtetag"). Matches at the start of a word come first, then matches inside a word; within
each, titles before tags before people. The folded labels are kept per process and rebuilt when
the search index changes; who may read what is decided per request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from taggit.models import Tag

from kb.collation import german_sort_key
from kb.listings import readable_contacts, visible_articles
from kb.models import ArticlePage, ContactPerson
from kb.tags import tag_url

from .analysis import fold_umlauts, normalise
from .query import clean
from .vocabulary import cached

LIMIT = 5
MIN_LENGTH = 2
# Candidates per kind checked against the reader's rights (word starts first).
CANDIDATES = 200


def fold(text: str) -> str:
    return fold_umlauts(normalise(text))


@dataclass(frozen=True)
class _Label:
    folded: str
    pk: int
    order: tuple  # tie-break within one kind (newest article first, names alphabetically)


def _labels() -> dict[str, list[_Label]]:
    articles = [
        _Label(fold(title), pk, (-(published.toordinal() if published else 0), pk))
        for pk, title, published in ArticlePage.objects.live().values_list(
            "pk", "title", "first_published"
        )
    ]
    tags = [
        _Label(fold(name), pk, (german_sort_key(name), pk))
        for pk, name in Tag.objects.filter(kb_articlepagetag_items__isnull=False)
        .distinct()
        .values_list("pk", "name")
    ]
    contacts = [
        _Label(fold(name), pk, (german_sort_key(name), pk))
        for pk, name in ContactPerson.objects.values_list("pk", "name")
    ]
    return {"article": articles, "tag": tags, "contact": contacts}


def _matches(labels: list[_Label], folded: str) -> list[tuple[bool, _Label]]:
    """(word start?, label) for every label containing the text, best first."""
    word_start = re.compile(r"(?<![0-9a-z])" + re.escape(folded))
    found = [
        (bool(word_start.search(label.folded)), label) for label in labels if folded in label.folded
    ]
    found.sort(key=lambda item: (not item[0], item[1].order))
    return found[:CANDIDATES]


def complete(request: HttpRequest, raw: str) -> list[dict[str, Any]]:
    text, _ = clean(raw)
    folded = fold(" ".join(text[:100].split()))
    if len(folded) < MIN_LENGTH:
        return []
    labels = cached("autocomplete_labels", _labels)
    ranked: list[tuple[bool, int, dict[str, Any]]] = []

    articles = visible_articles(request)
    found = _matches(labels["article"], folded)
    pages = articles.in_bulk([label.pk for _, label in found])
    shown = [(start, pages[label.pk]) for start, label in found if label.pk in pages][:LIMIT]
    for start, page in shown:
        ranked.append((start, 0, {"type": "article", "label": page.title, "url": page.url}))

    found = _matches(labels["tag"], folded)
    counts = dict(
        Tag.objects.filter(pk__in=[label.pk for _, label in found])
        .annotate(
            n=Count(
                "kb_articlepagetag_items",
                filter=Q(kb_articlepagetag_items__content_object__in=articles.values("pk")),
            )
        )
        .filter(n__gt=0)
        .values_list("pk", "n")
    )
    tags = Tag.objects.in_bulk(list(counts))
    # Within word starts and mid-word matches alike: the most used tags first.
    readable_tags = sorted(
        ((start, tags[label.pk]) for start, label in found if label.pk in tags),
        key=lambda item: (not item[0], -counts[item[1].pk], german_sort_key(item[1].name)),
    )
    added = 0
    for start, tag in readable_tags:
        if added == LIMIT:
            break
        if url := tag_url(tag.slug):  # a tag whose page cannot be addressed is left out
            ranked.append((start, 1, {"type": "tag", "label": tag.name, "url": url}))
            added += 1

    found = _matches(labels["contact"], folded)
    contacts = readable_contacts(
        ContactPerson.objects.filter(pk__in=[label.pk for _, label in found]), request
    ).select_related("city")
    by_pk = {contact.pk: contact for contact in contacts}
    people = [(start, by_pk[label.pk]) for start, label in found if label.pk in by_pk][:LIMIT]
    for start, contact in people:
        ranked.append(
            (
                start,
                2,
                {
                    "type": "contact",
                    "label": contact.name,
                    "detail": ", ".join(filter(None, [contact.role, str(contact.city or "")])),
                    "url": reverse("search") + "?" + urlencode({"q": contact.name}),
                },
            )
        )
    ranked.sort(key=lambda item: (not item[0], item[1]))  # stable: each kind keeps its order
    return [suggestion for _, _, suggestion in ranked]

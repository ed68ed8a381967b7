"""Keeps the search index in step with published content.

Index terms come from search.analysis; each term's weight is a BM25F-style field-weighted,
length-normalised frequency, so query time only sums weights. Only live pages are indexed.
"""

from __future__ import annotations

import html
import re
import threading
import uuid
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from itertools import chain

from django.conf import settings
from django.db import transaction
from django.utils.html import strip_tags
from taggit.models import Tag

from kb.models import ArticlePage, ContactPerson, TopicPage
from kb.topics import german_slug

from .analysis import analyse, stems
from .models import IndexState, Posting, SearchDocument

# Field weight, expected length in terms and length-normalisation strength (BM25F's w, avgdl, b).
FIELDS = {
    "title": (5.0, 8, 0.5),
    "tags": (3.0, 4, 0.3),
    "summary": (1.5, 30, 0.5),
    "body": (1.0, 250, 0.75),
    "meta": (0.6, 6, 0.0),
}


def _strip_html(value: str) -> str:
    return html.unescape(strip_tags(re.sub(r"<(br|/p|/li|/h\d)\s*/?>", "\n", value)))


def body_text(page: ArticlePage) -> str:
    """The readable text of an article body, block by block."""
    parts: list[str] = []
    for block in page.body:
        value = block.value
        kind = block.block_type
        if kind == "heading":
            parts.append(value["text"])
        elif kind == "paragraph":
            parts.append(_strip_html(value.source))
        elif kind == "list":
            parts.extend(value["items"])
        elif kind == "callout":
            parts.append(_strip_html(value["text"].source))
        elif kind == "quote":
            parts.extend([value["text"], value.get("source") or ""])
        elif kind == "table":
            for row in value.get("data") or []:
                parts.append(" ".join(cell or "" for cell in row))
        elif kind == "image":
            parts.append(value.get("caption") or "")
        elif kind == "document" and value.get("document"):
            parts.append(value.get("title") or value["document"].title)
    return "\n".join(part for part in parts if part)


def weigh(fields: dict[str, str]) -> tuple[dict[str, float], set[str]]:
    """Term -> BM25F pseudo-frequency over all fields, and the terms found in the title."""
    weights: dict[str, float] = {}
    for name, text in fields.items():
        field_weight, expected_length, b = FIELDS[name]
        terms = analyse(text)
        if not terms:
            continue
        norm = 1 - b + b * len(terms) / expected_length
        for term, count in Counter(terms).items():
            weights[term] = weights.get(term, 0.0) + field_weight * count / norm
    title_terms = set(analyse(fields.get("title", "")))
    return weights, title_terms


def _bars(values: Iterable[str]) -> str:
    values = [value for value in values if value]
    return "|" + "|".join(values) + "|" if values else ""


def uses_server() -> bool:
    return settings.SEARCH_BACKEND == "elasticsearch"


def _push(kind: str, object_id: int, fields: dict[str, str] | None, attributes: dict) -> None:
    """Mirror a change to Elasticsearch/OpenSearch once the database change is committed."""
    if not uses_server():
        return
    from .elasticsearch import get_engine

    if fields is None:
        transaction.on_commit(lambda: get_engine().delete(kind, object_id), robust=True)
    else:
        transaction.on_commit(
            lambda: get_engine().index(kind, object_id, fields, attributes), robust=True
        )


def _write(
    kind: str, object_id: int, fields: dict[str, str], *, push: bool = True, **attributes
) -> None:
    if push:
        _push(kind, object_id, fields, attributes)
    weights, title_terms = weigh(fields)
    document, _ = SearchDocument.objects.update_or_create(
        kind=kind, object_id=object_id, defaults=attributes
    )
    document.postings.all().delete()
    Posting.objects.bulk_create(
        [
            Posting(document=document, term=term[:64], weight=weight, in_title=term in title_terms)
            for term, weight in weights.items()
        ],
        batch_size=2000,
    )


def _store(document: dict, *, push: bool) -> None:
    _write(
        document["kind"],
        document["object_id"],
        document["fields"],
        push=push,
        **document["attributes"],
    )


def bump_version() -> None:
    token = uuid.uuid4().hex
    updated = IndexState.objects.filter(pk=1).update(version=token)
    if not updated:
        IndexState.objects.update_or_create(pk=1, defaults={"version": token})


def article_document(page: ArticlePage) -> dict:
    """What the index holds of an article: weighted text fields and filter attributes."""
    topic = page.get_parent()
    cities = list(page.cities.all())
    tags = list(page.tags.all())
    department = page.department
    fields = {
        "title": page.title,
        "tags": " ".join(tag.name for tag in tags),
        "summary": page.summary,
        "body": body_text(page),
        "meta": " ".join(
            [*(city.name for city in cities), topic.title, department.name if department else ""]
        ),
    }
    return {
        "kind": SearchDocument.ARTICLE,
        "object_id": page.pk,
        "fields": fields,
        "attributes": dict(
            path=page.path,
            date=page.first_published,
            cities=_bars(city.slug for city in cities),
            topic=topic.slug,
            tags=_bars(tag.slug for tag in tags),
            department=german_slug(department.name) if department else "",
            stems=" ".join(stems(f"{page.title}\n{page.summary}\n{fields['body']}")),
            text=f"{page.summary}\n{fields['body']}",
        ),
    }


def index_article(page: ArticlePage, *, bump: bool = True, push: bool = True) -> None:
    """(Re)index one article; an article that is not live is removed from the index."""
    if not page.live:
        remove("article", page.pk, bump=bump, push=push)
        return
    with transaction.atomic():
        _store(article_document(page), push=push)
        for contact in page.contacts.all():
            index_contact(contact, bump=False, push=push)
        if bump:
            bump_version()


def contact_document(contact: ContactPerson) -> dict:
    """A contact person is found by name, role, department and what their articles are about."""
    articles = ArticlePage.objects.live().public().filter(contacts=contact)
    parent_paths = {
        path[: -ArticlePage.steplen] for path in articles.values_list("path", flat=True)
    }
    topics = set(TopicPage.objects.filter(path__in=parent_paths).values_list("title", flat=True))
    tag_names = set(
        Tag.objects.filter(kb_articlepagetag_items__content_object__in=articles).values_list(
            "name", flat=True
        )
    )
    fields = {
        "title": contact.name,
        "tags": " ".join(sorted(tag_names)),
        "summary": " ".join(filter(None, [contact.role, getattr(contact.department, "name", "")])),
        "meta": " ".join(sorted(topics) + [contact.city.name if contact.city else ""]),
    }
    return {
        "kind": SearchDocument.CONTACT,
        "object_id": contact.pk,
        "fields": fields,
        "attributes": dict(
            cities=_bars([contact.city.slug] if contact.city else []),
            stems=" ".join(stems(fields["title"])),
        ),
    }


_deferred = threading.local()


@contextmanager
def contacts_deferred():
    """Within this block contact persons are indexed once at the end, not after every article
    (a bulk import would otherwise re-index a busy contact once per article)."""
    if getattr(_deferred, "ids", None) is not None:
        yield
        return
    _deferred.ids = set()
    try:
        yield
        ids, _deferred.ids = _deferred.ids, None
        for contact in ContactPerson.objects.filter(pk__in=ids).select_related(
            "city", "department"
        ):
            index_contact(contact)
    finally:
        _deferred.ids = None


def index_contact(contact: ContactPerson, *, bump: bool = True, push: bool = True) -> None:
    pending = getattr(_deferred, "ids", None)
    if pending is not None:
        pending.add(contact.pk)
        return
    with transaction.atomic():
        _store(contact_document(contact), push=push)
        if bump:
            bump_version()


def remove(kind: str, object_id: int, *, bump: bool = True, push: bool = True) -> None:
    if push:
        _push(kind, object_id, None, {})
    with transaction.atomic():
        SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()
        if bump:
            bump_version()


def rebuild() -> tuple[int, int]:
    """Rebuild the whole index in one transaction: searches see the old or the new index."""
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        pages = (
            ArticlePage.objects.live()
            .select_related("department")
            .prefetch_related("cities", "tags", "contacts")
        )
        count = 0
        for page in pages.iterator(chunk_size=500):
            index_article(page, bump=False, push=False)
            count += 1
        contacts = 0
        for contact in ContactPerson.objects.select_related("city", "department"):
            index_contact(contact, bump=False, push=False)
            contacts += 1
        bump_version()
    if uses_server():
        rebuild_server()
    return count, contacts


def rebuild_server() -> int:
    """Rebuild the Elasticsearch/OpenSearch index into a new index and swap the alias."""
    from .elasticsearch import get_engine

    pages = ArticlePage.objects.live().select_related("department")
    documents = chain(
        (article_document(page) for page in pages.iterator(chunk_size=500)),
        (contact_document(c) for c in ContactPerson.objects.select_related("city", "department")),
    )
    return get_engine().rebuild(documents)

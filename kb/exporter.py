"""Export of published articles in the JSONL exchange format (the inverse of kb.importer)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .markdown_blocks import blocks_to_markdown
from .models import ArticlePage


def article_record(page: ArticlePage) -> dict[str, Any]:
    """One article as an exchange-format record (field order as in FORMAT.md)."""
    contacts = sorted(page.contacts.all(), key=lambda contact: (contact.name, contact.pk or 0))
    contact = contacts[0] if contacts else None
    tags = (
        [item.tag.name for item in sorted(page.tagged_items.all(), key=lambda i: i.pk or 0)]
        if page.pk
        else []
    )
    if not tags:
        tags = [tag.name for tag in page.tags.all()]
    record: dict[str, Any] = {
        "slug": page.slug,
        "title": page.title,
        "cities": sorted(city.name for city in page.cities.all()),
        "topic": page.get_parent().title if page.pk else "",
        "department": page.department.name if page.department else "",
        "tags": tags,
        "summary": page.summary,
        "body": blocks_to_markdown(page.body),
        "contact": {"name": contact.name, "email": contact.email, "phone": contact.phone}
        if contact
        else None,
        "date": page.first_published.isoformat(),
    }
    # The review cycle (optional keys, written only when set; FORMAT.md).
    if page.responsible_id and page.responsible.email:
        record["owner"] = page.responsible.email
    if page.deputy_id and page.deputy.email:
        record["deputy"] = page.deputy.email
    if page.review_interval is not None:
        record["review_interval"] = page.review_interval
    if page.last_reviewed:
        record["last_reviewed"] = page.last_reviewed.isoformat()
    if page.counterpart_id:
        counterpart = ArticlePage.objects.filter(pk=page.counterpart_id).values_list(
            "slug", flat=True
        )
        record["counterpart"] = counterpart.first()
    return record


def exported_pages(*, include_private: bool = False):
    """Live articles; without include_private only those behind no view restriction: the format
    has no field for restrictions, so a re-imported private article would become public."""
    pages = ArticlePage.objects.live()
    return pages if include_private else pages.public()


def private_count() -> int:
    """Live articles left out of an export without include_private."""
    return ArticlePage.objects.live().not_public().count()


def export_records(*, include_private: bool = False) -> Iterator[dict[str, Any]]:
    pages = (
        exported_pages(include_private=include_private)
        .select_related("department", "responsible", "deputy")
        .prefetch_related("cities", "contacts", "tagged_items__tag")
        .order_by("slug")
    )
    for page in pages:
        yield article_record(page)


def export_lines(*, include_private: bool = False) -> Iterator[str]:
    for record in export_records(include_private=include_private):
        yield json.dumps(record, ensure_ascii=False) + "\n"

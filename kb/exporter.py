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
    if page.counterpart_id:
        counterpart = ArticlePage.objects.filter(pk=page.counterpart_id).values_list(
            "slug", flat=True
        )
        record["counterpart"] = counterpart.first()
    return record


def export_records() -> Iterator[dict[str, Any]]:
    pages = (
        ArticlePage.objects.live()
        .select_related("department")
        .prefetch_related("cities", "contacts", "tagged_items__tag")
        .order_by("slug")
    )
    for page in pages:
        yield article_record(page)


def export_lines() -> Iterator[str]:
    for record in export_records():
        yield json.dumps(record, ensure_ascii=False) + "\n"

"""The plain text of content: what search indexes and snippets are made from.

Content owns its text: search (and Wagtail's admin search) consume it from here.
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from django.utils.html import strip_tags
from wagtail.documents.models import Document

if TYPE_CHECKING:
    from .models import ArticlePage


def strip_html(value: str) -> str:
    """Text of an HTML fragment, with line breaks where blocks end."""
    return html.unescape(strip_tags(re.sub(r"<(br|/p|/li|/h\d)\s*/?>", "\n", value)))


def _list_items(items: list) -> list[str]:
    # ListBlock stores {"type": "item", "value": ...} entries (older data: bare values).
    return [item.get("value") if isinstance(item, dict) else item for item in items or []]


def body_text(page: ArticlePage) -> str:
    """The readable text of an article body, block by block.

    Read from the stored JSON rather than the StreamField's block objects: indexing thousands of
    articles would otherwise spend most of its time building and re-sanitising block values."""
    parts: list[str] = []
    for block in page.body.raw_data:
        kind, value = block.get("type"), block.get("value")
        if kind == "paragraph":
            parts.append(strip_html(value or ""))
        elif not isinstance(value, dict):
            continue
        elif kind == "heading":
            parts.append(value.get("text") or "")
        elif kind == "list":
            parts.extend(str(item or "") for item in _list_items(value.get("items")))
        elif kind == "callout":
            parts.append(strip_html(value.get("text") or ""))
        elif kind == "quote":
            parts.extend([value.get("text") or "", value.get("source") or ""])
        elif kind == "table":
            for row in value.get("data") or []:
                parts.append(" ".join(cell or "" for cell in row))
        elif kind == "image":
            parts.append(value.get("caption") or "")
        elif kind == "document" and value.get("document"):
            title = value.get("title")
            if not title:
                found = Document.objects.filter(pk=value["document"]).first()
                title = found.title if found else ""
            parts.append(title)
    return "\n".join(part for part in parts if part)

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


# Tags that end a line of text: paragraphs, list items, headings, table cells, line breaks.
_BLOCK_TAG_RE = re.compile(
    r"<(?:br|/?(?:p|li|ul|ol|h[1-6]|div|blockquote|table|tr|td|th|dd|dt))\b[^>]*>", re.IGNORECASE
)
# What already ends a sentence or an item ("…," continues a sentence-style list), possibly
# followed by closing quotes or brackets.
_ENDED_RE = re.compile(r"[.!?…:;,][\"'»«“”‘’)\]]*$")


def ended(text: str, mark: str = ".") -> str:
    """`text` on one line, ending with `mark` unless it already ends with punctuation.

    Headings, list items and table cells have no final full stop; run together they would read
    as one phrase ("… am Neheimer Markt Angepasste Arbeitszeiten …"). Ended, the plain text (and
    every snippet cut from it) keeps their boundaries: "… am Neheimer Markt. Angepasste …".
    """
    text = " ".join(text.split())
    if not text or _ENDED_RE.search(text):
        return text
    return text + mark


def strip_html(value: str) -> str:
    """Text of an HTML fragment: one line per paragraph, list item, heading or line break, each
    ended (see `ended`); line breaks inside a paragraph's source are spaces."""
    lines = (ended(html.unescape(strip_tags(part))) for part in _BLOCK_TAG_RE.split(value or ""))
    return "\n".join(line for line in lines if line)


def _list_items(items: list) -> list[str]:
    # ListBlock stores {"type": "item", "value": ...} entries (older data: bare values).
    return [item.get("value") if isinstance(item, dict) else item for item in items or []]


def body_text(page: ArticlePage) -> str:
    """The readable text of an article body, block by block: one line per paragraph, heading,
    list item and table row, each ended with punctuation (see `ended`).

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
            parts.append(ended(value.get("text") or ""))
        elif kind == "list":
            parts.extend(ended(str(item or "")) for item in _list_items(value.get("items")))
        elif kind == "callout":
            parts.append(strip_html(value.get("text") or ""))
        elif kind == "quote":
            # A line break in a quote may only wrap a long line; an empty line ends a paragraph.
            parts.extend(ended(text) for text in re.split(r"\n\s*\n", value.get("text") or ""))
            parts.append(ended(value.get("source") or ""))
        elif kind == "table":
            parts.append(ended(value.get("table_caption") or ""))
            for row in value.get("data") or []:
                cells = [" ".join((cell or "").split()) for cell in row]
                cells = [cell for cell in cells if cell]
                if cells:
                    parts.append(" ".join([*(ended(c, ";") for c in cells[:-1]), ended(cells[-1])]))
        elif kind == "image":
            parts.append(ended(value.get("caption") or ""))
        elif kind == "document" and value.get("document"):
            title = value.get("title")
            if not title:
                found = Document.objects.filter(pk=value["document"]).first()
                title = found.title if found else ""
            parts.append(ended(title))
    return "\n".join(part for part in parts if part)

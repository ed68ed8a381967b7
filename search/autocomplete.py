"""Suggestions while typing: article titles, tags and contact persons."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from taggit.models import Tag

from kb.listings import readable_contacts, visible_articles
from kb.models import ContactPerson
from kb.tags import tag_url

from .query import clean

LIMIT = 5
MIN_LENGTH = 2


def complete(request: HttpRequest, raw: str) -> list[dict[str, Any]]:
    text, _ = clean(raw)
    text = text[:100]
    if len(text) < MIN_LENGTH:
        return []
    articles = visible_articles(request)
    suggestions: list[dict[str, Any]] = []
    for page in articles.filter(title__icontains=text).order_by("-first_published")[:LIMIT]:
        suggestions.append({"type": "article", "label": page.title, "url": page.url})
    tags = (
        Tag.objects.filter(name__icontains=text)
        .annotate(
            n=Count(
                "kb_articlepagetag_items",
                filter=Q(kb_articlepagetag_items__content_object__in=articles.values("pk")),
            )
        )
        .filter(n__gt=0)
        .order_by("-n", "name")[:LIMIT]
    )
    for tag in tags:
        if url := tag_url(tag.slug):  # a tag whose page cannot be addressed is left out
            suggestions.append({"type": "tag", "label": tag.name, "url": url})
    contacts = readable_contacts(ContactPerson.objects.filter(name__icontains=text), request)
    for contact in contacts.select_related("city").order_by("name", "pk")[:LIMIT]:
        suggestions.append(
            {
                "type": "contact",
                "label": contact.name,
                "detail": ", ".join(filter(None, [contact.role, str(contact.city or "")])),
                "url": reverse("search") + "?" + urlencode({"q": contact.name}),
            }
        )
    return suggestions

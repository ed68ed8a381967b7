"""The text panel on Wagtail's document edit page."""

from __future__ import annotations

from django import template

from ..admin_views import text_record, usage_on_pages
from ..text import current_limits

register = template.Library()


@register.inclusion_tag("documents/text_panel.html", takes_context=True)
def document_text_panel(context, document) -> dict:
    request = context["request"]
    usage, usage_total = usage_on_pages(document, request.user)
    return {
        "document": document,
        "record": text_record(document),
        "usage": usage,
        "usage_total": usage_total,
        "usage_more": max(usage_total - len(usage), 0),
        "limits": current_limits(),
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }

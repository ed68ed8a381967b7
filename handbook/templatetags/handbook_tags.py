"""The handbook's download link on its start page (by default the topic area
"Krisenmanagement"), for templates of the content app."""

from __future__ import annotations

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def handbook_download_url(context, page) -> str:
    """The download page's address when `page` is the handbook's start page and a bundle has
    been built; "" otherwise."""
    from ..bundle import DEFAULT_TOPIC, built_bundles
    from ..models import HandbookSettings

    request = context.get("request")
    # Without a built bundle there is nothing to link (and no query to make).
    if page is None or request is None or not built_bundles():
        return ""
    config = HandbookSettings.for_request(request)
    if config.root_page_id:
        is_start = config.root_page_id == page.pk
    else:
        is_start = getattr(page, "title", "") == DEFAULT_TOPIC and page.depth == 3
    if not is_start:
        return ""
    return reverse("handbook:download_page")

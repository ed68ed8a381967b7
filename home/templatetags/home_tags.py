"""Links every page's footer carries."""

from __future__ import annotations

from django import template
from django.core.cache import cache

register = template.Library()


@register.simple_tag
def accessibility_statement_url() -> str:
    """The accessibility statement's URL ("" while there is none), cached: every page asks."""
    from home.models import FOOTER_LINK_CACHE_KEY, AccessibilityPage

    url = cache.get(FOOTER_LINK_CACHE_KEY)
    if url is None:
        page = AccessibilityPage.objects.live().first()
        url = page.get_url() if page else ""
        cache.set(FOOTER_LINK_CACHE_KEY, url, 3600)
    return url

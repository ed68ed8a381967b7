"""Template filters of the content app."""

from __future__ import annotations

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from wagtail.templatetags.wagtailcore_tags import richtext

from kb import collation
from kb import tags as kb_tags
from kb.blocks import sanitize_rich_text

register = template.Library()


@register.filter
def safe_richtext(value: str | None) -> SafeString:
    """Wagtail's `richtext` after the article body's allow-list: intro texts of the home and
    topic pages can arrive through data migrations or the shell, not only the editor."""
    return richtext(sanitize_rich_text(value or ""))


@register.filter
def by_name(items, attribute: str = "name") -> list:
    """Tags, cities, contact persons … in German alphabetical order of their name
    (``{% for tag in tags|by_name %}``; ``items|by_name:"title"`` for another attribute)."""
    return collation.by_name(items or [], attribute)


@register.filter
def tag_url(slug: str | None) -> str:
    """Address of a tag page, "" when none can be built (the template then shows no link)."""
    return kb_tags.tag_url(slug)


@register.filter
def breakable_email(address: str | None) -> SafeString:
    """An e-mail address that wraps after its "@" in a narrow card, not in the middle of a
    name ("petra.hengstebeck@<wbr>arnsberg.example")."""
    local, at, domain = (address or "").partition("@")
    if not at:
        return escape(address or "")
    return format_html("{}@<wbr>{}", local, domain)

"""Template tags of the comparison: its heading, and the article page's link to it."""

from __future__ import annotations

from django import template
from django.urls import reverse

from ..comparison import comparison_heading, has_candidates

register = template.Library()


@register.simple_tag
def compare_heading(*articles) -> str:
    """ "So machen es Arnsberg und Sundern" for the articles (their cities prefetched)."""
    return comparison_heading(*articles)


@register.simple_tag(takes_context=True)
def comparison_links(context, page, counterparts=(), related=()) -> dict:
    """The article page's links to the comparison: one per counterpart ("Vergleichen: So machen
    es … und …"), else the pick page when it has something to offer. No query with a
    counterpart or another city's article among the related ones, else one."""
    if page is None or not getattr(page, "pk", None):
        return {}
    counterparts = list(counterparts or [])
    if counterparts:
        return {
            "pairs": [
                {
                    "url": reverse("cooperation:compare", args=[page.pk, other.pk]),
                    "label": f"Vergleichen: {comparison_heading(page, other)}",
                    "title": other.title if len(counterparts) > 1 else "",
                }
                for other in counterparts
            ]
        }
    request = context.get("request")
    if request is None or not has_candidates(request, page, related or []):
        return {}
    return {"pick_url": reverse("cooperation:compare_pick", args=[page.pk])}

"""Template tags of the cooperation area for pages of other apps (the home page)."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def expertise_prompt(context) -> dict | None:
    """The yearly "Stimmen Ihre Angaben noch?" prompt for the reader (see
    cooperation.people.confirm_prompt), or None."""
    from ..people import confirm_prompt

    request = context.get("request")
    return confirm_prompt(getattr(request, "user", None))

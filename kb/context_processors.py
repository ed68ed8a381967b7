from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def navigation(request: HttpRequest) -> dict:
    """Topic areas for the main navigation; evaluated only when a template uses them."""

    def topics():
        from .listings import visible_topics

        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return []
        return list(visible_topics(request).filter(depth=3))

    return {"nav_topics": SimpleLazyObject(topics)}

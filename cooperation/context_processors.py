from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def navigation(request: HttpRequest) -> dict:
    """The "Zusammenarbeit" entry of the main navigation (url and tree path of the area's live
    page the reader may see); evaluated only when a template uses it."""

    def area() -> dict:
        from kb.listings import exclude_restricted

        from .models import CooperationIndexPage

        if not getattr(request, "user", None) or not request.user.is_authenticated:
            return {}
        page = exclude_restricted(CooperationIndexPage.objects.live(), request).first()
        if page is None:
            return {}
        return {"url": page.get_url(request), "path": page.path, "pk": page.pk}

    return {"nav_cooperation": SimpleLazyObject(area)}

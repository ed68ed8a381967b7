""" "Inhalt ist aktuell": the owner's one-click confirmation, on the article page and in the admin.

Both are plain POST forms (CSRF-protected, no JavaScript needed) that redirect back with a
message; the work is kb.reviews.confirm_review.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .models import ArticlePage
from .reviews import can_confirm, confirm_review


def confirmed_message(due: datetime.date | None) -> str:
    when = due.strftime("%d.%m.%Y") if due else "keine regelmäßige Prüfung"
    return f"Danke – der Beitrag ist als aktuell bestätigt. Nächste Prüfung: {when}"


def _article_for(request: HttpRequest, page_id: int) -> ArticlePage:
    page = get_object_or_404(ArticlePage.objects.live(), pk=page_id)
    if not can_confirm(page, request.user):
        raise PermissionDenied
    return page


def _next_url(request: HttpRequest, default: str) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


@login_required
@require_POST
def confirm(request: HttpRequest, page_id: int) -> HttpResponse:
    """The button on the article page: confirm, then back to the article."""
    page = _article_for(request, page_id)
    due = confirm_review(page, request.user)
    messages.success(request, confirmed_message(due))
    return redirect(_next_url(request, page.get_url(request) or "/"))


def admin_confirm(request: HttpRequest, page_id: int) -> HttpResponse:
    """In the admin (page header / listing "more" menus, dashboard): a confirmation page on
    GET, the confirmation on POST; back to where the user came from."""
    page = _article_for(request, page_id)
    default = reverse("wagtailadmin_pages:edit", args=[page.pk])
    if request.method == "POST":
        due = confirm_review(page, request.user)
        messages.success(request, confirmed_message(due))
        return redirect(_next_url(request, default))
    return TemplateResponse(
        request,
        "kb/admin/review_confirm.html",
        {
            "page": page,
            "next": _next_url(request, default),
            "action_url": reverse("kb_review_admin_confirm", args=[page.pk]),
        },
    )

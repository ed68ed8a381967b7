"""What the article page's review includes show (templates/includes/review_*.html).

`{% review_state page request as review %}` computes it once per page and request (three
includes use it) with one query for the people named (owner, deputy, last reviewer)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import template
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from kb.reviews import can_confirm, user_name

register = template.Library()


@dataclass
class ReviewState:
    last_reviewed: datetime.date | None
    reviewer: str
    owner: str
    deputy: str
    due: datetime.date | None
    overdue: bool
    since: datetime.date | None
    can_confirm: bool
    confirm_url: str


def _state(page, request) -> ReviewState:
    ids = {page.responsible_id, page.deputy_id, page.last_reviewed_by_id} - {None}
    users = get_user_model().objects.in_bulk(ids) if ids else {}
    user = getattr(request, "user", None)
    confirmable = bool(page.pk and page.live and user is not None and can_confirm(page, user))
    return ReviewState(
        last_reviewed=page.last_reviewed,
        reviewer=user_name(users.get(page.last_reviewed_by_id)),
        owner=user_name(users.get(page.responsible_id)),
        deputy=user_name(users.get(page.deputy_id)),
        due=page.review_due,
        overdue=page.review_due is not None and page.review_due < timezone.localdate(),
        since=page.last_reviewed or page.first_published,
        can_confirm=confirmable,
        confirm_url=reverse("kb_review:confirm", args=[page.pk]) if confirmable else "",
    )


@register.simple_tag
def review_state(page, request) -> ReviewState | None:
    """The review state of an article as the page shows it (None for other pages)."""
    if not hasattr(page, "review_due"):
        return None
    cache = request.__dict__.setdefault("_kb_review_state", {}) if request is not None else {}
    key = (page.pk, page.review_due, page.last_reviewed)
    if key not in cache:
        cache[key] = _state(page, request)
    return cache[key]

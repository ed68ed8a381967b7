"""What the article page's feedback block needs, in one query for a logged-in reader."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpRequest
from django.urls import reverse

from ..forms import HELPFUL_CHOICES
from ..models import REPORT_COMMENT_MAX, VOTE_COMMENT_MAX, Report, Vote
from ..views import DRAFT_SESSION_KEY

register = template.Library()


@register.simple_tag
def feedback_state(page, request: HttpRequest) -> dict[str, Any]:
    """The reader's current vote, an open report of theirs, and a refused draft to show again.

    Nothing (enabled False) in a preview (the forms would act on the live article, or on none)
    and for an anonymous request."""
    user = getattr(request, "user", None)
    if page is None or page.pk is None or not page.live or getattr(request, "is_preview", False):
        return {"enabled": False}
    if user is None or not user.is_authenticated:
        return {"enabled": False}
    votes = Vote.objects.filter(user=OuterRef("pk"), article_id=page.pk)
    open_reports = Report.objects.filter(
        reporter=OuterRef("pk"), article_id=page.pk, status=Report.Status.OPEN
    )
    annotations = {
        "vote_helpful": Subquery(votes.values("helpful")[:1]),
        "vote_comment": Subquery(votes.values("comment")[:1]),
        "open_report_at": Subquery(open_reports.values("created_at")[:1]),
    }
    # The owner and the deputy also learn how many reports on the article wait for them.
    is_owner = user.pk in (getattr(page, "responsible_id", None), getattr(page, "deputy_id", None))
    if is_owner:
        waiting = (
            Report.objects.filter(article_id=page.pk, status=Report.Status.OPEN)
            .order_by()
            .values("article_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        annotations["waiting"] = Subquery(waiting[:1])
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(**annotations)
        .values(*annotations)
        .first()
    ) or {}
    draft = None
    session = getattr(request, "session", None)
    if session is not None and DRAFT_SESSION_KEY in session:
        stored = session.get(DRAFT_SESSION_KEY) or {}
        if stored.get("article") == page.pk:
            draft = stored
            del session[DRAFT_SESSION_KEY]
    helpful = row.get("vote_helpful")
    return {
        "enabled": True,
        "voted": helpful is not None,
        "helpful": helpful,
        "vote_label": dict(HELPFUL_CHOICES)["ja" if helpful else "nein"],
        "vote_comment": row.get("vote_comment") or "",
        "open_report_at": row.get("open_report_at"),
        "vote_draft": draft if draft and draft.get("form") == "vote" else None,
        "report_draft": draft if draft and draft.get("form") == "report" else None,
        "waiting_reports": row.get("waiting") or 0,
        "reports_url": reverse("feedback:reports"),
        "vote_url": reverse("feedback:vote", args=[page.pk]),
        "report_url": reverse("feedback:report", args=[page.pk]),
        "vote_max": VOTE_COMMENT_MAX,
        "report_max": REPORT_COMMENT_MAX,
    }

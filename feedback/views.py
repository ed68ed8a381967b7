"""The readers' side: plain POST forms on the article page, answered with a redirect back to
the article and a message (post/redirect/get, works without JavaScript).

Only articles the request may read are accepted: an unknown, unpublished or restricted article
is a 404 whatever the reason, so the answer tells nothing about what exists. Invalid input is
sent back to the article with a German message and the text the reader typed (kept in the
session for one page view), and nothing is saved.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from kb.listings import visible_article_pages
from kb.models import ArticlePage

from .forms import ReportForm, VoteForm, first_error
from .models import Report, Vote
from .notifications import notify_negative_vote, notify_new_report

ANCHOR = "#rueckmeldung"
DRAFT_SESSION_KEY = "feedback_draft"
# Enough to give back what someone typed past the limit, not enough to bloat the session.
DRAFT_MAX_CHARS = 10_000
MAX_PK = 2**31 - 1


def reports_per_hour() -> int:
    return getattr(settings, "FEEDBACK_REPORTS_PER_HOUR", 5)


def readable_article(request: HttpRequest, article_id: int) -> ArticlePage:
    if article_id > MAX_PK:
        raise Http404
    article = visible_article_pages(request).filter(pk=article_id).first()
    if article is None:
        raise Http404
    return article


def back_to(request: HttpRequest, article: ArticlePage) -> HttpResponseRedirect:
    return redirect((article.get_url(request) or "/") + ANCHOR)


def keep_draft(request: HttpRequest, article: ArticlePage, form: str, comment: str, error: str):
    """What the reader typed and why it was refused, shown once in the form again."""
    request.session[DRAFT_SESSION_KEY] = {
        "article": article.pk,
        "form": form,
        "comment": comment[:DRAFT_MAX_CHARS],
        "error": error,
    }


@require_POST
def vote(request: HttpRequest, article_id: int) -> HttpResponseRedirect:
    article = readable_article(request, article_id)
    form = VoteForm(request.POST)
    if not form.is_valid():
        error = first_error(form)
        keep_draft(request, article, "vote", request.POST.get("comment", ""), error)
        messages.error(request, f"Ihre Antwort wurde nicht gespeichert: {error}")
        return back_to(request, article)

    helpful, comment = form.is_helpful, form.cleaned_data["comment"]
    try:
        with transaction.atomic():
            previous = (
                Vote.objects.select_for_update().filter(user=request.user, article=article).first()
            )
            if previous is None:
                saved = Vote.objects.create(
                    user=request.user, article=article, helpful=helpful, comment=comment
                )
            else:
                changed = (previous.helpful, previous.comment) != (helpful, comment)
                previous.helpful, previous.comment = helpful, comment
                if changed:
                    previous.save(update_fields=["helpful", "comment", "updated_at"])
                saved = previous
    except IntegrityError:
        # A second click raced the first: that one's vote stands; this one changes it.
        Vote.objects.filter(user=request.user, article=article).update(
            helpful=helpful, comment=comment, updated_at=timezone.now()
        )
        previous = saved = Vote.objects.get(user=request.user, article=article)
        changed = True

    if not helpful and comment and (previous is None or changed):
        saved.article = article
        notify_negative_vote(saved)
    messages.success(
        request,
        "Danke für Ihre Rückmeldung! Sie haben mit „Ja“ geantwortet."
        if helpful
        else "Danke für Ihre Rückmeldung! Sie haben mit „Nein“ geantwortet.",
    )
    return back_to(request, article)


def report_refusal(user, article: ArticlePage) -> str:
    """Why this user may not report now (anti-abuse), or ""."""
    if Report.objects.filter(reporter=user, article=article, status=Report.Status.OPEN).exists():
        return (
            "Sie haben diesen Beitrag bereits gemeldet; die Meldung ist noch in Bearbeitung. "
            "Sie erhalten eine Antwort per E-Mail."
        )
    limit = reports_per_hour()
    since = timezone.now() - datetime.timedelta(hours=1)
    if Report.objects.filter(reporter=user, created_at__gte=since).count() >= limit:
        return (
            f"Sie haben in der letzten Stunde bereits {limit} Meldungen abgeschickt. "
            "Bitte versuchen Sie es später noch einmal."
        )
    return ""


@require_POST
def report(request: HttpRequest, article_id: int) -> HttpResponseRedirect:
    article = readable_article(request, article_id)
    form = ReportForm(request.POST)
    comment = request.POST.get("comment", "")
    if not form.is_valid():
        error = first_error(form)
        keep_draft(request, article, "report", comment, error)
        messages.error(request, f"Ihre Meldung wurde nicht gesendet: {error}")
        return back_to(request, article)

    refusal = report_refusal(request.user, article)
    saved = None
    if not refusal:
        try:
            with transaction.atomic():
                saved = Report.objects.create(
                    article=article, reporter=request.user, comment=form.cleaned_data["comment"]
                )
        except IntegrityError:
            # The same report sent twice at once: the partial unique constraint kept one.
            refusal = report_refusal(request.user, article) or "Bitte versuchen Sie es erneut."
    if refusal:
        keep_draft(request, article, "report", comment, refusal)
        messages.error(request, f"Ihre Meldung wurde nicht gesendet: {refusal}")
        return back_to(request, article)

    notify_new_report(saved)
    messages.success(
        request,
        "Danke! Ihre Meldung ist bei den Verantwortlichen des Beitrags angekommen. "
        "Sie erhalten eine Antwort per E-Mail.",
    )
    return back_to(request, article)

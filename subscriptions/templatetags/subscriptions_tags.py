"""Template tags of the subscription includes: the follow button and "Neu für mich"."""

from __future__ import annotations

import datetime

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from kb.listings import cards, restricted_paths_for, user_city

from ..matching import events_for_user
from ..models import TARGET_FIELDS, SubscriberSettings, Subscription

register = template.Library()

NEW_FOR_ME_LIMIT = 5
# A first visit (or one long ago) shows at most what the last two weeks brought.
NEW_FOR_ME_HORIZON = datetime.timedelta(days=14)
SINCE_SESSION_KEY = "subscriptions_new_for_me_since"


@register.simple_tag(takes_context=True)
def follows(context, kind: str, target) -> bool:
    """Whether the current user follows `target` (one query)."""
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated or kind not in TARGET_FIELDS or target is None:
        return False
    return Subscription.objects.filter(
        user=user, kind=kind, **{f"{TARGET_FIELDS[kind]}_id": target.pk}
    ).exists()


def _since(request, row: SubscriberSettings, first_subscribed) -> tuple[datetime.datetime, bool]:
    """The start of "since your last visit" (and whether there was one), kept for the session:
    a reload shows the same list. Before the first visit: since the first subscription."""
    now = timezone.now()
    stored = request.session.get(SINCE_SESSION_KEY)
    if isinstance(stored, list) and len(stored) == 2 and (since := parse_datetime(stored[0])):
        return since, bool(stored[1])
    visited = row.last_home_visit is not None
    since = max(row.last_home_visit or first_subscribed, now - NEW_FOR_ME_HORIZON)
    request.session[SINCE_SESSION_KEY] = [since.isoformat(), visited]
    SubscriberSettings.objects.filter(pk=row.pk).update(last_home_visit=now)
    return since, visited


@register.simple_tag(takes_context=True)
def new_for_me(context) -> dict:
    """Articles published in the user's subscriptions since their previous visit (at most
    NEW_FOR_ME_LIMIT), in a fixed number of queries."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    subscriptions = list(Subscription.objects.filter(user=user).select_related("topic"))
    if not subscriptions:
        return {"show": True, "has_subscriptions": False}
    row = SubscriberSettings.objects.filter(user=user).first()
    first_subscribed = min(s.created for s in subscriptions)
    since, visited = _since(request, row, first_subscribed) if row else (first_subscribed, False)
    found = events_for_user(
        user,
        subscriptions,
        # The home page knows the reader's city already.
        context["own_city"] if "own_city" in context else user_city(request),
        restricted_paths_for(request),
        since=since,
        limit=NEW_FOR_ME_LIMIT,
    )
    by_id = cards(request, [pk for pk, _, _ in found])
    articles = []
    for pk, reason, _ in found:
        if pk in by_id:
            by_id[pk].event_reason = reason
            articles.append(by_id[pk])
    return {
        "show": True,
        "has_subscriptions": True,
        "articles": articles,
        "since": since,
        "visited": visited,
    }

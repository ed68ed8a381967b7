"""Sending notifications: immediately, as a daily or as a weekly digest.

A run looks at the events after each due subscriber's cursor (SubscriberSettings.last_event_id)
up to the newest event when the run began. Per subscriber it first *claims* those events – one
UPDATE that moves the cursor only if it still has the value the run read – and then sends one
e-mail. If sending raises, the claim is taken back, so the next run tries again; a crash after
the claim loses at most that one mail, it never sends one twice, and a second run (or a parallel
one) finds nothing left to claim.
"""

from __future__ import annotations

import datetime
import logging
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils import timezone
from django_tasks import task
from wagtail.models import PageViewRestriction

from cooperation.models import Action, ActionUpdate, Result, WorkingGroupPage
from kb.listings import city_of_user, restricted_paths_for_user
from kb.mail import deliver as kb_deliver
from kb.mail import render_mail, send_mail_task
from kb.models import City

from .matching import (
    Event,
    Follows,
    absolute_url,
    attach_group_topics,
    load_events,
    select_for_user,
    site_base,
)
from .models import Delivery, Kind, PublicationEvent, SubscriberSettings, Subscription
from .tokens import ALL, unsubscribe_token

logger = logging.getLogger(__name__)

# Digests go out with the first run after this local hour; the weekly one on Mondays.
DIGEST_HOUR = 7
WEEKLY_WEEKDAY = 0
# A digest lists this many articles at most; the rest is a count and a link to the site.
DIGEST_MAX_ARTICLES = 50
MAIL_TEMPLATE = "subscriptions/mail/digest"


@dataclass
class RunResult:
    sent: int = 0
    failed: int = 0
    skipped: int = 0  # due, but nothing new for them
    events: int = 0
    recipients: list[str] = field(default_factory=list)


def latest_event_id() -> int:
    return PublicationEvent.objects.aggregate(m=Max("pk"))["m"] or 0


def settings_for(user) -> SubscriberSettings:
    """The user's settings; a new subscriber starts after the events that exist already."""
    row = SubscriberSettings.objects.filter(user=user).first()
    if row is None:
        row, _ = SubscriberSettings.objects.get_or_create(
            user=user, defaults={"last_event_id": latest_event_id()}
        )
    return row


def is_due(row: SubscriberSettings, now: datetime.datetime) -> bool:
    if row.delivery == Delivery.IMMEDIATE:
        return True
    local = timezone.localtime(now)
    if local.hour < DIGEST_HOUR:
        return False
    last = timezone.localtime(row.last_sent).date() if row.last_sent else None
    today = local.date()
    if row.delivery == Delivery.DAILY:
        return last is None or last < today
    # Weekly: on Mondays, or on the first run after a missed Monday.
    if last is not None and (today - last).days >= 8:
        return True
    return local.weekday() == WEEKLY_WEEKDAY and (last is None or last < today)


def _claim(row: SubscriberSettings, up_to: int, now) -> bool:
    return bool(
        SubscriberSettings.objects.filter(
            pk=row.pk, last_event_id=row.last_event_id, last_sent=row.last_sent
        ).update(last_event_id=up_to, last_sent=now)
    )


def _release(row: SubscriberSettings, up_to: int, now) -> None:
    SubscriberSettings.objects.filter(pk=row.pk, last_event_id=up_to, last_sent=now).update(
        last_event_id=row.last_event_id, last_sent=row.last_sent
    )


def _mark_done(rows: list[SubscriberSettings], up_to: int, now, digest: bool) -> None:
    """Nothing to send: move the cursor past the run's events (and, for a digest, count the
    slot as done), grouped by the value each cursor had, still only if unchanged."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for row in rows:
        groups[(row.last_event_id, row.last_sent)].append(row.pk)
    for (cursor, last_sent), pks in groups.items():
        changes = {"last_event_id": up_to}
        if digest:
            changes["last_sent"] = now
        for start in range(0, len(pks), 500):
            SubscriberSettings.objects.filter(
                pk__in=pks[start : start + 500], last_event_id=cursor, last_sent=last_sent
            ).update(**changes)


def _summary(text: str, words: int = 60) -> str:
    """The summary as an indented paragraph of the plain-text mail."""
    parts = text.split()
    short = " ".join(parts[:words]) + (" …" if len(parts) > words else "")
    return textwrap.fill(short, width=74, initial_indent="   ", subsequent_indent="   ")


def mail_context(user, row, selected, base) -> dict:
    subscriptions: dict[int, object] = {}
    items = []
    for event, found in selected:
        for subscription in found:
            subscriptions.setdefault(subscription.pk, subscription)
        items.append(
            {
                "title": event.article.title,
                "url": event.article.url,
                "cities": ", ".join(event.article.city_names),
                "topic": event.article.topic_title,
                "summary": _summary(event.article.summary),
                "changed": event.reason == "changed",
                "via": ", ".join(str(s) for s in found),
            }
        )
    base_url = base[0]
    return {
        "user": user,
        "name": user.get_full_name() or user.get_username(),
        "delivery": row.delivery,
        "articles": items[:DIGEST_MAX_ARTICLES],
        "more": max(0, len(items) - DIGEST_MAX_ARTICLES),
        "count": len(items),
        "subscriptions": [
            {
                "label": str(s),
                "url": base_url + unsubscribe_path(user.pk, s.kind, s.target_id),
            }
            for s in subscriptions.values()
        ],
        "unsubscribe_all_url": base_url + unsubscribe_path(user.pk, ALL),
        "manage_url": base_url + "/abos/",
        "site_url": base_url + "/",
    }


def unsubscribe_path(user_id: int, kind: str, target_id: int | None = None) -> str:
    from django.urls import reverse

    return reverse(
        "subscriptions:unsubscribe_link", args=[unsubscribe_token(user_id, kind, target_id)]
    )


def send_digest(user, context: dict) -> None:
    """One e-mail, sent now (raises on an SMTP failure, so the claim can be taken back)."""
    subject, body = render_mail(MAIL_TEMPLATE, context)
    headers = {
        "List-Unsubscribe": f"<{context['unsubscribe_all_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    send_mail_task.call([user.email], subject, body, headers)


def deliver(
    now: datetime.datetime | None = None,
    *,
    kinds: tuple[str, ...] = (Delivery.IMMEDIATE, Delivery.DAILY, Delivery.WEEKLY),
    dry_run: bool = False,
) -> RunResult:
    """Send what is due at `now` to the subscribers of the given delivery kinds."""
    now = now or timezone.now()
    result = RunResult()
    up_to = latest_event_id()
    # Immediate subscribers with events after their cursor; every digest subscriber, because a
    # due digest slot with nothing new is marked done too (a later publication waits for the
    # next digest instead of going out at once).
    pending = Q(last_event_id__lt=up_to) | ~Q(delivery=Delivery.IMMEDIATE)
    rows = [
        row
        for row in SubscriberSettings.objects.filter(
            pending, delivery__in=kinds, user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        if is_due(row, now)
    ]
    if not rows:
        return result
    oldest = min(row.last_event_id for row in rows)
    events = (
        load_events(PublicationEvent.objects.filter(pk__gt=oldest, pk__lte=up_to))
        if oldest < up_to
        else []
    )
    result.events = len(events)
    subscriptions: dict[int, list[Subscription]] = defaultdict(list)
    for subscription in Subscription.objects.filter(user_id__in=[row.user_id for row in rows]):
        subscriptions[subscription.user_id].append(subscription)
    _attach_labels(subscriptions)
    # The topic areas of followed working groups, for all subscribers in one query.
    attach_group_topics([s for group in subscriptions.values() for s in group])
    restrictions = list(
        PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    )
    cities = list(City.objects.exclude(email_domain=""))
    base = site_base()
    nothing: dict[bool, list[SubscriberSettings]] = defaultdict(list)
    for row in rows:
        user = row.user
        digest = row.delivery != Delivery.IMMEDIATE
        own_city = city_of_user(user, cities)
        follows = Follows(subscriptions.get(user.pk, []), own_city.pk if own_city else None)
        new_events: list[Event] = [e for e in events if e.pk > row.last_event_id]
        selected = []
        if follows and new_events:
            closed = restricted_paths_for_user(user, restrictions) if restrictions else []
            selected = select_for_user(new_events, follows, user.pk, closed)
        if not selected:
            nothing[digest].append(row)
            continue
        if dry_run:
            result.sent += 1
            result.recipients.append(user.email)
            continue
        if not _claim(row, up_to, now):
            continue  # another run has taken these events
        try:
            send_digest(user, mail_context(user, row, selected, base))
        except Exception:
            _release(row, up_to, now)
            result.failed += 1
            logger.exception("Abo-Benachrichtigung an Person %s nicht gesendet", user.pk)
            continue
        result.sent += 1
        result.recipients.append(user.email)
    if not dry_run:
        for digest, done in nothing.items():
            _mark_done(done, up_to, now, digest)
    result.skipped = sum(len(done) for done in nothing.values())
    return result


def _attach_labels(subscriptions: dict[int, list[Subscription]]) -> None:
    """Load the targets of all subscriptions at once (their names label the mail's links)."""
    from taggit.models import Tag

    from kb.models import ArticlePage, TopicPage

    flat = [s for group in subscriptions.values() for s in group]
    models = {
        "topic": TopicPage,
        "city": City,
        "tag": Tag,
        "article": ArticlePage,
        "group": WorkingGroupPage,
    }
    for kind, model in models.items():
        ids = {s.target_id for s in flat if s.kind == kind}
        if not ids:
            continue
        queryset = model.objects.filter(pk__in=ids)
        if kind in ("topic", "article", "group"):
            queryset = queryset.only("pk", "title")
        by_id = {obj.pk: obj for obj in queryset}
        for s in flat:
            if s.kind == kind and s.target_id in by_id:
                setattr(s, kind, by_id[s.target_id])


def send_immediate(now: datetime.datetime | None = None) -> RunResult:
    return deliver(now, kinds=(Delivery.IMMEDIATE,))


# --- working-group news: results and actions, mailed at once -------------------------------------

GROUP_NEWS_TEMPLATE = "subscriptions/mail/group_news"
NEWS_RESULT = "result"
NEWS_ACTION = "action"


@task()
def send_group_news_task(
    kind: str,
    object_id: int,
    actor_id: int | None = None,
    update_id: int | None = None,
    created: bool = False,
) -> int:
    """The group news mails in the background (the request that recorded it does not wait)."""
    return send_group_news(kind, object_id, actor_id, update_id=update_id, created=created)


def send_group_news(
    kind: str,
    object_id: int,
    actor_id: int | None = None,
    *,
    update_id: int | None = None,
    created: bool = False,
) -> int:
    """Mail one piece of group news – a result recorded (`kind` "result") or an action agreed or
    changed ("action") – to every follower of the group, one mail each with their own
    unsubscribe link. Not to the person who caused it, nor to followers who may not read the
    group's page. Returns the number of mails sent; a refused mail is logged, never raised
    (the news itself is saved already)."""
    item = _news_item(kind, object_id)
    if item is None or not item.group.live:
        return 0
    group = item.group
    followers = (
        Subscription.objects.filter(kind=Kind.GROUP, group=group, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )
    if actor_id:
        followers = followers.exclude(user_id=actor_id)
    followers = list(followers)
    if not followers:
        return 0
    base = site_base()
    news = _news_context(kind, item, update_id, created, base)
    linked = news.pop("linked_articles")
    restrictions = list(
        PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    )
    sent = 0
    for subscription in followers:
        user = subscription.user
        closed = restricted_paths_for_user(user, restrictions) if restrictions else []
        if any(group.path.startswith(path) for path in closed):
            continue
        unsubscribe_url = base[0] + unsubscribe_path(user.pk, Kind.GROUP, group.pk)
        context = {
            **news,
            "name": user.get_full_name() or user.get_username(),
            "articles": [
                article
                for article in linked
                if not any(article["path"].startswith(path) for path in closed)
            ],
            "unsubscribe_url": unsubscribe_url,
            "unsubscribe_all_url": base[0] + unsubscribe_path(user.pk, ALL),
            "manage_url": base[0] + "/abos/",
        }
        headers = {
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        }
        try:
            kb_deliver([user.email], GROUP_NEWS_TEMPLATE, context, headers)
        except Exception:
            logger.exception("Arbeitsgruppen-Nachricht an Person %s nicht gesendet", user.pk)
            continue
        sent += 1
    return sent


def _news_item(kind: str, object_id: int) -> Result | Action | None:
    if kind == NEWS_RESULT:
        return (
            Result.objects.select_related("group", "meeting", "created_by")
            .filter(pk=object_id)
            .first()
        )
    if kind == NEWS_ACTION:
        return (
            Action.objects.select_related("group", "meeting", "responsible")
            .prefetch_related("cities")
            .filter(pk=object_id)
            .first()
        )
    return None


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _news_context(kind: str, item, update_id: int | None, created: bool, base) -> dict:
    """What every follower's mail shows of the news (the same for all of them)."""
    group = item.group
    group_url = absolute_url(group.url_path, base)
    context = {
        "kind": kind,
        "group": group.title,
        "group_url": group_url,
        "title": item.title,
        "meeting": item.meeting.title if item.meeting_id else "",
        "linked_articles": [],
    }
    if kind == NEWS_RESULT:
        context.update(
            text=item.text.strip(),
            by=_person(item.created_by),
            url=group_url,
            linked_articles=[
                {"title": title, "path": path, "url": absolute_url(url_path, base)}
                for title, path, url_path in item.articles.live()
                .order_by("title")
                .values_list("title", "path", "url_path")
            ],
        )
        return context
    update = (
        ActionUpdate.objects.select_related("author").filter(pk=update_id, action=item).first()
        if update_id
        else None
    )
    context.update(
        created=created,
        text=item.description.strip(),
        status=item.get_status_display(),
        due=item.due_date,
        responsible=_person(item.responsible),
        cities=", ".join(sorted(city.name for city in item.cities.all())),
        url=_action_url(item, group_url, base),
        note=update.text.strip() if update else "",
        note_by=_person(update.author) if update else "",
        status_from=update.get_status_from_display() if update and update.status_from else "",
        status_to=update.get_status_to_display() if update and update.status_to else "",
    )
    return context


def _action_url(action: Action, group_url: str, base) -> str:
    """The action's own page if the cooperation area has one, else its working group's page."""
    from django.urls import NoReverseMatch, reverse

    try:
        return base[0] + reverse("cooperation:action_detail", args=[action.pk])
    except NoReverseMatch:
        return group_url

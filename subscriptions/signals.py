"""Publication events from Wagtail's publish signal.

An event is recorded when an article goes live for the first time, or is republished with
"Wesentliche Änderung – Abonnierende benachrichtigen" ticked in the published revision. Drafts,
submissions for moderation and unpublishing send no page_published signal, so they never make
an event; a scheduled publication makes one when it really goes live.

The cooperation area's news (a result recorded, an action agreed or changed) is mailed to the
working group's followers once the change is committed (`delivery.send_group_news`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models.signals import post_save
from wagtail.log_actions import get_active_log_context
from wagtail.models import PageLogEntry
from wagtail.signals import page_published

from kb.models import ArticlePage

from .models import PublicationEvent, Reason

logger = logging.getLogger(__name__)

# Inside an import (kb.bulk's bulk session) events are collected and written at its end, with
# one delivery task for all of them instead of one per article.
_bulk = threading.local()


@contextmanager
def bulk_events() -> Iterator[None]:
    outermost = getattr(_bulk, "events", None) is None
    if outermost:
        _bulk.events = []
    try:
        yield
        if outermost and _bulk.events:
            PublicationEvent.objects.bulk_create(_bulk.events, batch_size=500)
            transaction.on_commit(_enqueue_immediate_delivery)
    finally:
        if outermost:
            _bulk.events = None


def record_publication(sender, instance: ArticlePage, revision=None, **kwargs) -> None:
    if not instance.live:
        # Wagtail also sends page_published for a new page scheduled to go live later.
        return
    first = (
        instance.first_published_at is not None
        and instance.first_published_at == instance.last_published_at
    )
    if first:
        reason = Reason.NEW
    elif instance.notify_subscribers:
        reason = Reason.CHANGED
    else:
        return  # a typo fix: nobody hears of it
    context_user = get_active_log_context().user
    event = PublicationEvent(
        page=instance,
        revision=revision,
        reason=reason,
        author_id=getattr(revision, "user_id", None),
        publisher=context_user if getattr(context_user, "pk", None) else None,
    )
    if instance.notify_subscribers:
        # The tick belongs to this publication only: the next one starts from "no".
        ArticlePage.objects.filter(pk=instance.pk).update(notify_subscribers=False)
    collected = getattr(_bulk, "events", None)
    if collected is not None:
        collected.append(event)
        return
    event.save()
    transaction.on_commit(_enqueue_immediate_delivery)


def _enqueue_immediate_delivery() -> None:
    from .tasks import deliver_immediate_task

    try:
        deliver_immediate_task.enqueue()
    except Exception:  # a failing mail must never break a publication
        logger.exception("Sofort-Benachrichtigungen konnten nicht angestoßen werden")


def record_publisher(sender, instance: PageLogEntry, created=False, **kwargs) -> None:
    """The publishing user is known to Wagtail's audit log entry, written after the signal."""
    if (
        created
        and instance.action == "wagtail.publish"
        and instance.revision_id
        and instance.user_id
    ):
        PublicationEvent.objects.filter(revision_id=instance.revision_id, publisher=None).update(
            publisher_id=instance.user_id
        )


def _enqueue_group_news(kind: str, object_id: int, actor, **options) -> None:
    actor_id = getattr(actor, "pk", None)

    def enqueue() -> None:
        from .delivery import send_group_news_task

        try:
            send_group_news_task.enqueue(kind, object_id, actor_id, **options)
        except Exception:  # a failing mail must never break recording the news
            logger.exception("Arbeitsgruppen-Nachricht konnte nicht angestoßen werden")

    # After the commit: the mail must not announce what a rolled-back request never saved.
    transaction.on_commit(enqueue)


def on_result_recorded(sender, result, actor=None, **kwargs) -> None:
    _enqueue_group_news("result", result.pk, actor)


def on_action_changed(sender, action, update=None, actor=None, created=False, **kwargs) -> None:
    _enqueue_group_news(
        "action",
        action.pk,
        actor,
        update_id=getattr(update, "pk", None),
        created=bool(created),
    )


def connect() -> None:
    from cooperation.signals import action_changed, result_recorded
    from kb.bulk import register_bulk_hook

    register_bulk_hook(bulk_events)
    page_published.connect(
        record_publication, sender=ArticlePage, dispatch_uid="subscriptions.record_publication"
    )
    post_save.connect(
        record_publisher, sender=PageLogEntry, dispatch_uid="subscriptions.record_publisher"
    )
    result_recorded.connect(on_result_recorded, dispatch_uid="subscriptions.group_result")
    action_changed.connect(on_action_changed, dispatch_uid="subscriptions.group_action")

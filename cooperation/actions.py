"""Agreed actions (Vereinbarungen / Maßnahmen): agreeing one, updating its status and notes, and
which actions a reader may see.

Every status change is history: `update_action` (the site) and `record_admin_edit` (the admin)
write an ActionUpdate with the status before and after, so the detail page can tell what became
of an action, by whom and when. `action_changed` tells the apps above (subscriptions).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from kb.listings import exclude_restricted, visible_to_user
from kb.models import City
from kb.reviews import user_name

from .models import Action, ActionStatus, ActionUpdate, MeetingPage, WorkingGroupPage
from .signals import action_changed

__all__ = [
    "create_action",
    "update_action",
    "record_admin_edit",
    "visible_groups",
    "visible_actions",
    "visible_actions_for_user",
    "with_list_data",
    "person_label",
]


def person_label(user) -> str:
    """How the site names a person responsible: full name, else the login name."""
    return user_name(user)


def create_action(
    *,
    group: WorkingGroupPage,
    title: str,
    user,
    description: str = "",
    meeting: MeetingPage | None = None,
    responsible=None,
    cities: Iterable[City] = (),
    due_date: datetime.date | None = None,
) -> Action:
    """Agree a new action (status "offen") and tell the apps above."""
    with transaction.atomic():
        action = Action.objects.create(
            title=title,
            description=description,
            group=group,
            meeting=meeting,
            responsible=responsible,
            due_date=due_date,
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )
        action.cities.set(list(cities))
    action_changed.send(sender=Action, action=action, update=None, actor=user, created=True)
    return action


def update_action(
    action: Action, user, status: str | None = None, text: str = ""
) -> ActionUpdate | None:
    """Change the status and/or add a progress note; returns the history entry written, or None
    when there was nothing to record (same status, no note)."""
    text = (text or "").strip()
    if status is not None and status not in ActionStatus.values:
        raise ValueError(f"unknown action status {status!r}")
    with transaction.atomic():
        # Locked so that two members changing the status at once each record the status they
        # really changed from (PostgreSQL; SQLite serialises writers anyway).
        current = Action.objects.select_for_update().get(pk=action.pk)
        changes_status = status is not None and status != current.status
        if not changes_status and not text:
            return None
        update = ActionUpdate.objects.create(
            action=current,
            author=user if getattr(user, "is_authenticated", False) else None,
            text=text,
            status_from=current.status if changes_status else "",
            status_to=status if changes_status else "",
        )
        if changes_status:
            Action.objects.filter(pk=current.pk).update(status=status, updated=update.created)
            action.status = status
        else:
            Action.objects.filter(pk=current.pk).update(updated=update.created)
    action_changed.send(sender=Action, action=action, update=update, actor=user, created=False)
    return update


def record_admin_edit(
    action: Action, user, status_before: str, due_before: datetime.date | None
) -> ActionUpdate | None:
    """After the admin saved an action: its status change goes into the history (as from the
    site), and a new due date starts the reminders afresh."""
    if action.due_date != due_before:
        reset_reminders(action)
    if action.status == status_before:
        return None
    update = ActionUpdate.objects.create(
        action=action,
        author=user if getattr(user, "is_authenticated", False) else None,
        status_from=status_before,
        status_to=action.status,
    )
    action_changed.send(sender=Action, action=action, update=update, actor=user, created=False)
    return update


def reset_reminders(action: Action) -> None:
    """The reminders were for another due date: send them again for the new one."""
    Action.objects.filter(pk=action.pk).update(reminder_stage="", reminded_on=None)
    action.reminder_stage, action.reminded_on = "", None


# --- what a reader may see ------------------------------------------------------------------


def visible_groups(request: HttpRequest) -> QuerySet[WorkingGroupPage]:
    """Live working groups this request may read (view restrictions respected)."""
    return exclude_restricted(WorkingGroupPage.objects.live(), request)


def visible_actions(request: HttpRequest) -> QuerySet[Action]:
    """Actions of the working groups this request may read: an action is as visible as its
    group's page (a draft or closed-off group's actions stay hidden)."""
    return Action.objects.filter(group__in=visible_groups(request).values("pk"))


def visible_actions_for_user(user) -> QuerySet[Action]:
    """The same, decided without a request (calendar feed): a password-protected section
    counts as closed, an inactive user sees nothing."""
    groups = visible_to_user(WorkingGroupPage.objects.all(), user)
    return Action.objects.filter(group__in=groups.values("pk"))


def with_list_data(queryset: QuerySet[Action]) -> QuerySet[Action]:
    """What lists of actions print (includes/action_list.html, the tracker), in a fixed number
    of queries."""
    return queryset.select_related("group", "meeting", "responsible").prefetch_related("cities")

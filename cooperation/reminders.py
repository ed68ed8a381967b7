"""Reminders to the person responsible for an agreed action, before and after its due date.

Per open action with a due date, in a live working group, whose responsible person is active
and has an e-mail address: one mail COOPERATION_ACTION_REMINDER_DAYS (default 7) days before the
due date ("before"), and one the day after it passed while the action is still open ("after").
Closed actions (erledigt, verworfen) get nothing. As for article reviews (kb.reviews), each mail
is claimed with a conditional update of reminder_stage/reminded_on before it is sent and the
claim is given back if sending fails: a second or parallel run sends nothing twice, and a failed
mail is tried again on the next run.

A reminder counts only for the due date it was sent for: the admin resets the stage when the
due date changes (cooperation.actions.record_admin_edit), and a stage whose day does not fit the
current due date (changed some other way) is treated as not sent.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import F
from django.urls import reverse

from kb.mail import deliver

from .actions import person_label
from .models import OPEN_STATUSES, Action

BEFORE, AFTER = "before", "after"
TEMPLATES = {
    BEFORE: "cooperation/mail/action_due_soon",
    AFTER: "cooperation/mail/action_overdue",
}


def reminder_days() -> int:
    return int(getattr(settings, "COOPERATION_ACTION_REMINDER_DAYS", 7))


def _effective_stage(action: Action, days: int) -> str:
    """The stage as far as the current due date is concerned."""
    due, on = action.due_date, action.reminded_on
    if action.reminder_stage == BEFORE and on is not None and on >= due - datetime.timedelta(days):
        return BEFORE
    if action.reminder_stage == AFTER and on is not None and on > due:
        return AFTER
    return ""


def next_stage(action: Action, today: datetime.date, days: int | None = None) -> str | None:
    """The reminder this action is due for today ("before" or "after"), or None."""
    days = reminder_days() if days is None else days
    if action.status not in OPEN_STATUSES or action.due_date is None:
        return None
    stage = _effective_stage(action, days)
    if today > action.due_date:
        return AFTER if stage != AFTER else None
    if today >= action.due_date - datetime.timedelta(days=days):
        return BEFORE if stage == "" else None
    return None


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def reminder_context(action: Action, stage: str, today: datetime.date) -> dict:
    url = _absolute(reverse("cooperation:action_detail", args=[action.pk]))
    return {
        "action": action,
        "stage": stage,
        "url": url,
        "update_url": url + "#stand",
        "tracker_url": _absolute(reverse("cooperation:tracker")),
        "due": action.due_date,
        "days_left": (action.due_date - today).days,
        "days_over": (today - action.due_date).days,
        "group": action.group.title,
        "name": person_label(action.responsible),
    }


def send_action_reminders(today: datetime.date) -> int:
    """Sends the reminders due today; returns how many went out. Idempotent per stage."""
    days = reminder_days()
    sent = 0
    actions = (
        Action.objects.filter(
            status__in=OPEN_STATUSES,
            due_date__isnull=False,
            due_date__lte=today + datetime.timedelta(days=days),
            group__live=True,
            responsible__is_active=True,
        )
        .exclude(responsible__email="")
        # Already told after this due date: the list stays as short as the open reminders.
        .exclude(reminder_stage=AFTER, reminded_on__gt=F("due_date"))
        .select_related("group", "responsible")
        .order_by("due_date", "pk")
    )
    for action in actions:
        stage = next_stage(action, today, days)
        if stage is None:
            continue
        old = {"reminder_stage": action.reminder_stage, "reminded_on": action.reminded_on}
        claimed = Action.objects.filter(pk=action.pk, status__in=OPEN_STATUSES, **old).update(
            reminder_stage=stage, reminded_on=today
        )
        if not claimed:
            continue
        try:
            deliver(
                [action.responsible.email], TEMPLATES[stage], reminder_context(action, stage, today)
            )
        except Exception:
            Action.objects.filter(pk=action.pk, reminder_stage=stage, reminded_on=today).update(
                **old
            )
            raise
        sent += 1
    return sent

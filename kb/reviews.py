"""Review cycles of articles: intervals and due dates (the owners' "Inhalt ist aktuell").

An article is due for review `interval` months after its last review (or, never reviewed,
after its first publication); interval 0 means no regular review (e.g. Städtetag reports).
"""

from __future__ import annotations

import calendar
import datetime

NO_REGULAR_REVIEW = 0
DEFAULT_INTERVAL = 12

TOPIC_INTERVAL_CHOICES = [
    (3, "alle 3 Monate"),
    (6, "alle 6 Monate"),
    (12, "alle 12 Monate"),
    (24, "alle 24 Monate"),
    (36, "alle 36 Monate"),
    (NO_REGULAR_REVIEW, "keine regelmäßige Prüfung"),
]
# An article may also leave it to its topic area (None, the form's empty choice).
INTERVAL_CHOICES = TOPIC_INTERVAL_CHOICES


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months; the 31st becomes the month's last day where needed."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def due_date(since: datetime.date | None, interval: int) -> datetime.date | None:
    """When the next review falls due (None: no regular review, or no date to count from)."""
    if not interval or since is None:
        return None
    return add_months(since, interval)


def _reachable(user) -> bool:
    return user is not None and user.is_active and bool(user.email)


def chief_editors():
    """Active members of the Chefredaktion with an e-mail address (the last to be told)."""
    from django.contrib.auth import get_user_model

    return list(
        get_user_model()
        .objects.filter(groups__name=CHIEF_GROUP, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .distinct()
    )


CHIEF_GROUP = "Chefredaktion"


def answerable_users(page) -> list:
    """Who answers for an article now: its owner; an inactive, deleted or unreachable owner
    hands over to the deputy, and without one to the Chefredaktion."""
    for user in (page.responsible, page.deputy):
        if _reachable(user):
            return [user]
    return chief_editors()

"""The iCal feed of due dates: open actions as all-day events, behind a personal secret address.

A calendar program has no session: the token in the URL names the user, as for the personal
Atom feed (subscriptions/tokens.py): "<user id>.<secret>", only sha256(secret) is stored and
compared in constant time. The events are decided when the calendar is fetched, with that
user's view restrictions.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from .actions import person_label, visible_actions_for_user
from .models import OPEN_STATUSES, Action, CalendarToken

MAX_TOKEN_LENGTH = 200


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_calendar_token(user) -> str:
    """Create (or replace) the user's calendar token; the clear token is returned only now."""
    secret = secrets.token_urlsafe(32)
    CalendarToken.objects.update_or_create(
        user=user, defaults={"token_hash": _digest(secret), "created": timezone.now()}
    )
    return f"{user.pk}.{secret}"


def revoke_calendar_token(user) -> None:
    CalendarToken.objects.filter(user=user).delete()


def user_for_calendar_token(token: str):
    """The active user whose token this is, or None (wrong, revoked, malformed, inactive)."""
    user_part, dot, secret = token.partition(".")
    if not (dot and secret and user_part.isascii() and user_part.isdigit()):
        return None
    if len(token) > MAX_TOKEN_LENGTH or len(user_part) > 12:
        return None
    row = CalendarToken.objects.select_related("user").filter(user_id=int(user_part)).first()
    if row is None:
        # Hash anyway: a missing user answers no faster than a wrong secret.
        _digest(secret)
        return None
    if not hmac.compare_digest(_digest(secret), row.token_hash):
        return None
    return row.user if row.user.is_active else None


def _absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def uid_of(action: Action) -> str:
    """Stable per action (a changed due date moves the event, it does not duplicate it)."""
    host = settings.WAGTAILADMIN_BASE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
    return f"massnahme-{action.pk}@{host or 'wissensnetz'}"


def calendar_actions(user) -> list[Action]:
    return list(
        visible_actions_for_user(user)
        .filter(status__in=OPEN_STATUSES, due_date__isnull=False)
        .select_related("group", "responsible")
        .order_by("due_date", "pk")
    )


def calendar_bytes(user) -> bytes:
    """The user's calendar: one all-day event per open action with a due date."""
    calendar = Calendar()
    calendar.add("prodid", "-//Wissensnetz//Maßnahmen//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Wissensnetz – Fällige Maßnahmen")
    stamp = timezone.now().astimezone(datetime.UTC).replace(microsecond=0)
    for action in calendar_actions(user):
        url = _absolute(reverse("cooperation:action_detail", args=[action.pk]))
        event = Event()
        event.add("uid", uid_of(action))
        event.add("dtstamp", stamp)
        event.add("summary", f"Fällig: {action.title}")
        event.add("dtstart", action.due_date)
        event.add("dtend", action.due_date + datetime.timedelta(days=1))
        event.add("url", url)
        lines = [f"Arbeitsgruppe: {action.group.title}", f"Status: {action.get_status_display()}"]
        if action.responsible_id:
            lines.append(f"Verantwortlich: {person_label(action.responsible)}")
        if action.description:
            lines.append("")
            lines.append(action.description)
        lines += ["", url]
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()

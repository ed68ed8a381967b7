"""Closing a report with a reply, the same from the admin and from the reading side."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import Report
from .notifications import display_name, notify_reply


@dataclass
class Closed:
    closed: bool  # False: someone else closed it first
    mailed: bool = False
    message: str = ""


def close_report(report: Report, user, reply: str) -> Closed:
    """Close `report` with `reply` and mail the reply to the reporter.

    The update is conditional: when two people close it at once, only the first reply counts
    and only one mail goes out."""
    with transaction.atomic():
        closed = Report.objects.filter(pk=report.pk, status=Report.Status.OPEN).update(
            status=Report.Status.CLOSED, reply=reply, closed_by=user, closed_at=timezone.now()
        )
    if not closed:
        return Closed(False, message="Diese Meldung wurde inzwischen schon erledigt.")
    report.refresh_from_db()
    title, reporter = report.article.title, display_name(report.reporter)
    if notify_reply(report):
        return Closed(
            True,
            True,
            f"Die Meldung zu „{title}“ ist erledigt; {reporter} erhält Ihre Antwort per E-Mail.",
        )
    return Closed(
        True,
        False,
        f"Die Meldung zu „{title}“ ist erledigt, aber die E-Mail an {reporter} konnte nicht "
        "gesendet werden.",
    )

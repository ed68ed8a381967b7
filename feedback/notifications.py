"""The feedback mails: a new report or a "Nein" with a comment to whoever answers for the
article (kb.reviews.answerable_users: owner → deputy → Chefredaktion), and the reply that
closes a report to its reporter. Plain text (templates/feedback/mail/), via kb.mail.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.urls import reverse

from kb.mail import send_templated
from kb.reviews import answerable_users

from .models import Report, Vote

logger = logging.getLogger(__name__)


def display_name(user) -> str:
    if user is None:
        return "eine gelöschte Person"
    return user.get_full_name() or user.get_username()


def absolute_url(name: str, *args) -> str:
    """Links in mails: the site's configured address, never a request's Host header."""
    return settings.WAGTAILADMIN_BASE_URL + reverse(name, args=args)


def _article_context(article) -> dict:
    return {"article": article, "article_url": article.get_full_url() or ""}


def _send(to: list[str], template: str, context: dict) -> bool:
    """Send one mail; False (and logged) if the mail server refused it. The feedback itself is
    saved already and shown in the admin, so a mail failure must not lose it."""
    try:
        send_templated(to, template, context)
    except Exception:
        logger.exception("Feedback mail %s to %s could not be sent", template, to)
        return False
    return True


def notify_new_report(report: Report) -> bool:
    recipients = answerable_users(report.article)
    return _send(
        [user.email for user in recipients],
        "feedback/mail/report_new",
        {
            **_article_context(report.article),
            "report": report,
            "reporter_name": display_name(report.reporter),
            # The reading side's pages work for every recipient (an owner may have no admin
            # access); the admin list is for the Redaktion.
            "report_url": absolute_url("feedback:report_detail", report.pk),
            "list_url": absolute_url("feedback:reports"),
            "admin_list_url": absolute_url("feedback_admin:index"),
        },
    )


def notify_negative_vote(vote: Vote) -> bool:
    recipients = answerable_users(vote.article)
    return _send(
        [user.email for user in recipients],
        "feedback/mail/vote_negative",
        {
            **_article_context(vote.article),
            "vote": vote,
            "voter_name": display_name(vote.user),
            "list_url": absolute_url("feedback:reports"),
            "helpfulness_url": absolute_url("feedback_report:index"),
        },
    )


def notify_reply(report: Report) -> bool:
    reporter = report.reporter
    if reporter is None or not reporter.is_active or not reporter.email:
        return True  # nobody to tell; not a failure
    return _send(
        [reporter.email],
        "feedback/mail/report_reply",
        {
            **_article_context(report.article),
            "report": report,
            "reporter_name": display_name(reporter),
            "closer_name": display_name(report.closed_by),
        },
    )

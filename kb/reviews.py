"""Review cycles of articles: intervals and due dates (the owners' "Inhalt ist aktuell").

An article is due for review `interval` months after its last review (or, never reviewed,
after its first publication); interval 0 means no regular review (e.g. Städtetag reports).
"""

from __future__ import annotations

import calendar
import datetime

from django.utils import timezone

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


def user_name(user) -> str:
    """How the site names a user: full name, else the login name."""
    if user is None:
        return ""
    return user.get_full_name().strip() or user.get_username()


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


# --- "Inhalt ist aktuell" -------------------------------------------------------------------

CONFIRM_ACTION = "kb.review_confirmed"
CONFIRM_LABEL = "Inhalt als aktuell bestätigt"
#: Days between the first reminder, the chaser and the hand-over to deputy and Chefredaktion.
CHASE_AFTER_DAYS = 14
#: The review-due panel and the report "Prüfstand" look this many days ahead.
DUE_SOON_DAYS = 30
LAST_STAGE = 3


def is_chief_editor(user) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=CHIEF_GROUP).exists()


def can_confirm(page, user) -> bool:
    """Owner, deputy, whoever may edit the page, and the Chefredaktion may confirm it."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.pk in (page.responsible_id, page.deputy_id) or user.is_superuser:
        return True
    if not user.has_perm("wagtailadmin.access_admin"):
        return False  # staff: no page permissions, and no queries for them
    return page.permissions_for_user(user).can_edit() or is_chief_editor(user)


def confirm_review(page, user, *, today: datetime.date | None = None) -> datetime.date | None:
    """Record that `user` found the article still correct: last review today, the next due date
    moved by the article's interval, reminders reset, an audit-log entry. Written with a
    queryset update, so there is no new revision and "zuletzt geändert" stays as it was.
    Returns the next due date (None: no regular review)."""
    from django.db import transaction
    from wagtail.log_actions import log

    from .models import ArticlePage
    from .signals import review_state_changed

    today = today or timezone.localdate()
    due = due_date(today, page.effective_review_interval())
    with transaction.atomic():
        ArticlePage.objects.filter(pk=page.pk).update(
            last_reviewed=today,
            last_reviewed_by=user,
            review_due=due,
            reminder_stage=0,
            reminded_on=None,
        )
        log(
            instance=page,
            action=CONFIRM_ACTION,
            user=user,
            data={"review_due": due.isoformat() if due else None},
        )
    page.last_reviewed, page.last_reviewed_by, page.review_due = today, user, due
    page.reminder_stage, page.reminded_on = 0, None
    review_state_changed.send(sender=ArticlePage, page_ids=[page.pk])
    return due


def register_log_actions(actions) -> None:
    """Wagtail's audit log (page history) names the action in German."""
    from wagtail.log_actions import LogFormatter

    class ReviewConfirmedFormatter(LogFormatter):
        label = CONFIRM_LABEL

        def format_message(self, log_entry):
            due = (log_entry.data or {}).get("review_due")
            if not due:
                return f"{CONFIRM_LABEL} (keine regelmäßige Prüfung)"
            day = datetime.date.fromisoformat(due)
            return f"{CONFIRM_LABEL}; nächste Prüfung am {day:%d.%m.%Y}"

    actions.register_action(CONFIRM_ACTION)(ReviewConfirmedFormatter)


def recompute_topic_due_dates(topic) -> list[int]:
    """After a topic area's interval changed: the due dates of its articles without their own
    interval (a queryset update per due date; the search follows via review_state_changed)."""
    from .models import ArticlePage
    from .signals import review_state_changed

    articles = ArticlePage.objects.child_of(topic).filter(review_interval__isnull=True)
    changed: list[int] = []
    for pk, last_reviewed, first_published, current in articles.values_list(
        "pk", "last_reviewed", "first_published", "review_due"
    ):
        due = due_date(last_reviewed or first_published, topic.default_review_interval)
        if due != current:
            ArticlePage.objects.filter(pk=pk).update(review_due=due)
            changed.append(pk)
    if changed:
        review_state_changed.send(sender=ArticlePage, page_ids=changed)
    return changed


def is_overdue(page, today: datetime.date | None = None) -> bool:
    return page.review_due is not None and page.review_due < (today or timezone.localdate())


# --- reminder e-mails -----------------------------------------------------------------------


def _reminder_step(page, today: datetime.date):
    """(new stage, mail template, recipients) of the article's next reminder, or None."""
    stage = page.reminder_stage
    if stage >= LAST_STAGE:
        return None
    if stage > 0 and (
        page.reminded_on is None
        or today < page.reminded_on + datetime.timedelta(days=CHASE_AFTER_DAYS)
    ):
        return None
    if stage == 0:
        return 1, "kb/mail/review_due", answerable_users(page)
    if stage == 1:
        return 2, "kb/mail/review_chaser", answerable_users(page)
    deputy = [page.deputy] if _reachable(page.deputy) else []
    recipients = {user.pk: user for user in [*deputy, *chief_editors()]}
    return 3, "kb/mail/review_escalation", list(recipients.values())


def _absolute(path: str) -> str:
    from django.conf import settings

    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def reminder_context(page, recipients: list, stage: int) -> dict:
    from django.urls import reverse

    url = page.get_url() or "/"
    return {
        "page": page,
        "stage": stage,
        "url": url if url.startswith("http") else _absolute(url),
        "edit_url": _absolute(reverse("wagtailadmin_pages:edit", args=[page.pk])),
        "confirm_url": _absolute(reverse("kb_review_admin_confirm", args=[page.pk])),
        "due": page.review_due,
        "owner": user_name(page.responsible) if page.responsible else "",
        "deputy": user_name(page.deputy) if page.deputy else "",
        "recipients": recipients,
        "chase_days": CHASE_AFTER_DAYS,
    }


def send_review_reminders(today: datetime.date | None = None) -> int:
    """Send the reminders that are due today; returns how many e-mails went out.

    Per live article with review_due <= today: stage 0 -> "Prüfung fällig" to the owner,
    stage 1 (14 days later) -> a chaser, stage 2 (another 14 days) -> the deputy and the
    Chefredaktion, the last mail. Each step is claimed with a conditional update before the
    mail is sent (a second run, or a parallel one, finds nothing to claim) and given back if
    sending fails, so no mail goes out twice and none is lost."""
    from .mail import deliver
    from .models import ArticlePage

    today = today or timezone.localdate()
    sent = 0
    pages = (
        ArticlePage.objects.live()
        .filter(review_due__lte=today, reminder_stage__lt=LAST_STAGE)
        .select_related("responsible", "deputy")
        .order_by("review_due", "pk")
    )
    for page in pages:
        step = _reminder_step(page, today)
        if step is None:
            continue
        stage, template, recipients = step
        addresses = [user.email for user in recipients if user.email]
        if not addresses:
            continue
        old = {"reminder_stage": page.reminder_stage, "reminded_on": page.reminded_on}
        claimed = ArticlePage.objects.filter(pk=page.pk, **old).update(
            reminder_stage=stage, reminded_on=today
        )
        if not claimed:
            continue
        try:
            deliver(addresses, template, reminder_context(page, recipients, stage))
        except Exception:
            ArticlePage.objects.filter(pk=page.pk, reminder_stage=stage, reminded_on=today).update(
                **old
            )
            raise
        sent += 1
    return sent

"""Review reminders: one mail when a review falls due, a chaser after 14 days, then the deputy and
the Chefredaktion; an unreachable owner hands over; idempotent across runs (mails read back
from the loopback SMTP server)."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from kb.models import ArticlePage
from kb.reviews import confirm_review, send_review_reminders
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SLUG = "demo-hitzeschutz-arnsberg"


@pytest.fixture
def people(db):
    owner = make_user("olaf", "Redaktion Arnsberg", email="olaf@arnsberg.example")
    deputy = make_user("dana", "Redaktion Arnsberg", email="dana@arnsberg.example")
    return owner, deputy


@pytest.fixture
def article(demo_articles, people, chief) -> ArticlePage:
    """The only article due: the demo's others are given a review today."""
    owner, deputy = people
    today = datetime.date.today()
    ArticlePage.objects.exclude(slug=SLUG).update(last_reviewed=today, review_due=None)
    ArticlePage.objects.filter(slug=SLUG).update(responsible=owner, deputy=deputy)
    return ArticlePage.objects.get(slug=SLUG)


def test_sequence_owner_chaser_then_deputy_and_chief(smtp_server, article, people, chief):
    owner, deputy = people
    due = article.review_due
    day = due + datetime.timedelta(days=1)

    assert send_review_reminders(due - datetime.timedelta(days=1)) == 0  # not yet due
    assert send_review_reminders(day) == 1
    first = smtp_server.mails
    assert len(first) == 1 and first[0].to == ["olaf@arnsberg.example"]
    assert first[0].subject.strip() == f"Prüfung fällig: {article.title}"
    text = first[0].text
    assert article.title in text
    assert f"fällig am {due:%d.%m.%Y}" in text
    assert f"http://127.0.0.1:8000{article.url}" in text
    assert f"http://127.0.0.1:8000/admin/pruefung/{article.pk}/bestaetigen/" in text
    assert "„Inhalt ist aktuell“" in text

    # The same day again, and 13 days later: nothing.
    assert send_review_reminders(day) == 0
    assert send_review_reminders(day + datetime.timedelta(days=13)) == 0
    assert len(smtp_server.mails) == 1

    chase_day = day + datetime.timedelta(days=14)
    assert send_review_reminders(chase_day) == 1
    assert send_review_reminders(chase_day) == 0
    chaser = smtp_server.mails[1]
    assert chaser.to == ["olaf@arnsberg.example"]
    assert chaser.subject.strip().startswith("Erinnerung: Prüfung fällig")

    last_day = chase_day + datetime.timedelta(days=14)
    assert send_review_reminders(last_day) == 1
    escalation = smtp_server.mails[2]
    assert sorted(escalation.to) == ["charlotte@sundern.example", "dana@arnsberg.example"]
    assert escalation.subject.strip() == f"Prüfung überfällig: {article.title}"
    assert "olaf" in escalation.text

    # That was the last mail; the state is recorded per article.
    assert send_review_reminders(last_day + datetime.timedelta(days=60)) == 0
    assert len(smtp_server.mails) == 3
    article.refresh_from_db()
    assert (article.reminder_stage, article.reminded_on) == (3, last_day)


def test_confirming_resets_the_sequence(smtp_server, article, people):
    owner, _ = people
    day = article.review_due + datetime.timedelta(days=1)
    assert send_review_reminders(day) == 1
    confirm_review(article, owner, today=day)
    article.refresh_from_db()
    assert (article.reminder_stage, article.reminded_on) == (0, None)
    assert send_review_reminders(day + datetime.timedelta(days=14)) == 0  # next due in a year
    assert len(smtp_server.mails) == 1


@pytest.mark.parametrize("how", ["inactive", "deleted", "no address"])
def test_unreachable_owner_hands_over_to_the_deputy(smtp_server, article, people, how):
    owner, _ = people
    if how == "inactive":
        owner.is_active = False
        owner.save()
    elif how == "deleted":
        owner.delete()
    else:
        owner.email = ""
        owner.save()
    assert send_review_reminders(article.review_due) == 1
    assert smtp_server.mails[0].to == ["dana@arnsberg.example"]


def test_without_owner_and_deputy_the_chief_is_told(smtp_server, article):
    ArticlePage.objects.filter(pk=article.pk).update(responsible=None, deputy=None)
    assert send_review_reminders(article.review_due) == 1
    assert smtp_server.mails[0].to == ["charlotte@sundern.example"]


def test_no_regular_review_sends_nothing(smtp_server, article):
    ArticlePage.objects.filter(pk=article.pk).update(review_interval=0, review_due=None)
    assert send_review_reminders(datetime.date(2099, 1, 1)) == 0
    assert smtp_server.mails == []


def test_failed_send_is_given_back_and_sent_once_later(smtp_server, article, settings):
    day = article.review_due
    working_port = settings.EMAIL_PORT
    # The mail relay is down: nothing listens on the discard port of loopback.
    settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = 9, 1
    with pytest.raises(OSError):
        send_review_reminders(day)
    article.refresh_from_db()
    assert (article.reminder_stage, article.reminded_on) == (0, None)  # claim given back

    settings.EMAIL_PORT = working_port
    assert send_review_reminders(day) == 1
    assert send_review_reminders(day) == 0
    assert len(smtp_server.mails) == 1


def test_command_sends_and_a_second_run_sends_nothing(smtp_server, article, capsys):
    day = (article.review_due + datetime.timedelta(days=2)).isoformat()
    call_command("kb_send_review_reminders", "--date", day)
    call_command("kb_send_review_reminders", "--date", day)
    out = capsys.readouterr().out
    assert "1 Prüf-Erinnerung(en) versendet." in out
    assert "0 Prüf-Erinnerung(en) versendet." in out
    assert len(smtp_server.mails) == 1

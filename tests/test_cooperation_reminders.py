"""Reminders to the person responsible for an action: once N days before the due date, once
after it passed while still open; nothing twice, nothing for closed actions; a new due date
starts again; `kb_send_notifications` sends them (mails read back from the loopback SMTP
server)."""

from __future__ import annotations

import datetime
import io
import socket

import pytest
from django.core.management import call_command

from cooperation.actions import record_admin_edit, update_action
from cooperation.models import Action, ActionStatus
from cooperation.reminders import send_action_reminders
from tests.coop_actions_setup import Coop, coop_fixture  # noqa: F401  (the "coop" fixture)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def action(coop: Coop) -> Action:
    return coop.action("Energieberichte austauschen", due_in=20)


def test_before_and_after_the_due_date_once_each(smtp_server, coop, action):
    due = action.due_date
    assert send_action_reminders(due - 8 * DAY) == 0  # not yet
    assert send_action_reminders(due - 7 * DAY) == 1
    (mail,) = smtp_server.mails
    assert mail.to == ["mona@sundern.example"]
    assert mail.subject.strip() == "Maßnahme bald fällig: Energieberichte austauschen"
    assert "Guten Tag Mona Meier," in mail.text
    assert f"am {due:%d.%m.%Y} fällig (in 7 Tagen)" in mail.text
    assert "Arbeitsgruppe „Klimaneutralität & Energie“" in mail.text
    assert f"http://127.0.0.1:8000/massnahmen/{action.pk}/#stand" in mail.text

    # The same day again, the following days and on the due date: nothing more.
    for day in (due - 7 * DAY, due - 6 * DAY, due):
        assert send_action_reminders(day) == 0
    assert len(smtp_server.mails) == 1

    assert send_action_reminders(due + DAY) == 1
    after = smtp_server.mails[1]
    assert after.subject.strip() == "Maßnahme überfällig: Energieberichte austauschen"
    assert f"war am {due:%d.%m.%Y} fällig und ist noch offen" in after.text
    for day in (due + DAY, due + 2 * DAY, due + 100 * DAY):
        assert send_action_reminders(day) == 0
    assert len(smtp_server.mails) == 2
    action.refresh_from_db()
    assert (action.reminder_stage, action.reminded_on) == ("after", due + DAY)


def test_a_late_first_run_sends_only_the_after_reminder(smtp_server, coop):
    late = coop.action("Schon vorbei", due_in=-2)
    assert send_action_reminders(coop.today) == 1
    assert smtp_server.mails[0].subject.strip() == "Maßnahme überfällig: Schon vorbei"
    assert send_action_reminders(coop.today) == 0
    late.refresh_from_db()
    assert late.reminder_stage == "after"


def test_closed_actions_and_unreachable_people_get_nothing(smtp_server, coop):
    coop.action("Erledigt", due_in=-2, status=ActionStatus.DONE)
    coop.action("Verworfen", due_in=3, status=ActionStatus.DROPPED)
    coop.action("Niemand", due_in=3, responsible=None)
    coop.action("Ohne Datum", due_in=None)
    coop.lead.email = ""
    coop.lead.save()
    coop.action("Ohne Adresse", due_in=3, responsible=coop.lead)
    assert send_action_reminders(coop.today) == 0
    assert smtp_server.mails == []
    # Marked "erledigt" after the first reminder: no "after" reminder.
    open_one = coop.action("Bald erledigt", due_in=3)
    assert send_action_reminders(coop.today) == 1
    update_action(open_one, coop.member, status=ActionStatus.DONE)
    assert send_action_reminders(coop.today + 10 * DAY) == 0
    # The responsible person left: nothing either.
    still_open = coop.action("Verwaist", due_in=-1)
    coop.member.is_active = False
    coop.member.save()
    assert send_action_reminders(coop.today) == 0
    still_open.refresh_from_db()
    assert still_open.reminder_stage == ""


def test_a_new_due_date_starts_the_reminders_again(smtp_server, coop, action):
    due = action.due_date
    assert send_action_reminders(due - 7 * DAY) == 1
    # Postponed in the admin by a month: reset, reminded again before the new date.
    old_due = action.due_date
    action.due_date = due + 30 * DAY
    action.save()
    record_admin_edit(action, coop.lead, status_before=action.status, due_before=old_due)
    action.refresh_from_db()
    assert action.reminder_stage == ""
    assert send_action_reminders(due + DAY) == 0  # the old date passing means nothing now
    assert send_action_reminders(action.due_date - 7 * DAY) == 1
    assert len(smtp_server.mails) == 2
    assert f"am {action.due_date:%d.%m.%Y} fällig" in smtp_server.mails[1].text


def test_a_due_date_changed_elsewhere_counts_too(smtp_server, coop, action):
    due = action.due_date
    assert send_action_reminders(due + DAY) == 1  # "after"
    # Moved into the future without the admin (shell, import): the old reminders do not count.
    Action.objects.filter(pk=action.pk).update(due_date=due + 40 * DAY)
    assert send_action_reminders(due + 40 * DAY - 7 * DAY) == 1
    assert send_action_reminders(due + 41 * DAY) == 1
    assert [mail.subject.strip().split(":")[0] for mail in smtp_server.mails] == [
        "Maßnahme überfällig",
        "Maßnahme bald fällig",
        "Maßnahme überfällig",
    ]


def test_days_before_is_a_setting(smtp_server, coop, action, settings):
    settings.COOPERATION_ACTION_REMINDER_DAYS = 3
    assert send_action_reminders(action.due_date - 4 * DAY) == 0
    assert send_action_reminders(action.due_date - 3 * DAY) == 1
    assert "(in 3 Tagen)" in smtp_server.mails[0].text


def test_a_failed_mail_is_tried_again(smtp_server, coop, action, settings):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]  # nobody listens there once closed
    with pytest.raises(OSError):
        send_action_reminders(action.due_date - 7 * DAY)
    action.refresh_from_db()
    assert (action.reminder_stage, action.reminded_on) == ("", None)
    settings.EMAIL_PORT = smtp_server.port
    assert send_action_reminders(action.due_date - 7 * DAY) == 1


def test_the_periodic_command_sends_them(smtp_server, coop, action):
    out = io.StringIO()
    day = action.due_date - 7 * DAY
    call_command("kb_send_notifications", f"--now={day.isoformat()}T08:00", stdout=out)
    assert "Maßnahmen-Erinnerungen: 1" in out.getvalue()
    assert [mail.to for mail in smtp_server.mails] == [["mona@sundern.example"]]
    out = io.StringIO()
    call_command("kb_send_notifications", f"--now={day.isoformat()}T08:05", stdout=out)
    assert "Maßnahmen-Erinnerungen: 0" in out.getvalue()
    assert len(smtp_server.mails) == 1

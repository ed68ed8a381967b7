"""Agreed actions on the site: members and editors update status and notes (every change goes
into the history), other staff only read; agreeing a new action; the admin's edits are history
too; the compact list other pages include."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import PageViewRestriction

from cooperation.actions import update_action
from cooperation.models import Action, ActionStatus, ActionUpdate
from cooperation.signals import action_changed
from tests.conftest import make_user
from tests.coop_actions_setup import coop_fixture  # noqa: F401  (the "coop" fixture)

pytestmark = pytest.mark.django_db


def detail_url(action) -> str:
    return reverse("cooperation:action_detail", args=[action.pk])


@pytest.fixture
def changes():
    seen = []

    def receiver(sender, **kwargs):
        seen.append(kwargs)

    action_changed.connect(receiver, dispatch_uid="test-action-changed")
    yield seen
    action_changed.disconnect(dispatch_uid="test-action-changed")


def test_member_marks_done_with_note_and_history_shows_it(client, coop, changes):
    action = coop.action("Energieberichte austauschen")
    client.force_login(coop.member)
    page = client.get(detail_url(action))
    assert page.status_code == 200
    assert "Stand aktualisieren" in page.content.decode()

    response = client.post(
        detail_url(action), {"status": ActionStatus.DONE, "text": "Berichte liegen beiden vor."}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(detail_url(action) + "#verlauf")

    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    (update,) = ActionUpdate.objects.filter(action=action)
    assert (update.status_from, update.status_to) == (ActionStatus.OPEN, ActionStatus.DONE)
    assert update.author == coop.member and update.text == "Berichte liegen beiden vor."
    assert changes[-1]["update"] == update and changes[-1]["created"] is False
    assert changes[-1]["actor"] == coop.member

    html = client.get(response["Location"]).content.decode()
    assert "Gespeichert: Status „offen“ → „erledigt“." in html
    assert "Mona Meier" in html and "Berichte liegen beiden vor." in html
    assert "offen → <strong>erledigt</strong>" in html


def test_history_lists_notes_and_changes_oldest_first(client, coop):
    action = coop.action("Fördermittel prüfen")
    update_action(action, coop.lead, text="Erste Liste erstellt.")
    update_action(action, coop.member, status=ActionStatus.IN_PROGRESS)
    update_action(action, coop.lead, status=ActionStatus.DONE, text="Antrag gestellt.")
    client.force_login(coop.member)
    html = client.get(detail_url(action)).content.decode()
    first, second, third = (
        html.index("Erste Liste erstellt."),
        html.index("offen → <strong>in Arbeit</strong>"),
        html.index("Antrag gestellt."),
    )
    assert first < second < third
    assert html.count('class="action-history__entry"') == 3


def test_note_without_status_change_is_history_too(client, coop):
    action = coop.action("Wärmeplanung vergleichen")
    client.force_login(coop.lead)
    client.post(detail_url(action), {"status": ActionStatus.OPEN, "text": "Termin steht."})
    update = ActionUpdate.objects.get(action=action)
    assert (update.status_from, update.status_to, update.text) == ("", "", "Termin steht.")
    assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN


def test_nothing_to_save_is_a_clear_message(client, coop):
    action = coop.action("Wärmeplanung vergleichen")
    client.force_login(coop.member)
    response = client.post(detail_url(action), {"status": ActionStatus.OPEN, "text": "  "})
    assert response.status_code == 400
    assert "sonst gibt es nichts" in response.content.decode()
    response = client.post(detail_url(action), {"status": "fertig", "text": "x"})
    assert response.status_code == 400
    assert not ActionUpdate.objects.exists()


def test_staff_outside_the_group_read_but_may_not_update(client, coop, staff):
    action = coop.action("Energieberichte austauschen")
    client.force_login(staff)
    page = client.get(detail_url(action))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Energieberichte austauschen" in html
    assert 'name="status"' not in html
    assert "Den Stand aktualisieren die Mitglieder der Arbeitsgruppe" in html

    response = client.post(detail_url(action), {"status": ActionStatus.DONE, "text": "fertig"})
    assert response.status_code == 403
    assert Action.objects.get(pk=action.pk).status == ActionStatus.OPEN
    assert not ActionUpdate.objects.exists()


def test_member_of_another_group_may_not_update(client, coop):
    action = coop.action("Sprachkurse bündeln", coop.migration)
    client.force_login(coop.member)
    assert client.post(detail_url(action), {"status": ActionStatus.DONE}).status_code == 403


def test_editors_may_update_in_every_group(client, coop, editor):
    action = coop.action("Sprachkurse bündeln", coop.migration)
    client.force_login(editor)
    response = client.post(detail_url(action), {"status": ActionStatus.DROPPED, "text": "Doppelt"})
    assert response.status_code == 302
    update = ActionUpdate.objects.get(action=action)
    assert update.author == editor and update.status_to == ActionStatus.DROPPED


def test_actions_of_hidden_groups_are_not_found(client, coop, staff):
    draft = coop.action("Entwurf", coop.migration)
    coop.migration.unpublish()
    client.force_login(staff)
    assert client.get(detail_url(draft)).status_code == 404

    coop.migration.save_revision().publish()
    restriction = PageViewRestriction.objects.create(
        page=coop.migration, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([])
    assert client.get(detail_url(draft)).status_code == 404
    assert client.get("/massnahmen/999999999999/").status_code == 404
    assert client.get("/massnahmen/abc/").status_code == 404


def test_a_member_agrees_a_new_action(client, coop, changes):
    inactive = make_user("otto", email="o@x.example", first_name="Otto", is_active=False)
    client.force_login(coop.member)
    url = (
        reverse("cooperation:action_create") + f"?group={coop.climate.pk}&meeting={coop.meeting.pk}"
    )
    form = client.get(url)
    assert form.status_code == 200
    html = form.content.decode()
    assert "Mona Meier" in html and "Leo Lang" in html and "(mona)" not in html
    assert "Otto" not in html and f'value="{inactive.pk}"' not in html
    # The meeting from the address is preselected, the group's cities are not yet set.
    assert f'<option value="{coop.meeting.pk}" selected>' in html

    due = coop.today + datetime.timedelta(days=30)
    response = client.post(
        url,
        {
            "title": "Gemeinsamer Energiebericht",
            "description": "Ein Bericht für beide Städte.",
            "meeting": coop.meeting.pk,
            "responsible": coop.lead.pk,
            "cities": [coop.arnsberg.pk, coop.sundern.pk],
            "due_date": due.isoformat(),
        },
    )
    action = Action.objects.get(title="Gemeinsamer Energiebericht")
    assert response.status_code == 302 and response["Location"] == detail_url(action)
    assert action.group == coop.climate and action.meeting == coop.meeting
    assert action.responsible == coop.lead and action.created_by == coop.member
    assert action.status == ActionStatus.OPEN and action.due_date == due
    assert set(action.cities.all()) == {coop.arnsberg, coop.sundern}
    assert changes[-1]["created"] is True and changes[-1]["action"] == action

    page = client.get(detail_url(action)).content.decode()
    assert "Gespeichert: Maßnahme „Gemeinsamer Energiebericht“ vereinbart." in page
    assert "Arnsberg, Sundern" in page and due.strftime("%d.%m.%Y") in page


def test_agreeing_needs_a_title_and_a_known_group(client, coop, staff):
    client.force_login(coop.member)
    url = reverse("cooperation:action_create")
    response = client.post(f"{url}?group={coop.climate.pk}", {"title": ""})
    assert response.status_code == 400
    assert "Bitte prüfen Sie die markierten Felder." in response.content.decode()
    assert not Action.objects.exists()
    for bad in ["?group=abc", "?group=999999", "?group=99999999999999999999", "?group=-1"]:
        assert client.get(url + bad).status_code == 404, bad
    # Without a group: the tracker, where the groups one may agree actions for are listed.
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].endswith("/massnahmen/#neu")
    assert escape(coop.climate.title) in client.get(response["Location"]).content.decode()
    # A Städtetag page id is no working group.
    assert client.get(f"{url}?group={coop.meeting.pk}").status_code == 404
    # Staff outside the group may not agree actions for it.
    client.force_login(staff)
    assert client.get(f"{url}?group={coop.climate.pk}").status_code == 403
    assert client.post(f"{url}?group={coop.climate.pk}", {"title": "x"}).status_code == 403


def test_admin_status_change_is_history(client, coop, editor):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("root", "root@arnsberg.example", "pw-root-12345")
    action = coop.action("Energieberichte austauschen")
    Action.objects.filter(pk=action.pk).update(reminder_stage="before", reminded_on=coop.today)
    client.force_login(admin)
    url = reverse("wagtailsnippets_cooperation_action:edit", args=[action.pk])
    assert client.get(url).status_code == 200
    new_due = coop.today + datetime.timedelta(days=40)
    response = client.post(
        url,
        {
            "title": action.title,
            "description": "",
            "group": coop.climate.pk,
            "meeting": coop.meeting.pk,
            "responsible": coop.member.pk,
            "cities": [coop.arnsberg.pk],
            "due_date": new_due.isoformat(),
            "status": ActionStatus.IN_PROGRESS,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS and action.due_date == new_due
    update = ActionUpdate.objects.get(action=action)
    assert (update.status_from, update.status_to, update.author) == (
        ActionStatus.OPEN,
        ActionStatus.IN_PROGRESS,
        admin,
    )
    # A new due date: the reminders start again.
    assert (action.reminder_stage, action.reminded_on) == ("", None)


def test_compact_list_include(coop):
    late = coop.action("Späte Maßnahme", due_in=-3)
    done = coop.action("Erledigte Maßnahme", due_in=-3, status=ActionStatus.DONE)
    html = render_to_string("includes/action_list.html", {"actions": [late, done]})
    assert f'href="{detail_url(late)}"' in html and "Späte Maßnahme" in html
    assert html.count("überfällig") == 1  # a done action is not overdue
    assert "Verantwortlich: Mona Meier" in html
    assert "Arbeitsgruppe:" not in html
    with_group = render_to_string(
        "includes/action_list.html", {"actions": [late], "show_group": True}
    )
    assert "Arbeitsgruppe: Klimaneutralität &amp; Energie" in with_group
    assert render_to_string("includes/action_list.html", {"actions": []}).strip() == ""

"""The action tracker: filters and counts per status, bad filter values, CSV export, and the
token-protected iCal feed of due dates (parsed back with icalendar)."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from cooperation.models import ActionStatus, CalendarToken
from tests.conftest import make_user
from tests.coop_actions_setup import Coop, coop_fixture  # noqa: F401  (the "coop" fixture)

pytestmark = pytest.mark.django_db

TRACKER = "/massnahmen/"


@pytest.fixture
def actions(coop: Coop):
    """Five actions across both groups, cities, people and statuses."""
    return {
        "late": coop.action("Energieberichte austauschen", due_in=-5),
        "soon": coop.action("Wärmeplanung vergleichen", due_in=3, status=ActionStatus.IN_PROGRESS),
        "done": coop.action("Solardächer zählen", due_in=-20, status=ActionStatus.DONE),
        "sundern": coop.action(
            "Sprachkurse bündeln",
            coop.migration,
            due_in=30,
            cities=[coop.sundern],
            responsible=coop.lead,
        ),
        "dropped": coop.action(
            "Doppelte Statistik", coop.migration, due_in=None, status=ActionStatus.DROPPED
        ),
    }


def counts(html: str) -> dict[str, int]:
    """The numbers of the status counts ("3 offen") as shown on the page."""
    import re

    found = re.findall(r'tracker-counts__number">(\d+)</span> ([^<]+)</a>', html.replace("\n", " "))
    return {label.strip(): int(number) for number, label in found}


def titles(html: str) -> list[str]:
    import re

    return re.findall(r'<th scope="row" data-label="Maßnahme"><a href="[^"]+">([^<]+)</a>', html)


def test_tracker_lists_every_action_with_counts(client, coop, actions, staff):
    client.force_login(staff)
    html = client.get(TRACKER).content.decode()
    assert counts(html) == {"offen": 2, "in Arbeit": 1, "erledigt": 1, "verworfen": 1}
    # What is still to do first, soonest due first; then the closed ones, undated last.
    assert titles(html) == [
        "Energieberichte austauschen",
        "Wärmeplanung vergleichen",
        "Sprachkurse bündeln",
        "Solardächer zählen",
        "Doppelte Statistik",
    ]
    # Overdue is said in words (only for the open one, not the done one).
    assert html.count('<strong class="action-overdue">überfällig</strong>') == 1
    assert "5 Maßnahmen" in html
    assert "Mona Meier" in html and "Städtetag 2023" in html


@pytest.mark.parametrize(
    ("query", "expected", "expected_counts"),
    [
        (
            "status=offen",
            ["Energieberichte austauschen", "Sprachkurse bündeln"],
            {"offen": 2, "in Arbeit": 1, "erledigt": 1, "verworfen": 1},
        ),
        (
            "group={migration}",
            ["Sprachkurse bündeln", "Doppelte Statistik"],
            {"offen": 1, "in Arbeit": 0, "erledigt": 0, "verworfen": 1},
        ),
        (
            "city=sundern",
            ["Sprachkurse bündeln"],
            {"offen": 1, "in Arbeit": 0, "erledigt": 0, "verworfen": 0},
        ),
        (
            "responsible={lead}",
            ["Sprachkurse bündeln"],
            {"offen": 1, "in Arbeit": 0, "erledigt": 0, "verworfen": 0},
        ),
        (
            "overdue=1",
            ["Energieberichte austauschen"],
            {"offen": 1, "in Arbeit": 0, "erledigt": 0, "verworfen": 0},
        ),
        (
            "group={climate}&city=arnsberg&status=in_arbeit",
            ["Wärmeplanung vergleichen"],
            {"offen": 1, "in Arbeit": 1, "erledigt": 1, "verworfen": 0},
        ),
    ],
)
def test_filters_and_counts(client, coop, actions, staff, query, expected, expected_counts):
    client.force_login(staff)
    query = query.format(migration=coop.migration.pk, climate=coop.climate.pk, lead=coop.lead.pk)
    html = client.get(f"{TRACKER}?{query}").content.decode()
    assert titles(html) == expected
    assert counts(html) == expected_counts
    assert "Alle Filter zurücksetzen" in html


def test_bad_filter_values_are_ignored_with_a_note(client, coop, actions, staff):
    client.force_login(staff)
    for query in [
        "group=abc",
        "group=99999999999999999999999",
        "city=atlantis",
        "status=fertig",
        "responsible=-3",
        "status=" + "x" * 5000,
        "page=abc",
        "page=9999",
        "group=%00",
    ]:
        response = client.get(f"{TRACKER}?{query}")
        assert response.status_code == 200, query
        html = response.content.decode()
        if not query.startswith(("page", "group=%00")):
            assert "Nicht berücksichtigt (unbekannter Wert)" in html, query
        assert len(titles(html)) == 5, query
    html = client.get(f"{TRACKER}?city=atlantis&status=offen").content.decode()
    assert "Nicht berücksichtigt (unbekannter Wert): Stadt." in html
    assert titles(html) == ["Energieberichte austauschen", "Sprachkurse bündeln"]


def test_my_actions_filter_works_without_actions(client, coop, actions, staff):
    client.force_login(staff)
    html = client.get(f"{TRACKER}?responsible={staff.pk}").content.decode()
    assert "Nicht berücksichtigt" not in html
    assert "Keine Maßnahme passt zu diesen Filtern." in html


def test_hidden_groups_stay_out_of_list_and_counts(client, coop, actions, staff):
    restriction = PageViewRestriction.objects.create(
        page=coop.migration, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([])
    client.force_login(staff)
    html = client.get(TRACKER).content.decode()
    assert "Sprachkurse bündeln" not in html and "Doppelte Statistik" not in html
    assert "Migration &amp; Integration" not in html  # not even as a filter choice
    assert counts(html) == {"offen": 1, "in Arbeit": 1, "erledigt": 1, "verworfen": 0}


def test_pagination(client, coop, staff):
    for number in range(27):
        coop.action(f"Maßnahme {number:02d}", due_in=number)
    client.force_login(staff)
    first = client.get(TRACKER).content.decode()
    assert len(titles(first)) == 25 and "Seite 1 von 2" in first
    second = client.get(f"{TRACKER}?page=2").content.decode()
    assert titles(second) == ["Maßnahme 25", "Maßnahme 26"]


def test_csv_export(client, coop, actions, staff):
    client.force_login(staff)
    coop.action('=HYPERLINK("http://x")', due_in=1)
    response = client.get(f"{reverse('cooperation:tracker_csv')}?group={coop.climate.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:8] == [
        "Maßnahme",
        "Arbeitsgruppe",
        "Städtetag",
        "Verantwortlich",
        "Beteiligte Städte",
        "Fällig am",
        "Überfällig",
        "Status",
    ]
    by_title = {row[0]: row for row in rows[1:]}
    assert set(by_title) == {
        "Solardächer zählen",
        "Energieberichte austauschen",
        '\'=HYPERLINK("http://x")',  # a formula stays text in Excel
        "Wärmeplanung vergleichen",
    }
    late = by_title["Energieberichte austauschen"]
    due = coop.today - datetime.timedelta(days=5)
    assert late[1:8] == [
        "Klimaneutralität & Energie",
        "Städtetag 2023",
        "Mona Meier",
        "Arnsberg",
        due.strftime("%d.%m.%Y"),
        "ja",
        "offen",
    ]
    assert late[9] == f"http://testserver/massnahmen/{actions['late'].pk}/"
    assert by_title["Solardächer zählen"][6:8] == ["nein", "erledigt"]


# --- iCal -------------------------------------------------------------------------------------


def new_calendar_url(client) -> str:
    response = client.post(reverse("cooperation:calendar_token"), {"action": "new"})
    assert response.status_code == 302 and response["Location"].endswith("#kalender")
    html = client.get(TRACKER).content.decode()
    start = html.index('id="calendar-url" type="text" readonly value="') + len(
        'id="calendar-url" type="text" readonly value="'
    )
    return html[start : html.index('"', start)]


def events(response) -> dict[str, dict]:
    calendar = Calendar.from_ical(response.content)
    return {
        str(event["summary"]): {
            "uid": str(event["uid"]),
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend"),
            "url": str(event["url"]),
        }
        for event in calendar.walk("VEVENT")
    }


def test_calendar_feed_of_open_due_dates(client, coop, actions, staff):
    client.force_login(staff)
    url = new_calendar_url(client)
    assert url.startswith("http://testserver/massnahmen/kalender/") and url.endswith(".ics")
    # Shown once: the next visit only says since when it is valid.
    again = client.get(TRACKER).content.decode()
    assert 'id="calendar-url"' not in again and "Ihre Kalender-Adresse gilt seit" in again
    stored = CalendarToken.objects.get(user=staff)
    assert url.rsplit("/", 1)[1].split(".", 1)[1].removesuffix(".ics") not in stored.token_hash

    reader = Client()  # a calendar program: no session
    response = reader.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response)
    assert set(found) == {
        "Fällig: Energieberichte austauschen",
        "Fällig: Wärmeplanung vergleichen",
        "Fällig: Sprachkurse bündeln",
    }
    soon = found["Fällig: Wärmeplanung vergleichen"]
    assert soon["start"] == coop.today + datetime.timedelta(days=3)
    assert isinstance(soon["start"], datetime.date) and not isinstance(
        soon["start"], datetime.datetime
    )
    assert soon["end"] == soon["start"] + datetime.timedelta(days=1)
    assert soon["url"] == f"http://127.0.0.1:8000/massnahmen/{actions['soon'].pk}/"
    # Stable UIDs: a later fetch (after a due date moved) updates, it does not duplicate.
    actions["soon"].__class__.objects.filter(pk=actions["soon"].pk).update(
        due_date=coop.today + datetime.timedelta(days=9)
    )
    later = events(reader.get(url))
    assert later["Fällig: Wärmeplanung vergleichen"]["uid"] == soon["uid"]
    assert len({event["uid"] for event in later.values()}) == 3


def test_calendar_hides_what_the_user_may_not_see(client, coop, actions, staff):
    restriction = PageViewRestriction.objects.create(
        page=coop.migration, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([])
    client.force_login(staff)
    url = new_calendar_url(client)
    found = events(Client().get(url))
    assert "Fällig: Sprachkurse bündeln" not in found
    assert "Fällig: Energieberichte austauschen" in found


def test_calendar_token_protection(client, coop, actions, staff):
    client.force_login(staff)
    first = new_calendar_url(client)
    second = new_calendar_url(client)
    reader = Client()
    assert reader.get(first).status_code == 404  # renewed: the old address is dead
    assert reader.get(second).status_code == 200
    token = second.rsplit("/", 1)[1].removesuffix(".ics")
    user_id, secret = token.split(".", 1)
    other = make_user("otto", email="otto@arnsberg.example")
    for bad in [
        f"{user_id}.{secret[:-1]}x",
        f"{other.pk}.{secret}",
        "abc",
        f"{user_id}.",
        f".{secret}",
        "1" * 40 + "." + secret,
        f"{user_id}.{'a' * 300}",
        "١٢.abc",
    ]:
        assert reader.get(f"/massnahmen/kalender/{bad}.ics").status_code == 404, bad
    staff.is_active = False
    staff.save()
    assert reader.get(second).status_code == 404
    staff.is_active = True
    staff.save()
    client.force_login(staff)
    client.post(reverse("cooperation:calendar_token"), {"action": "revoke"})
    assert reader.get(second).status_code == 404
    assert not CalendarToken.objects.filter(user=staff).exists()


def test_calendar_token_needs_post_and_login(client, coop, staff):
    assert (
        Client().post(reverse("cooperation:calendar_token"), {"action": "new"}).status_code == 302
    )
    assert not CalendarToken.objects.exists()
    client.force_login(staff)
    assert client.get(reverse("cooperation:calendar_token")).status_code == 405

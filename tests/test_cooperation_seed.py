"""The Zusammenarbeit area's seed (facts only, idempotent) and its demo content."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from cooperation.demo import on_demo_loaded
from cooperation.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    CooperationIndexPage,
    MeetingPage,
    MemberRole,
    Result,
    WorkingGroupMember,
    WorkingGroupPage,
)
from cooperation.seed import seed_cooperation
from kb.models import City, ContactPerson

pytestmark = pytest.mark.django_db

GROUP_TOPICS = {
    "Daseinsvorsorge durch Stärkung der Kommunalverwaltung": {
        "Kommunalverwaltung & Daseinsvorsorge",
        "Smart City",
    },
    "Klimaneutralität & Energieversorgung": {"Klimaneutralität & Energieversorgung"},
    "Resilienz gegen Folgen des Klimawandels": {"Klimafolgenanpassung & Resilienz"},
    "Migration & Integration": {"Migration & Integration"},
    "Krisenmanagement": {"Krisenmanagement"},
    "Schule & Kita": {"Schule & Kita"},
}


def state() -> dict:
    """Everything the seed and the demo write, counted, plus the fields of the seeded pages."""
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "areas": CooperationIndexPage.objects.count(),
        "meetings": sorted(
            MeetingPage.objects.values_list(
                "year", "title", "slug", "host_city__name", "date", "place", "participants"
            )
        ),
        "groups": sorted(
            WorkingGroupPage.objects.values_list("title", "slug", "status", "founded_at__year")
        ),
        "group_topics": sorted(
            WorkingGroupPage.topics.through.objects.values_list(
                "workinggrouppage_id", "topicpage_id"
            )
        ),
        "members": sorted(WorkingGroupMember.objects.values_list("page_id", "person_id", "role")),
        "results": sorted(Result.objects.values_list("group__title", "meeting__year", "title")),
        "result_articles": Result.articles.through.objects.count(),
        "actions": sorted(Action.objects.values_list("title", "status", "due_date")),
        "updates": ActionUpdate.objects.count(),
        "people": ContactPerson.objects.count(),
        "images": get_image_model().objects.count(),
        "documents": get_document_model().objects.count(),
    }


def test_seed_creates_the_area_with_the_known_facts():
    home = CooperationIndexPage.allowed_parent_page_models()[0].objects.get()
    summary = seed_cooperation()

    area = CooperationIndexPage.objects.get()
    assert (area.title, area.slug, area.live) == ("Zusammenarbeit", "zusammenarbeit", True)
    assert area.get_parent().specific == home

    first = MeetingPage.objects.get(year=2022)
    assert first.live and first.get_parent().pk == area.pk
    # Host city, date and place of the first Städtetag are not known: left empty.
    assert (first.host_city, first.date, first.place, first.participants) == (None, None, "", None)
    assert "erste" in first.summary

    second = MeetingPage.objects.get(year=2023)
    assert second.host_city.name == "Sundern"
    assert second.participants == 50
    assert (second.date, second.place, second.motto) == (None, "", "")
    assert "zweite" in second.summary and "fünf Arbeitsgruppen" in second.summary

    groups = {group.title: group for group in WorkingGroupPage.objects.child_of(area)}
    assert set(groups) == set(GROUP_TOPICS)
    all_cities = set(City.objects.values_list("name", flat=True))
    for title, group in groups.items():
        assert group.live and group.status == "active"
        assert group.founded_at_id == second.pk
        assert {topic.title for topic in group.topics.all()} == GROUP_TOPICS[title]
        assert {city.name for city in group.cities.all()} == all_cities
        # The admin's editor shows the latest revision: topics and cities are in it too.
        revision = group.get_latest_revision_as_object()
        assert {topic.title for topic in revision.topics.all()} == GROUP_TOPICS[title]
    assert "regelmäßige Treffen zu Schule und Kita" in groups["Schule & Kita"].description

    (result,) = Result.objects.all()
    assert result.group.title == "Daseinsvorsorge durch Stärkung der Kommunalverwaltung"
    assert result.meeting_id == second.pk
    assert "Smart-City-Pilotprojekt" in result.title

    # Nothing invented: no members, people, actions, later Städtetage.
    assert not WorkingGroupMember.objects.exists()
    assert not ContactPerson.objects.exists()
    assert not Action.objects.exists()
    assert MeetingPage.objects.count() == 2
    assert len(summary.created) == 10


def test_seed_takes_every_city_row():
    City.objects.create(name="Meschede", slug="meschede", email_domain="meschede.example")
    seed_cooperation()
    group = WorkingGroupPage.objects.get(title="Krisenmanagement")
    assert {city.name for city in group.cities.all()} == {"Arnsberg", "Meschede", "Sundern"}


def test_seed_twice_changes_nothing():
    seed_cooperation()
    before = state()
    summary = seed_cooperation()
    assert not summary.created
    assert str(summary) == "Zusammenarbeit: alles schon vorhanden, nichts geändert."
    assert state() == before


def test_seed_keeps_what_editors_changed():
    seed_cooperation()
    area = CooperationIndexPage.objects.get()
    area.title = "Interkommunale Zusammenarbeit"
    area.slug = "interkommunal"
    area.save_revision().publish()
    meeting = MeetingPage.objects.get(year=2023)
    meeting.place = "Rathaus Sundern"
    meeting.participants = 52
    meeting.save_revision().publish()
    group = WorkingGroupPage.objects.get(title="Krisenmanagement")
    group.title = "Krisenmanagement und Bevölkerungsschutz"
    group.status = "closed"
    group.topics.set([])
    group.save_revision().publish()
    Result.objects.update(title="Wissenstransfer Smart City", text="Von der Redaktion ergänzt.")
    before = state()

    seed_cooperation()

    assert state() == before
    assert CooperationIndexPage.objects.get().title == "Interkommunale Zusammenarbeit"
    meeting.refresh_from_db()
    assert (meeting.place, meeting.participants) == ("Rathaus Sundern", 52)
    group.refresh_from_db()
    assert group.status == "closed" and not group.topics.exists()


def test_the_command_seeds_and_reports():
    out = io.StringIO()
    call_command("kb_seed_cooperation", stdout=out)
    assert "Städtetag 2023 in Sundern" in out.getvalue()
    out = io.StringIO()
    call_command("kb_seed_cooperation", stdout=out)
    assert "nichts geändert" in out.getvalue()
    assert WorkingGroupPage.objects.count() == 6


def test_load_demo_without_logins_only_seeds(demo_articles):
    call_command("load_demo", stdout=io.StringIO())
    assert MeetingPage.objects.count() == 2
    assert WorkingGroupPage.objects.count() == 6
    assert not WorkingGroupMember.objects.exists()
    assert not Action.objects.exists()


@pytest.fixture
def demo(demo_articles):
    call_command("load_demo", users=True, stdout=io.StringIO())


def test_demo_content_fills_every_part_of_the_area(demo):
    users = {user.username: user for user in User.objects.all()}
    mia = ContactPerson.objects.get(user=users["mitarbeitende"])
    sam = ContactPerson.objects.get(user=users["mitarbeitende.sundern"])
    assert (mia.name, mia.city.name) == ("Mia Mitarbeitende", "Arnsberg")
    assert (sam.name, sam.city.name) == ("Sam Sunderland", "Sundern")
    assert ContactPerson.objects.filter(user=users["redaktion.arnsberg"]).exists()
    assert ContactPerson.objects.filter(user=users["redaktion.sundern"]).exists()

    crisis = WorkingGroupPage.objects.get(title="Krisenmanagement")
    leads = {m.person.name: m.effective_city.name for m in crisis.members.filter(role="lead")}
    assert leads == {"Mia Mitarbeitende": "Arnsberg", "Sam Sunderland": "Sundern"}
    # Contact persons of demo articles are members too.
    assert crisis.members.filter(person__name="Ayşe Demir", role=MemberRole.MEMBER).exists()
    for group in WorkingGroupPage.objects.all():
        lead_cities = [m.effective_city.pk for m in group.members.filter(role="lead")]
        assert len(lead_cities) == len(set(lead_cities)), group.title  # one lead per city
        # Members are in the published revision, so the editor shows them.
        revision = group.get_latest_revision_as_object()
        assert len(revision.members.all()) == group.members.count() > 0

    meeting = MeetingPage.objects.get(year=2024)
    assert meeting.live and meeting.host_city.name == "Arnsberg"
    assert meeting.photo is not None and meeting.documents.count() == 1
    assert "Demo" in meeting.summary
    assert meeting.previous_meeting().year == 2023

    agreed_2023 = Action.objects.filter(meeting__year=2023)
    statuses = set(agreed_2023.values_list("status", flat=True))
    assert statuses == {s.value for s in ActionStatus}
    today = timezone.localdate()
    assert any(action.is_overdue(today) for action in agreed_2023)
    assert agreed_2023.filter(due_date__gte=today, status__in=["offen", "in_arbeit"]).exists()
    assert not agreed_2023.filter(responsible__isnull=True).exists()
    done = agreed_2023.get(title="Sensorik-Workshop zum Smart-City-Pilot für Sundern")
    history = list(done.updates.values_list("status_from", "status_to"))
    assert history == [("offen", "in_arbeit"), ("in_arbeit", "erledigt")]
    assert Action.objects.filter(meeting__year=2024).exists()

    linked = Result.objects.get(title="Blackout-Vorsorge beider Städte verglichen")
    assert set(linked.articles.values_list("slug", flat=True)) == {
        "demo-blackout-vorsorge-arnsberg",
        "demo-blackout-vorsorge-sundern",
    }
    seeded = Result.objects.get(title__contains="Smart-City-Pilotprojekt")
    assert seeded.articles.filter(slug="demo-smart-city-pilot-arnsberg").exists()
    # Recorded at the Städtetag, not at the time the demo was loaded.
    assert linked.created.date() < today - datetime.timedelta(days=300)


def test_load_demo_twice_creates_nothing_new(demo):
    before = state()
    out = io.StringIO()
    call_command("load_demo", users=True, stdout=out)
    assert state() == before
    assert "Zusammenarbeit (Demo): schon vorhanden." in out.getvalue()


def test_demo_links_an_existing_contact_person_to_the_login(demo_articles):
    """A login whose work address is already a contact person becomes that person."""
    person = ContactPerson.objects.create(name="Mia M.", email="mia@arnsberg.example")
    call_command("load_demo", users=True, stdout=io.StringIO())
    person.refresh_from_db()
    assert person.user.username == "mitarbeitende"
    assert ContactPerson.objects.filter(email="mia@arnsberg.example").count() == 1


def test_the_receiver_without_an_area_page_does_not_fail(db):
    # The receiver seeds first, so the area always exists afterwards.
    on_demo_loaded(sender=None, with_users=True, stdout=io.StringIO())
    assert CooperationIndexPage.objects.count() == 1


def test_the_home_page_asks_a_demo_login_with_old_data_to_confirm(demo, client):
    # Sam's demo data were confirmed 14 months ago: "Stimmen Ihre Angaben noch?" on the home
    # page, with the button that confirms them; Mia's a month ago: nothing.
    client.force_login(User.objects.get(username="mitarbeitende.sundern"))
    html = client.get("/").content.decode()
    assert "Stimmen Ihre Angaben noch?" in html and "Angaben bestätigen" in html
    client.post("/meine-angaben/bestaetigen/", {"next": "/"})
    assert "Stimmen Ihre Angaben noch?" not in client.get("/").content.decode()

    client.force_login(User.objects.get(username="mitarbeitende"))
    assert "Stimmen Ihre Angaben noch?" not in client.get("/").content.decode()

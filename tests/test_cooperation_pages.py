"""The Zusammenarbeit area's pages: the area, a Städtetag, a working group, recording results,
the page hierarchy and who may do what."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from cooperation.models import (
    Action,
    ActionUpdate,
    CooperationIndexPage,
    MeetingDocument,
    MeetingPage,
    MemberRole,
    Result,
    WorkingGroupMember,
    WorkingGroupPage,
)
from cooperation.seed import seed_cooperation
from cooperation.signals import result_recorded
from home.models import HomePage
from kb.models import ArticlePage, City, ContactPerson, TopicPage
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

CRISIS = "Krisenmanagement"


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def text_of(response) -> str:
    """The visible text of the page's main content, whitespace collapsed, tags removed."""
    html = response.content.decode()
    main = re.search(r"<main\b.*?</main>", html, flags=re.S)
    return _text(main.group(0) if main else html)


def section(response, heading_id: str) -> str:
    """The visible text of the section labelled by the heading with this id."""
    html = response.content.decode()
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    return _text(match.group(0)) if match else ""


@pytest.fixture
def area(db) -> CooperationIndexPage:
    seed_cooperation()
    return CooperationIndexPage.objects.get()


def group(title: str = CRISIS) -> WorkingGroupPage:
    return WorkingGroupPage.objects.get(title=title)


def meeting(year: int) -> MeetingPage:
    return MeetingPage.objects.get(year=year)


def add_member(page: WorkingGroupPage, person: ContactPerson, role=MemberRole.MEMBER, city=None):
    # Fetched again: the instance's latest_revision may be older than the last publication.
    latest = WorkingGroupPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    latest.members.add(WorkingGroupMember(person=person, role=role, city=city))
    latest.save_revision().publish()


def person(name: str, city: str, user=None) -> ContactPerson:
    return ContactPerson.objects.create(
        name=name, city=City.objects.get(name=city), user=user, email=""
    )


@pytest.fixture
def member(area, staff):
    """Mia (staff, Arnsberg) leads the crisis group for Arnsberg."""
    add_member(group(), person("Mia Mitarbeitende", "Arnsberg", staff), MemberRole.LEAD)
    return staff


@pytest.fixture
def outsider(db):
    return make_user("otto", "Mitarbeitende", email="otto@sundern.example")


def add_meeting(area, year: int, **fields) -> MeetingPage:
    page = MeetingPage(title=f"Städtetag {year}", slug=f"staedtetag-{year}", year=year, **fields)
    area.add_child(instance=page)
    page.save_revision().publish()
    return MeetingPage.objects.get(pk=page.pk)


# ---------------------------------------------------------------- page hierarchy, permissions


def test_page_types_can_only_be_created_where_they_belong(area):
    home = HomePage.objects.get()
    assert set(CooperationIndexPage.allowed_subpage_models()) == {MeetingPage, WorkingGroupPage}
    assert CooperationIndexPage.allowed_parent_page_models() == [HomePage]
    # One area only: it exists, so no second one under the home page.
    assert not CooperationIndexPage.can_create_at(home)
    for model in (MeetingPage, WorkingGroupPage):
        assert model.can_create_at(area)
        assert not model.can_create_at(home)
        assert not model.can_create_at(TopicPage.objects.first())
        assert model.allowed_subpage_models() == []
    assert not ArticlePage.can_create_at(area)
    assert not TopicPage.can_create_at(area)


def test_editors_may_add_pages_in_the_area_staff_may_not(area, editor, staff, client):
    assert area.permissions_for_user(editor).can_add_subpage()
    assert group().permissions_for_user(editor).can_edit()
    assert not area.permissions_for_user(staff).can_add_subpage()
    assert not group().permissions_for_user(staff).can_edit()

    client.force_login(editor)
    response = client.get(f"/admin/pages/add/cooperation/meetingpage/{area.pk}/")
    assert response.status_code == 200
    client.force_login(staff)
    assert client.get("/admin/").status_code in (302, 403)
    # Staff read every page of the area.
    for page in (area, meeting(2023), group()):
        assert client.get(page.url).status_code == 200


def test_editors_see_results_and_actions_in_the_admin_menu(area, client):
    admin = make_user("ada", is_superuser=True, is_staff=True)
    other = group("Migration & Integration")
    Result.objects.create(group=other, title="Ergebnis der Migrations-AG")
    client.force_login(admin)
    response = client.get("/admin/")
    assert "Zusammenarbeit" in response.content.decode()
    listing = client.get(f"/admin/snippets/cooperation/result/?group={group().pk}")
    assert listing.status_code == 200
    assert "Wissenstransfer zum Smart-City" not in listing.content.decode()
    assert "Ergebnis der Migrations-AG" not in listing.content.decode()
    listing = client.get(f"/admin/snippets/cooperation/result/?group={other.pk}")
    assert "Ergebnis der Migrations-AG" in listing.content.decode()
    assert client.get("/admin/snippets/cooperation/action/").status_code == 200


# ---------------------------------------------------------------- the area


def test_area_lists_meetings_newest_first_and_groups_active_first(area, staff_client):
    add_meeting(area, 2024, host_city=City.objects.get(name="Arnsberg"), motto="Gemeinsam")
    draft = MeetingPage(title="Städtetag 2030 (Entwurf)", slug="st-2030", year=2030, live=False)
    area.add_child(instance=draft)
    closed = group("Migration & Integration")
    closed.status = "closed"
    closed.save_revision().publish()

    response = staff_client.get(area.url)
    meetings = section(response, "meetings-heading")
    assert meetings.index("Städtetag 2024") < meetings.index("Städtetag 2023 in Sundern")
    assert meetings.index("Städtetag 2023 in Sundern") < meetings.index("Städtetag 2022")
    assert "Gastgeberstadt Arnsberg" in meetings and "Motto Gemeinsam" in meetings
    assert "Entwurf" not in text_of(response)
    groups = section(response, "groups-heading")
    # The closed group comes after every active one.
    assert groups.index("Migration & Integration") > groups.index("Schule & Kita")
    assert groups.index("Daseinsvorsorge") < groups.index("Krisenmanagement")
    assert "Migration & Integration Abgeschlossen" in groups


def test_area_names_the_leads_per_city(area, member, staff_client):
    add_member(group(), person("Sam Sunderland", "Sundern"), MemberRole.LEAD)
    text = text_of(staff_client.get(area.url))
    assert "Leitung: Mia Mitarbeitende (Arnsberg), Sam Sunderland (Sundern)" in text


def test_area_links_the_tools_and_the_radar_only_for_editors_and_leads(
    area, staff, editor, outsider, client
):
    client.force_login(outsider)
    html = client.get(area.url).content.decode()
    assert 'href="/massnahmen/"' in html and "Vereinbarte Maßnahmen" in html
    assert 'href="/wer-weiss-was/"' in html
    assert "Transfer-Radar" not in html
    client.force_login(editor)
    assert 'href="/transfer-radar/"' in client.get(area.url).content.decode()
    add_member(group(), person("Mia", "Arnsberg", staff), MemberRole.LEAD)
    client.force_login(staff)
    assert "Transfer-Radar" in client.get(area.url).content.decode()


def test_area_hides_working_groups_behind_a_view_restriction(area, staff_client):
    restricted = group("Schule & Kita")
    restriction = PageViewRestriction.objects.create(
        page=restricted, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    assert "Schule & Kita" not in section(staff_client.get(area.url), "groups-heading")


# ---------------------------------------------------------------- a Städtetag


def test_meeting_page_shows_the_facts_photo_and_documents(area, staff_client):
    from PIL import Image as PILImage

    buffer = __import__("io").BytesIO()
    PILImage.new("RGB", (40, 20), "#1d4f91").save(buffer, format="PNG")
    image = get_image_model().objects.create(
        title="Foto", file=ImageFile(buffer, name="foto.png"), description="Alle im Plenum"
    )
    document = get_document_model()(title="Protokoll")
    document.file.save("protokoll.pdf", ContentFile(b"%PDF-1.4 " + b"x" * 2000), save=False)
    document.save()
    page = add_meeting(
        area,
        2024,
        date=datetime.date(2024, 9, 19),
        host_city=City.objects.get(name="Arnsberg"),
        place="Rathaus",
        motto="Voneinander lernen",
        participants=55,
        photo=image,
        agenda="<ol><li>Begrüßung</li></ol>",
        summary="<p>Ein guter Tag.</p>",
    )
    latest = page.get_latest_revision_as_object()
    latest.documents.add(MeetingDocument(document=document))
    latest.save_revision().publish()

    response = staff_client.get(page.url)
    text = text_of(response)
    for fact in (
        "Jahr 2024",
        "Datum 19.09.2024",
        "Gastgeberstadt Arnsberg",
        "Ort Rathaus",
        "Motto Voneinander lernen",
        "Teilnehmende rund 55",
        "Begrüßung",
        "Ein guter Tag.",
        "Alle im Plenum",
    ):
        assert fact in text
    html = response.content.decode()
    assert re.search(r'<img[^>]+src="[^"]*foto[^"]*width-960', html)
    assert "Protokoll" in text and re.search(r"\(PDF, 2[.,]0 KB\)", text)


def test_meeting_page_says_what_is_unknown(area, staff_client):
    text = text_of(staff_client.get(meeting(2022).url))
    assert "Datum nicht erfasst" in text and "Gastgeberstadt nicht erfasst" in text
    # The first Städtetag has no predecessor: no status report.
    assert "Stand der Vereinbarungen" not in text


def test_meeting_page_lists_results_by_group_and_actions_agreed(area, staff, staff_client):
    second = meeting(2023)
    Result.objects.create(group=group(), meeting=second, title="Blackout-Konzepte verglichen")
    Result.objects.create(group=group(), meeting=None, title="Zwischendurch festgehalten")
    Action.objects.create(group=group(), meeting=second, title="Übung planen", responsible=staff)
    text = text_of(staff_client.get(second.url))
    results = text[text.index("Ergebnisse der Arbeitsgruppen") :]
    # Grouped under the working group's name, alphabetically: Daseinsvorsorge before Krisen….
    assert results.index("Daseinsvorsorge durch Stärkung") < results.index("Krisenmanagement")
    assert results.index("Krisenmanagement") < results.index("Blackout-Konzepte verglichen")
    assert "Zwischendurch festgehalten" not in text
    agreed = text[text.index("Bei diesem Städtetag vereinbart") :]
    assert "Übung planen" in agreed and "offen" in agreed


def test_next_meeting_reports_the_state_of_last_years_actions(area, staff, editor, staff_client):
    second = meeting(2023)
    third = add_meeting(area, 2024)
    now = timezone.now()
    actions = {}
    for title, status in [
        ("Schilder bestellen", "in_arbeit"),
        ("Übung planen", "offen"),
        ("Karten tauschen", "erledigt"),
        ("Lotsen prüfen", "erledigt"),
        ("Alte Idee", "verworfen"),
    ]:
        actions[title] = Action.objects.create(
            group=group(), meeting=second, title=title, status=status, responsible=staff
        )
    ActionUpdate.objects.create(
        action=actions["Schilder bestellen"],
        author=staff,
        text="Entwurf abgestimmt.",
        created=now - datetime.timedelta(days=10),
        status_from="offen",
        status_to="in_arbeit",
    )
    ActionUpdate.objects.create(
        action=actions["Schilder bestellen"],
        author=editor,
        text="Angebote liegen vor.",
        created=now - datetime.timedelta(days=2),
    )
    Action.objects.create(group=group(), meeting=third, title="Neu in 2024 vereinbart")

    text = text_of(staff_client.get(third.url))
    report = text[text.index("Stand der Vereinbarungen") :]
    assert "Städtetag 2023 in Sundern" in report
    for count in ("1 offen", "1 in Arbeit", "2 erledigt", "1 verworfen"):
        assert count in report
    for title in actions:
        assert title in report
    # The latest note, not the older one.
    assert "Angebote liegen vor." in report and "Entwurf abgestimmt." not in report
    assert "Neu in 2024 vereinbart" not in report
    assert "Neu in 2024 vereinbart" in text


def test_meeting_status_report_counts_zero_statuses(area, staff_client):
    third = add_meeting(area, 2024)
    Action.objects.create(group=group(), meeting=meeting(2023), title="Einzige Maßnahme")
    report = text_of(staff_client.get(third.url)).split("Stand der Vereinbarungen", 1)[1]
    assert "1 offen" in report and "0 in Arbeit" in report and "0 erledigt" in report


# ---------------------------------------------------------------- a working group


def test_group_page_lists_members_leads_first_with_person_links(area, member, staff_client):
    page = group()
    anna = person("Anna Arnold", "Arnsberg")
    add_member(page, anna)
    add_member(page, person("Sam Sunderland", "Sundern"), MemberRole.LEAD)
    add_member(page, person("Ben Bauer", "Sundern"))
    response = staff_client.get(page.url)
    text = text_of(response)
    members = text[text.index("Mitglieder") :]
    order = [
        members.index(name)
        for name in ("Mia Mitarbeitende", "Sam Sunderland", "Anna Arnold", "Ben Bauer")
    ]
    assert order == sorted(order)
    assert "Leitung für Arnsberg" in members and "Leitung für Sundern" in members
    assert "Mitglied für Sundern" in members
    assert f'href="/personen/{anna.pk}/"' in response.content.decode()


def test_group_page_shows_facts_results_and_open_actions(area, staff, staff_client):
    page = group("Daseinsvorsorge durch Stärkung der Kommunalverwaltung")
    Action.objects.create(group=page, title="Workshop vorbereiten", status="in_arbeit")
    Action.objects.create(group=page, title="Schon erledigt", status="erledigt")
    Action.objects.create(group=page, title="Verworfene Idee", status="verworfen")
    text = text_of(staff_client.get(page.url))
    assert "Status aktiv" in text
    assert "Eingerichtet Städtetag 2023 in Sundern" in text
    assert "Kommunalverwaltung & Daseinsvorsorge · Smart City" in text
    results = text[text.index("Ergebnisse") :]
    assert "Wissenstransfer zum Smart-City-Pilotprojekt Arnsbergs gewünscht" in results
    actions = text[text.index("Offene Maßnahmen") :]
    assert "Workshop vorbereiten" in actions
    assert "Schon erledigt" not in actions and "Verworfene Idee" not in actions


def test_group_page_shows_related_articles_of_every_city(area, demo_articles, staff_client):
    page = group()
    sundern = ArticlePage.objects.get(slug="demo-blackout-vorsorge-sundern")
    text = text_of(staff_client.get(page.url))
    related = text[text.index("Beiträge aus den Städten") :]
    assert "So macht es Arnsberg" in related and "So macht es Sundern" in related
    assert related.index("So macht es Arnsberg") < related.index("Blackout-Vorsorge in Arnsberg")
    assert related.index("So macht es Sundern") < related.index(sundern.title)

    # A linked article from another topic area shows up too; a draft never.
    other = ArticlePage.objects.get(slug="demo-smart-city-pilot-arnsberg")
    Result.objects.create(group=page, title="Verknüpft").articles.set([other])
    sundern.unpublish()
    text = text_of(staff_client.get(page.url))
    related = text[text.index("Beiträge aus den Städten") :]
    assert other.title in related
    assert sundern.title not in text


def test_group_page_offers_the_form_to_members_and_editors_only(
    area, member, editor, outsider, client
):
    page = group()
    client.force_login(member)
    html = client.get(page.url).content.decode()
    assert "Ergebnis festhalten" in html
    assert f'action="/arbeitsgruppen/{page.pk}/ergebnis/"' in html
    assert f'href="/massnahmen/neu/?group={page.pk}"' in html
    client.force_login(editor)
    assert "Ergebnis festhalten" in client.get(page.url).content.decode()
    client.force_login(outsider)
    html = client.get(page.url).content.decode()
    assert "Ergebnis festhalten" not in html and "Maßnahme vereinbaren" not in html


def test_a_member_records_a_result(area, demo_articles, member, client):
    page = group()
    article = ArticlePage.objects.get(slug="demo-blackout-vorsorge-arnsberg")
    received = []

    def receiver(sender, result, actor, **kwargs):
        received.append((result.title, actor.username))

    result_recorded.connect(receiver)
    try:
        client.force_login(member)
        response = client.post(
            f"/arbeitsgruppen/{page.pk}/ergebnis/",
            {
                "title": "Notfalltreffpunkte gemeinsam beschildern",
                "text": "Beide Städte nutzen dasselbe Schild.",
                "meeting": meeting(2023).pk,
                "articles": [article.pk],
            },
        )
    finally:
        result_recorded.disconnect(receiver)
    assert response.status_code == 302
    assert response["Location"] == f"{page.url}#ergebnisse"
    result = Result.objects.get(title="Notfalltreffpunkte gemeinsam beschildern")
    assert (result.group_id, result.meeting.year, result.created_by) == (page.pk, 2023, member)
    assert list(result.articles.all()) == [article]
    assert received == [("Notfalltreffpunkte gemeinsam beschildern", member.username)]
    assert any("Gespeichert" in str(m) for m in get_messages(response.wsgi_request))
    text = text_of(client.get(page.url))
    assert "Notfalltreffpunkte gemeinsam beschildern" in text
    assert "Städtetag 2023 in Sundern · festgehalten am" in text


def test_recording_is_refused_for_non_members(area, outsider, client):
    page = group()
    client.force_login(outsider)
    url = f"/arbeitsgruppen/{page.pk}/ergebnis/"
    assert client.post(url, {"title": "Darf ich nicht"}).status_code == 403
    assert client.get(url).status_code == 403
    assert not Result.objects.filter(title="Darf ich nicht").exists()


def test_bad_input_gives_a_clear_answer(area, demo_articles, member, client):
    page = group()
    client.force_login(member)
    url = f"/arbeitsgruppen/{page.pk}/ergebnis/"
    response = client.post(url, {"title": "", "meeting": "keine Zahl"})
    assert response.status_code == 400
    text = text_of(response)
    assert "Bitte prüfen Sie die markierten Felder." in text
    assert "Dieses Feld muss ausgefüllt werden." in text
    # A draft article cannot be linked (it is not among the choices).
    draft = ArticlePage.objects.get(slug="demo-blackout-vorsorge-sundern")
    draft.unpublish()
    response = client.post(url, {"title": "Mit Entwurf", "articles": [draft.pk]})
    assert response.status_code == 400
    assert not Result.objects.filter(title="Mit Entwurf").exists()
    assert client.get("/arbeitsgruppen/999999/ergebnis/").status_code == 404
    assert client.get(f"/arbeitsgruppen/{meeting(2023).pk}/ergebnis/").status_code == 404
    page.unpublish()
    assert client.post(url, {"title": "Unveröffentlicht"}).status_code == 404


def test_the_form_page_offers_live_meetings_only(area, member, client):
    draft = MeetingPage(title="Städtetag 2031 Entwurf", slug="st-2031", year=2031, live=False)
    area.add_child(instance=draft)
    client.force_login(member)
    response = client.get(f"/arbeitsgruppen/{group().pk}/ergebnis/")
    assert response.status_code == 200
    text = text_of(response)
    assert "Städtetag 2023 in Sundern" in text and "Zwischen den Städtetagen" in text
    assert "2031" not in text


def test_pages_run_a_bounded_number_of_queries(area, demo_articles, member, client):
    page = group()
    for number in range(3):
        Result.objects.create(group=page, meeting=meeting(2023), title=f"Ergebnis {number}")
        Action.objects.create(group=page, meeting=meeting(2023), title=f"Maßnahme {number}")
        add_member(page, person(f"Person {number}", "Sundern"))
    third = add_meeting(area, 2024)
    client.force_login(member)
    client.get(page.url)  # warm caches (site root, content types)

    def count(url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = {url: count(url) for url in (area.url, page.url, third.url)}
    for number in range(3, 9):
        Result.objects.create(group=page, meeting=meeting(2023), title=f"Ergebnis {number}")
        action = Action.objects.create(
            group=page, meeting=meeting(2023), title=f"Maßnahme {number}"
        )
        ActionUpdate.objects.create(action=action, text="Notiz")
        add_member(page, person(f"Person {number}", "Arnsberg"))
    after = {url: count(url) for url in (area.url, page.url, third.url)}
    assert after == before


def test_previews_of_new_pages_render(area, editor, rf):
    """The editor's preview of a page not saved yet (no id, relations only in the form)."""
    request = rf.get("/")
    request.user = editor
    new_group = WorkingGroupPage(title="Neue Arbeitsgruppe", slug="neu")
    new_group.members.add(
        WorkingGroupMember(person=person("Lea Lang", "Sundern"), role=MemberRole.LEAD)
    )
    new_meeting = MeetingPage(title="Städtetag 2030", slug="st-2030", year=2030)
    for page, expected in ((new_group, "Lea Lang"), (new_meeting, "Städtetag 2030")):
        response = page.make_preview_request(original_request=request)
        assert response.status_code == 200
        assert expected in response.content.decode()

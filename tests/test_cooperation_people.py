"""Wer weiß was?: the topic × city matrix from articles, working groups and expertise entries,
person pages, "Meine Angaben" (a person corrects their own data, nobody else's), the yearly
confirmation and the demo entries."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cooperation.models import (
    Action,
    ActionStatus,
    CooperationIndexPage,
    MemberRole,
    WorkingGroupMember,
    WorkingGroupPage,
)
from cooperation.people import confirm_prompt
from kb.importer import import_records
from kb.models import ArticlePage, City, ContactPerson, Expertise, TopicPage
from kb.reviews import add_months
from kb.topics import ensure_default_topics, home_page

from .conftest import make_user

pytestmark = pytest.mark.django_db

FINDER = "/wer-weiss-was/"
PROFILE = "/meine-angaben/"
KRISE = "Krisenmanagement"
KLIMA = "Klimaneutralität & Energieversorgung"
SMART = "Smart City"


def record(slug: str, topic: str, cities: list[str], contact: tuple[str, str]) -> dict:
    name, email = contact
    return {
        "slug": slug,
        "title": f"Beitrag {slug}",
        "cities": cities,
        "topic": topic,
        "department": "Fachdienst Test",
        "tags": ["Test"],
        "summary": f"Kurzfassung {slug}.",
        "body": "Inhalt.",
        "contact": {"name": name, "email": email, "phone": "02931 1234"},
        "date": "2025-03-01",
    }


ANNA = ("Anna Arnold", "anna.arnold@arnsberg.example")
BERND = ("Bernd Berger", "bernd.berger@sundern.example")
GEHEIM = ("Gerda Geheim", "gerda.geheim@arnsberg.example")


@pytest.fixture
def content(db):
    ensure_default_topics()
    import_records(
        [
            record("krise-1", KRISE, ["Arnsberg"], ANNA),
            record("krise-2", KRISE, ["Arnsberg"], ANNA),
            record("krise-3", KRISE, ["Arnsberg", "Sundern"], ANNA),
            record("klima-1", KLIMA, ["Sundern"], BERND),
            record("geheim-1", SMART, ["Arnsberg"], GEHEIM),
        ]
    )
    private = ArticlePage.objects.get(slug="geheim-1")
    restriction = PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    return {
        "anna": ContactPerson.objects.get(email=ANNA[1]),
        "bernd": ContactPerson.objects.get(email=BERND[1]),
        "gerda": ContactPerson.objects.get(email=GEHEIM[1]),
    }


def topic(title: str) -> TopicPage:
    return TopicPage.objects.get(title=title)


def city(name: str) -> City:
    return City.objects.get(name=name)


def make_group(title: str, topics: list[str], members, *, live: bool = True) -> WorkingGroupPage:
    index = CooperationIndexPage.objects.first()
    if index is None:
        index = CooperationIndexPage(title="Zusammenarbeit", slug="zusammenarbeit")
        home_page().add_child(instance=index)
    group = WorkingGroupPage(title=title, slug=f"ag-{len(title)}-{title[:5].lower()}")
    index.add_child(instance=group)
    group.topics.set([topic(name) for name in topics])
    for person, role, member_city in members:
        group.members.add(WorkingGroupMember(person=person, role=role, city=member_city))
    group.save()
    if live:
        group.save_revision().publish()
    else:
        group.unpublish()
    return WorkingGroupPage.objects.get(pk=group.pk)


def cell(html: str, topic_title: str, city_name: str) -> str:
    """The matrix cell of a topic and a city (its <td>)."""
    row = re.search(
        r"<tr>\s*<th scope=\"row\"><a [^>]*>"
        + re.escape(topic_title.replace("&", "&amp;"))
        + r"</a></th>(.*?)</tr>",
        html,
        re.S,
    )
    assert row, f"no row {topic_title}"
    cells = re.findall(r'<td data-label="([^"]*)">(.*?)</td>', row.group(1), re.S)
    found = dict(cells)
    assert city_name in found, f"no column {city_name}"
    return found[city_name]


def test_matrix_from_articles_groups_and_expertise(client, staff, content):
    today = timezone.localdate()
    bernd = content["bernd"]
    carla = ContactPerson.objects.create(name="Carla Clausen", city=city("Sundern"))
    dieter = ContactPerson.objects.create(name="Dieter Dahl", city=city("Arnsberg"))
    make_group(
        "Krisenmanagement",
        [KRISE],
        [(carla, MemberRole.LEAD, None), (dieter, MemberRole.MEMBER, city("Sundern"))],
    )
    Expertise.objects.create(
        person=bernd, topic=topic(KRISE), note="Förderanträge", confirmed_on=today
    )
    client.force_login(staff)
    html = client.get(FINDER).content.decode()

    arnsberg = cell(html, KRISE, "Arnsberg")
    sundern = cell(html, KRISE, "Sundern")
    # (a) Articles: three in Arnsberg, one of them joint with Sundern: its Arnsberg contact
    # counts in her own city's column only (the neighbour's column is for its own people).
    assert "Anna Arnold" in arnsberg and "3 Beiträge" in arnsberg
    assert "Anna Arnold" not in sundern
    # (b) The group's lead and a member for the city they represent there.
    assert "Carla Clausen" in sundern and "Leitung AG Krisenmanagement" in sundern
    assert "Dieter Dahl" in sundern and "Mitglied AG Krisenmanagement" in sundern
    assert "Dieter Dahl" not in arnsberg
    # (c) An expertise entry (the person's city: Sundern).
    assert "Bernd Berger" in sundern and "Fachwissen: Förderanträge" in sundern
    # Each person once per cell; links to the person pages.
    assert sundern.count("Carla Clausen") == 1
    assert reverse("cooperation:person", args=[carla.pk]) in sundern
    # Bernd's own article is in the other topic.
    assert "Bernd Berger" in cell(html, KLIMA, "Sundern")
    assert "noch niemand" in cell(html, KLIMA, "Arnsberg")


def test_a_person_with_several_reasons_is_listed_once_with_all(client, staff, content):
    anna = content["anna"]
    make_group("Krisenmanagement", [KRISE], [(anna, MemberRole.LEAD, None)])
    Expertise.objects.create(person=anna, topic=topic(KRISE), note="Stromausfall")
    client.force_login(staff)
    arnsberg = cell(client.get(FINDER).content.decode(), KRISE, "Arnsberg")
    assert arnsberg.count("Anna Arnold") == 1
    assert "3 Beiträge" in arnsberg
    assert "Leitung AG Krisenmanagement" in arnsberg
    assert "Fachwissen: Stromausfall (unbestätigt)" in arnsberg


def test_private_article_contact_is_not_shown_to_staff(client, staff, chief, content):
    client.force_login(staff)
    html = client.get(FINDER).content.decode()
    assert "Gerda Geheim" not in html
    assert "noch niemand" in cell(html, SMART, "Arnsberg")
    # Nor the person page of a contact known only from the private article.
    assert client.get(reverse("cooperation:person", args=[content["gerda"].pk])).status_code == 404
    client.force_login(chief)
    html = client.get(FINDER).content.decode()
    assert "Gerda Geheim" in cell(html, SMART, "Arnsberg")


def test_draft_articles_and_unpublished_groups_do_not_count(client, staff, content):
    anna = content["anna"]
    ArticlePage.objects.get(slug="krise-1").unpublish()
    erik = ContactPerson.objects.create(name="Erik Entwurf", city=city("Arnsberg"))
    make_group("Entwurfsgruppe", [KRISE], [(erik, MemberRole.LEAD, None)], live=False)
    client.force_login(staff)
    html = client.get(FINDER).content.decode()
    assert "2 Beiträge" in cell(html, KRISE, "Arnsberg")
    assert "Erik Entwurf" not in html
    assert anna.name in html


def test_stale_expertise_is_marked(client, staff, content):
    bernd = content["bernd"]
    old = add_months(timezone.localdate(), -14)
    Expertise.objects.create(person=bernd, topic=topic(SMART), note="Sensorik", confirmed_on=old)
    Expertise.objects.create(person=bernd, topic=topic(KRISE), note="Übungen")
    client.force_login(staff)
    html = client.get(FINDER).content.decode()
    assert f"Fachwissen: Sensorik (nicht bestätigt seit {old:%d.%m.%Y})" in cell(
        html, SMART, "Sundern"
    )
    assert "Fachwissen: Übungen (unbestätigt)" in cell(html, KRISE, "Sundern")


def test_filters_by_topic_and_city(client, staff, content):
    client.force_login(staff)
    html = client.get(FINDER, {"topic": topic(KRISE).slug}).content.decode()
    assert html.count('<th scope="row">') == 1
    assert "Anna Arnold" in cell(html, KRISE, "Arnsberg")
    assert "Bernd Berger" not in html.split("<tbody>")[1].split("</tbody>")[0]

    html = client.get(FINDER, {"city": "sundern"}).content.decode()
    assert '<th scope="col">Arnsberg</th>' not in html
    assert '<th scope="col">Sundern</th>' in html
    assert "Bernd Berger" in cell(html, KLIMA, "Sundern")

    html = client.get(FINDER, {"topic": topic(KLIMA).slug, "city": "Sundern"}).content.decode()
    assert html.count('<th scope="row">') == 1 and "Bernd Berger" in html


@pytest.mark.parametrize(
    "params",
    [
        {"topic": "gibt-es-nicht"},
        {"city": "atlantis"},
        {"topic": "x" * 5000, "city": "\x00"},
        {"page": "-1", "topic": ["a", "b"]},
    ],
)
def test_bad_filters_show_everything_with_a_message(client, staff, content, params):
    client.force_login(staff)
    response = client.get(FINDER, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<th scope="row">') == TopicPage.objects.live().count()
    if "page" not in params:
        assert "gibt es nicht – es werden alle angezeigt" in html


def test_a_third_city_added_in_the_admin_is_a_column(client, staff, content):
    admin = make_user("ada", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        reverse("wagtailsnippets_kb_city:add"),
        {
            "name": "Meschede",
            "slug": "meschede",
            "email_domain": "meschede.example",
            "color": "#1d4f91",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    meschede = City.objects.get(name="Meschede")
    fritz = ContactPerson.objects.create(name="Fritz Fels", city=meschede)
    Expertise.objects.create(person=fritz, topic=topic(KRISE), note="Hochwasser")
    client.force_login(staff)
    html = client.get(FINDER).content.decode()
    assert '<th scope="col">Meschede</th>' in html
    assert "Fritz Fels" in cell(html, KRISE, "Meschede")
    assert "noch niemand" in cell(html, KLIMA, "Meschede")


def test_matrix_queries_do_not_grow_with_people(
    client, staff, content, django_assert_max_num_queries
):
    client.force_login(staff)
    client.get(FINDER)  # warm per-process caches (content types, site root)
    with django_assert_max_num_queries(20) as small:
        client.get(FINDER)
    people = [
        ContactPerson.objects.create(name=f"Person {n}", city=city("Sundern")) for n in range(15)
    ]
    make_group("Große Gruppe", [KRISE, KLIMA], [(p, MemberRole.MEMBER, None) for p in people])
    for n, person in enumerate(people):
        Expertise.objects.create(person=person, topic=topic(SMART), note=f"Thema {n}")
    import_records(
        [
            record(f"mehr-{n}", KLIMA, ["Arnsberg"], (f"Mehr {n}", f"m{n}@arnsberg.example"))
            for n in range(10)
        ]
    )
    with django_assert_max_num_queries(len(small.captured_queries)) as grown:
        html = client.get(FINDER).content.decode()
    assert "Person 14" in html and "Mehr 9" in html
    assert len(grown.captured_queries) == len(small.captured_queries)


# ------------------------------------------------------------------------------ person page


def test_person_page(client, staff, content):
    today = timezone.localdate()
    anna = content["anna"]
    user = make_user("anna", "Mitarbeitende", email=ANNA[1], first_name="Anna", last_name="Arnold")
    anna.user = user
    anna.role = "Sachgebiet Bevölkerungsschutz"
    anna.confirmed_on = today - datetime.timedelta(days=10)
    anna.save()
    Expertise.objects.create(
        person=anna, topic=topic(KRISE), note="Notstrom", confirmed_on=anna.confirmed_on
    )
    group = make_group("Krisenmanagement", [KRISE], [(anna, MemberRole.LEAD, None)])
    Action.objects.create(
        title="Gemeinsame Notfallübung planen",
        group=group,
        responsible=user,
        status=ActionStatus.IN_PROGRESS,
        due_date=today + datetime.timedelta(days=30),
    )
    client.force_login(staff)
    response = client.get(reverse("cooperation:person", args=[anna.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sachgebiet Bevölkerungsschutz" in html
    assert "Fachdienst Test" in html and "Arnsberg" in html
    assert "mailto:anna.arnold@arnsberg.example" in html and "02931 1234" in html
    assert "Notstrom" in html
    assert "Beitrag krise-3" in html and "3 Beiträge" in html
    assert "Krisenmanagement</a> – Leitung für Arnsberg" in html
    assert "Gemeinsame Notfallübung planen" in html
    assert f'Stand: bestätigt am <time datetime="{anna.confirmed_on:%Y-%m-%d}">' in html
    assert "veraltet" not in html
    # Work contact data only: the account's login name is not shown.
    assert ">anna<" not in html


def test_person_page_stale_and_unconfirmed(client, staff, content):
    anna, bernd = content["anna"], content["bernd"]
    anna.confirmed_on = add_months(timezone.localdate(), -13)
    anna.save()
    client.force_login(staff)
    html = client.get(reverse("cooperation:person", args=[anna.pk])).content.decode()
    assert "Stand: bestätigt am" in html and ">veraltet<" in html
    html = client.get(reverse("cooperation:person", args=[bernd.pk])).content.decode()
    assert "Stand: nicht bestätigt" in html and ">veraltet<" in html


def test_private_articles_are_not_listed_on_the_person_page(client, staff, content):
    gerda = content["gerda"]
    Expertise.objects.create(person=gerda, topic=topic(SMART), note="Datenplattform")
    client.force_login(staff)
    response = client.get(reverse("cooperation:person", args=[gerda.pk]))
    assert response.status_code == 200  # listed through her expertise …
    html = response.content.decode()
    assert "Datenplattform" in html
    assert "Beitrag geheim-1" not in html and "Keine Beiträge." in html  # … not the article


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999999"])
def test_unknown_person_is_404(client, staff, content, pk):
    client.force_login(staff)
    assert client.get(f"/personen/{pk}/").status_code == 404
    assert client.get("/personen/abc/").status_code == 404


def test_pages_need_login(client, content):
    for url in (FINDER, PROFILE, reverse("cooperation:person", args=[content["anna"].pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/anmelden/" in response["Location"]


# ------------------------------------------------------------------------------ my profile


@pytest.fixture
def anna_user(content):
    user = make_user("anna", "Mitarbeitende", email=ANNA[1], first_name="Anna", last_name="Arnold")
    anna = content["anna"]
    anna.user = user
    anna.save()
    return user


def test_my_profile_shows_and_corrects_own_data(client, anna_user, content):
    anna = content["anna"]
    client.force_login(anna_user)
    html = client.get(PROFILE).content.decode()
    assert "Anna Arnold" in html and ANNA[1] in html
    assert "Datenschutz" in html and "dienstliche" in html
    assert "Beitrag krise-1" in html

    response = client.post(
        PROFILE, {"role": "Leitung Krisenstab", "department": "", "phone": "02931 555-1"}
    )
    assert response.status_code == 302
    html = client.get(PROFILE).content.decode()
    assert "Gespeichert" in html
    anna.refresh_from_db()
    assert (anna.role, anna.department, anna.phone) == ("Leitung Krisenstab", None, "02931 555-1")
    # Name and e-mail cannot be changed here.
    client.post(PROFILE, {"role": "x", "phone": "", "name": "Hacker", "email": "h@evil.example"})
    anna.refresh_from_db()
    assert (anna.name, anna.email) == ("Anna Arnold", ANNA[1])
    # A bad phone number is refused with a message, nothing saved.
    response = client.post(PROFILE, {"role": "y", "phone": "<script>"})
    assert response.status_code == 200
    assert "Bitte nur Ziffern" in response.content.decode()
    anna.refresh_from_db()
    assert anna.role == "x"


def test_my_expertise_add_edit_remove(client, anna_user, content):
    anna = content["anna"]
    client.force_login(anna_user)
    response = client.post(
        reverse("cooperation:my_expertise_add"),
        {"topic": topic(KRISE).pk, "city": "", "note": "Notstrom"},
    )
    assert response.status_code == 302
    entry = Expertise.objects.get(person=anna)
    assert (entry.topic.title, entry.city, entry.note) == (KRISE, None, "Notstrom")
    assert entry.confirmed_on == timezone.localdate()
    # The same topic for the same city again: refused (blank city = own city Arnsberg).
    response = client.post(
        reverse("cooperation:my_expertise_add"),
        {"topic": topic(KRISE).pk, "city": city("Arnsberg").pk, "note": "doppelt"},
    )
    assert response.status_code == 200
    assert "gibt es schon einen Eintrag" in response.content.decode()
    assert Expertise.objects.filter(person=anna).count() == 1
    # For the other city it is a second entry, shown in that column.
    client.post(
        reverse("cooperation:my_expertise_add"),
        {"topic": topic(KRISE).pk, "city": city("Sundern").pk, "note": "Beratung Sundern"},
    )
    assert Expertise.objects.filter(person=anna).count() == 2
    html = client.get(FINDER).content.decode()
    assert "Fachwissen: Beratung Sundern" in cell(html, KRISE, "Sundern")

    edit = reverse("cooperation:my_expertise_edit", args=[entry.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"topic": topic(SMART).pk, "city": "", "note": "Sensoren"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.topic.title, entry.note) == (SMART, "Sensoren")

    response = client.post(reverse("cooperation:my_expertise_delete", args=[entry.pk]))
    assert response.status_code == 302
    assert not Expertise.objects.filter(pk=entry.pk).exists()
    # Bad input: unknown topic, overlong note.
    response = client.post(
        reverse("cooperation:my_expertise_add"), {"topic": "999999", "note": "x" * 400}
    )
    assert response.status_code == 200
    assert Expertise.objects.filter(person=anna).count() == 1


def test_cannot_edit_other_peoples_data(client, anna_user, content):
    bernd = content["bernd"]
    other = Expertise.objects.create(person=bernd, topic=topic(KLIMA), note="Förderanträge")
    client.force_login(anna_user)
    edit = reverse("cooperation:my_expertise_edit", args=[other.pk])
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"topic": topic(KRISE).pk, "note": "übernommen"}).status_code == 404
    delete = reverse("cooperation:my_expertise_delete", args=[other.pk])
    assert client.post(delete).status_code == 404
    other.refresh_from_db()
    assert other.note == "Förderanträge"
    # The profile form changes the own person only, whatever id is sent along.
    client.post(PROFILE, {"role": "Neu", "phone": "", "pk": bernd.pk, "id": bernd.pk})
    bernd.refresh_from_db()
    assert bernd.role == ""
    assert ContactPerson.objects.get(user=anna_user).role == "Neu"
    # Confirming confirms the own entries only.
    client.post(reverse("cooperation:my_profile_confirm"))
    other.refresh_from_db()
    assert other.confirmed_on is None
    # Unknown entries and huge ids: 404.
    assert client.get("/meine-angaben/fachwissen/99999999999999999999999/").status_code == 404


def test_staff_without_a_person_cannot_change_anything(client, staff, content):
    other = Expertise.objects.create(person=content["bernd"], topic=topic(KLIMA))
    client.force_login(staff)
    assert client.post(PROFILE, {"role": "x"}).status_code == 404
    assert client.post(reverse("cooperation:my_profile_confirm")).status_code == 404
    assert (
        client.post(reverse("cooperation:my_expertise_add"), {"topic": topic(KRISE).pk}).status_code
        == 404
    )
    assert (
        client.post(reverse("cooperation:my_expertise_delete", args=[other.pk])).status_code == 404
    )
    assert Expertise.objects.count() == 1


def test_confirm_sets_today_on_person_and_entries(client, anna_user, content):
    anna = content["anna"]
    old = add_months(timezone.localdate(), -14)
    anna.confirmed_on = old
    anna.save()
    e1 = Expertise.objects.create(person=anna, topic=topic(KRISE), confirmed_on=old)
    e2 = Expertise.objects.create(person=anna, topic=topic(SMART))
    client.force_login(anna_user)
    html = client.get(PROFILE).content.decode()
    assert "Stimmen Ihre Angaben noch?" in html
    response = client.post(reverse("cooperation:my_profile_confirm"), {"next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    today = timezone.localdate()
    anna.refresh_from_db()
    e1.refresh_from_db()
    e2.refresh_from_db()
    assert anna.confirmed_on == e1.confirmed_on == e2.confirmed_on == today
    html = client.get(PROFILE).content.decode()
    assert "Stimmen Ihre Angaben noch?" not in html
    assert f'Stand: bestätigt am <time datetime="{today:%Y-%m-%d}">' in html
    # An outside "next" is not followed.
    response = client.post(
        reverse("cooperation:my_profile_confirm"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == PROFILE


def test_confirm_prompt(anna_user, content, staff):
    anna = content["anna"]
    # Nothing to confirm without expertise or memberships.
    assert confirm_prompt(anna_user) is None
    Expertise.objects.create(person=anna, topic=topic(KRISE))
    prompt = confirm_prompt(anna_user)
    assert prompt and prompt["person"] == anna and prompt["confirmed_on"] is None
    anna.confirmed_on = add_months(timezone.localdate(), -11)
    anna.save()
    assert confirm_prompt(anna_user) is None
    anna.confirmed_on = add_months(timezone.localdate(), -12) - datetime.timedelta(days=1)
    anna.save()
    assert confirm_prompt(anna_user)["confirmed_on"] == anna.confirmed_on
    assert confirm_prompt(staff) is None  # no linked person


def test_confirm_prompt_with_membership_only(content):
    bernd = content["bernd"]
    user = make_user("bernd", "Mitarbeitende", email=BERND[1])
    bernd.user = user
    bernd.save()
    assert confirm_prompt(user) is None
    make_group("Klima", [KLIMA], [(bernd, MemberRole.MEMBER, None)])
    assert confirm_prompt(user)["person"] == bernd


def test_create_own_person_from_the_account(client, content):
    user = make_user(
        "nina",
        "Mitarbeitende",
        email="nina.neu@sundern.example",
        first_name="Nina",
        last_name="Neu",
    )
    client.force_login(user)
    html = client.get(PROFILE).content.decode()
    assert "Noch keine Angaben" in html and "Angaben anlegen" in html
    response = client.post(reverse("cooperation:my_profile_create"))
    assert response.status_code == 302
    person = ContactPerson.objects.get(user=user)
    assert (person.name, person.email, person.city.name) == (
        "Nina Neu",
        "nina.neu@sundern.example",
        "Sundern",
    )
    # Twice creates nothing more.
    client.post(reverse("cooperation:my_profile_create"))
    assert ContactPerson.objects.filter(email="nina.neu@sundern.example").count() == 1


def test_existing_unlinked_person_is_linked_by_the_redaktion(client, content):
    user = make_user("anna2", "Mitarbeitende", email=ANNA[1], first_name="Anna", last_name="A")
    client.force_login(user)
    html = client.get(PROFILE).content.decode()
    assert "Die Redaktion verknüpft" in html and "Angaben anlegen" not in html
    client.post(reverse("cooperation:my_profile_create"))
    assert ContactPerson.objects.filter(email__iexact=ANNA[1]).count() == 1
    assert not ContactPerson.objects.filter(user=user).exists()


# ------------------------------------------------------------------------------ admin, demo


def test_expertise_in_the_admin(client, content):
    admin = make_user("ada", is_superuser=True, is_staff=True)
    Expertise.objects.create(person=content["bernd"], topic=topic(KLIMA), note="Förderanträge")
    Expertise.objects.create(person=content["anna"], topic=topic(KRISE), note="Notstrom")
    client.force_login(admin)
    response = client.get("/admin/snippets/kb/expertise/")
    assert response.status_code == 200
    listing = response.content.decode()
    assert "Förderanträge" in listing and "Notstrom" in listing
    found = client.get("/admin/snippets/kb/expertise/", {"q": "Förder"}).content.decode()
    assert "Förderanträge" in found and "Notstrom" not in found
    # In the "Wissensnetz" group of the admin menu.
    menu = client.get("/admin/").content.decode()
    group = menu.split('"name": "wissensnetz"', 1)[1].split("wagtail.sidebar.SubMenuItem", 1)[0]
    assert '"label": "Fachwissen"' in group and "/admin/snippets/kb/expertise/" in group


def test_demo_expertise(client):
    call_command("load_demo", "--users", stdout=StringIO())
    count = Expertise.objects.count()
    assert count >= 5
    call_command("load_demo", "--users", stdout=StringIO())
    assert Expertise.objects.count() == count
    stale = Expertise.objects.get(person__email="thomas.kleinschmidt@arnsberg.example")
    assert stale.confirmed_on == add_months(timezone.localdate(), -14)
    user = make_user("neugier", "Mitarbeitende", email="neugier@arnsberg.example")
    client.force_login(user)
    html = client.get(reverse("cooperation:person", args=[stale.person_id])).content.decode()
    assert ">veraltet<" in html
    assert "nicht bestätigt seit" in client.get(FINDER).content.decode()

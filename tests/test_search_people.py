"""Who knows what, in the search: people found by their expertise and working groups (filtered
by city and topic area, linked to their person page), and working groups found by what they
are about — as staff see them on the search page and in the JSON API."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import PageViewRestriction

from cooperation.models import (
    CooperationIndexPage,
    GroupStatus,
    MemberRole,
    WorkingGroupMember,
    WorkingGroupPage,
)
from kb.models import City, ContactPerson, Expertise, TopicPage
from kb.topics import ensure_default_topics, home_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the index updates that content changes schedule for after their commit."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


@pytest.fixture
def topics(db) -> dict[str, TopicPage]:
    return {topic.title: topic for topic in ensure_default_topics()}


@pytest.fixture
def cities(db) -> dict[str, City]:
    return {city.name: city for city in City.objects.all()}


@pytest.fixture
def area(topics) -> CooperationIndexPage:
    page = CooperationIndexPage(title="Zusammenarbeit", slug="zusammenarbeit")
    home_page().add_child(instance=page)
    page.save_revision().publish()
    return page


def person(name: str, city: City, role: str = "") -> ContactPerson:
    slug = name.lower().replace(" ", ".")
    return ContactPerson.objects.create(
        name=name, role=role, city=city, email=f"{slug}@{city.slug}.example"
    )


def add_group(
    area,
    on_commit,
    title,
    *,
    topics=(),
    cities=(),
    members=(),
    status=GroupStatus.ACTIVE,
    live=True,
    description="<p>Arbeitsgruppe des Städtetags.</p>",
) -> WorkingGroupPage:
    group = WorkingGroupPage(
        title=title,
        slug=re.sub(r"[^a-z]+", "-", title.lower()).strip("-"),
        status=status,
        description=description,
        live=False,
    )
    group.topics = list(topics)
    group.cities = list(cities)
    group.members = [
        WorkingGroupMember(person=member, role=role, city=city) for member, role, city in members
    ]
    area.add_child(instance=group)
    if live:
        on_commit(lambda: group.save_revision().publish())
    return WorkingGroupPage.objects.get(pk=group.pk)


def page(client, **params) -> str:
    response = client.get("/suche/", params)
    assert response.status_code == 200
    return response.content.decode()


def section(html: str, heading_id: str) -> str:
    """The part of the page from a heading to the end of its section or aside."""
    start = html.index(f'id="{heading_id}"')
    ends = [html.find(tag, start) for tag in ("</section>", "</aside>")]
    return html[start : min(end for end in ends if end > 0)]


def api(client, **params) -> dict:
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 200
    return response.json()


@pytest.fixture
def experts(topics, cities, on_commit) -> dict[str, ContactPerson]:
    """Three people known only from their expertise entries (no articles)."""
    jana = person("Jana Voss", cities["Arnsberg"], "Sachgebietsleitung Bevölkerungsschutz")
    ole = person("Ole Brinkmann", cities["Sundern"], "Feuerwehr")
    nina = person("Nina Albers", cities["Sundern"], "Digitalisierung")
    on_commit(
        Expertise.objects.create,
        person=jana,
        topic=topics["Krisenmanagement"],
        note="Notstromversorgung der Kläranlagen",
    )
    on_commit(
        Expertise.objects.create,
        person=ole,
        topic=topics["Krisenmanagement"],
        note="Notstromaggregate und Einsatzplanung",
    )
    on_commit(
        Expertise.objects.create,
        person=nina,
        topic=topics["Smart City"],
        note="Sensoren für Notstromaggregate",
    )
    return {"jana": jana, "ole": ole, "nina": nina}


def test_a_person_is_found_by_the_note_and_topic_of_their_expertise(staff_client, experts):
    # A part of the compound in the note ("Notstromversorgung"), inflected ("Kläranlage").
    people = section(page(staff_client, q="Kläranlage Notstrom"), "contacts-heading")
    assert "Jana Voss" in people
    assert "Fachwissen:" in people and "Notstromversorgung der Kläranlagen" in people
    assert "Ole Brinkmann" not in people
    # The topic area of the entry finds both experts on it, not the one of another area.
    by_topic = section(page(staff_client, q="Krisenmanagement"), "contacts-heading")
    assert "Jana Voss" in by_topic and "Ole Brinkmann" in by_topic
    assert "Nina Albers" not in by_topic


def test_no_article_but_an_expert_says_so_and_shows_the_expert_first(staff_client, experts):
    html = page(staff_client, q="Kläranlage Notstrom")
    assert "Keine Beiträge für „Kläranlage Notstrom“" in html
    assert "eine Ansprechperson, die sich damit auskennt" in html or "Ansprechpersonen, die" in html
    # The people come before the search tips of the empty result.
    assert html.index("contacts-heading") < html.index("no-results")


def test_removing_an_expertise_entry_removes_the_person_from_those_results(
    staff_client, experts, on_commit
):
    assert "Jana Voss" in page(staff_client, q="Kläranlage")
    on_commit(Expertise.objects.filter(person=experts["jana"]).delete)
    assert "Jana Voss" not in page(staff_client, q="Kläranlage")


def test_people_results_honour_the_city_and_topic_filters(staff_client, experts):
    everyone = section(page(staff_client, q="Notstromaggregate"), "contacts-heading")
    assert "Ole Brinkmann" in everyone and "Nina Albers" in everyone
    # "Notstromversorgung" has no "Aggregate": Jana Voss is not an answer to that.
    assert "Jana Voss" not in everyone
    sundern = section(page(staff_client, q="Notstrom", city="sundern"), "contacts-heading")
    assert "Ole Brinkmann" in sundern and "Nina Albers" in sundern
    assert "Jana Voss" not in sundern
    # Display names work as filter values as on the rest of the page.
    smart = section(page(staff_client, q="Notstrom", topic="Smart City"), "contacts-heading")
    assert "Nina Albers" in smart
    assert "Ole Brinkmann" not in smart and "Jana Voss" not in smart
    nobody = page(staff_client, q="Notstrom", city="arnsberg", topic="smart-city")
    assert 'id="contacts-heading"' not in nobody
    # A city no one knows matches no one (and is no error: PostgreSQL refuses NUL in queries).
    assert 'id="contacts-heading"' not in page(staff_client, q="Notstrom", city="atlantis")


def test_a_person_is_found_by_their_working_group_and_links_to_their_page(
    staff_client, area, topics, cities, on_commit
):
    lena = person("Lena Brandt", cities["Sundern"], "Klimaschutzmanagerin")
    paul = person("Paul Wiese", cities["Arnsberg"])
    group = add_group(
        area,
        on_commit,
        "Resilienz gegen Folgen des Klimawandels",
        topics=[topics["Klimafolgenanpassung & Resilienz"]],
        members=[
            (lena, MemberRole.LEAD, None),
            (paul, MemberRole.MEMBER, cities["Arnsberg"]),
        ],
    )
    html = page(staff_client, q="Klimawandel")
    people = section(html, "contacts-heading")
    assert "Lena Brandt" in people and "Paul Wiese" in people
    assert "Leitung AG" in people and "Mitglied AG" in people
    assert f'href="{group.url}"' in people
    # The lead is the one to ask: listed first, the line names the role before the group.
    assert people.index("Lena Brandt") < people.index("Paul Wiese")
    lena_card = people[people.index("Lena Brandt") :]
    assert lena_card.index("Leitung AG") < lena_card.index("Resilienz gegen Folgen")
    # The name links to the person page.
    assert f'href="{reverse("cooperation:person", args=[lena.pk])}"' in people
    # The topic area of the group counts for the topic filter.
    filtered = page(staff_client, q="Klimawandel", topic="klimafolgenanpassung-resilienz")
    assert "Lena Brandt" in section(filtered, "contacts-heading")
    assert 'id="contacts-heading"' not in page(staff_client, q="Klimawandel", topic="smart-city")


def test_a_named_colleague_comes_first_with_what_they_know(
    staff_client, demo_articles, topics, on_commit
):
    thomas = ContactPerson.objects.get(name="Thomas Kleinschmidt")
    on_commit(
        Expertise.objects.create,
        person=thomas,
        topic=topics["Krisenmanagement"],
        note="Blackout-Vorsorge",
    )
    html = page(staff_client, q="Kleinschmidt")
    people = section(html, "people-heading")
    assert "Thomas Kleinschmidt" in people
    assert "Fachwissen:" in people and "Blackout-Vorsorge" in people
    assert reverse("cooperation:person", args=[thomas.pk]) in people
    assert html.index('id="people-heading"') < html.index('id="results-heading"')
    payload = api(staff_client, q="Thomas Kleinschmidt")
    assert [p["name"] for p in payload["people"]] == ["Thomas Kleinschmidt"]
    assert payload["people"][0]["expertise"] == ["Fachwissen: Krisenmanagement – Blackout-Vorsorge"]
    assert payload["people"][0]["url"] == reverse("cooperation:person", args=[thomas.pk])


def test_a_person_known_only_from_their_expertise_is_found_by_name(staff_client, experts):
    payload = api(staff_client, q="Brinkmann")
    assert [p["name"] for p in payload["people"]] == ["Ole Brinkmann"]
    # Someone who is neither an article's contact nor has expertise nor a group stays unknown.
    person("Ute Unbekannt", City.objects.get(slug="arnsberg"))
    assert api(staff_client, q="Unbekannt")["people"] == []


def test_working_groups_are_found_by_inflected_forms_and_compound_parts(
    staff_client, area, topics, on_commit
):
    add_group(
        area,
        on_commit,
        "Resilienz gegen Folgen des Klimawandels",
        topics=[topics["Klimafolgenanpassung & Resilienz"]],
    )
    add_group(
        area,
        on_commit,
        "Klimaneutralität & Energieversorgung",
        topics=[topics["Klimaneutralität & Energieversorgung"]],
        status=GroupStatus.CLOSED,
    )
    add_group(
        area, on_commit, "Migration & Integration", topics=[topics["Migration & Integration"]]
    )
    climate = section(page(staff_client, q="Klimawandel"), "groups-heading")
    assert "Resilienz gegen Folgen des Klimawandels" in climate
    assert "Klimaneutralität" not in climate and "Migration" not in climate
    assert "aktiv" in climate and "Klimafolgenanpassung &amp; Resilienz" in climate
    energy = section(page(staff_client, q="Energie"), "groups-heading")
    assert "Klimaneutralität &amp; Energieversorgung" in energy
    assert "abgeschlossen" in energy
    # Both groups are about the climate ("Klima" in both compounds).
    both = section(page(staff_client, q="Klima"), "groups-heading")
    assert "Arbeitsgruppen" in both
    assert "Klimawandels" in both and "Energieversorgung" in both
    # A topic-area filter applies to the groups too.
    filtered = page(staff_client, q="Klima", topic="klimaneutralitaet-energieversorgung")
    assert "Klimawandels" not in section(filtered, "groups-heading")
    assert 'id="groups-heading"' not in page(staff_client, q="Schulweg")


def test_an_unpublished_group_is_not_found_nor_are_its_members_by_it(
    staff_client, area, cities, on_commit
):
    lena = person("Lena Brandt", cities["Sundern"])
    group = add_group(area, on_commit, "Krisenstab Hochwasser", members=[(lena, "lead", None)])
    assert "Krisenstab Hochwasser" in section(page(staff_client, q="Hochwasser"), "groups-heading")
    assert "Lena Brandt" in page(staff_client, q="Krisenstab")
    on_commit(group.unpublish)
    html = page(staff_client, q="Hochwasser")
    assert 'id="groups-heading"' not in html
    assert "Lena Brandt" not in page(staff_client, q="Krisenstab")
    assert api(staff_client, q="Hochwasser")["groups"] == []
    # A draft that was never published is not found either.
    add_group(area, on_commit, "Hochwasser Entwurf", live=False)
    assert api(staff_client, q="Hochwasser")["groups"] == []


def test_a_restricted_group_is_hidden_from_staff_who_may_not_see_it(
    client, staff, chief, area, cities, on_commit
):
    lena = person("Lena Brandt", cities["Sundern"])
    group = add_group(
        area, on_commit, "Vertrauliche Krisenstabsplanung", members=[(lena, "member", None)]
    )
    restriction = on_commit(
        PageViewRestriction.objects.create, page=group, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    client.force_login(staff)
    assert 'id="groups-heading"' not in page(client, q="Krisenstabsplanung")
    assert api(client, q="Krisenstabsplanung")["groups"] == []
    # Nor is the member found by it, or shown as a member of it.
    assert "Lena Brandt" not in page(client, q="Krisenstabsplanung")
    client.force_login(chief)
    assert [g["title"] for g in api(client, q="Krisenstabsplanung")["groups"]] == [
        "Vertrauliche Krisenstabsplanung"
    ]


def test_the_api_lists_groups_and_keeps_its_keys(staff_client, area, topics, cities, on_commit):
    group = add_group(
        area,
        on_commit,
        "Krisenmanagement",
        topics=[topics["Krisenmanagement"]],
        cities=[cities["Sundern"], cities["Arnsberg"]],
    )
    payload = api(staff_client, q="Krisenmanagement")
    assert set(payload) >= {"count", "page", "page_size", "results", "facets", "people"}
    assert {"related", "groups"} <= set(payload)
    assert payload["groups"] == [
        {
            "title": "Krisenmanagement",
            "url": group.url,
            "status": "aktiv",
            "topics": ["Krisenmanagement"],
            "cities": ["Arnsberg", "Sundern"],
        }
    ]
    # Page 2 has no groups (nor people).
    assert api(staff_client, q="Krisenmanagement", page=2)["groups"] == []


def test_a_city_named_in_the_query_picks_groups_but_finds_none_alone(
    staff_client, area, topics, cities, on_commit
):
    held_in_sundern = "<p>Eingerichtet beim Städtetag in <strong>Sundern</strong>.</p>"
    add_group(
        area,
        on_commit,
        "Krisenmanagement",
        cities=[cities["Arnsberg"], cities["Sundern"]],
        description=held_in_sundern,
    )
    add_group(
        area,
        on_commit,
        "Krisenmanagement Hochsauerland",
        cities=[cities["Sundern"]],
        description=held_in_sundern,
    )

    def titles(q: str) -> list[str]:
        return [group["title"] for group in api(staff_client, q=q)["groups"]]

    # The description's words count ("Städtetag"), its rich text does not get in the way.
    assert set(titles("Städtetag")) == {"Krisenmanagement", "Krisenmanagement Hochsauerland"}
    # A city's name alone is not what a group is about.
    assert titles("Sundern") == []
    assert titles("Krisenmanagement Arnsberg") == ["Krisenmanagement"]
    assert set(titles("Krisenmanagement Sundern")) == {
        "Krisenmanagement",
        "Krisenmanagement Hochsauerland",
    }


def test_a_deleted_group_is_gone_from_the_search_with_its_members_by_it(
    staff_client, area, cities, on_commit
):
    lena = person("Lena Brandt", cities["Sundern"])
    group = add_group(area, on_commit, "Krisenstab Hochwasser", members=[(lena, "lead", None)])
    assert "Lena Brandt" in page(staff_client, q="Krisenstab")
    on_commit(group.delete)
    assert api(staff_client, q="Krisenstab")["groups"] == []
    assert "Lena Brandt" not in page(staff_client, q="Krisenstab")

"""Transfer radar (/transfer-radar/): articles per topic area / tag and city, the gaps ("Lücke in
<Stadt>"), zero-result searches attributed to topic areas by their words, links to create the
missing article; for editors and working-group leads only."""

from __future__ import annotations

import datetime
import re
from html import escape

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cooperation.models import (
    CooperationIndexPage,
    MemberRole,
    WorkingGroupMember,
    WorkingGroupPage,
)
from kb.models import ArticlePage, City, ContactPerson, TopicPage
from search.models import DailyQueryCount
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = "/transfer-radar/"


def row_cells(html: str, label: str) -> list[str]:
    """The city cells (and the searches cell) of the table row headed `label`, as text."""
    match = re.search(
        rf'<th scope="row">(?:<a href="[^"]*">)?{re.escape(escape(label))}(?:</a>)?</th>(.*?)</tr>',
        html,
        re.S,
    )
    assert match, label
    return [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", match.group(1), re.S)
    ]


def gaps(html: str) -> list[str]:
    section = html.split('id="gaps-heading"')[1].split("</section>")[0]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", item).split())
        for item in re.findall(r'<li class="radar-gap">(.*?)</li>', section, re.S)
    ]


def lead_user():
    user = make_user("leo", "Mitarbeitende", email="leo@sundern.example")
    person = ContactPerson.objects.create(name="Leo Lindner", user=user)
    home = TopicPage.objects.first().get_parent()
    area = home.add_child(instance=CooperationIndexPage(title="Zusammenarbeit", slug="zusammen"))
    group = area.add_child(instance=WorkingGroupPage(title="AG Smart City", slug="ag-smart-city"))
    WorkingGroupMember.objects.create(page=group, person=person, role=MemberRole.LEAD)
    return user


def test_staff_get_a_german_403(staff_client, demo_articles):
    response = staff_client.get(URL)
    assert response.status_code == 403
    html = response.content.decode()
    assert "für die Redaktionen und die Leitungen der Arbeitsgruppen" in html
    assert "Lücke" not in html


def test_login_required(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/anmelden/" in response["Location"]


def test_a_working_group_lead_sees_the_radar_without_create_links(client, demo_articles):
    client.force_login(lead_user())
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Transfer-Radar</h1>" in html
    # No admin access: no links into the admin.
    assert "/admin/pages/add/" not in html


def test_counts_per_topic_area_and_tag_for_every_city(client, editor, demo_articles):
    client.force_login(editor)
    html = client.get(URL).content.decode()
    assert '<th scope="col" class="radar-table__number">Arnsberg</th>' in html
    assert '<th scope="col" class="radar-table__number">Sundern</th>' in html
    # Smart City: the Arnsberg pilot and the joint article (Arnsberg 2, Sundern 1).
    assert row_cells(html, "Smart City")[:2] == ["2", "1"]
    # "Ländlicher Raum" is a Sundern tag only: Arnsberg's cell is a gap.
    assert row_cells(html, "Ländlicher Raum")[:2] == ["0 Lücke", "4"]
    assert "Lücke in Arnsberg: Ländlicher Raum (Schlagwort, meist im Themenfeld " in " ".join(
        gaps(html)
    )
    gap = next(g for g in gaps(html) if g.startswith("Lücke in Arnsberg: Ländlicher Raum"))
    assert "Sundern hat 4 Beiträge" in gap


def test_only_live_readable_articles_count(client, editor, demo_articles):
    client.force_login(editor)
    joint = ArticlePage.objects.get(slug="demo-smart-city-wissenstransfer-arnsberg-sundern")
    joint.unpublish()
    html = client.get(URL).content.decode()
    assert row_cells(html, "Smart City")[:2] == ["1", "0 Lücke"]
    assert any(g.startswith("Lücke in Sundern: Smart City (Themenfeld)") for g in gaps(html))

    # A section the viewer may not read is not counted (and shows nothing of its articles).
    topic = TopicPage.objects.get(title="Jugendarbeit")
    restriction = PageViewRestriction.objects.create(
        page=topic, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    html = client.get(URL).content.decode()
    assert ">Jugendarbeit<" not in html
    assert "Jugendbeteiligung" not in html


def test_a_third_city_is_a_column_with_its_gaps(client, editor, demo_articles):
    City.objects.create(name="Meschede", slug="meschede")
    client.force_login(editor)
    html = client.get(URL).content.decode()
    assert '<th scope="col" class="radar-table__number">Meschede</th>' in html
    # Cities in German alphabetical order: Arnsberg, Meschede, Sundern.
    assert row_cells(html, "Smart City")[:3] == ["2", "0 Lücke", "1"]
    gap = next(g for g in gaps(html) if g.startswith("Lücke in Meschede: Smart City (Themenfeld)"))
    assert "Arnsberg hat 2 Beiträge, Sundern hat 1 Beitrag" in gap


def test_zero_result_searches_are_attributed_by_their_words(client, editor, demo_articles):
    today = timezone.localdate()
    DailyQueryCount.objects.create(day=today, query="hitzeaktionsplan", count=4, zero_results=4)
    DailyQueryCount.objects.create(day=today, query="xylophon", count=1, zero_results=1)
    # Found something, or too long ago: not a gap of this period.
    DailyQueryCount.objects.create(day=today, query="hitze telefonkette", count=5, zero_results=0)
    DailyQueryCount.objects.create(
        day=today - datetime.timedelta(days=200), query="hitzewarnung", count=9, zero_results=9
    )
    client.force_login(editor)
    html = client.get(URL).content.decode()
    cells = row_cells(html, "Klimafolgenanpassung & Resilienz")
    assert cells[-1].startswith("4 hitzeaktionsplan (4×)")
    assert "hitzewarnung" not in cells[-1] and "telefonkette" not in cells[-1]
    # The tag "Hitze" gets it too; an unmatched query is listed on its own.
    assert row_cells(html, "Hitze")[-1].startswith("4 hitzeaktionsplan")
    unattributed = html.split('id="unattributed-heading"')[1]
    assert "xylophon" in unattributed and "hitzeaktionsplan" not in unattributed

    # The longer period includes the old one.
    html = client.get(URL + "?tage=365").content.decode()
    assert "hitzewarnung" in row_cells(html, "Klimafolgenanpassung & Resilienz")[-1]
    # Nonsense falls back to the default period.
    assert client.get(URL + "?tage=abc").status_code == 200


def test_searches_in_a_topic_without_articles_are_gaps_for_every_city(
    client, editor, demo_articles
):
    home = TopicPage.objects.first().get_parent()
    home.add_child(instance=TopicPage(title="Friedhofswesen", slug="friedhofswesen"))
    DailyQueryCount.objects.create(
        day=timezone.localdate(), query="friedhofswesen gebuehren", count=6, zero_results=6
    )
    client.force_login(editor)
    html = client.get(URL).content.decode()
    found = [g for g in gaps(html) if ": Friedhofswesen (Themenfeld)" in g]
    assert len(found) == 2
    assert "Noch keine Stadt hat dazu einen Beitrag; 6 Suchen ohne Treffer" in found[0]
    # Weight 12 (6 searches × 2) puts them first.
    assert gaps(html)[0] in found


def test_gaps_link_to_creating_the_article_in_the_topic_area(client, editor, demo_articles):
    client.force_login(editor)
    html = client.get(URL).content.decode()
    topic = TopicPage.objects.get(title="Smart City")
    City.objects.create(name="Meschede", slug="meschede")
    html = client.get(URL).content.decode()
    link = f'href="/admin/pages/add/kb/articlepage/{topic.pk}/"'
    section = html.split('id="gaps-heading"')[1].split("</section>")[0]
    assert link in section
    assert "Beitrag für Meschede anlegen" in section
    # The link opens the admin's form for a new article there.
    response = client.get(f"/admin/pages/add/kb/articlepage/{topic.pk}/")
    assert response.status_code == 200


def test_gaps_are_sorted_by_weight(client, editor, demo_articles):
    City.objects.create(name="Meschede", slug="meschede")
    client.force_login(editor)
    html = client.get(URL).content.decode()
    weights = [int(w) for w in re.findall(r'class="visually-hidden">Gewicht (\d+)\.</span>', html)]
    assert weights and weights == sorted(weights, reverse=True)


def test_queries_are_bounded(client, editor, demo_articles):
    client.force_login(editor)
    client.get(URL)
    with CaptureQueriesContext(connection) as before:
        client.get(URL)
    topic = TopicPage.objects.get(title="Smart City")
    for number in range(5):
        page = ArticlePage(title=f"Sensoren {number}", summary="Kurz.")
        topic.add_child(instance=page)
        page.cities.set(City.objects.all())
        page.tags.add(f"Neues Schlagwort {number}")
        page.save_revision().publish()
    City.objects.create(name="Meschede", slug="meschede")
    DailyQueryCount.objects.create(
        day=timezone.localdate(), query="sensor daten", count=2, zero_results=2
    )
    with CaptureQueriesContext(connection) as after:
        client.get(URL)
    assert len(after) <= len(before) + 1, [q["sql"][:120] for q in after.captured_queries]
    assert len(after) <= 30, len(after)

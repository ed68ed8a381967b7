"""The admin report "Lange nicht geprüft" replaces Wagtail's "Alternde Seiten": articles by their
own date and last review, oldest review first, with the last person who published them."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kb.models import ArticlePage, City, TopicPage
from kb.reports import IMPORT_PUBLISHER, NOT_REVIEWED

pytestmark = pytest.mark.django_db

URL = "/admin/berichte/lange-nicht-geprueft/"


def admin_menu(client) -> dict[str, str]:
    """Label -> URL of every item of the admin menu (Wagtail renders it from JSON props)."""
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
    items: dict[str, str] = {}

    def walk(value):
        if isinstance(value, dict):
            if isinstance(value.get("label"), str):
                items[value["label"]] = value.get("url", "")
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(json.loads(props.group(1)))
    return items


@pytest.fixture
def reviewed(demo_articles, chief):
    """Two demo articles with a review date, one published again by a person (the chief)."""
    old = ArticlePage.objects.get(slug="demo-smart-city-pilot-arnsberg")
    old.last_reviewed = datetime.date(2023, 2, 1)
    old.save_revision(user=chief).publish(user=chief)
    recent = ArticlePage.objects.get(slug="demo-staedtetag-2023-sundern")
    recent.last_reviewed = datetime.date(2025, 6, 30)
    recent.save()
    return {"old": old, "recent": recent}


def rows(response) -> list[ArticlePage]:
    return list(response.context["object_list"])


@pytest.mark.parametrize("user", ["editor", "chief"])
def test_menu_has_the_report_instead_of_aging_pages(client, user, request):
    client.force_login(request.getfixturevalue(user))
    menu = admin_menu(client)
    assert menu["Lange nicht geprüft"] == URL
    assert "Alternde Seiten" not in menu
    assert "Berichte" in menu


def test_staff_cannot_open_the_report(client, staff):
    client.force_login(staff)
    assert client.get(URL).status_code in (302, 403)


def test_never_reviewed_first_then_oldest_review_with_publisher(client, editor, reviewed):
    client.force_login(editor)
    response = client.get(URL)
    assert response.status_code == 200
    listed = rows(response)
    assert len(listed) == ArticlePage.objects.live().count()
    never = [a for a in listed if a.last_reviewed is None]
    assert listed[: len(never)] == never  # "noch nicht geprüft" first …
    assert [a.first_published for a in never] == sorted(a.first_published for a in never)
    assert listed[len(never) :] == [reviewed["old"], reviewed["recent"]]  # … then oldest review

    html = re.search(r"<table class=\"listing\">.*?</table>", response.content.decode(), re.S)[0]
    assert NOT_REVIEWED in html
    assert "01.02.2023" in html and "30.06.2025" in html
    by_slug = {a.slug: a for a in listed}
    # The chief published the old one again; the other one only the import ever published.
    assert by_slug["demo-smart-city-pilot-arnsberg"].last_publisher == "charlotte"
    assert by_slug["demo-staedtetag-2023-sundern"].last_publisher == IMPORT_PUBLISHER
    assert "None" not in html
    # The date is the article's own, not the import's publication date.
    first = listed[0]
    assert first.first_published.strftime("%d.%m.%Y") in html


def test_filter_by_city_and_topic(client, chief, reviewed):
    client.force_login(chief)
    sundern = City.objects.get(name="Sundern")
    only_sundern = rows(client.get(URL, {"city": sundern.pk}))
    assert only_sundern and all(sundern in a.cities.all() for a in only_sundern)
    assert len(only_sundern) < ArticlePage.objects.live().count()

    topic = TopicPage.objects.get(title="Smart City")
    in_topic = rows(client.get(URL, {"topic": topic.pk}))
    assert {a.slug for a in in_topic} == set(
        ArticlePage.objects.live().child_of(topic).values_list("slug", flat=True)
    )
    assert all(a.topic_title == "Smart City" for a in in_topic)


def test_csv_and_xlsx_export(client, chief, reviewed):
    client.force_login(chief)
    response = client.get(URL, {"export": "csv"})
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert table[0] == [
        "Titel",
        "Städte",
        "Themenfeld",
        "Datum des Beitrags",
        "Zuletzt geprüft",
        "Zuletzt veröffentlicht von",
        "Bearbeiten",
    ]
    assert len(table) == 1 + ArticlePage.objects.live().count()
    old = next(row for row in table if row[0] == reviewed["old"].title)
    assert old[1:6] == ["Arnsberg", "Smart City", "2023-11-14", "2023-02-01", "charlotte"]
    assert old[6].endswith(f"/admin/pages/{reviewed['old'].pk}/edit/")
    assert table[1][4] == NOT_REVIEWED and table[1][5] == IMPORT_PUBLISHER

    response = client.get(URL, {"export": "xlsx", "city": City.objects.get(name="Sundern").pk})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][0] == "Titel" and values[0][4] == "Zuletzt geprüft"
    assert {row[0] for row in values[1:]} == {
        a.title for a in ArticlePage.objects.live().filter(cities__name="Sundern")
    }

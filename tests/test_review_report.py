"""The admin report "Prüfstand" (Chefredaktion): articles whose review is overdue or due within
30 days, soonest first, with owner, last review and status; filters; CSV/XLSX export. It replaces
Wagtail's "Alternde Seiten" and supersedes "Lange nicht geprüft" (old address redirects)."""

from __future__ import annotations

import csv
import datetime
import io
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kb.models import ArticlePage, City, TopicPage
from kb.reports import NOT_REVIEWED
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = "/admin/berichte/pruefstand/"
OLD_URL = "/admin/berichte/lange-nicht-geprueft/"


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
def board(demo_articles, editor):
    """Due states relative to today: overdue, due in 10 days, due in 60 days (not listed), none."""
    today = timezone.localdate()
    ArticlePage.objects.update(review_due=today + datetime.timedelta(days=400))
    owner = make_user("olaf", "Redaktion Sundern", email="olaf@sundern.example")
    owner.first_name, owner.last_name = "Olaf", "Owner"
    owner.save()
    overdue = ArticlePage.objects.get(slug="demo-smart-city-pilot-arnsberg")
    soon = ArticlePage.objects.get(slug="demo-staedtetag-2023-sundern")
    later = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern")
    ArticlePage.objects.filter(pk=overdue.pk).update(
        review_due=today - datetime.timedelta(days=5), responsible=editor
    )
    ArticlePage.objects.filter(pk=soon.pk).update(
        review_due=today + datetime.timedelta(days=10),
        last_reviewed=datetime.date(2025, 6, 30),
        responsible=owner,
    )
    ArticlePage.objects.filter(pk=later.pk).update(review_due=today + datetime.timedelta(days=60))
    return {"overdue": overdue, "soon": soon, "later": later, "owner": owner, "today": today}


def rows(response) -> list[ArticlePage]:
    return list(response.context["object_list"])


def test_chief_has_the_report_in_the_menu_instead_of_aging_pages(client, chief):
    client.force_login(chief)
    menu = admin_menu(client)
    assert menu["Prüfstand"] == URL
    assert "Alternde Seiten" not in menu
    assert "Lange nicht geprüft" not in menu


def test_editors_and_staff_cannot_open_the_report(client, editor, staff):
    client.force_login(editor)
    assert "Prüfstand" not in admin_menu(client)
    assert client.get(URL).status_code in (302, 403)
    client.force_login(staff)
    assert client.get(URL).status_code in (302, 403)


def test_old_address_redirects(client, chief):
    client.force_login(chief)
    response = client.get(OLD_URL, {"city": "1"})
    assert response.status_code == 301
    assert response["Location"] == URL + "?city=1"


def test_overdue_and_due_soon_soonest_first_with_status(client, chief, board):
    client.force_login(chief)
    response = client.get(URL)
    assert response.status_code == 200
    assert rows(response) == [board["overdue"], board["soon"]]
    html = re.search(r"<table class=\"listing\">.*?</table>", response.content.decode(), re.S)[0]
    today = board["today"]
    assert f"überfällig seit {today - datetime.timedelta(days=5):%d.%m.%Y}" in html
    assert f"fällig am {today + datetime.timedelta(days=10):%d.%m.%Y}" in html
    assert "Olaf Owner" in html and "ronja" in html
    assert "30.06.2025" in html and NOT_REVIEWED in html
    assert "Smart City" in html


def test_filters_city_topic_owner_status(client, chief, board):
    client.force_login(chief)
    sundern = City.objects.get(name="Sundern")
    assert rows(client.get(URL, {"city": sundern.pk})) == [board["soon"]]
    topic = TopicPage.objects.get(title="Smart City")
    assert rows(client.get(URL, {"topic": topic.pk})) == [board["overdue"]]
    assert rows(client.get(URL, {"owner": board["owner"].pk})) == [board["soon"]]
    assert rows(client.get(URL, {"status": "ueberfaellig"})) == [board["overdue"]]
    assert rows(client.get(URL, {"status": "bald-faellig"})) == [board["soon"]]


def test_csv_and_xlsx_export(client, chief, board):
    client.force_login(chief)
    response = client.get(URL, {"export": "csv"})
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert table[0] == [
        "Titel",
        "Städte",
        "Themenfeld",
        "Verantwortlich",
        "E-Mail",
        "Zuletzt geprüft",
        "Nächste Prüfung",
        "Status",
        "Bearbeiten",
    ]
    assert len(table) == 3
    soon = table[2]
    assert soon[0] == board["soon"].title
    assert soon[3:8] == [
        "Olaf Owner",
        "olaf@sundern.example",
        "2025-06-30",
        (board["today"] + datetime.timedelta(days=10)).isoformat(),
        f"fällig am {board['today'] + datetime.timedelta(days=10):%d.%m.%Y}",
    ]
    assert soon[8].endswith(f"/admin/pages/{board['soon'].pk}/edit/")
    assert table[1][5] == NOT_REVIEWED

    response = client.get(URL, {"export": "xlsx", "status": "ueberfaellig"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.values)
    assert values[0][0] == "Titel" and values[0][7] == "Status"
    assert [row[0] for row in values[1:]] == [board["overdue"].title]

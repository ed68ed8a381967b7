"""The admin report "Suchanalyse": frequent queries and queries without results, editors only."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from search.models import DailyQueryCount
from search.reports import MAX_ROWS, first_day, period_days, top_queries, zero_result_queries

pytestmark = pytest.mark.django_db

URL = "/admin/suchanalyse/"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def query_log(db):
    rows = [
        # (days ago, query, count, zero_results)
        (0, "elterngeld", 12, 0),
        (3, "elterngeld", 8, 0),
        (1, "bauantrag", 5, 1),
        (2, "hundesteuer online", 3, 3),
        (10, "hundesteuer online", 1, 1),
        (40, "altes thema", 99, 99),
    ]
    for ago, query, count, zero in rows:
        DailyQueryCount.objects.create(
            day=days_ago(ago), query=query, count=count, zero_results=zero
        )


def sections(html: str) -> tuple[str, str]:
    """The two tables' parts of the page: (frequent queries, queries without results)."""
    top, _, zero = html.partition('id="suchanfragen-ohne-treffer"')
    return top, zero


def test_url_and_menu_item_are_registered():
    assert reverse("suchanalyse:index") == URL


def test_chief_sees_top_and_zero_result_queries_of_last_30_days(client, chief, query_log):
    client.force_login(chief)
    response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Suchanalyse" in html
    assert "keine personenbezogenen Daten" in html
    top, zero = sections(html)
    assert "Häufigste Suchanfragen" in top
    assert "elterngeld" in top
    assert "Suchanfragen ohne Treffer" in zero
    assert "hundesteuer online" in zero
    assert "elterngeld" not in zero  # always found something
    assert "altes thema" not in html  # 40 days ago
    # Ordered by number of searches, elterngeld (20) first.
    assert top.index("elterngeld") < top.index("bauantrag") < top.index("hundesteuer online")
    assert response.context["days"] == 30


def test_numbers_share_and_last_day(client, chief, query_log):
    client.force_login(chief)
    response = client.get(URL)

    top = {row["query"]: row for row in response.context["object_list"]}
    assert top["elterngeld"]["searches"] == 20
    assert top["elterngeld"]["zero_share"] == "0 %"
    assert top["bauantrag"]["zero_share"] == "20 %"
    assert top["hundesteuer online"]["zero_share"] == "100 %"

    zero = list(response.context["zero_table"].data)
    assert [row["query"] for row in zero] == ["hundesteuer online", "bauantrag"]
    assert zero[0]["zero"] == 4
    assert zero[0]["last_day"] == days_ago(2)
    assert response.context["totals"]["searches"] == 29


def test_period_of_90_days_includes_older_queries(client, chief, query_log):
    client.force_login(chief)
    response = client.get(URL, {"tage": "90"})

    assert response.status_code == 200
    top, zero = sections(response.content.decode())
    assert "altes thema" in top
    assert "altes thema" in zero
    assert response.context["days"] == 90


def test_period_of_7_days(client, chief, query_log):
    client.force_login(chief)
    response = client.get(URL, {"tage": "7"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "elterngeld" in html
    zero = response.context["zero_table"].data
    assert [row["query"] for row in zero] == ["hundesteuer online", "bauantrag"]
    assert zero[0]["zero"] == 3  # the search 10 days ago is outside


@pytest.mark.parametrize("value", ["abc", "", "0", "-7", "31", "1e3"])
def test_malformed_period_falls_back_to_30_days(client, chief, query_log, value):
    client.force_login(chief)
    response = client.get(URL, {"tage": value})

    assert response.status_code == 200
    assert response.context["days"] == 30
    html = response.content.decode()
    assert "elterngeld" in html
    assert "altes thema" not in html


def test_editor_has_access(client, editor, query_log):
    client.force_login(editor)
    assert client.get(URL).status_code == 200


def test_superuser_has_access(client, query_log):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("admin", "admin@arnsberg.example", "pw-admin")
    client.force_login(admin)
    response = client.get(URL)
    assert response.status_code == 200
    # Superusers may edit synonym groups, so the report links to them.
    assert "/admin/snippets/search/synonymgroup/" in response.content.decode()


def test_staff_has_no_access(client, staff, query_log):
    client.force_login(staff)
    response = client.get(URL)

    assert response.status_code in (302, 403)
    assert b"elterngeld" not in response.content
    assert client.get(URL + "ergebnisse/").status_code in (302, 403)


def test_admin_user_outside_editorial_groups_has_no_access(client, staff, query_log):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    response = client.get(URL)

    assert response.status_code in (302, 403)
    assert b"elterngeld" not in response.content


def test_anonymous_is_sent_to_login(client, query_log):
    response = client.get(URL)
    assert response.status_code == 302


def test_reports_menu_shows_item_only_to_editorial_users(client, chief, staff):
    from django.contrib.auth.models import Permission

    client.force_login(chief)
    assert URL.encode() in client.get("/admin/").content

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(staff)
    assert URL.encode() not in client.get("/admin/").content


def test_results_fragment(client, chief, query_log):
    client.force_login(chief)
    response = client.get(URL + "ergebnisse/", {"tage": "90"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "altes thema" in html
    assert "<html" not in html


def test_tables_are_capped(query_log):
    DailyQueryCount.objects.bulk_create(
        DailyQueryCount(day=days_ago(1), query=f"anfrage {n}", count=1, zero_results=1)
        for n in range(MAX_ROWS + 10)
    )
    since = first_day(30)
    assert len(top_queries(since)) == MAX_ROWS
    assert len(zero_result_queries(since)) == MAX_ROWS


def test_period_parsing():
    assert period_days(None) == 30
    assert period_days("7") == 7
    assert period_days("90") == 90
    assert period_days("14") == 30
    assert period_days("abc") == 30
    assert first_day(30, datetime.date(2025, 3, 31)) == datetime.date(2025, 3, 2)


def test_queries_are_escaped(client, chief):
    DailyQueryCount.objects.create(
        day=days_ago(1), query="<script>alert(1)</script>", count=2, zero_results=2
    )
    client.force_login(chief)
    html = client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_synonyms_are_in_the_settings_menu(client):
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("admin", "admin@arnsberg.example", "pw-admin")
    client.force_login(admin)
    html = client.get("/admin/").content.decode()
    assert "Synonyme" in html
    assert "/admin/snippets/search/synonymgroup/" in html
    assert client.get("/admin/snippets/search/synonymgroup/").status_code == 200

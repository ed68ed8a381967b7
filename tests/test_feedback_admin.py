"""Feedback in the Wagtail admin: "Rückmeldungen" (open reports; the owner and editors close
them with a reply mailed to the reporter), the dashboard panel "Offene Meldungen" and the
report "Hilfreiche Beiträge" (votes per article, city/topic filters, CSV export)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse

from feedback.models import REPLY_MAX, Report, Vote
from kb.models import ArticlePage, City, TopicPage
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/rueckmeldungen/"
REPORT_URL = "/admin/berichte/hilfreiche-beitraege/"


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
def owner(db):
    """Owns an article but writes none: admin access only, no page permission."""
    user = make_user("olga", "Mitarbeitende", email="olga@sundern.example", first_name="Olga")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture
def articles(demo_articles, owner) -> dict[str, ArticlePage]:
    ArticlePage.objects.filter(slug="demo-hitzeschutz-sundern").update(responsible=owner)
    return {
        "own": ArticlePage.objects.get(slug="demo-hitzeschutz-sundern"),
        "other": ArticlePage.objects.get(slug="demo-hitzeschutz-arnsberg"),
    }


@pytest.fixture
def reports(articles, staff) -> dict[str, Report]:
    return {
        key: Report.objects.create(article=article, reporter=staff, comment=f"<i>{key}</i> & alt")
        for key, article in articles.items()
    }


def listed(client) -> set[int]:
    response = client.get(LIST_URL)
    assert response.status_code == 200
    return {report.pk for report in response.context["reports"]}


def test_owner_sees_only_the_reports_of_own_articles(client, owner, reports):
    client.force_login(owner)
    assert admin_menu(client).get("Rückmeldungen") == LIST_URL
    assert listed(client) == {reports["own"].pk}
    assert client.get(f"{LIST_URL}{reports['other'].pk}/").status_code == 404


@pytest.mark.parametrize("who", ["editor", "chief"])
def test_editors_and_chefredaktion_see_all_open_reports(client, who, request, reports):
    client.force_login(request.getfixturevalue(who))
    assert admin_menu(client).get("Rückmeldungen") == LIST_URL
    assert listed(client) == {report.pk for report in reports.values()}
    Report.objects.filter(pk=reports["own"].pk).update(status=Report.Status.CLOSED)
    assert listed(client) == {reports["other"].pk}  # open ones by default
    closed = client.get(LIST_URL + "?status=closed").context["reports"]
    assert [report.pk for report in closed] == [reports["own"].pk]


def test_staff_without_admin_access_get_no_list(client, staff, reports):
    client.force_login(staff)
    response = client.get(LIST_URL)
    assert response.status_code in (302, 403)
    assert client.get(f"{LIST_URL}{reports['own'].pk}/").status_code in (302, 403)


def test_user_text_is_escaped_in_the_admin(client, editor, reports):
    client.force_login(editor)
    for url in (LIST_URL, f"{LIST_URL}{reports['own'].pk}/", "/admin/"):
        content = client.get(url).content.decode()
        assert "<i>own</i>" not in content, url
        assert "&lt;i&gt;own&lt;/i&gt; &amp; alt" in content, url


def test_owner_closes_with_a_reply_that_reaches_the_reporter(
    client, owner, staff, reports, smtp_server
):
    report = reports["own"]
    client.force_login(owner)
    reply = "Danke! Die Nummer ist korrigiert.\r\n<Neu>: 02933 81-0 & mehr"
    response = client.post(f"{LIST_URL}{report.pk}/", {"reply": reply})
    assert response.status_code == 302 and response["Location"] == LIST_URL
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert messages == [
        f"Die Meldung zu „{report.article.title}“ ist erledigt; "
        f"{staff.get_username()} erhält Ihre Antwort per E-Mail."
    ]
    report.refresh_from_db()
    assert (report.status, report.closed_by, report.reply) == (
        "closed",
        owner,
        reply.replace("\r\n", "\n"),
    )
    assert report.closed_at is not None

    (mail,) = smtp_server.mails
    assert mail.to == [staff.email]
    assert mail.subject.strip() == f"Antwort auf Ihre Meldung zu „{report.article.title}“"
    assert "<Neu>: 02933 81-0 & mehr" in mail.text
    assert "<i>own</i> & alt" in mail.text  # the report quoted back, unescaped plain text
    assert "Olga hat Ihre Meldung bearbeitet" in mail.text
    assert report.article.get_full_url() in mail.text

    # Closing again (a second tab, a double click) changes nothing and mails nobody.
    client.post(f"{LIST_URL}{report.pk}/", {"reply": "Noch einmal"})
    report.refresh_from_db()
    assert report.reply == reply.replace("\r\n", "\n") and len(smtp_server.mails) == 1
    assert report.pk not in listed(client)


@pytest.mark.parametrize(
    "reply, error",
    [
        ("", "Bitte schreiben Sie eine Antwort; sie geht an die meldende Person."),
        ("r" * (REPLY_MAX + 1), f"Bitte fassen Sie sich kürzer: höchstens {REPLY_MAX} Zeichen."),
    ],
)
def test_closing_needs_a_reply(client, editor, reports, smtp_server, reply, error):
    client.force_login(editor)
    response = client.post(f"{LIST_URL}{reports['own'].pk}/", {"reply": reply})
    assert response.status_code == 200
    assert error in response.content.decode()
    assert Report.objects.get(pk=reports["own"].pk).status == "open"
    assert smtp_server.mails == []


def test_dashboard_panel_lists_open_reports(client, owner, editor, reports):
    client.force_login(owner)
    content = client.get("/admin/").content.decode()
    assert "Offene Meldungen" in content
    assert f"{LIST_URL}{reports['own'].pk}/" in content
    assert f"{LIST_URL}{reports['other'].pk}/" not in content
    Report.objects.update(status=Report.Status.CLOSED)
    assert "Offene Meldungen" not in client.get("/admin/").content.decode()


@pytest.fixture
def votes(articles, demo_articles):
    """Sundern's heat article: 3 × Ja, 1 × Nein; Arnsberg's: 1 × Ja, 3 × Nein."""
    people = [make_user(f"leser{n}", "Mitarbeitende") for n in range(4)]
    for index, person in enumerate(people):
        Vote.objects.create(article=articles["own"], user=person, helpful=index < 3)
        Vote.objects.create(article=articles["other"], user=person, helpful=index == 0)
    return people


def report_rows(client, query: str = "") -> list[tuple[str, int, int, str, int]]:
    response = client.get(REPORT_URL + query)
    assert response.status_code == 200
    return [
        (row.title, row.yes, row.no, row.share_text, row.open_reports)
        for row in response.context["object_list"]
    ]


def test_helpfulness_report_orders_filters_and_counts(client, editor, articles, votes, reports):
    client.force_login(editor)
    assert admin_menu(client).get("Hilfreiche Beiträge") == REPORT_URL
    own, other = articles["own"].title, articles["other"].title
    assert report_rows(client) == [(other, 1, 3, "25 %", 1), (own, 3, 1, "75 %", 1)]
    assert report_rows(client, "?order=most") == [(own, 3, 1, "75 %", 1), (other, 1, 3, "25 %", 1)]
    sundern = City.objects.get(name="Sundern")
    assert report_rows(client, f"?city={sundern.pk}") == [(own, 3, 1, "75 %", 1)]
    topic = TopicPage.objects.get(title="Krisenmanagement")
    assert report_rows(client, f"?topic={topic.pk}") == []
    # A closed report no longer counts as open.
    Report.objects.filter(pk=reports["own"].pk).update(status=Report.Status.CLOSED)
    assert report_rows(client, "?order=most")[0] == (own, 3, 1, "75 %", 0)


def test_helpfulness_report_csv_export(client, chief, articles, votes):
    client.force_login(chief)
    response = client.get(REPORT_URL + "?export=csv")
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(content)))
    assert table[0] == [
        "Titel",
        "Städte",
        "Themenfeld",
        "Ja",
        "Nein",
        "Anteil Ja",
        "Offene Meldungen",
        "Bearbeiten",
    ]
    assert table[1][:7] == [
        articles["other"].title,
        "Arnsberg",
        "Klimafolgenanpassung & Resilienz",
        "1",
        "3",
        "25 %",
        "0",
    ]
    assert len(table) == 3


def test_staff_and_plain_owners_cannot_open_the_helpfulness_report(client, staff, owner):
    for user in (staff, owner):
        client.force_login(user)
        assert client.get(REPORT_URL).status_code in (302, 403)


# The reading side: owners without admin access (a member of Mitarbeitende may own articles).

OWN_LIST_URL = "/rueckmeldung/meldungen/"


@pytest.fixture
def reader_owner(db):
    return make_user("paul", "Mitarbeitende", email="paul@arnsberg.example", first_name="Paul")


def test_owner_without_admin_access_closes_on_the_reading_side(
    client, reader_owner, staff, articles, smtp_server
):
    ArticlePage.objects.filter(pk=articles["other"].pk).update(deputy=reader_owner)
    own = Report.objects.create(article=articles["other"], reporter=staff, comment="<u>Alt</u>")
    foreign = Report.objects.create(article=articles["own"], reporter=staff, comment="Auch alt")
    client.force_login(reader_owner)
    assert client.get(LIST_URL).status_code in (302, 403)  # no admin for them

    # The article page tells the deputy that a report waits, and links the list.
    content = client.get(articles["other"].url).content.decode()
    assert "Zu Ihrem Beitrag ist eine Meldung „Veraltet oder fehlerhaft“ offen" in content
    assert f'href="{OWN_LIST_URL}"' in content

    listing = client.get(OWN_LIST_URL)
    assert [r.pk for r in listing.context["reports"]] == [own.pk]
    assert "&lt;u&gt;Alt&lt;/u&gt;" in listing.content.decode()
    assert client.get(f"{OWN_LIST_URL}{foreign.pk}/").status_code == 404
    assert client.get(f"{OWN_LIST_URL}{2**70}/").status_code == 404

    response = client.post(f"{OWN_LIST_URL}{own.pk}/", {"reply": ""})
    assert response.status_code == 400
    assert "Bitte schreiben Sie eine Antwort" in response.content.decode()
    assert smtp_server.mails == []

    response = client.post(f"{OWN_LIST_URL}{own.pk}/", {"reply": "Ist korrigiert."})
    assert response.status_code == 302 and response["Location"] == OWN_LIST_URL
    own.refresh_from_db()
    assert (own.status, own.closed_by, own.reply) == ("closed", reader_owner, "Ist korrigiert.")
    (mail,) = smtp_server.mails
    assert mail.to == [staff.email] and "Ist korrigiert." in mail.text
    assert "Paul hat Ihre Meldung bearbeitet" in mail.text

    # Sent again: nothing changes, no second mail.
    client.post(f"{OWN_LIST_URL}{own.pk}/", {"reply": "Noch einmal"})
    own.refresh_from_db()
    assert own.reply == "Ist korrigiert." and len(smtp_server.mails) == 1
    closed = client.get(OWN_LIST_URL + "?status=erledigt")
    assert [r.pk for r in closed.context["reports"]] == [own.pk]
    assert "Zu Ihrem Beitrag" not in client.get(articles["other"].url).content.decode()


def test_reading_side_shows_editors_what_the_admin_shows(client, editor, reports):
    client.force_login(editor)
    listing = client.get(OWN_LIST_URL)
    assert {r.pk for r in listing.context["reports"]} == {r.pk for r in reports.values()}


def test_reading_side_is_empty_for_everybody_else(client, staff, reports):
    client.force_login(staff)
    assert list(client.get(OWN_LIST_URL).context["reports"]) == []
    assert client.get(f"{OWN_LIST_URL}{reports['own'].pk}/").status_code == 404
    assert client.post(f"{OWN_LIST_URL}{reports['own'].pk}/", {"reply": "x"}).status_code == 404
    assert Report.objects.get(pk=reports["own"].pk).status == "open"

"""Following a working group: its news (results, actions) by e-mail at once, the articles of its
topic areas like a topic follow, "Meine Abos" and the one-click unsubscribe link.

Mails are read back from the loopback SMTP server (tests/mail_server.py); group news is sent
when the transaction that recorded it commits (captured with django_capture_on_commit_callbacks).
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import PageViewRestriction

from cooperation.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    CooperationIndexPage,
    Result,
    WorkingGroupPage,
)
from cooperation.signals import action_changed, result_recorded
from kb.models import ArticlePage, City, TopicPage
from subscriptions.models import Delivery, Kind, Subscription
from subscriptions.views import follow
from tests.conftest import make_user
from tests.test_subscriptions import TOPIC, publish_article, run, set_delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(demo_articles) -> TopicPage:
    return TopicPage.objects.get(title=TOPIC)


@pytest.fixture
def group(topic) -> WorkingGroupPage:
    home = topic.get_parent()
    area = home.add_child(instance=CooperationIndexPage(title="Zusammenarbeit", slug="zusammen"))
    page = WorkingGroupPage(title="AG Krisenmanagement", slug="ag-krisenmanagement")
    area.add_child(instance=page)
    page.topics.set([topic])
    page.cities.set(City.objects.all())
    page.save_revision().publish()
    return WorkingGroupPage.objects.get(pk=page.pk)


def group_mails(smtp_server) -> list:
    return [mail for mail in smtp_server.mails if "Arbeitsgruppe" in mail.subject]


def record_result(group, actor, title="Gemeinsame Sirenenkarte", **extra) -> Result:
    result = Result.objects.create(group=group, title=title, created_by=actor, **extra)
    result_recorded.send(sender=Result, result=result, actor=actor)
    return result


# --- following ------------------------------------------------------------------------------------


def test_follow_a_group_with_its_button_and_see_it_under_meine_abos(staff_client, staff, group):
    # The include as the group page uses it (kind="group" target=<WorkingGroupPage>).
    from django.template import Context, Template
    from django.test import RequestFactory

    request = RequestFactory().get(group.url)
    request.user = staff
    button = Template(
        '{% include "includes/subscribe_button.html" with kind="group" target=group %}'
    )
    html = button.render(Context({"request": request, "group": group, "csrf_token": "x"}))
    assert "Arbeitsgruppe abonnieren" in html
    assert f'name="target" value="{group.pk}"' in html and 'value="group"' in html

    response = staff_client.post(
        "/abos/abonnieren/", {"kind": "group", "target": group.pk, "next": group.url}
    )
    assert response.status_code == 302 and response["Location"] == group.url
    assert Subscription.objects.filter(user=staff, kind="group", group=group).count() == 1
    # A second click keeps the one subscription.
    staff_client.post("/abos/abonnieren/", {"kind": "group", "target": group.pk})
    assert Subscription.objects.filter(user=staff).count() == 1

    html = button.render(Context({"request": request, "group": group, "csrf_token": "x"}))
    assert "Sie haben diese Arbeitsgruppe abonniert" in html and "Abo beenden" in html

    page = staff_client.get("/abos/").content.decode()
    assert '<h3 class="subscriptions__group-heading">Arbeitsgruppen</h3>' in page
    assert f'<a href="{group.url}">AG Krisenmanagement</a>' in page
    assert 'Entfernen<span class="visually-hidden">: Arbeitsgruppe: AG Krisenmanagement' in page

    # "Entfernen" on Meine Abos ends it.
    staff_client.post("/abos/beenden/", {"kind": "group", "target": group.pk})
    assert not Subscription.objects.filter(user=staff).exists()


def test_unpublished_private_or_unknown_groups_cannot_be_followed(staff_client, staff, group):
    restriction = PageViewRestriction.objects.create(
        page=group, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    for target in (group.pk, 999999, "abc"):
        response = staff_client.post("/abos/abonnieren/", {"kind": "group", "target": target})
        assert response.status_code == 404
    restriction.delete()
    group.unpublish()
    assert (
        staff_client.post("/abos/abonnieren/", {"kind": "group", "target": group.pk}).status_code
        == 404
    )
    assert not Subscription.objects.exists()


def test_a_database_constraint_keeps_group_subscriptions_well_formed(staff, group, topic):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=staff, kind=Kind.GROUP)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=staff, kind=Kind.GROUP, group=group, topic=topic)
    Subscription.objects.create(user=staff, kind=Kind.GROUP, group=group)
    with pytest.raises(IntegrityError), transaction.atomic():
        Subscription.objects.create(user=staff, kind=Kind.GROUP, group=group)


# --- group news -----------------------------------------------------------------------------------


def test_a_result_is_mailed_at_once_to_followers_never_to_who_recorded_it(
    smtp_server, django_capture_on_commit_callbacks, staff, editor, group
):
    lead = make_user(
        "lena",
        "Mitarbeitende",
        email="lena@sundern.example",
        first_name="Lena",
        last_name="Lindner",
    )
    for user in (staff, editor, lead):
        follow(user, Kind.GROUP, group)
    article = ArticlePage.objects.live().first()
    with django_capture_on_commit_callbacks(execute=True):
        result = record_result(group, lead, text="Beide Städte nutzen künftig eine Karte.")
        result.articles.set([article])

    mails = group_mails(smtp_server)
    assert sorted(mail.to[0] for mail in mails) == [
        "mia@arnsberg.example",
        "ronja@arnsberg.example",
    ]
    mail = next(m for m in mails if m.to == ["mia@arnsberg.example"])
    assert mail.subject.strip() == (
        "Neues Ergebnis der Arbeitsgruppe AG Krisenmanagement: Gemeinsame Sirenenkarte"
        " – Wissensnetz"
    )
    assert "Gemeinsame Sirenenkarte" in mail.text
    assert "Beide Städte nutzen künftig eine Karte." in mail.text
    assert "Festgehalten von: Lena Lindner" in mail.text
    assert f"http://127.0.0.1:8000{group.url}" in mail.text
    assert f"- {article.title}: http://127.0.0.1:8000{article.url}" in mail.text
    assert (
        str(mail.message["List-Unsubscribe"])
        .strip()
        .startswith("<http://127.0.0.1:8000/abos/abbestellen/")
    )


def test_nothing_is_mailed_before_the_result_is_committed(
    smtp_server, django_capture_on_commit_callbacks, staff, editor, group
):
    follow(staff, Kind.GROUP, group)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record_result(group, editor)
    assert group_mails(smtp_server) == []
    assert len(callbacks) == 1


def test_an_action_agreed_and_its_status_change_reach_followers(
    smtp_server, django_capture_on_commit_callbacks, staff, editor, chief, group
):
    follow(staff, Kind.GROUP, group)
    follow(chief, Kind.GROUP, group)
    action = Action.objects.create(
        group=group,
        title="Sirenenstandorte abgleichen",
        responsible=chief,
        due_date=datetime.date(2027, 3, 31),
        created_by=editor,
    )
    action.cities.set(City.objects.all())
    with django_capture_on_commit_callbacks(execute=True):
        action_changed.send(sender=Action, action=action, update=None, actor=editor, created=True)
    [mail_staff] = [m for m in group_mails(smtp_server) if m.to == ["mia@arnsberg.example"]]
    assert "Neue Maßnahme der Arbeitsgruppe AG Krisenmanagement" in mail_staff.subject
    assert "Status: offen" in mail_staff.text
    assert "Fällig am: 31.03.2027" in mail_staff.text
    assert "Beteiligte Städte: Arnsberg, Sundern" in mail_staff.text
    assert len(group_mails(smtp_server)) == 2  # staff and the responsible chief

    smtp_server.clear()
    # The responsible person marks it done with a note: everybody but her hears of it.
    update = ActionUpdate.objects.create(
        action=action,
        author=chief,
        text="Abgleich mit beiden Feuerwehren erfolgt.",
        status_from=ActionStatus.OPEN,
        status_to=ActionStatus.DONE,
    )
    action.status = ActionStatus.DONE
    action.save()
    with django_capture_on_commit_callbacks(execute=True):
        action_changed.send(sender=Action, action=action, update=update, actor=chief, created=False)
    [mail] = group_mails(smtp_server)
    assert mail.to == ["mia@arnsberg.example"]
    assert (
        "Maßnahme der Arbeitsgruppe AG Krisenmanagement geändert: Sirenenstandorte abgleichen"
        in mail.subject
    )
    assert "Status: offen → erledigt" in mail.text
    assert "Abgleich mit beiden Feuerwehren erfolgt." in mail.text


def test_group_news_only_for_followers_who_may_read_the_group(
    smtp_server, django_capture_on_commit_callbacks, staff, chief, editor, group
):
    follow(staff, Kind.GROUP, group)
    follow(chief, Kind.GROUP, group)
    restriction = PageViewRestriction.objects.create(
        page=group, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    with django_capture_on_commit_callbacks(execute=True):
        record_result(group, editor)
    assert [mail.to for mail in group_mails(smtp_server)] == [["charlotte@sundern.example"]]


def test_other_groups_news_is_not_mailed(
    smtp_server, django_capture_on_commit_callbacks, staff, editor, group
):
    other = WorkingGroupPage(title="AG Migration", slug="ag-migration")
    group.get_parent().add_child(instance=other)
    follow(staff, Kind.GROUP, group)
    with django_capture_on_commit_callbacks(execute=True):
        record_result(other, editor, title="Willkommensmappe")
    assert group_mails(smtp_server) == []


# --- articles of the group's topic areas ----------------------------------------------------------


def test_new_articles_in_the_groups_topic_areas_reach_followers(
    smtp_server, staff, chief, group, topic
):
    follow(staff, Kind.GROUP, group)
    set_delivery(staff, Delivery.IMMEDIATE)
    elsewhere = TopicPage.objects.exclude(pk=topic.pk).first()
    publish_article(elsewhere, "Nicht im Themenfeld der Gruppe", author=chief)
    publish_article(topic, "Sirenenprobe im März", author=chief)
    assert "1 gesendet" in run()
    [mail] = smtp_server.mails
    assert "Sirenenprobe im März" in mail.text
    assert "Nicht im Themenfeld der Gruppe" not in mail.text
    assert "(aus Ihrem Abo: Arbeitsgruppe: AG Krisenmanagement)" in mail.text
    assert "- Arbeitsgruppe: AG Krisenmanagement: http://127.0.0.1:8000/abos/abbestellen/" in (
        mail.text
    )


def test_the_feed_shows_the_groups_topic_articles_only(staff_client, staff, chief, group, topic):
    import xml.etree.ElementTree as ET

    from tests.test_subscriptions_pages import ATOM, new_feed_url

    follow(staff, Kind.GROUP, group)
    elsewhere = TopicPage.objects.exclude(pk=topic.pk).first()
    publish_article(elsewhere, "Anderes Themenfeld", author=chief)
    publish_article(topic, "Warnapp-Probealarm", author=chief)
    path = new_feed_url(staff_client).removeprefix("http://testserver")
    feed = ET.fromstring(Client().get(path).content)
    titles = [entry.find(f"{ATOM}title").text for entry in feed.iter(f"{ATOM}entry")]
    assert titles[0] == "Warnapp-Probealarm"
    assert "Anderes Themenfeld" not in titles
    topic_titles = set(ArticlePage.objects.child_of(topic).values_list("title", flat=True))
    assert set(titles) <= topic_titles


# --- unsubscribing from the mail ------------------------------------------------------------------


def test_the_mails_one_click_link_ends_the_group_subscription_and_can_be_undone(
    smtp_server, django_capture_on_commit_callbacks, staff, editor, group, topic
):
    follow(staff, Kind.GROUP, group)
    follow(staff, Kind.TOPIC, topic)
    with django_capture_on_commit_callbacks(execute=True):
        record_result(group, editor)
    [mail] = group_mails(smtp_server)
    link = re.search(r"- Arbeitsgruppe AG Krisenmanagement: (http\S+)", mail.text).group(1)
    path = link.removeprefix("http://127.0.0.1:8000")
    assert str(mail.message["List-Unsubscribe"]).strip() == f"<{link}>"

    anonymous = Client(enforce_csrf_checks=True)
    # RFC 8058 one-click POST from the mail client.
    response = anonymous.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Abo beendet" in html and "Arbeitsgruppe: AG Krisenmanagement" in html
    assert not Subscription.objects.filter(user=staff, kind="group").exists()
    # Only that subscription: the topic stays.
    assert Subscription.objects.filter(user=staff, kind="topic").exists()

    smtp_server.clear()
    with django_capture_on_commit_callbacks(execute=True):
        record_result(group, editor, title="Zweites Ergebnis")
    assert group_mails(smtp_server) == []

    response = anonymous.post(path, {"action": "undo"})
    assert "Abo wiederhergestellt" in response.content.decode()
    assert Subscription.objects.filter(user=staff, kind="group", group=group).exists()

"""Subscriptions: what triggers a notification, who gets it, and the mails as they arrive.

Every mail is read back from the loopback SMTP server (tests/mail_server.py). Articles are
published as editors do it: page.save_revision().publish(user=...), or through the admin's page
form; runs are `manage.py kb_send_notifications --now ...`.
"""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import PageViewRestriction

from kb.models import ArticlePage, City, TopicPage
from subscriptions.models import (
    Delivery,
    Kind,
    PublicationEvent,
    SubscriberSettings,
)
from subscriptions.views import follow
from tests.admin_forms import article_form
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

TOPIC = "Krisenmanagement"
# A Tuesday and a Monday morning in Arnsberg (digests go out from 07:00 local time).
TUESDAY_8 = "2026-12-08T08:00:00+01:00"
MONDAY_8 = "2026-12-07T08:00:00+01:00"


def at(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


@pytest.fixture
def topic(demo_articles) -> TopicPage:
    return TopicPage.objects.get(title=TOPIC)


def publish_article(
    topic: TopicPage,
    title: str,
    *,
    author,
    publisher=None,
    cities=("Arnsberg",),
    tags=(),
    summary="Was beim Probealarm zu beachten ist.",
) -> ArticlePage:
    """A new article, written by `author` and published by `publisher` (default: author)."""
    page = ArticlePage(title=title, summary=summary, live=False)
    topic.add_child(instance=page)
    page.cities.set(City.objects.filter(name__in=cities))
    for tag in tags:
        page.tags.add(tag)
    page.save_revision(user=author).publish(user=publisher or author)
    page.refresh_from_db()
    return page


def republish(page: ArticlePage, *, user, notify: bool, title: str | None = None) -> None:
    page = ArticlePage.objects.get(pk=page.pk)
    page.notify_subscribers = notify
    if title:
        page.title = title
    page.save_revision(user=user).publish(user=user)


def run(now: str = TUESDAY_8, **options) -> str:
    out = StringIO()
    call_command("kb_send_notifications", now=now, skip_reviews=True, stdout=out, **options)
    return out.getvalue()


def set_delivery(user, delivery: str) -> None:
    SubscriberSettings.objects.filter(user=user).update(delivery=delivery)


def mails_to(smtp_server, address: str) -> list:
    return [mail for mail in smtp_server.mails if address in mail.to]


def subscription_mails(smtp_server) -> list:
    """The subscription mails among what arrived (Wagtail mails its moderation steps too)."""
    return [mail for mail in smtp_server.mails if "in Ihren Abos" in mail.subject]


# --- what triggers a notification ---------------------------------------------------------------


def test_first_publication_reaches_a_topic_subscriber_with_title_city_topic_summary_link(
    smtp_server, staff, chief, topic
):
    follow(staff, Kind.TOPIC, topic)
    set_delivery(staff, Delivery.IMMEDIATE)
    article = publish_article(topic, "Sirenenprobe im Dezember", author=chief)

    assert "1 gesendet" in run()

    [mail] = smtp_server.mails
    assert mail.to == ["mia@arnsberg.example"]
    assert mail.subject.strip() == "Neu in Ihren Abos: Sirenenprobe im Dezember – Wissensnetz"
    assert "Sirenenprobe im Dezember" in mail.text
    assert "Stadt: Arnsberg" in mail.text
    assert f"Themenfeld: {TOPIC}" in mail.text
    assert "Was beim Probealarm zu beachten ist." in mail.text
    assert f"http://127.0.0.1:8000{article.url}" in mail.text
    assert "Alle Abos beenden: http://127.0.0.1:8000/abos/abbestellen/" in mail.text
    assert (
        str(mail.message["List-Unsubscribe"])
        .strip()
        .startswith("<http://127.0.0.1:8000/abos/abbestellen/")
    )
    assert str(mail.message["List-Unsubscribe-Post"]).strip() == "List-Unsubscribe=One-Click"

    # Sent once: the next run finds nothing new.
    smtp_server.clear()
    assert "0 gesendet" in run()
    assert smtp_server.mails == []


def test_admin_publication_through_the_page_chief_notifies(
    client, smtp_server, staff, chief, topic
):
    follow(staff, Kind.TOPIC, topic)
    set_delivery(staff, Delivery.IMMEDIATE)
    client.force_login(chief)
    response = client.post(
        f"/admin/pages/add/kb/articlepage/{topic.pk}/",
        article_form("Warnapp im Test", "warnapp-im-test", **{"action-publish": "1"}),
    )
    assert response.status_code == 302
    event = PublicationEvent.objects.get(page__slug="warnapp-im-test")
    assert event.publisher == chief

    run()
    [mail] = smtp_server.mails
    assert "Warnapp im Test" in mail.text


def test_drafts_and_submissions_for_moderation_notify_nobody(
    client, smtp_server, staff, editor, topic
):
    follow(staff, Kind.TOPIC, topic)
    set_delivery(staff, Delivery.IMMEDIATE)
    draft = ArticlePage(title="Nur ein Entwurf", summary="Noch nicht fertig.", live=False)
    topic.add_child(instance=draft)
    draft.save_revision(user=editor)

    client.force_login(editor)
    client.post(
        f"/admin/pages/add/kb/articlepage/{topic.pk}/",
        article_form("Zur Freigabe", "zur-freigabe", **{"action-submit": "1"}),
    )
    assert ArticlePage.objects.get(slug="zur-freigabe").current_workflow_state is not None

    run()
    assert smtp_server.mails == []
    assert not PublicationEvent.objects.filter(
        page__slug__in=["nur-ein-entwurf", "zur-freigabe"]
    ).exists()


def test_republish_notifies_only_with_wesentliche_aenderung(smtp_server, staff, chief, topic):
    article = publish_article(topic, "Notstrom im Rathaus", author=chief)
    follow(staff, Kind.ARTICLE, article)
    set_delivery(staff, Delivery.IMMEDIATE)

    republish(article, user=chief, notify=False, title="Notstrom im Rathaus (Tippfehler)")
    run()
    assert smtp_server.mails == []

    republish(article, user=chief, notify=True, title="Notstrom im Rathaus: neue Anlage")
    run()
    [mail] = smtp_server.mails
    assert "[Wesentlich geändert] Notstrom im Rathaus: neue Anlage" in mail.text
    # The tick belonged to that publication: the next edit starts unticked.
    assert ArticlePage.objects.get(pk=article.pk).notify_subscribers is False

    smtp_server.clear()
    republish(article, user=chief, notify=False, title="Notstrom im Rathaus: neue Anlage!")
    run()
    assert smtp_server.mails == []


def test_unpublish_and_a_republish_without_tick_notify_nobody(smtp_server, staff, chief, topic):
    article = publish_article(topic, "Deichschau", author=chief)
    follow(staff, Kind.ARTICLE, article)
    set_delivery(staff, Delivery.IMMEDIATE)
    ArticlePage.objects.get(pk=article.pk).unpublish(user=chief)
    republish(article, user=chief, notify=False)
    run()
    assert smtp_server.mails == []


def test_own_edits_never_notify_author_or_publisher(smtp_server, staff, editor, chief, topic):
    for user in (editor, chief, staff):
        follow(user, Kind.TOPIC, topic)
        set_delivery(user, Delivery.IMMEDIATE)
    # Written by the editor, published by the Chefredaktion (as after a moderated review).
    publish_article(topic, "Krisenstab-Übung", author=editor, publisher=chief)
    run()
    assert [mail.to for mail in smtp_server.mails] == [["mia@arnsberg.example"]]


def test_private_pages_reach_only_subscribers_who_may_read_them(smtp_server, staff, chief, topic):
    insider = make_user("ines", "Chefredaktion", email="ines@sundern.example")
    for user in (staff, insider):
        follow(user, Kind.TOPIC, topic)
        set_delivery(user, Delivery.IMMEDIATE)
    restriction = PageViewRestriction.objects.create(
        page=topic, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    publish_article(topic, "Vertrauliche Lage", author=chief)
    run()
    assert [mail.to for mail in smtp_server.mails] == [["ines@sundern.example"]]


def test_an_article_unpublished_before_the_digest_is_dropped(smtp_server, staff, chief, topic):
    follow(staff, Kind.TOPIC, topic)
    set_delivery(staff, Delivery.DAILY)
    gone = publish_article(topic, "Zurückgezogen", author=chief)
    publish_article(topic, "Bleibt online", author=chief)
    ArticlePage.objects.get(pk=gone.pk).unpublish(user=chief)
    run()
    [mail] = smtp_server.mails
    assert "Bleibt online" in mail.text
    assert "Zurückgezogen" not in mail.text


def test_city_tag_and_other_cities_subscriptions(smtp_server, staff, chief, topic):
    # mia works in Arnsberg (her e-mail domain): "the other cities" is Sundern for her.
    City.objects.filter(name="Arnsberg").update(email_domain="arnsberg.example")
    City.objects.filter(name="Sundern").update(email_domain="sundern.example")
    tag = Tag.objects.create(name="Sirenen")
    others = make_user("otto", "Mitarbeitende", email="otto@arnsberg.example")
    tagged = make_user("tanja", "Mitarbeitende", email="tanja@sundern.example")
    city = make_user("carl", "Mitarbeitende", email="carl@sundern.example")
    follow(others, Kind.OTHER_CITIES, None)
    follow(tagged, Kind.TAG, tag)
    follow(city, Kind.CITY, City.objects.get(name="Arnsberg"))
    for user in (others, tagged, city):
        set_delivery(user, Delivery.DAILY)

    publish_article(topic, "Aus Arnsberg mit Sirenen", author=chief, tags=["Sirenen"])
    publish_article(topic, "Aus Sundern", author=chief, cities=("Sundern",))
    run()

    def titles(address):
        [mail] = mails_to(smtp_server, address)
        return [t for t in ("Aus Arnsberg mit Sirenen", "Aus Sundern") if t in mail.text]

    assert titles("otto@arnsberg.example") == ["Aus Sundern"]
    assert titles("tanja@sundern.example") == ["Aus Arnsberg mit Sirenen"]
    assert titles("carl@sundern.example") == ["Aus Arnsberg mit Sirenen"]
    assert len(smtp_server.mails) == 3


def test_a_new_subscriber_does_not_get_what_was_published_before(smtp_server, chief, topic):
    publish_article(topic, "Vor dem Abo", author=chief)
    late = make_user("lena", "Mitarbeitende", email="lena@arnsberg.example")
    follow(late, Kind.TOPIC, topic)
    set_delivery(late, Delivery.IMMEDIATE)
    run()
    assert smtp_server.mails == []


# --- digests ------------------------------------------------------------------------------------


def test_daily_digest_collects_several_articles_into_one_mail_sent_once(
    smtp_server, staff, chief, topic
):
    follow(staff, Kind.TOPIC, topic)
    set_delivery(staff, Delivery.DAILY)
    for title in ("Erste Übung", "Zweite Übung", "Dritte Übung"):
        publish_article(topic, title, author=chief)

    # Not before 07:00.
    run("2026-12-08T06:30:00+01:00")
    assert smtp_server.mails == []

    run(TUESDAY_8)
    [mail] = smtp_server.mails
    assert mail.subject.strip() == "Ihre tägliche Zusammenfassung: 3 Beiträge – Wissensnetz"
    for title in ("1. Erste Übung", "2. Zweite Übung", "3. Dritte Übung"):
        assert title in mail.text

    run(TUESDAY_8)
    run("2026-12-08T17:00:00+01:00")
    assert len(smtp_server.mails) == 1

    # The next day's digest brings only what is new since.
    publish_article(topic, "Vierte Übung", author=chief)
    run("2026-12-08T18:00:00+01:00")  # same day: the daily digest has gone out already
    assert len(smtp_server.mails) == 1
    run("2026-12-09T07:05:00+01:00")
    assert len(smtp_server.mails) == 2
    latest = smtp_server.mails[-1]
    assert "Vierte Übung" in latest.text and "Erste Übung" not in latest.text


def test_a_publication_after_an_empty_digest_waits_for_the_next_digest(
    smtp_server, staff, chief, topic
):
    follow(staff, Kind.TOPIC, topic)
    set_delivery(staff, Delivery.DAILY)
    run(TUESDAY_8)  # nothing new: today's digest slot is done without a mail
    publish_article(topic, "Am Nachmittag", author=chief)
    run("2026-12-08T15:00:00+01:00")
    assert smtp_server.mails == []
    run("2026-12-09T07:00:00+01:00")
    [mail] = smtp_server.mails
    assert "Am Nachmittag" in mail.text


def test_weekly_digest_is_the_default_and_goes_out_on_monday(smtp_server, staff, chief, topic):
    follow(staff, Kind.TOPIC, topic)
    assert SubscriberSettings.objects.get(user=staff).delivery == Delivery.WEEKLY
    publish_article(topic, "Wochenthema A", author=chief)
    publish_article(topic, "Wochenthema B", author=chief)

    run(TUESDAY_8.replace("08", "09", 1))  # Wednesday 2026-12-09
    assert smtp_server.mails == []
    run(MONDAY_8)
    [mail] = smtp_server.mails
    assert mail.subject.strip() == "Ihre wöchentliche Zusammenfassung: 2 Beiträge – Wissensnetz"
    assert "Wochenthema A" in mail.text and "Wochenthema B" in mail.text
    run(MONDAY_8)
    assert len(smtp_server.mails) == 1


def test_a_crash_mid_run_sends_nothing_twice(smtp_server, staff, chief, topic, monkeypatch):
    from django.core.mail.backends.smtp import EmailBackend

    second = make_user("sven", "Mitarbeitende", email="sven@sundern.example")
    third = make_user("tara", "Mitarbeitende", email="tara@sundern.example")
    for user in (staff, second, third):
        follow(user, Kind.TOPIC, topic)
        set_delivery(user, Delivery.DAILY)
    publish_article(topic, "Stromausfall-Plan", author=chief)

    original = EmailBackend.send_messages

    def failing_for_sven(self, messages):
        if any("sven@sundern.example" in message.to for message in messages):
            raise ConnectionResetError("SMTP connection lost")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", failing_for_sven)
    with pytest.raises(Exception, match="1 Benachrichtigung"):
        run()
    assert sorted(m.to[0] for m in smtp_server.mails) == [
        "mia@arnsberg.example",
        "tara@sundern.example",
    ]

    monkeypatch.setattr(EmailBackend, "send_messages", original)
    run()
    run()
    assert sorted(m.to[0] for m in smtp_server.mails) == [
        "mia@arnsberg.example",
        "sven@sundern.example",
        "tara@sundern.example",
    ]


def test_dry_run_sends_nothing_and_claims_nothing(smtp_server, staff, chief, topic):
    follow(staff, Kind.TOPIC, topic)
    set_delivery(staff, Delivery.DAILY)
    publish_article(topic, "Probelauf", author=chief)
    assert "1 gesendet" in run(dry_run=True)
    assert smtp_server.mails == []
    run()
    assert len(smtp_server.mails) == 1


def test_immediate_task_sends_after_publication(smtp_server, staff, chief, topic):
    from subscriptions.tasks import deliver_immediate_task

    follow(staff, Kind.TOPIC, topic)
    set_delivery(staff, Delivery.IMMEDIATE)
    publish_article(topic, "Sofort gemeldet", author=chief)
    result = deliver_immediate_task.enqueue()
    assert result.return_value == 1
    [mail] = smtp_server.mails
    assert "Sofort gemeldet" in mail.text


def test_command_runs_review_reminders_first(smtp_server, monkeypatch):
    out = StringIO()
    call_command("kb_send_notifications", now=TUESDAY_8, stdout=out)
    assert "Prüf-Erinnerungen:" in out.getvalue()
    assert "Abo-Benachrichtigungen: 0 gesendet" in out.getvalue()


def test_now_option_rejects_nonsense():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("kb_send_notifications", now="gestern", skip_reviews=True)


def test_a_publication_records_reason_author_and_publisher(chief, topic):
    article = publish_article(topic, "Zeitstempel", author=chief)
    event = PublicationEvent.objects.get(page=article)
    assert event.reason == "new"
    assert event.author == chief and event.publisher == chief
    assert abs(event.created - timezone.now()) < datetime.timedelta(minutes=1)


def test_imported_articles_are_news_too_written_in_one_go(smtp_server, staff, topic):
    from kb.importer import import_records
    from tests.test_query_counts import extra_records

    follow(staff, Kind.CITY, City.objects.get(name="Sundern"))
    set_delivery(staff, Delivery.DAILY)
    records = [{**record, "topic": TOPIC} for record in extra_records(6)]
    import_records(records)
    assert PublicationEvent.objects.filter(page__slug__startswith="mehr-hitzeschutz-").count() == 6
    run()
    [mail] = smtp_server.mails
    # Baustein 1, 2, 4, 5 name Sundern (every third article is Arnsberg's alone).
    assert mail.subject.strip() == "Ihre tägliche Zusammenfassung: 4 Beiträge – Wissensnetz"


def test_a_moderated_article_notifies_when_approved_never_its_author(
    client, smtp_server, staff, editor, chief, topic
):
    for user in (staff, editor):
        follow(user, Kind.TOPIC, topic)
        set_delivery(user, Delivery.IMMEDIATE)
    client.force_login(editor)
    client.post(
        f"/admin/pages/add/kb/articlepage/{topic.pk}/",
        article_form("Zur Freigabe", "zur-freigabe", **{"action-submit": "1"}),
    )
    page = ArticlePage.objects.get(slug="zur-freigabe")
    run()
    # Submitted for moderation: no subscriber hears of it (Wagtail tells the Chefredaktion).
    assert subscription_mails(smtp_server) == []

    client.force_login(chief)
    task_state = page.current_workflow_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/", {"comment": "passt"}
    )
    assert response.status_code in (200, 302)
    event = PublicationEvent.objects.get(page=page)
    assert (event.author, event.publisher) == (editor, chief)
    run()
    assert [mail.to for mail in subscription_mails(smtp_server)] == [["mia@arnsberg.example"]]


def test_a_scheduled_publication_notifies_only_when_it_goes_live(smtp_server, staff, chief, topic):
    follow(staff, Kind.TOPIC, topic)
    set_delivery(staff, Delivery.IMMEDIATE)
    page = ArticlePage(
        title="Geplant",
        summary="Erscheint später.",
        live=False,
        go_live_at=timezone.now() + datetime.timedelta(days=1),
    )
    topic.add_child(instance=page)
    page.save_revision(user=chief).publish(user=chief)
    run()
    assert smtp_server.mails == []
    assert not PublicationEvent.objects.filter(page=page).exists()

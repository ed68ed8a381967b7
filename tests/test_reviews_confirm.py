""" "Inhalt ist aktuell": owners confirm an article without a new revision; the article page
shows who reviewed it when, who answers for it, and a calm notice when it is overdue."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from kb.models import ArticlePage, TopicPage
from kb.reviews import CONFIRM_ACTION, add_months, confirm_review
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SLUG = "demo-hitzeschutz-arnsberg"


def visible_text(response) -> str:
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def article(demo_articles, staff) -> ArticlePage:
    """A demo article owned by the staff member Mia, two years old, never reviewed: overdue."""
    ArticlePage.objects.filter(slug=SLUG).update(responsible=staff)
    return ArticlePage.objects.get(slug=SLUG)


def confirm_url(page) -> str:
    return f"/pruefung/{page.pk}/bestaetigen/"


def test_owner_confirms_on_the_article_page_without_a_new_revision(client, staff, article):
    today = timezone.localdate()
    revisions = Revision.objects.filter(object_id=str(article.pk)).count()
    before = ArticlePage.objects.values(
        "last_published_at", "latest_revision_created_at", "latest_revision_id"
    ).get(pk=article.pk)
    client.force_login(staff)
    page_html = client.get(article.url).content.decode()
    assert "Inhalt ist aktuell" in page_html  # the owner sees the button

    response = client.post(confirm_url(article), {"next": article.url}, follow=True)
    assert response.redirect_chain[-1][0] == article.url
    due = add_months(today, 12)
    assert (
        f"Danke – der Beitrag ist als aktuell bestätigt. Nächste Prüfung: {due:%d.%m.%Y}"
        in visible_text(response)
    )

    article.refresh_from_db()
    assert article.last_reviewed == today
    assert article.last_reviewed_by == staff
    assert article.review_due == due
    assert (article.reminder_stage, article.reminded_on) == (0, None)
    # No revision, "Stand" / last change untouched.
    assert Revision.objects.filter(object_id=str(article.pk)).count() == revisions
    assert (
        ArticlePage.objects.values(
            "last_published_at", "latest_revision_created_at", "latest_revision_id"
        ).get(pk=article.pk)
        == before
    )
    entry = PageLogEntry.objects.get(page=article, action=CONFIRM_ACTION)
    assert entry.user == staff


def test_audit_log_names_the_confirmation_in_german(client, chief, article, staff):
    confirm_review(article, staff)
    client.force_login(chief)
    history = visible_text(client.get(f"/admin/pages/{article.pk}/history/"))
    assert "Inhalt als aktuell bestätigt" in history


def test_page_shows_review_meta_and_overdue_notice_until_confirmed(client, staff, article):
    client.force_login(staff)
    text = visible_text(client.get(article.url))
    assert "noch nicht geprüft" in text
    assert "Verantwortlich: mia" in text
    first = article.first_published.strftime("%d.%m.%Y")
    assert f"Dieser Beitrag wurde seit {first} nicht geprüft." in text
    html = client.get(article.url).content.decode()
    assert re.search(r'<p class="review-notice" role="note">', html)

    Deputy = make_user("dora", "Redaktion Arnsberg", email="dora@arnsberg.example")
    Deputy.first_name, Deputy.last_name = "Dora", "Deputy"
    Deputy.save()
    ArticlePage.objects.filter(pk=article.pk).update(deputy=Deputy)
    client.post(confirm_url(article))
    text = visible_text(client.get(article.url))
    today = timezone.localdate()
    assert f"Geprüft am {today:%d.%m.%Y} von mia" in text
    assert "Verantwortlich: mia (Vertretung: Dora Deputy)" in text
    assert f"Nächste Prüfung: {add_months(today, 12):%d.%m.%Y}" in text
    assert "nicht geprüft." not in text


def test_staff_who_is_not_the_owner_sees_no_button_and_is_refused(client, article):
    other = make_user("otto", "Mitarbeitende", email="otto@arnsberg.example")
    client.force_login(other)
    assert "Inhalt ist aktuell" not in client.get(article.url).content.decode()
    assert client.post(confirm_url(article)).status_code == 403
    assert client.get(confirm_url(article)).status_code == 405
    article.refresh_from_db()
    assert article.last_reviewed is None


def test_editors_and_chief_may_confirm_deputy_too(client, editor, chief, article):
    for user in (editor, chief):
        client.force_login(user)
        assert client.post(confirm_url(article)).status_code == 302
        assert ArticlePage.objects.get(pk=article.pk).last_reviewed_by == user
    deputy = make_user("dieter", "Mitarbeitende", email="dieter@arnsberg.example")
    ArticlePage.objects.filter(pk=article.pk).update(deputy=deputy)
    client.force_login(deputy)
    assert client.post(confirm_url(article)).status_code == 302
    assert PageLogEntry.objects.filter(page=article, action=CONFIRM_ACTION).count() == 3


def test_confirm_in_the_admin_via_header_button(client, editor, article):
    client.force_login(editor)
    edit = client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    url = f"/admin/pruefung/{article.pk}/bestaetigen/"
    assert url in edit  # the "more" menu in the page header
    assert "Inhalt ist aktuell" in client.get(url).content.decode()
    assert ArticlePage.objects.get(pk=article.pk).last_reviewed is None  # GET only asks
    response = client.post(url, {"next": f"/admin/pages/{article.pk}/edit/"})
    assert response.status_code == 302
    assert ArticlePage.objects.get(pk=article.pk).last_reviewed_by == editor


def test_staff_cannot_use_the_admin_view(client, staff, article):
    other = make_user("olga", "Mitarbeitende", email="olga@arnsberg.example")
    client.force_login(other)
    response = client.post(f"/admin/pruefung/{article.pk}/bestaetigen/")
    assert response.status_code in (302, 403)
    assert ArticlePage.objects.get(pk=article.pk).last_reviewed is None


def test_publishing_keeps_the_review_state(client, staff, chief, article):
    confirm_review(article, staff)
    page = ArticlePage.objects.get(pk=article.pk)
    page.title = page.title + " (neu)"
    page.save_revision(user=chief).publish(user=chief)
    page.refresh_from_db()
    assert page.last_reviewed == timezone.localdate()
    assert page.last_reviewed_by == staff


def test_interval_zero_means_no_review_and_never_overdue(client, staff, article):
    ArticlePage.objects.filter(pk=article.pk).update(review_interval=0)
    due = confirm_review(ArticlePage.objects.get(pk=article.pk), staff)
    assert due is None
    client.force_login(staff)
    text = visible_text(client.get(article.url))
    assert "Nächste Prüfung: keine regelmäßige Prüfung" in text
    assert "nicht geprüft." not in text


def test_topic_interval_change_moves_due_dates_of_articles_without_their_own(chief, demo_articles):
    topic = TopicPage.objects.get(title="Klimafolgenanpassung & Resilienz")
    articles = list(ArticlePage.objects.child_of(topic))
    own = articles[0]
    ArticlePage.objects.filter(pk=own.pk).update(review_interval=3)
    topic.default_review_interval = 24
    topic.save_revision(user=chief).publish(user=chief)
    for page in ArticlePage.objects.child_of(topic):
        if page.pk == own.pk:
            assert page.review_due == add_months(page.first_published, 12)  # untouched
        else:
            assert page.review_due == add_months(page.first_published, 24)
    topic = TopicPage.objects.get(pk=topic.pk)
    topic.default_review_interval = 0
    topic.save_revision(user=chief).publish(user=chief)
    assert {p.review_due for p in ArticlePage.objects.child_of(topic).exclude(pk=own.pk)} == {None}


def test_imported_articles_get_a_due_date(demo_articles):
    page = ArticlePage.objects.get(slug=SLUG)
    assert page.review_due == add_months(page.first_published, 12)
    assert page.review_due < timezone.localdate() + datetime.timedelta(days=400)


def test_page_listing_offers_the_confirmation_for_articles(client, editor, article):
    client.force_login(editor)
    topic = article.get_parent()
    html = client.get(f"/admin/pages/{topic.pk}/").content.decode()
    assert f"/admin/pruefung/{article.pk}/bestaetigen/" in html
    assert f"/admin/pruefung/{topic.pk}/bestaetigen/" not in html  # not for topic areas

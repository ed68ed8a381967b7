"""Readers' feedback on the article page: "War dieser Beitrag hilfreich?" (one changeable vote
per person) and "Veraltet oder fehlerhaft melden" (comment required, rate-limited), the mails
to whoever answers for the article (read back from the loopback SMTP server), and the refusals:
restricted or unknown articles are 404, invalid input a German message with nothing saved."""

from __future__ import annotations

import datetime
import html

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from feedback.models import REPORT_COMMENT_MAX, VOTE_COMMENT_MAX, Report, Vote
from kb.models import ArticlePage
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

SLUG = "demo-hitzeschutz-sundern"


@pytest.fixture
def owner(db):
    return make_user(
        "olaf", "Redaktion Sundern", email="olaf@sundern.example", first_name="Olaf", last_name="Os"
    )


@pytest.fixture
def article(demo_articles, owner) -> ArticlePage:
    ArticlePage.objects.filter(slug=SLUG).update(responsible=owner)
    return ArticlePage.objects.get(slug=SLUG)


def vote_url(article) -> str:
    return f"/rueckmeldung/{article.pk}/bewertung/"


def report_url(article) -> str:
    return f"/rueckmeldung/{article.pk}/meldung/"


def texts(response) -> list[str]:
    """The messages this request added (unread ones of earlier requests left out)."""
    return [str(message) for message in response.wsgi_request._messages._queued_messages]


def page_text(client, article) -> str:
    return client.get(article.url).content.decode()


def test_article_page_has_both_forms_with_csrf(staff_client, article):
    content = page_text(staff_client, article)
    assert "War dieser Beitrag hilfreich?" in content
    assert '<button type="submit" name="helpful" value="ja"' in content
    assert '<button type="submit" name="helpful" value="nein"' in content
    assert "<summary>Veraltet oder fehlerhaft melden</summary>" in content
    assert f'action="{vote_url(article)}"' in content
    assert f'action="{report_url(article)}"' in content
    assert content.count("csrfmiddlewaretoken") >= 3  # logout, vote, report
    # The report's comment is required in the browser too.
    assert 'name="comment" rows="4" maxlength="2000" required' in content


def test_forms_refuse_requests_without_csrf_token(article, staff):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(vote_url(article), {"helpful": "ja"}).status_code == 403
    assert client.post(report_url(article), {"comment": "alt"}).status_code == 403
    assert not Vote.objects.exists() and not Report.objects.exists()


def test_vote_redirects_back_with_message_and_shows_the_vote(staff_client, staff, article):
    response = staff_client.post(vote_url(article), {"helpful": "ja", "comment": ""})
    assert response.status_code == 302
    assert response["Location"] == article.url + "#rueckmeldung"
    assert texts(response) == ["Danke für Ihre Rückmeldung! Sie haben mit „Ja“ geantwortet."]
    vote = Vote.objects.get()
    assert (vote.user, vote.article_id, vote.helpful) == (staff, article.pk, True)
    content = page_text(staff_client, article)
    assert "Sie haben mit „Ja“ geantwortet – " in content
    assert '<span class="article-feedback__change-link">ändern</span>' in content


def test_second_vote_changes_the_first(staff_client, article):
    staff_client.post(vote_url(article), {"helpful": "ja"})
    first = Vote.objects.get()
    staff_client.post(vote_url(article), {"helpful": "nein", "comment": "Zu knapp."})
    assert Vote.objects.count() == 1
    vote = Vote.objects.get()
    assert (vote.pk, vote.helpful, vote.comment) == (first.pk, False, "Zu knapp.")
    assert vote.updated_at >= first.updated_at
    content = page_text(staff_client, article)
    assert "Sie haben mit „Nein“ geantwortet" in content
    assert ">Zu knapp.</textarea>" in content  # the comment is there to change


def test_negative_vote_with_comment_mails_the_owner_once(staff_client, article, owner, smtp_server):
    staff_client.post(vote_url(article), {"helpful": "ja", "comment": "Prima & klar"})
    staff_client.post(vote_url(article), {"helpful": "nein"})
    assert smtp_server.mails == []  # "Ja", or "Nein" without a comment: nobody is bothered

    staff_client.post(vote_url(article), {"helpful": "nein", "comment": "Fehlt: <Kosten> & Dauer"})
    (mail,) = smtp_server.mails
    assert mail.to == [owner.email]
    assert mail.subject.strip() == f"Rückmeldung „nicht hilfreich“: {article.title}"
    assert "Fehlt: <Kosten> & Dauer" in mail.text  # plain text, not HTML-escaped
    assert article.get_full_url() in mail.text
    assert "/rueckmeldung/meldungen/" in mail.text

    # The same vote sent again tells nobody a second time.
    staff_client.post(vote_url(article), {"helpful": "nein", "comment": "Fehlt: <Kosten> & Dauer"})
    assert len(smtp_server.mails) == 1


@pytest.mark.parametrize(
    "data, error",
    [
        ({"helpful": "vielleicht"}, "Bitte wählen Sie „Ja“ oder „Nein“."),
        ({}, "Bitte wählen Sie „Ja“ oder „Nein“."),
        (
            {"helpful": "nein", "comment": "x" * (VOTE_COMMENT_MAX + 1)},
            f"Bitte fassen Sie sich kürzer: höchstens {VOTE_COMMENT_MAX} Zeichen.",
        ),
    ],
)
def test_invalid_vote_is_refused_in_german_and_saves_nothing(
    staff_client, article, smtp_server, data, error
):
    response = staff_client.post(vote_url(article), data)
    assert response.status_code == 302
    assert texts(response) == [f"Ihre Antwort wurde nicht gespeichert: {error}"]
    assert not Vote.objects.exists() and smtp_server.mails == []
    content = page_text(staff_client, article)
    assert html.escape(error) in content  # next to the field
    assert 'aria-invalid="true"' in content
    # Shown once: the next view of the page has no stale error.
    assert html.escape(error) not in page_text(staff_client, article)


def test_report_reaches_the_owner_with_links(
    staff_client, staff, article, owner, smtp_server, settings
):
    comment = (
        "Die Telefonnummer der Hitze-Hotline ist seit Mai eine andere.\r\n<b>Bitte</b> & danke"
    )
    response = staff_client.post(report_url(article), {"comment": comment})
    assert response["Location"] == article.url + "#rueckmeldung"
    assert texts(response) == [
        "Danke! Ihre Meldung ist bei den Verantwortlichen des Beitrags angekommen. "
        "Sie erhalten eine Antwort per E-Mail."
    ]
    report = Report.objects.get()
    assert (report.article_id, report.reporter, report.status) == (article.pk, staff, "open")
    assert report.comment == comment.replace("\r\n", "\n")

    (mail,) = smtp_server.mails
    assert mail.to == [owner.email]
    assert mail.subject.strip() == f"Meldung „Veraltet oder fehlerhaft“: {article.title}"
    assert "<b>Bitte</b> & danke" in mail.text
    assert article.get_full_url() in mail.text
    lines = mail.text.splitlines()
    base = settings.WAGTAILADMIN_BASE_URL
    assert f"{base}/rueckmeldung/meldungen/{report.pk}/" in lines  # to close it with a reply
    assert f"Alle Meldungen zu Ihren Beiträgen: {base}/rueckmeldung/meldungen/" in lines
    assert f"In der Redaktionsoberfläche (Rückmeldungen): {base}/admin/rueckmeldungen/" in lines

    content = page_text(staff_client, article)
    assert "als veraltet oder fehlerhaft gemeldet. Die Meldung ist in Bearbeitung" in content
    assert "<summary>Veraltet oder fehlerhaft melden</summary>" not in content


def test_report_goes_to_deputy_then_chefredaktion(staff_client, article, owner, chief, smtp_server):
    deputy = make_user("dora", "Redaktion Arnsberg", email="dora@arnsberg.example")
    owner.is_active = False
    owner.save()
    ArticlePage.objects.filter(pk=article.pk).update(deputy=deputy)
    staff_client.post(report_url(article), {"comment": "Veraltet."})
    assert smtp_server.mails[-1].to == [deputy.email]

    ArticlePage.objects.filter(pk=article.pk).update(responsible=None, deputy=None)
    other = ArticlePage.objects.get(slug="demo-hitzeschutz-arnsberg")
    staff_client.post(report_url(other), {"comment": "Auch veraltet."})
    assert smtp_server.mails[-1].to == [chief.email]


@pytest.mark.parametrize(
    "comment, error",
    [
        ("", "Bitte beschreiben Sie kurz, was veraltet oder fehlerhaft ist."),
        ("   \r\n ", "Bitte beschreiben Sie kurz, was veraltet oder fehlerhaft ist."),
        (
            "y" * (REPORT_COMMENT_MAX + 1),
            f"Bitte fassen Sie sich kürzer: höchstens {REPORT_COMMENT_MAX} Zeichen.",
        ),
    ],
)
def test_invalid_report_is_refused_and_the_text_kept(
    staff_client, article, smtp_server, comment, error
):
    response = staff_client.post(report_url(article), {"comment": comment})
    assert texts(response) == [f"Ihre Meldung wurde nicht gesendet: {error}"]
    assert not Report.objects.exists() and smtp_server.mails == []
    content = page_text(staff_client, article)
    # The report form is open again, with the error and what was typed.
    assert '<details class="article-feedback__details" id="melden" open>' in content
    assert html.escape(error) in content
    if comment.strip():
        assert comment in content


def test_report_with_exactly_the_maximum_length_counts_line_breaks_once(staff_client, article):
    comment = ("a" * 9 + "\r\n") * (REPORT_COMMENT_MAX // 10 - 1) + "a" * 10
    staff_client.post(report_url(article), {"comment": comment})
    assert len(Report.objects.get().comment) == REPORT_COMMENT_MAX


def test_no_second_open_report_on_the_same_article(staff_client, article, smtp_server):
    staff_client.post(report_url(article), {"comment": "Veraltet."})
    response = staff_client.post(report_url(article), {"comment": "Immer noch veraltet."})
    assert texts(response) == [
        "Ihre Meldung wurde nicht gesendet: Sie haben diesen Beitrag bereits gemeldet; die "
        "Meldung ist noch in Bearbeitung. Sie erhalten eine Antwort per E-Mail."
    ]
    assert Report.objects.count() == 1 and len(smtp_server.mails) == 1
    # Once it is closed, the same person may report the article again.
    Report.objects.update(status=Report.Status.CLOSED)
    staff_client.post(report_url(article), {"comment": "Wieder veraltet."})
    assert Report.objects.count() == 2


def test_reports_are_rate_limited_per_person(staff_client, staff, demo_articles):
    articles = list(ArticlePage.objects.order_by("pk")[:6])
    for article in articles[:5]:
        staff_client.post(report_url(article), {"comment": "Veraltet."})
    assert Report.objects.count() == 5
    response = staff_client.post(report_url(articles[5]), {"comment": "Veraltet."})
    assert texts(response) == [
        "Ihre Meldung wurde nicht gesendet: Sie haben in der letzten Stunde bereits 5 Meldungen "
        "abgeschickt. Bitte versuchen Sie es später noch einmal."
    ]
    assert Report.objects.count() == 5
    # Someone else is not limited by it; and after an hour, this person is not either.
    other = make_user("otto", "Mitarbeitende", email="otto@sundern.example")
    staff_client.force_login(other)
    staff_client.post(report_url(articles[5]), {"comment": "Veraltet."})
    assert Report.objects.count() == 6
    Report.objects.filter(reporter=staff).update(
        created_at=timezone.now() - datetime.timedelta(hours=1, minutes=1)
    )
    staff_client.force_login(staff)
    staff_client.post(report_url(articles[5]), {"comment": "Veraltet."})
    assert Report.objects.filter(reporter=staff).count() == 6


def test_restricted_unpublished_and_unknown_articles_are_404(staff_client, article, smtp_server):
    secret = ArticlePage.objects.get(slug="demo-hitzeschutz-arnsberg")
    restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.set([Group.objects.get(name="Chefredaktion")])
    draft = ArticlePage.objects.get(slug="demo-blackout-vorsorge-arnsberg")
    draft.unpublish()
    for target in (secret.pk, draft.pk, 999_999, 2**40):
        for url in (f"/rueckmeldung/{target}/bewertung/", f"/rueckmeldung/{target}/meldung/"):
            response = staff_client.post(url, {"helpful": "nein", "comment": "Veraltet."})
            assert response.status_code == 404, url
            assert "Hitzeschutz" not in response.content.decode()
    assert not Vote.objects.exists() and not Report.objects.exists() and not smtp_server.mails
    # The restricted article's page itself shows no form to those who may not read it.
    assert staff_client.get(secret.url).status_code in (302, 403, 404)


def test_get_and_bogus_urls_are_refused_without_error(staff_client, article):
    assert staff_client.get(vote_url(article)).status_code == 405
    assert staff_client.get(report_url(article)).status_code == 405
    assert staff_client.post("/rueckmeldung/abc/bewertung/").status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, article):
    response = client.post(vote_url(article), {"helpful": "ja"})
    assert response.status_code == 302 and response["Location"].startswith("/anmelden/")
    assert not Vote.objects.exists()


def test_refused_text_is_escaped_on_the_page(staff_client, article):
    hostile = "<script>alert(1)</script>" + "z" * REPORT_COMMENT_MAX
    staff_client.post(report_url(article), {"comment": hostile})
    content = page_text(staff_client, article)
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_mail_failure_keeps_the_report(staff_client, article, settings):
    # A mail server that is down: the report is saved and shown in the admin all the same.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    response = staff_client.post(report_url(article), {"comment": "Veraltet."})
    assert response.status_code == 302
    assert Report.objects.count() == 1


def test_previews_show_no_feedback_forms(client, editor, article):
    client.force_login(editor)
    response = client.get(f"/admin/pages/{article.pk}/view_draft/")
    assert response.status_code == 200
    content = response.content.decode()
    assert article.title in content
    assert "War dieser Beitrag hilfreich?" not in content
    assert "War dieser Beitrag hilfreich?" in page_text(client, article)

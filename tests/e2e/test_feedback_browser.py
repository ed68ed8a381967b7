"""Browser test of the readers' feedback: a staff member opens an article, opens "Veraltet oder
fehlerhaft melden", votes "Nein" with a comment and sends a report; the owner's mails arrive at
the loopback SMTP server. axe-core finds no serious or critical violation at 1280 and 375 px,
and screenshots of the open forms are saved to tests/artifacts/feedback-*.png."""

from __future__ import annotations

import pytest
from django.conf import settings

from feedback.models import Report, Vote
from kb.models import ArticlePage
from tests.e2e.conftest import BROWSER_TEST, artifact_path
from tests.e2e.test_accessibility import BLOCKING_IMPACTS, rule_counts, run_axe

pytestmark = BROWSER_TEST

expect = pytest.importorskip("playwright.sync_api").expect

WIDTHS = [(1280, 900), (375, 740)]


def check_axe(page, name: str) -> None:
    results = run_axe(page)
    assert results["passes"], f"axe checked nothing on {name}"
    blocking = [
        rule
        for rule in rule_counts(results["violations"], details=True)
        if rule["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, (name, blocking)


def test_staff_votes_and_reports_an_article(new_page, demo_articles, e2e_users, smtp_server):
    owner = e2e_users["editor"]
    ArticlePage.objects.filter(slug="demo-hitzeschutz-sundern").update(responsible=owner)
    article = ArticlePage.objects.get(slug="demo-hitzeschutz-sundern")
    page = new_page("mia")
    page.goto(article.url)

    feedback = page.locator("#rueckmeldung")
    expect(feedback.get_by_role("heading", name="War dieser Beitrag hilfreich?")).to_be_visible()
    page.get_by_text("Veraltet oder fehlerhaft melden").click()
    comment_box = page.get_by_label("Was ist veraltet oder fehlerhaft?")
    expect(comment_box).to_be_visible()

    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        feedback.evaluate(
            "element => element.scrollIntoView({block: 'start', behavior: 'instant'})"
        )
        # The screen as the reader sees it (the forms in their page), and the forms alone.
        page.screenshot(path=artifact_path(f"feedback-article-{width}.png"))
        feedback.screenshot(path=artifact_path(f"feedback-form-{width}.png"))
        check_axe(page, f"article with feedback forms open ({width} px)")

    # Vote "Nein" with a comment: back on the article, the message and the vote are shown.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Kommentar").fill("Mir fehlt, wer die Telefonkette koordiniert.")
    feedback.get_by_role("button", name="Nein", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Sie haben mit „Nein“ geantwortet.")
    expect(page.locator("#rueckmeldung summary").first).to_have_text(
        "Sie haben mit „Nein“ geantwortet – ändern"
    )
    vote = Vote.objects.get()
    assert (vote.user.username, vote.helpful) == ("mia", False)

    # The report: the form opens, is sent, and the page says it is being dealt with.
    page.get_by_text("Veraltet oder fehlerhaft melden").click()
    page.get_by_label("Was ist veraltet oder fehlerhaft?").fill(
        "Die Nummer der Hitze-Hotline hat sich geändert."
    )
    page.get_by_role("button", name="Meldung senden").click()
    expect(page.locator(".messages")).to_contain_text("Ihre Meldung ist bei den Verantwortlichen")
    expect(feedback).to_contain_text("Die Meldung ist in Bearbeitung")
    assert Report.objects.get().comment == "Die Nummer der Hitze-Hotline hat sich geändert."

    for width, height in WIDTHS:
        page.set_viewport_size({"width": width, "height": height})
        feedback.screenshot(path=artifact_path(f"feedback-article-after-{width}.png"))
        check_axe(page, f"article after voting and reporting ({width} px)")

    subjects = [mail.subject.strip() for mail in smtp_server.mails]
    assert subjects == [
        f"Rückmeldung „nicht hilfreich“: {article.title}",
        f"Meldung „Veraltet oder fehlerhaft“: {article.title}",
    ]
    assert all(mail.to == [owner.email] for mail in smtp_server.mails)

    # The owner follows the mail's link, answers, and the reply reaches the reporter.
    link = next(
        line
        for line in smtp_server.mails[-1].text.splitlines()
        if "/rueckmeldung/meldungen/" in line and line.startswith("http")
    )
    owner_page = new_page(owner.username)
    for width, height in WIDTHS:
        owner_page.set_viewport_size({"width": width, "height": height})
        owner_page.goto(link.removeprefix(settings.WAGTAILADMIN_BASE_URL))
        expect(owner_page.get_by_role("heading", level=1)).to_have_text(
            "Meldung „Veraltet oder fehlerhaft“"
        )
        owner_page.screenshot(path=artifact_path(f"feedback-owner-report-{width}.png"))
        check_axe(owner_page, f"owner's report page ({width} px)")
    owner_page.get_by_label("Antwort an die meldende Person").fill("Danke, ist korrigiert.")
    owner_page.get_by_role("button", name="Erledigen und Antwort senden").click()
    expect(owner_page.locator(".messages")).to_contain_text("ist erledigt")
    reply = smtp_server.mails[-1]
    assert reply.to == [e2e_users["staff"].email]
    assert "Danke, ist korrigiert." in reply.text

"""A subscription from the button to the unsubscribe link, in the browser.

A staff member subscribes to a topic area on its page; the Chefredaktion publishes an article
there in the Wagtail admin; the digest run delivers one e-mail (read from the loopback SMTP
server) with that article; the staff member opens the mail's unsubscribe link and the
subscription is gone. Screenshots of "Meine Abos", the home page with "Neu für mich" and the
topic page with the button at 1280 and 375 px go to tests/artifacts/.
"""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from kb.models import ArticlePage, TopicPage
from subscriptions.models import Subscription
from tests.e2e.conftest import BROWSER_TEST, artifact_path
from tests.e2e.test_editorial_workflow import footer_action, settle_autosave

pytestmark = BROWSER_TEST

expect = pytest.importorskip("playwright.sync_api").expect

TITLE = "Sandsack-Lager im Hochwasserfall"
SUMMARY = "Wo die Sandsäcke liegen und wer sie im Ernstfall ausgibt."
# The first Monday morning after the test run's week: the weekly digest (the default) is due.
DIGEST_RUN = "2030-01-07T08:00:00+01:00"


def screenshots(page, name: str) -> None:
    for width, height, suffix in ((1280, 900, ""), (375, 740, "-375")):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=artifact_path(f"subscriptions-{name}{suffix}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_subscribe_publish_digest_unsubscribe(new_page, demo_articles, e2e_users, smtp_server):
    topic = TopicPage.objects.get(title="Krisenmanagement")

    # --- The staff member subscribes on the topic page. ---
    staff = new_page("mia")
    staff.goto(topic.url)
    staff.get_by_role("button", name="Themenfeld abonnieren").click()
    expect(staff.locator(".messages")).to_contain_text("Abonniert – Themenfeld: Krisenmanagement")
    expect(staff.get_by_role("button", name="Abo beenden")).to_be_visible()
    screenshots(staff, "topic")
    assert Subscription.objects.filter(user=e2e_users["staff"], topic=topic).exists()

    # --- The Chefredaktion publishes an article in that topic. ---
    chief = new_page("charlotte")
    chief.goto(f"/admin/pages/add/kb/articlepage/{topic.pk}/")
    chief.wait_for_load_state("load")
    title = chief.get_by_placeholder("Seitentitel")
    title.click()
    title.fill(TITLE)
    title.press("Tab")
    expect(chief.locator("#id_slug")).to_have_value("sandsack-lager-im-hochwasserfall")
    chief.get_by_role("textbox", name="Kurzfassung").fill(SUMMARY)
    chief.get_by_role("checkbox", name="Sundern", exact=True).check()
    settle_autosave(chief, TITLE)
    footer_action(chief, "Veröffentlichen").click()
    expect(chief).to_have_url(re.compile(rf"/admin/pages/{topic.pk}/$"), timeout=30_000)
    article = ArticlePage.objects.get(title=TITLE)
    assert article.live

    # --- "Neu für mich" on the staff member's home page. ---
    staff.goto("/")
    section = staff.locator("section.new-for-me")
    expect(section.get_by_role("link", name=TITLE)).to_be_visible()
    screenshots(staff, "home")
    staff.goto("/abos/")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Meine Abos")
    expect(staff.get_by_role("link", name="Krisenmanagement").last).to_be_visible()
    screenshots(staff, "meine-abos")

    # --- The digest run delivers one e-mail with the article. ---
    smtp_server.clear()
    out = StringIO()
    call_command("kb_send_notifications", now=DIGEST_RUN, skip_reviews=True, stdout=out)
    assert "1 gesendet" in out.getvalue()
    [mail] = smtp_server.mails
    assert mail.to == ["mia@arnsberg.example"]
    assert TITLE in mail.text and SUMMARY in mail.text and "Stadt: Sundern" in mail.text
    call_command("kb_send_notifications", now=DIGEST_RUN, skip_reviews=True, stdout=StringIO())
    assert len(smtp_server.mails) == 1

    # --- The staff member unsubscribes from the mail's link (no login needed). ---
    link = re.search(r"- Themenfeld: Krisenmanagement: (http\S+)", mail.text).group(1)
    path = link.split("/abos/", 1)[1]
    reader = new_page()
    reader.goto("/abos/" + path)
    expect(reader.get_by_role("heading", level=1)).to_have_text("Abo beendet")
    expect(reader.get_by_role("button", name="Rückgängig machen")).to_be_visible()
    assert not Subscription.objects.filter(user=e2e_users["staff"]).exists()
    staff.goto(topic.url)
    expect(staff.get_by_role("button", name="Themenfeld abonnieren")).to_be_visible()

"""The reading site and the Wagtail admin work under the Content-Security-Policy in Debian's
chromium: no CSP violation on any visited page, Wagtail's widgets initialise, and an inline
script injected into a reading page does not run."""

from __future__ import annotations

from django.contrib.auth.models import User

from kb.models import ArticlePage, TopicPage
from tests.e2e import conftest as e2e

pytestmark = e2e.BROWSER_TEST
# The browser fixtures of tests/e2e/ (one chromium per module, logged-in pages).
browser = e2e.browser
new_page = e2e.new_page

ADMIN_PAGES = [
    "/admin/",
    "/admin/pages/",  # date filters (inline initDateChooser)
    "/admin/reports/site-history/",
    "/admin/snippets/kb/contactperson/add/",  # snippet choosers (inline SnippetChooser)
    "/admin/searchpicks/add/",  # InlinePanel
    "/admin/images/multiple/add/",
]


def collect_csp_violations(page) -> list[str]:
    violations: list[str] = []

    def record(message):
        if "Content Security Policy" in message.text:
            violations.append(f"{page.url}: {message.text}")

    page.on("console", record)
    return violations


def test_site_and_admin_work_under_the_policy(new_page, demo_articles):
    from playwright.sync_api import expect

    User.objects.create_superuser("root", "root@arnsberg.example", "pw-root")
    topic = TopicPage.objects.get(title="Krisenmanagement")
    article = ArticlePage.objects.live().child_of(topic).first()

    page = new_page("root")
    violations = collect_csp_violations(page)

    # Reading site: our static script runs (it turns the search field into a combobox) ...
    page.goto("/")
    expect(page.get_by_role("combobox").first).to_have_attribute("aria-expanded", "false")
    # ... and an injected inline script does not.
    ran = page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__inlineRan = true';
                   document.body.append(s); return window.__inlineRan === true; }"""
    )
    assert ran is False, "an inline script ran on the reading site"
    # The browser reported exactly that block (which also shows the violation check works).
    assert len(violations) == 1 and "inline script" in violations[0], violations
    violations.clear()

    for url in [*ADMIN_PAGES, f"/admin/pages/{topic.pk}/", f"/admin/pages/{article.pk}/history/"]:
        response = page.goto(url)
        assert response.status == 200, url
        page.wait_for_load_state("networkidle")

    # The page editor (a new article, so every chooser is empty): the counterpart chooser is
    # initialised by Wagtail's inline script; its button opens the page chooser only if that
    # script ran.
    page.goto(f"/admin/pages/{article.pk}/edit/")
    page.wait_for_load_state("networkidle")
    page.goto(f"/admin/pages/add/kb/articlepage/{topic.pk}/")
    page.locator("#id_counterpart-chooser .unchosen [data-chooser-action-choose]").click()
    expect(page.locator(".modal-dialog")).to_be_visible()
    expect(page.locator(".modal-dialog")).to_contain_text(topic.title)

    assert violations == [], "\n".join(violations)

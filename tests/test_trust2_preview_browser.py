"""Wagtail's live preview may be framed by the editor: frame-ancestors 'self' together with
Wagtail's X-Frame-Options SAMEORIGIN, otherwise the reading site's strict policy. Every response
outside the admin keeps frame-ancestors 'none' and DENY.

Wagtail renders a preview through a dummy request for the page's own URL; before the preview
rule in wissensnetz/csp.py that inner request fixed the reading site's 'none' for the preview
response, and chromium refused to show the editor's live preview panel (security probe,
finding 13)."""

from __future__ import annotations

import pytest
from wagtail.test.utils.form_data import querydict_from_html

from kb.models import ArticlePage, TopicPage
from tests.e2e import conftest as e2e
from tests.test_production_csp import policy
from tests.test_trust_concurrency import open_edit_form, with_changes

# The browser fixtures of tests/e2e/ (one chromium per module, logged-in pages).
browser = e2e.browser
new_page = e2e.new_page


def first_article() -> ArticlePage:
    return ArticlePage.objects.live().order_by("pk").first()


def assert_framable_preview(response, title: str) -> None:
    assert response.status_code == 200
    assert title in response.content.decode()
    directives = policy(response)
    assert directives["frame-ancestors"] == ["'self'"]
    # Otherwise the reading site's policy: the preview is site content.
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def assert_not_framable(response) -> None:
    assert response.status_code == 200
    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_preview_responses_allow_framing_by_the_editor_only(client, editor, demo_articles):
    article = first_article()
    client.force_login(editor)

    # Preview of the edit view: the form's state is posted, the frame then GETs the preview.
    preview_url = f"/admin/pages/{article.pk}/edit/preview/"
    _, data = open_edit_form(client, article)
    posted = client.post(preview_url, with_changes(data, "Vorschau beim Bearbeiten", "Neu"))
    assert posted.json()["is_valid"] is True
    assert_framable_preview(client.get(preview_url + "?mode="), "Vorschau beim Bearbeiten")

    # Preview of a new page (a topic: the article page cannot yet render unsaved, see the report).
    parent = TopicPage.objects.parent_of(article).first().get_parent()
    add_url = f"/admin/pages/add/kb/topicpage/{parent.pk}/"
    form = client.get(add_url)
    assert form.status_code == 200
    data = querydict_from_html(form.content.decode(), form_id="page-edit-form")
    data["title"], data["slug"] = "Vorschau eines neuen Themas", "vorschau-eines-neuen-themas"
    posted = client.post(add_url + "preview/", data)
    assert posted.json()["is_valid"] is True, posted.content
    assert_framable_preview(client.get(add_url + "preview/?mode="), "Vorschau eines neuen Themas")

    # A revision's preview (history) opens in a new tab; Wagtail leaves it DENY, so 'none'.
    revision = article.get_latest_revision()
    revision_preview = client.get(f"/admin/pages/{article.pk}/revisions/{revision.pk}/view/")
    assert article.title in revision_preview.content.decode()
    assert_not_framable(revision_preview)
    assert policy(revision_preview)["script-src"] == ["'self'"]

    # Everything else keeps 'none' and DENY: the article itself, the home page, the search.
    for url in (article.url, "/", "/suche/?q=Hitze"):
        assert_not_framable(client.get(url))


def collect_csp_violations(page) -> list[str]:
    """CSP reports from the console (frame-ancestors is reported only there) and every
    securitypolicyviolation event of the editor and its frames."""
    violations: list[str] = []

    def record(message):
        if "Content Security Policy" in message.text or "frame-ancestors" in message.text:
            violations.append(f"console: {message.text}")

    page.on("console", record)
    page.add_init_script(
        """window.__cspViolations = [];
           document.addEventListener('securitypolicyviolation', (event) => {
               window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI);
           });"""
    )
    return violations


@pytest.mark.browser
@pytest.mark.skipif(not e2e.CHROMIUM.exists(), reason=e2e.SKIP_REASON)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_live_preview_panel_shows_the_article_under_the_policy(new_page, editor, demo_articles):
    from playwright.sync_api import expect

    article = first_article()
    page = new_page(editor.username)
    violations = collect_csp_violations(page)

    response = page.goto(f"/admin/pages/{article.pk}/edit/")
    assert response.status == 200
    assert policy_header_value(response.headers, "frame-ancestors") == "'self'"
    page.locator('[data-side-panel-toggle="preview"]').click()

    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.locator("#article-title")).to_have_text(article.title, timeout=e2e.TIMEOUT_MS)
    page.wait_for_load_state("networkidle")

    frame_urls = [f.url for f in page.frames if f != page.main_frame]
    assert any(f"/admin/pages/{article.pk}/edit/preview/" in url for url in frame_urls), frame_urls
    reported = [
        entry
        for f in page.frames
        if not f.url.startswith("chrome-error:")
        for entry in f.evaluate("() => window.__cspViolations || []")
    ]
    assert reported == [], reported
    assert violations == [], "\n".join(violations)


def policy_header_value(headers: dict[str, str], directive: str) -> str:
    for part in headers["content-security-policy"].split(";"):
        name, _, sources = part.strip().partition(" ")
        if name == directive:
            return sources
    raise AssertionError(f"no {directive} in {headers['content-security-policy']}")

"""Editorial workflow in the Wagtail admin: write, submit, approve, find, unpublish.

Every step is done in the browser: the editor's create-and-submit, the Chefredaktion's
approval (dashboard "Wartet auf Ihre Freigabe") and unpublishing (footer action
"Veröffentlichung aufheben"), and the staff member's searches on /suche/.
"""

from __future__ import annotations

import re
import time

import pytest

from kb.models import ArticlePage, TopicPage
from tests.e2e.conftest import BROWSER_TEST, choose_in_chooser

pytestmark = BROWSER_TEST

expect = pytest.importorskip("playwright.sync_api").expect

TITLE = "Sirenenprobe im Stadtgebiet"
SUMMARY = "Was beim monatlichen Probealarm der Sirenen zu beachten ist."
PARAGRAPH = "Am ersten Donnerstag im Monat heulen um 11 Uhr alle Sirenen zur Probe."
CONTACT = "Erika Warnecke (Arnsberg)"
QUERY = "Sirenenprobe"


def footer_action(page, name: str):
    """An action from the "Mehr Aktionen" menu of the page editor's footer."""
    footer = page.get_by_role("navigation", name="Aktionen (Fußzeile)")
    footer.get_by_role("button", name="Mehr Aktionen").click()
    return footer.get_by_role("button", name=name).or_(footer.get_by_role("link", name=name))


def settle_autosave(page, title: str, timeout: float = 30.0) -> None:
    """Wait until Wagtail's autosave of a new page is done before an explicit action.

    Wagtail autosaves a new page as a draft shortly after the first edit and then turns the
    create form into the page's edit form. An action submitted while that first autosave runs
    still posts to "create" and is rejected because the draft already holds the slug (seen on a
    busy CI machine, where the first save takes seconds). So: wait until no autosave is running
    or pending for a while, and, once the draft exists, until the form posts to its edit view.
    """
    form = page.locator("form#page-edit-form")
    indicator = page.locator("#w-autosave-indicator")
    settled_since = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = indicator.get_attribute("data-w-autosave-state-value")
        draft_exists = ArticlePage.objects.filter(title=title).exists()
        edit_form = "/edit/" in (form.get_attribute("action") or "")
        settled = state != "saving" and (edit_form or not draft_exists)
        if state == "paused":
            reason = indicator.get_attribute("data-w-tooltip-content-value")
            raise AssertionError(f"Wagtail's autosave paused: {reason}")
        if not settled:
            settled_since = None
        elif settled_since is None:
            settled_since = time.monotonic()
        elif time.monotonic() - settled_since > 2.0:  # longer than the autosave's 0.5 s delay
            return
        page.wait_for_timeout(200)
    raise AssertionError("Wagtail's autosave did not settle")


def search_results(page, query: str):
    """Search on /suche/ through its form; returns the result list items."""
    page.goto("/suche/")
    form = page.get_by_role("main").get_by_role("search", name="Wissensnetz durchsuchen")
    form.get_by_label("Suchbegriffe").fill(query)
    form.get_by_role("button", name="Suchen").click()
    expect(page).to_have_url(re.compile(r"/suche/\?q=" + query))
    expect(page.locator("#result-count")).to_contain_text(f"„{query}“")
    return page.locator("ol.search-results > li")


def test_article_goes_through_review_before_staff_can_find_it(
    new_page, demo_articles, e2e_users, contact_person
):
    topic = TopicPage.objects.get(title="Krisenmanagement")

    # --- The editor writes the article in the admin and submits it for review. ---
    editor = new_page("ronja")
    editor.locator(".site-user").get_by_role("link", name="Redaktion").click()
    expect(editor).to_have_url(re.compile(r"/admin/$"))

    # The topic in the page explorer, then "Unterseite hinzufügen": a topic only takes
    # Wissensbeiträge, so the form opens directly.
    editor.goto(f"/admin/pages/{topic.pk}/")
    expect(editor.get_by_role("heading", level=1)).to_contain_text("Krisenmanagement")
    editor.get_by_role("link", name="Unterseite hinzufügen").first.click()
    expect(editor).to_have_url(re.compile(rf"/admin/pages/add/kb/articlepage/{topic.pk}/$"))
    expect(editor.locator("header")).to_contain_text("Neu: Wissensbeitrag")

    # Wagtail fills the slug from the title only once its scripts have connected; on a busy
    # machine typing earlier leaves the slug empty and the form fails validation.
    editor.wait_for_load_state("load")
    title = editor.get_by_placeholder("Seitentitel")
    title.click()
    title.fill(TITLE)
    title.press("Tab")
    expect(editor.locator("#id_slug")).to_have_value("sirenenprobe-im-stadtgebiet")
    editor.get_by_role("textbox", name="Kurzfassung").fill(SUMMARY)
    editor.get_by_role("checkbox", name="Arnsberg", exact=True).check()

    tag_input = editor.locator("[data-contentpath='tags'] .tagit-new input")
    for tag in ("Sirenen", "Warnung"):
        tag_input.click()
        tag_input.press_sequentially(tag)
        tag_input.press("Enter")
    expect(editor.locator("[data-contentpath='tags'] .tagit-choice")).to_have_count(2)
    expect(editor.locator("#id_tags")).to_have_value(re.compile(r"^Sirenen, ?Warnung$"))

    # Contact persons: Wagtail's snippet chooser (search, tick, confirm).
    choose_in_chooser(editor, "Ansprechperson auswählen oder neu anlegen", "Warnecke", [CONTACT])

    # Body (StreamField): a new article starts with the template's headings; insert a paragraph
    # block before them and type into its rich text editor.
    editor.locator("#body-root").get_by_title("Einen Block einfügen").first.click()
    editor.get_by_role("option", name="Absatz").click()
    paragraph = editor.locator("#body-root [contenteditable='true']").first
    expect(paragraph).to_be_visible()
    paragraph.click()
    editor.keyboard.type(PARAGRAPH)
    expect(paragraph).to_contain_text(PARAGRAPH)
    # Draftail writes its content into the block's hidden input after a short delay; submitting
    # before that would save an empty paragraph.
    expect(editor.locator("#body-root input[type='hidden'][name$='-value']")).to_have_value(
        re.compile(re.escape(PARAGRAPH))
    )

    settle_autosave(editor, TITLE)
    footer_action(editor, "Zur Freigabe einreichen (Fachliche Freigabe)").click()

    # Back in the topic's listing: the new page is submitted for review.
    # The first save of the live server's process loads the search's dictionaries (lemmas,
    # lexicon) while it indexes: seconds on a busy CI machine, hence the longer wait.
    expect(editor).to_have_url(re.compile(rf"/admin/pages/{topic.pk}/$"), timeout=30_000)
    row = editor.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text(re.compile("zur Freigabe eingereicht", re.IGNORECASE))

    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live
    assert article.current_workflow_state.status == "in_progress"
    assert article.current_workflow_state.workflow.name == "Fachliche Freigabe"
    assert [c.name for c in article.cities.all()] == ["Arnsberg"]
    assert sorted(t.name for t in article.tags.all()) == ["Sirenen", "Warnung"]
    assert [c.name for c in article.contacts.all()] == ["Erika Warnecke"]
    assert article.summary == SUMMARY
    assert [block.block_type for block in article.body] == ["paragraph", *["heading"] * 6]
    assert PARAGRAPH in article.body[0].value.source
    assert article.get_parent().pk == topic.pk

    # --- Staff cannot find it yet. ---
    staff = new_page("mia")
    search_results(staff, QUERY)
    expect(staff.get_by_role("link", name=TITLE)).to_have_count(0)

    # --- The Chefredaktion approves it from the dashboard. ---
    chief = new_page("charlotte")
    chief.goto("/admin/")
    review = chief.locator("section").filter(
        has=chief.get_by_role("heading", name="Wartet auf Ihre Freigabe")
    )
    review_row = review.get_by_role("row").filter(has_text=TITLE)
    expect(review_row).to_contain_text("ronja")
    review_row.get_by_role("button", name="Aktionen").click()
    # "Freigeben" posts a form to the workflow action URL, which redirects to the dashboard.
    with chief.expect_response(
        lambda response: "/workflow/action/" in response.url and response.request.method == "POST"
    ) as approval:
        review_row.get_by_role("button", name="Freigeben", exact=True).click()
    assert approval.value.status == 302
    chief.wait_for_load_state()
    expect(chief).to_have_url(re.compile(r"/admin/$"))
    expect(review.get_by_role("row").filter(has_text=TITLE)).to_have_count(0)
    expect(chief.locator(".messages")).to_contain_text(f"„{TITLE}“ ist freigegeben")
    article.refresh_from_db()
    assert article.live

    # --- Now staff find it and can read it. ---
    results = search_results(staff, QUERY)
    result_link = results.get_by_role("link", name=TITLE)
    expect(result_link).to_be_visible()
    expect(results.first.get_by_role("link", name=TITLE)).to_be_visible()
    result_link.click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(staff.locator(".lead").first).to_have_text(SUMMARY)
    expect(staff.locator(".article__body")).to_contain_text(PARAGRAPH)
    expect(staff.locator(".article__meta .badge--city")).to_have_text(["Arnsberg"])
    expect(staff.locator(".contacts")).to_contain_text("Erika Warnecke")
    article_url = staff.url

    # --- The Chefredaktion unpublishes it again. ---
    chief.goto(f"/admin/pages/{topic.pk}/")
    chief.get_by_role("row").filter(has_text=TITLE).get_by_role("link", name=TITLE).click()
    expect(chief).to_have_url(re.compile(rf"/admin/pages/{article.pk}/edit/$"))
    footer_action(chief, "Veröffentlichung aufheben").click()
    expect(chief.get_by_role("heading", level=1)).to_contain_text("Veröffentlichung aufheben")
    chief.get_by_role("button", name="Ja, Veröffentlichung aufheben").click()
    expect(chief).to_have_url(re.compile(rf"/admin/pages/{topic.pk}/$"))
    expect(chief.get_by_role("row").filter(has_text=TITLE)).to_contain_text(
        re.compile("Entwurf", re.IGNORECASE)
    )
    article.refresh_from_db()
    assert not article.live

    # --- Gone for staff: not in the search, and the article URL is a 404. ---
    search_results(staff, QUERY)
    expect(staff.get_by_role("link", name=TITLE)).to_have_count(0)
    response = staff.goto(article_url)
    assert response is not None and response.status == 404

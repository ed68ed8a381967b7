"""An editor writes an article from the dashboard (issue 12, "Editors"), in the browser.

"Neuen Beitrag schreiben" on the dashboard, the form with the editor's city preselected and
the body template, contacts chosen (and one created) in Wagtail's chooser modal, submitted for
review; the article under "In Freigabe"; the Chefredaktion approves it from the dashboard and
sees the confirmation. Screenshots of the dashboard and the form go to tests/artifacts/.
"""

from __future__ import annotations

import re

import pytest

from kb.models import ArticlePage, ContactPerson, TopicPage
from tests.e2e.conftest import BROWSER_TEST, artifact_path, choose_in_chooser
from tests.e2e.test_editorial_workflow import footer_action, settle_autosave

pytestmark = BROWSER_TEST

expect = pytest.importorskip("playwright.sync_api").expect

TITLE = "Warn-App im Probebetrieb"
SUMMARY = "Wie die Warn-App vier Wochen lang parallel zu den Sirenen getestet wurde."
PARAGRAPH = "Vier Wochen lang kam jede Sirenenprobe auch als Push-Nachricht."
TEMPLATE = ["Ausgangslage", "Vorgehen", "Ergebnis", "Lessons learned", "Kosten/Aufwand"]
CHOOSE = "Ansprechperson auswählen oder neu anlegen"


def dashboard_panel(page, heading: str):
    return page.locator("section").filter(has=page.get_by_role("heading", name=heading, exact=True))


def test_editor_writes_an_article_from_the_dashboard(
    new_page, demo_articles, e2e_users, contact_person
):
    topic = TopicPage.objects.get(title="Krisenmanagement")
    editor = new_page("ronja")
    editor.goto("/admin/")
    for heading in ("Neuen Beitrag schreiben", "Meine Entwürfe", "In Freigabe"):
        expect(dashboard_panel(editor, heading)).to_be_visible()
    editor.screenshot(path=artifact_path("editor-dashboard.png"), full_page=True)

    # --- "Neuen Beitrag schreiben": the topic, then the form. ---
    dashboard_panel(editor, "Neuen Beitrag schreiben").get_by_role(
        "link", name="Neuer Beitrag in Krisenmanagement"
    ).click()
    expect(editor).to_have_url(re.compile(rf"/admin/pages/add/kb/articlepage/{topic.pk}/$"))
    editor.wait_for_load_state("load")

    # The editor's city is preselected; the body starts with the template's headings.
    expect(editor.get_by_role("checkbox", name="Arnsberg", exact=True)).to_be_checked()
    expect(editor.get_by_role("checkbox", name="Sundern", exact=True)).not_to_be_checked()
    headings = editor.locator("#body-root input[name$='-value-text']")
    expect(headings).to_have_count(6)
    assert [headings.nth(i).input_value() for i in range(6)] == [*TEMPLATE, "Ansprechpersonen"]

    title = editor.get_by_placeholder("Seitentitel")
    title.click()
    title.fill(TITLE)
    title.press("Tab")
    expect(editor.locator("#id_slug")).to_have_value("warn-app-im-probebetrieb")
    editor.get_by_role("textbox", name="Kurzfassung").fill(SUMMARY)

    # --- Contacts: one found by searching, one created in the chooser. ---
    contacts = editor.get_by_role("group", name="Ansprechpersonen")
    expect(contacts).to_contain_text("Noch keine Ansprechperson ausgewählt.")
    choose_in_chooser(editor, CHOOSE, "Warnecke", ["Erika Warnecke (Arnsberg)"])
    expect(contacts.get_by_role("listitem")).to_have_text([re.compile("Erika Warnecke")])

    editor.get_by_role("button", name=CHOOSE).click()
    modal = editor.get_by_role("dialog")
    modal.get_by_role("tab", name="Neue Ansprechperson").click()
    modal.get_by_label("Name").fill("Paul Hengstebeck")
    modal.get_by_label("Funktion").fill("Leitstelle Feuerwehr")
    modal.get_by_label("Stadt").select_option(label="Arnsberg")
    modal.screenshot(path=artifact_path("editor-contact-chooser-create.png"))
    modal.get_by_role("button", name="Ansprechperson anlegen").click()
    expect(modal).to_have_count(0)
    expect(contacts.get_by_role("listitem")).to_have_text(
        [re.compile("Erika Warnecke \\(Arnsberg\\)"), re.compile("Paul Hengstebeck \\(Arnsberg\\)")]
    )
    expect(editor.locator(".modal-backdrop")).to_have_count(0)
    origin = editor.get_by_role("region", name="Herkunft und Einordnung")
    origin.screenshot(path=artifact_path("editor-article-origin-and-contacts.png"))

    # --- Body: a paragraph under "Ausgangslage"; the unused last heading deleted. ---
    editor.locator("#body-root").get_by_title("Einen Block einfügen").nth(1).click()
    editor.get_by_role("option", name="Absatz").click()
    paragraph = editor.locator("#body-root [contenteditable='true']").first
    expect(paragraph).to_be_visible()
    paragraph.click()
    editor.keyboard.type(PARAGRAPH)
    expect(editor.locator("#body-root input[type='hidden'][name$='-value']")).to_have_value(
        re.compile(re.escape(PARAGRAPH))
    )
    last = editor.locator("#body-root [data-streamfield-child]").last
    last.get_by_role("button", name="Löschen").click()
    # Wagtail keeps a deleted block hidden in the form (marked deleted) until it is saved.
    expect(editor.locator("#body-root input[name$='-value-text']:visible")).to_have_count(5)
    editor.screenshot(path=artifact_path("editor-new-article-form.png"), full_page=True)

    settle_autosave(editor, TITLE)
    footer_action(editor, "Freigabe einreichen").click()
    expect(editor).to_have_url(re.compile(rf"/admin/pages/{topic.pk}/$"), timeout=30_000)

    article = ArticlePage.objects.get(title=TITLE)
    assert [c.name for c in article.cities.all()] == ["Arnsberg"]
    assert sorted(c.name for c in article.contacts.all()) == ["Erika Warnecke", "Paul Hengstebeck"]
    assert ContactPerson.objects.get(name="Paul Hengstebeck").role == "Leitstelle Feuerwehr"
    assert [b.block_type for b in article.body] == ["heading", "paragraph", *["heading"] * 4]
    assert [b.value["text"] for b in article.body if b.block_type == "heading"] == TEMPLATE
    assert PARAGRAPH in article.body[1].value.source

    # --- On the dashboard: in review, no longer a draft. ---
    editor.goto("/admin/")
    in_review = dashboard_panel(editor, "In Freigabe")
    expect(in_review.get_by_role("row").filter(has_text=TITLE)).to_contain_text(
        "Wartet auf Freigabe durch die Chefredaktion"
    )
    expect(dashboard_panel(editor, "Meine Entwürfe")).not_to_contain_text(TITLE)

    # --- The Chefredaktion approves it from the dashboard and is told so. ---
    chief = new_page("charlotte")
    chief.goto("/admin/")
    row = chief.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Aktionen").click()
    row.get_by_role("button", name="Freigeben", exact=True).click()
    expect(chief).to_have_url(re.compile(r"/admin/$"))
    confirmation = chief.locator(".messages .success")
    expect(confirmation).to_contain_text(f"„{TITLE}“ ist freigegeben und veröffentlicht.")
    expect(confirmation).to_be_in_viewport()
    expect(confirmation.get_by_role("link", name="Ansehen")).to_have_attribute(
        "href", "/krisenmanagement/warn-app-im-probebetrieb/"
    )
    chief.wait_for_timeout(1500)  # Wagtail slides its messages in
    expect(dashboard_panel(chief, "Zuletzt veröffentlicht")).to_contain_text(TITLE)
    chief.screenshot(path=artifact_path("chief-dashboard-after-approval.png"), full_page=True)
    article.refresh_from_db()
    assert article.live

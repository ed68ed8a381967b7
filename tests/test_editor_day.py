"""An editor's day in the admin (issue 12, "Editors"): the dashboard, the article form and the
confirmation after a review action, through Django's test client."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission, Page

from kb.models import ArticlePage, City, ContactPerson, Department, TopicPage
from tests.admin_forms import DRAFTAIL_PARAGRAPH, article_form
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

TEMPLATE_HEADINGS = [
    "Ausgangslage",
    "Vorgehen",
    "Ergebnis",
    "Lessons learned",
    "Kosten/Aufwand",
    "Ansprechpersonen",
]


@pytest.fixture
def topic(demo_articles) -> TopicPage:
    return TopicPage.objects.get(title="Krisenmanagement")


def city(name: str) -> City:
    return City.objects.get(name=name)


def add_url(topic: Page) -> str:
    return f"/admin/pages/add/kb/articlepage/{topic.pk}/"


def edit_url(page: Page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def write(client, topic, title: str, slug: str, action: str, **extra) -> ArticlePage:
    """Create an article through the admin's form: "save" (a draft) or "submit" (for review)."""
    actions = {"save": {}, "submit": {"action-submit": "1"}}
    response = client.post(add_url(topic), article_form(title, slug, **actions[action], **extra))
    assert response.status_code == 302, response.content.decode()[:2000]
    client.get(response["Location"])  # where the editor lands, reading Wagtail's message
    return ArticlePage.objects.get(slug=slug)


def panel(page_html: str, panel_id: str) -> str | None:
    """The HTML of one dashboard panel (Wagtail's {% panel %}: a <section id="…-section">)."""
    match = re.search(rf'<section[^>]*id="{panel_id}-section".*?</section>', page_html, re.S)
    return match.group(0) if match else None


def text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def messages_of(response) -> list[str]:
    """The admin's messages on a page, as text (Wagtail renders their buttons into them)."""
    return [text(str(message)) for message in response.context["messages"]]


# --- Dashboard ---------------------------------------------------------------------------------


def test_editor_dashboard_shows_writing_drafts_reviews_and_new_articles(client, editor, topic):
    other = make_user("olaf", "Redaktion Sundern")
    client.force_login(other)
    write(client, topic, "Fremder Entwurf", "fremder-entwurf", "save")
    client.force_login(editor)
    draft = write(client, topic, "Mein Sirenen-Entwurf", "mein-sirenen-entwurf", "save")
    submitted = write(
        client, topic, "Eingereichte Sirenenprobe", "eingereichte-sirenenprobe", "submit"
    )
    newest = ArticlePage.objects.live().order_by("-last_published_at", "-pk").first()

    page = client.get("/admin/").content.decode()

    new_article = panel(page, "kb-new-article")
    assert "Neuen Beitrag schreiben" in text(new_article)
    for each in TopicPage.objects.all():
        assert f'href="{add_url(each)}"' in new_article
    assert "Krisenmanagement" in text(new_article)

    drafts = panel(page, "kb-my-drafts")
    assert "Meine Entwürfe" in text(drafts)
    assert "Mein Sirenen-Entwurf" in text(drafts)
    assert f'href="{edit_url(draft)}"' in drafts
    assert "Arnsberg" in text(drafts)
    assert "Fremder Entwurf" not in text(drafts)  # another editor's
    assert "Eingereichte Sirenenprobe" not in text(drafts)  # in review, not a draft

    in_review = panel(page, "kb-in-review")
    assert "In Freigabe" in text(in_review)
    assert "Eingereichte Sirenenprobe" in text(in_review)
    assert f'href="{edit_url(submitted)}"' in in_review
    assert "Wartet auf Freigabe durch die Chefredaktion" in text(in_review)
    assert "Mein Sirenen-Entwurf" not in text(in_review)

    published = panel(page, "kb-recently-published")
    assert "Zuletzt veröffentlicht" in text(published)
    assert newest.title in text(published)
    assert f'href="{edit_url(newest)}"' in published
    assert ", ".join(c.name for c in newest.cities.all()) in text(published)
    assert "Mein Sirenen-Entwurf" not in text(published)

    # Wagtail's own "pages in a workflow" panel would list the submission a second time.
    assert panel(page, "objects-in-workflow") is None
    # Nor Wagtail's "Ihre zuletzt bearbeiteten Seiten", which repeats drafts and submissions.
    assert panel(page, "recent-edits") is None
    panels = page[page.index('class="w-dashboard') :]
    assert panels.count(f'href="{edit_url(submitted)}"') == 1
    assert panels.count(f'href="{edit_url(draft)}"') == 1


def test_published_articles_without_changes_are_no_drafts(client, editor, topic):
    client.force_login(editor)
    draft = write(client, topic, "Bald veröffentlicht", "bald-veroeffentlicht", "save")
    assert "Bald veröffentlicht" in text(
        panel(client.get("/admin/").content.decode(), "kb-my-drafts")
    )
    draft.get_latest_revision().publish()

    drafts = panel(client.get("/admin/").content.decode(), "kb-my-drafts")
    assert "Bald veröffentlicht" not in text(drafts)
    assert "keine offenen Entwürfe" in text(drafts)


def test_chief_sees_a_submission_once_with_its_review_actions(client, editor, chief, topic):
    client.force_login(editor)
    submitted = write(
        client, topic, "Eingereichte Sirenenprobe", "eingereichte-sirenenprobe", "submit"
    )
    task_state = submitted.current_workflow_task_state

    client.force_login(chief)
    page = client.get("/admin/").content.decode()

    # Wagtail's "Wartet auf Ihre Freigabe", with its approve action, lists it ...
    review = panel(page, "awaiting-review")
    assert "Eingereichte Sirenenprobe" in text(review)
    assert f"/admin/pages/workflow/action/{submitted.pk}/approve/{task_state.pk}/" in review
    # ... and nothing else does: no "In Freigabe" of the same article for the Chefredaktion.
    assert panel(page, "kb-in-review") is None
    assert panel(page, "objects-in-workflow") is None
    assert text(page).count("Eingereichte Sirenenprobe") == 1
    # The Chefredaktion writes too.
    assert panel(page, "kb-new-article") is not None


def test_staff_without_admin_access_get_no_dashboard(client, staff):
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302


# --- Confirmation after a review action ----------------------------------------------------------


def test_approving_from_the_dashboard_confirms_the_publication(client, editor, chief, topic):
    client.force_login(editor)
    article = write(client, topic, "Sirenenprobe", "sirenenprobe", "submit")
    task_state = article.current_workflow_task_state

    client.force_login(chief)
    response = client.post(
        f"/admin/pages/workflow/action/{article.pk}/approve/{task_state.pk}/",
        {"comment": "", "next": "/admin/"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == "/admin/"
    assert messages_of(response) == [
        "„Sirenenprobe“ ist freigegeben und veröffentlicht. Ansehen Bearbeiten"
    ]
    assert "„Sirenenprobe“ ist freigegeben und veröffentlicht." in text(response.content.decode())
    article.refresh_from_db()
    assert article.live
    # The message links to the article as staff will read it.
    assert f'href="{article.url}"' in response.content.decode()


def test_approving_in_the_page_editor_confirms_the_publication(client, editor, chief, topic):
    client.force_login(editor)
    article = write(client, topic, "Sirenenprobe", "sirenenprobe", "submit")

    client.force_login(chief)
    response = client.post(
        edit_url(article),
        article_form(
            "Sirenenprobe",
            "sirenenprobe",
            **{"action-workflow-action": "1", "workflow-action-name": "approve"},
        ),
        follow=True,
    )

    # Instead of Wagtail's "Seite ‚Sirenenprobe‘ wurde aktualisiert."
    assert messages_of(response) == [
        "„Sirenenprobe“ ist freigegeben und veröffentlicht. Ansehen Bearbeiten"
    ]
    article.refresh_from_db()
    assert article.live


def test_requesting_changes_is_confirmed_and_shown_to_the_editor(client, editor, chief, topic):
    client.force_login(editor)
    article = write(client, topic, "Sirenenprobe", "sirenenprobe", "submit")
    task_state = article.current_workflow_task_state

    client.force_login(chief)
    response = client.post(
        f"/admin/pages/workflow/action/{article.pk}/reject/{task_state.pk}/",
        {"comment": "Bitte die Kosten ergänzen.", "next": "/admin/"},
        follow=True,
    )
    assert messages_of(response) == [
        "Für „Sirenenprobe“ sind Änderungen erbeten; die einreichende Person wird benachrichtigt. "
        "Bearbeiten"
    ]

    client.force_login(editor)
    in_review = text(panel(client.get("/admin/").content.decode(), "kb-in-review"))
    assert "Sirenenprobe" in in_review
    assert "Änderungen erbeten : „Bitte die Kosten ergänzen.“" in in_review


# --- The article form ----------------------------------------------------------------------------


def checked_cities(page_html: str) -> set[str]:
    names = {str(c.pk): c.name for c in City.objects.all()}
    inputs = re.findall(r'<input type="checkbox" name="cities"[^>]*>', page_html)
    return {names[re.search(r'value="(\d+)"', i).group(1)] for i in inputs if " checked" in i}


def test_new_article_has_the_city_of_the_editors_group(client, topic):
    client.force_login(make_user("sina", "Redaktion Sundern"))
    assert checked_cities(client.get(add_url(topic)).content.decode()) == {"Sundern"}


def test_new_article_has_the_cities_of_all_the_editors_groups(client, topic):
    both = make_user("bea", "Redaktion Sundern")
    both.groups.add(Group.objects.get(name="Redaktion Arnsberg"))
    client.force_login(both)
    assert checked_cities(client.get(add_url(topic)).content.decode()) == {"Arnsberg", "Sundern"}


def test_a_new_citys_editors_get_their_city_without_code(client, topic):
    City.objects.create(name="Neheim", slug="neheim")
    # A new city's editorial group, with the rights of the others.
    arnsberg = Group.objects.get(name="Redaktion Arnsberg")
    neheim = Group.objects.create(name="Redaktion Neheim")
    neheim.permissions.set(arnsberg.permissions.all())
    for right in GroupPagePermission.objects.filter(group=arnsberg):
        GroupPagePermission.objects.create(
            group=neheim, page=right.page, permission=right.permission
        )
    client.force_login(make_user("nele", "Redaktion Neheim"))
    assert checked_cities(client.get(add_url(topic)).content.decode()) == {"Neheim"}


def test_no_city_is_preselected_for_editors_without_a_city_group(client, chief, topic):
    client.force_login(chief)
    assert checked_cities(client.get(add_url(topic)).content.decode()) == set()


def test_an_existing_article_keeps_its_own_cities(client, topic):
    article = ArticlePage.objects.filter(cities__name="Arnsberg").exclude(cities__name="Sundern")[0]
    client.force_login(make_user("sina", "Redaktion Sundern"))
    assert checked_cities(client.get(edit_url(article)).content.decode()) == {"Arnsberg"}


def body_headings(page_html: str) -> list[str]:
    """The headings of the body as the StreamField editor gets them (its JSON state)."""
    state = html.unescape(page_html)
    return re.findall(r'\{"type": "heading", "value": \{"text": "([^"]*)"', state)


def test_a_new_article_offers_the_body_template(client, editor, topic):
    client.force_login(editor)
    page = client.get(add_url(topic)).content.decode()
    assert body_headings(page) == TEMPLATE_HEADINGS
    assert "Überschriften, die Sie nicht brauchen, löschen Sie einfach" in text(page)


def test_an_existing_article_keeps_its_body(client, editor, topic):
    client.force_login(editor)
    article = write(client, topic, "Sirenenprobe", "sirenenprobe", "save")
    page = client.get(edit_url(article)).content.decode()
    assert "Sirenentest im Stadtgebiet." in html.unescape(page)
    assert body_headings(page) == []


def test_the_template_headings_are_saved_as_written(client, editor, topic):
    """What the editor keeps of the template is what the article has."""
    client.force_login(editor)
    kept = {
        "body-count": "2",
        "body-0-type": "heading",
        "body-0-value-text": "Ausgangslage",
        "body-0-value-level": "h2",
        "body-0-deleted": "",
        "body-0-order": "0",
        "body-0-id": "",
        "body-1-type": "paragraph",
        "body-1-value": json.dumps(DRAFTAIL_PARAGRAPH),
        "body-1-deleted": "",
        "body-1-order": "1",
        "body-1-id": "",
    }
    article = write(client, topic, "Sirenenprobe", "sirenenprobe", "save", **kept)
    assert [block.block_type for block in article.body] == ["heading", "paragraph"]
    assert article.body[0].value["text"] == "Ausgangslage"


def test_departments_are_named_with_their_city(client, editor, topic):
    department = Department.objects.create(
        name="Amt für Sirenen und Warnung", city=city("Arnsberg")
    )
    article = ArticlePage.objects.live().first()
    article.department = department
    article.save_revision().publish()

    client.force_login(editor)
    # The article form's department chooser shows the chosen one with its city ...
    page = client.get(edit_url(article)).content.decode()
    assert "Amt für Sirenen und Warnung (Arnsberg)" in text(page)
    # ... as does the department chooser's list, and the select of a new contact person.
    chooser = client.get("/admin/snippets/choose/kb/department/").json()
    assert "Amt für Sirenen und Warnung (Arnsberg)" in text(chooser["html"])
    chooser = client.get("/admin/snippets/choose/kb/contactperson/").json()
    options = re.findall(r"<option[^>]*>([^<]*)</option>", chooser["html"])
    assert "Amt für Sirenen und Warnung (Arnsberg)" in options


def test_contacts_are_chosen_with_the_snippet_chooser(client, editor, topic):
    client.force_login(editor)
    page = client.get(add_url(topic)).content.decode()
    assert 'data-controller="kb-multiple-chooser"' in page
    assert "Ansprechperson auswählen oder neu anlegen" in text(page)
    assert "/admin/snippets/choose/kb/contactperson/" in html.unescape(page)
    assert not re.search(r'<select[^>]*name="contacts"', page)  # no Ctrl-click list


def test_chosen_contacts_are_listed_and_saved(client, editor, topic):
    arnsberg, sundern = city("Arnsberg"), city("Sundern")
    erika = ContactPerson.objects.create(name="Erika Warnecke", city=arnsberg)
    jonas = ContactPerson.objects.create(name="Jonas Brüggemann", city=sundern)
    client.force_login(editor)
    contacts = {"contacts": [str(erika.pk), str(jonas.pk)]}
    article = write(client, topic, "Sirenenprobe", "sirenenprobe", "save", **contacts)
    assert set(article.contacts.all()) == {erika, jonas}

    page = client.get(edit_url(article)).content.decode()
    chosen = re.findall(r'<input type="hidden" name="contacts" value="(\d+)">', page)
    assert sorted(chosen) == sorted([str(erika.pk), str(jonas.pk)])
    assert "Erika Warnecke (Arnsberg)" in text(page)
    assert "„Jonas Brüggemann (Sundern)“ entfernen" in html.unescape(page)

    # Removing one in the form (its hidden input gone) removes it from the article.
    response = client.post(
        edit_url(article), article_form("Sirenenprobe", "sirenenprobe", contacts=[str(jonas.pk)])
    )
    assert response.status_code == 302
    article = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert list(article.contacts.all()) == [jonas]


def test_editors_create_a_contact_person_in_the_chooser(client, editor, topic):
    client.force_login(editor)
    chooser = client.get("/admin/snippets/choose/kb/contactperson/", {"multiple": "1"}).json()
    assert "Neue Ansprechperson" in text(chooser["html"])
    create_url = reverse(ContactPerson.snippet_viewset.chooser_viewset.get_url_name("create"))

    response = client.post(
        create_url + "?multiple=1",
        {
            "name": "Paula Hengstebeck",
            "role": "Sachbearbeitung Bevölkerungsschutz",
            "city": str(city("Sundern").pk),
            "department": "",
            "email": "p.hengstebeck@sundern.example",
            "phone": "",
        },
    )

    created = ContactPerson.objects.get(name="Paula Hengstebeck")
    data = response.json()
    assert data["step"] == "chosen"
    # What the chooser adds to the article's list (kb-multiple-chooser: id and label).
    [result] = data["result"]
    assert (result["id"], result["string"]) == (str(created.pk), "Paula Hengstebeck (Sundern)")


def test_only_who_may_add_contact_persons_gets_the_create_tab(client):
    """Creating in the chooser is the snippet's add permission (the Redaktion groups have it)."""
    reader = make_user("rita")
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reader)
    chooser = client.get("/admin/snippets/choose/kb/contactperson/", {"multiple": "1"}).json()
    assert "Neue Ansprechperson" not in text(chooser["html"])
    create_url = reverse(ContactPerson.snippet_viewset.chooser_viewset.get_url_name("create"))
    response = client.post(create_url, {"name": "Unbefugt"})
    assert response.status_code in (302, 403)
    assert not ContactPerson.objects.filter(name="Unbefugt").exists()


def test_the_dashboard_costs_the_same_for_many_entries(client, editor, topic):
    """No query per draft or submission (the dashboard is every editor's start page)."""
    client.force_login(editor)
    write(client, topic, "Notiz 1", "notiz-1", "save")
    write(client, topic, "Eingereicht 1", "eingereicht-1", "submit")
    with CaptureQueriesContext(connection) as few:
        client.get("/admin/")
    for n in range(2, 7):
        write(client, topic, f"Notiz {n}", f"notiz-{n}", "save")
        write(client, topic, f"Eingereicht {n}", f"eingereicht-{n}", "submit")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/admin/").content.decode()
    assert len(re.findall(r"Notiz \d", text(panel(page, "kb-my-drafts")))) == 6
    assert len(re.findall(r"Eingereicht \d", text(panel(page, "kb-in-review")))) == 6
    assert len(many) == len(few)


@pytest.mark.parametrize(
    "url", ["/admin/snippets/choose/kb/department/", "/admin/snippets/kb/contactperson/"]
)
def test_naming_departments_with_their_city_costs_no_query_per_row(client, chief, url):
    """Departments are named with their city in the chooser and the contact persons' list."""
    arnsberg = city("Arnsberg")

    def add(n: int) -> None:
        department = Department.objects.create(name=f"Amt {n:02d}", city=arnsberg)
        ContactPerson.objects.create(name=f"Person {n:02d}", city=arnsberg, department=department)

    add(0)
    client.force_login(chief)
    client.get(url)  # warms the caches (content types, sites)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(1, 10):
        add(n)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url)
    assert "Amt 09 (Arnsberg)" in text(
        page.json()["html"] if "choose" in url else page.content.decode()
    )
    assert len(many) == len(few)

"""Two editors on one page: Wagtail's page lock holds, and no saved draft is ever lost."""

from __future__ import annotations

import pytest
from wagtail.models import Revision
from wagtail.test.utils.form_data import (
    nested_form_data,
    querydict_from_html,
    rich_text,
    streamfield,
)

from kb.models import ArticlePage
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(demo_articles) -> ArticlePage:
    return ArticlePage.objects.live().order_by("pk").first()


@pytest.fixture
def second_editor(db):
    return make_user("rafael", "Redaktion Sundern", email="rafael@sundern.example")


def edit_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def open_edit_form(client, page):
    """GET the edit view like a browser does; returns the form fields as POST data."""
    response = client.get(edit_url(page))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    return response, data


def with_changes(data, title: str, paragraph: str):
    """The loaded form with a new title and body (StreamField is rendered by JavaScript)."""
    data = data.copy()
    data["title"] = title
    data.update(
        nested_form_data(
            {
                "body": streamfield(
                    [
                        ("heading", {"text": "Stand", "level": "h2"}),
                        ("paragraph", rich_text(f"<p>{paragraph}</p>")),
                    ]
                )
            }
        )
    )
    return data


def test_locked_page_cannot_be_saved_by_another_editor(client, editor, second_editor, article):
    original_title = article.title
    revisions_before = article.revisions.count()

    client.force_login(editor)
    response = client.post(f"/admin/pages/{article.pk}/lock/")
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.locked and article.locked_by == editor

    client.force_login(second_editor)
    response, data = open_edit_form(client, article)
    html = response.content.decode()
    assert "gesperrt" in html  # the editor sees the lock before typing anything
    response = client.post(edit_url(article), with_changes(data, "Von B geändert", "B"))
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert "Diese Seite konnte nicht gespeichert werden, da sie gesperrt ist." in (
            response.content.decode()
        )
    article.refresh_from_db()
    assert article.title == original_title
    assert article.revisions.count() == revisions_before
    assert article.get_latest_revision().as_object().title == original_title

    # B may not lift A's lock (Redaktion has no unlock permission) ...
    client.post(f"/admin/pages/{article.pk}/unlock/")
    article.refresh_from_db()
    assert article.locked

    # ... but A can, and then B's edit is saved.
    client.force_login(editor)
    assert client.post(f"/admin/pages/{article.pk}/unlock/").status_code == 302
    article.refresh_from_db()
    assert not article.locked

    client.force_login(second_editor)
    response, data = open_edit_form(client, article)
    response = client.post(edit_url(article), with_changes(data, "Von B geändert", "B"))
    assert response.status_code == 302
    article.refresh_from_db()
    latest = article.get_latest_revision()
    assert latest.user == second_editor
    assert latest.as_object().title == "Von B geändert"


def test_locking_directly_on_the_model_is_respected(client, editor, second_editor, article):
    article.locked = True
    article.locked_by = editor
    article.save(update_fields=["locked", "locked_by"])
    client.force_login(second_editor)
    _, data = open_edit_form(client, article)
    client.post(edit_url(article), with_changes(data, "Trotzdem geändert", "B"))
    assert not Revision.objects.filter(user=second_editor).exists()


def test_two_editors_saving_the_same_page_keep_both_revisions(
    client, editor, second_editor, article
):
    client_a, client_b = client, type(client)()
    client_a.force_login(editor)
    client_b.force_login(second_editor)

    # Both open the same page and get the same latest revision in their form.
    _, form_a = open_edit_form(client_a, article)
    _, form_b = open_edit_form(client_b, article)
    loaded = str(article.get_latest_revision().pk)
    assert form_a["loaded_revision_id"] == form_b["loaded_revision_id"] == loaded

    # A saves a draft first.
    response = client_a.post(edit_url(article), with_changes(form_a, "Fassung A", "Text von A"))
    assert response.status_code == 302
    revision_a = Revision.objects.get(user=editor, object_id=str(article.pk))

    # B's autosave notices that the form is out of date and does not overwrite A ...
    response = client_b.post(
        edit_url(article),
        with_changes(form_b, "Fassung B", "Text von B"),
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid_revision"
    assert not Revision.objects.filter(user=second_editor).exists()

    # ... and an explicit save by B stores a new revision after A's: last writer wins the
    # draft, but A's revision stays in the history.
    response = client_b.post(edit_url(article), with_changes(form_b, "Fassung B", "Text von B"))
    assert response.status_code == 302
    revision_b = Revision.objects.get(user=second_editor, object_id=str(article.pk))
    assert revision_b.pk > revision_a.pk
    article.refresh_from_db()
    assert article.get_latest_revision() == revision_b

    restored_a = revision_a.as_object()
    assert restored_a.title == "Fassung A"
    assert "Text von A" in str(restored_a.body)
    assert revision_b.as_object().title == "Fassung B"
    assert article.title not in ("Fassung A", "Fassung B")  # drafts only; live page unchanged

    # A's version can be found and restored from the page history.
    history = client_b.get(f"/admin/pages/{article.pk}/history/")
    assert history.status_code == 200
    assert f"/revisions/{revision_a.pk}/" in history.content.decode()
    revert = client_b.get(f"/admin/pages/{article.pk}/revisions/{revision_a.pk}/revert/")
    assert revert.status_code == 200
    assert "Fassung A" in revert.content.decode()

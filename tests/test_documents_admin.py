"""Documents in the Wagtail admin: every upload works (hostile files too, never a 500), and
editors see the text status, characters, language, limit hits and the pages using a document."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection

from documents.models import DocumentText
from kb.models import ArticlePage
from tests import documents_files as files

Document = get_document_model()
Status = DocumentText.Status


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def post_upload(client, name: str, data: bytes, title: str = "Unterlage"):
    return client.post(
        reverse("wagtaildocs:add"),
        {
            "title": title,
            "file": SimpleUploadedFile(name, data),
            "collection": Collection.get_first_root_node().pk,
        },
    )


HOSTILE = [
    ("hochwasser.pdf", files.text_pdf, Status.OK),
    ("geheim.pdf", files.encrypted_pdf, Status.ENCRYPTED),
    ("scan.pdf", files.blank_pdf, Status.EMPTY),
    ("kaputt.pdf", files.truncated_pdf, Status.DAMAGED),
    (
        "bombe.docx",
        lambda: files.with_bomb(files.docx_bytes(["x"]), "word/a.bin", 64 << 20),
        Status.TOO_LARGE,
    ),
    (
        "bombe.odt",
        lambda: files.with_bomb(files.odt_bytes(["x"]), "Pictures/a.bin", 64 << 20),
        Status.TOO_LARGE,
    ),
    ("falsch.docx", files.text_pdf, Status.OK),
    ("sammlung.pdf", lambda: files.many_pages_pdf(510), Status.TOO_MANY_PAGES),
]


@pytest.mark.parametrize(("name", "make", "status"), HOSTILE, ids=[case[0] for case in HOSTILE])
def test_upload_through_the_admin_always_works(
    editor_client, django_capture_on_commit_callbacks, name, make, status
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(editor_client, name, make(), title=f"Upload {name}")
    assert response.status_code == 302
    document = Document.objects.get(title=f"Upload {name}")
    assert document.extracted.status == status
    # The editor's next page, the listing, shows the status.
    listing = editor_client.get(reverse("wagtaildocs:index"))
    assert listing.status_code == 200
    assert document.extracted.get_status_display() in listing.content.decode()


def test_upload_over_the_size_limit_still_works(
    editor_client, django_capture_on_commit_callbacks, settings
):
    settings.DOCUMENT_TEXT_MAX_BYTES = 800
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(editor_client, "gross.pdf", files.text_pdf(), title="Groß")
    assert response.status_code == 302
    record = Document.objects.get(title="Groß").extracted
    assert record.status == Status.TOO_LARGE
    edit = editor_client.get(reverse("wagtaildocs:edit", args=[record.document_id]))
    assert "gelesen werden Dateien bis 800 Byte" in edit.content.decode()


def test_empty_upload_gets_a_form_error_not_a_500(
    editor_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(editor_client, "leer.pdf", b"", title="Leer")
    assert response.status_code == 200  # Wagtail's form refuses empty files itself
    assert not Document.objects.filter(title="Leer").exists()


def test_upload_survives_a_failing_extraction(
    editor_client, django_capture_on_commit_callbacks, monkeypatch
):
    from documents import text

    def broken(*args, **kwargs):
        raise RuntimeError("Parser kaputt")

    monkeypatch.setattr(text.extraction, "extract_isolated", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_upload(editor_client, "hochwasser.pdf", files.text_pdf(), title="Robust")
    assert response.status_code == 302
    document = Document.objects.get(title="Robust")
    assert document.extracted.status == Status.PENDING  # shown as "wartet", upload kept


def test_multiple_upload_reads_the_text(editor_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            reverse("wagtaildocs:add_multiple"),
            {
                "files[]": SimpleUploadedFile(
                    "checkliste.docx", files.docx_bytes(["Sandsäcke bereitstellen."])
                )
            },
            headers={"x-requested-with": "XMLHttpRequest"},
        )
    assert response.status_code == 200
    assert response.json()["success"] is True
    record = Document.objects.get().extracted
    assert record.status == Status.OK
    assert "Sandsäcke bereitstellen." in record.text


def make_document(django_capture_on_commit_callbacks, name: str, data: bytes, title: str):
    with django_capture_on_commit_callbacks(execute=True):
        return Document.objects.create(title=title, file=ContentFile(data, name=name))


def test_listing_shows_status_characters_and_language(
    editor_client, django_capture_on_commit_callbacks
):
    ok = make_document(django_capture_on_commit_callbacks, "a.pdf", files.text_pdf(), "Hochwasser")
    make_document(django_capture_on_commit_callbacks, "b.pdf", files.encrypted_pdf(), "Geheim")
    response = editor_client.get(reverse("wagtaildocs:index"))
    html = response.content.decode()
    assert "Text (Suche)" in html
    row = re.search(r"Hochwasser.*?</tr>", html, re.S).group(0)
    assert "gelesen" in row
    assert f"{ok.extracted.characters} Zeichen · Deutsch" in row
    row = re.search(r"Geheim.*?</tr>", html, re.S).group(0)
    assert "verschlüsselt" in row


def test_listing_queries_do_not_grow_with_documents(
    editor_client, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    make_document(django_capture_on_commit_callbacks, "a.txt", b"Ein Text zum Lesen.", "Eins")
    editor_client.get(reverse("wagtaildocs:index"))  # warm caches (content types, session)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        editor_client.get(reverse("wagtaildocs:index"))
    for number in range(6):
        make_document(
            django_capture_on_commit_callbacks, f"{number}.txt", b"Noch ein Text.", f"D{number}"
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = editor_client.get(reverse("wagtaildocs:index"))
    assert response.content.decode().count("Noch ein Text") == 0  # no text dump in the list
    assert response.content.decode().count(">gelesen<") == 7


def test_listing_search_results_keep_the_column(editor_client, django_capture_on_commit_callbacks):
    make_document(django_capture_on_commit_callbacks, "a.pdf", files.text_pdf(), "Hochwasserplan")
    response = editor_client.get(reverse("wagtaildocs:index_results"), {"q": "Hochwasserplan"})
    assert response.status_code == 200
    assert "gelesen" in response.content.decode()


def test_edit_page_shows_text_limits_and_usage(
    editor_client, django_capture_on_commit_callbacks, demo_articles, settings
):
    settings.DOCUMENT_TEXT_MAX_CHARS = 100
    document = make_document(
        django_capture_on_commit_callbacks, "plan.pdf", files.text_pdf(), "Plan"
    )
    article = ArticlePage.objects.live().first()
    with django_capture_on_commit_callbacks(execute=True):
        article.body.append(("document", {"document": document, "title": "Plan"}))
        article.save_revision().publish()
    response = editor_client.get(reverse("wagtaildocs:edit", args=[document.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Text für die Suche" in html
    assert "gelesen" in html
    assert "Nur die ersten 100 Zeichen werden durchsucht." in html
    assert "gekürzt auf die Grenze von 100 Zeichen" in html
    assert "Deutsch" in html
    assert "Verwendet auf" in html
    assert article.title in html
    assert reverse("wagtailadmin_pages:edit", args=[article.pk]) in html


def test_edit_page_without_usage(editor_client, django_capture_on_commit_callbacks):
    document = make_document(
        django_capture_on_commit_callbacks, "scan.pdf", files.blank_pdf(), "Scan"
    )
    html = editor_client.get(reverse("wagtaildocs:edit", args=[document.pk])).content.decode()
    assert "kein Text lesbar" in html
    assert "eingescannte Seiten" in html
    assert "Auf keiner Seite verwendet." in html


def test_reextract_button(editor_client, django_capture_on_commit_callbacks, settings):
    settings.DOCUMENT_TEXT_MAX_PAGES = 5
    document = make_document(
        django_capture_on_commit_callbacks, "viel.pdf", files.many_pages_pdf(8), "Viele Seiten"
    )
    assert document.extracted.status == Status.TOO_MANY_PAGES
    settings.DOCUMENT_TEXT_MAX_PAGES = 500
    url = reverse("documents_text_reextract", args=[document.pk])
    assert editor_client.get(url).status_code == 405
    response = editor_client.post(url, follow=True)
    assert response.redirect_chain[-1][0].startswith(
        reverse("wagtaildocs:edit", args=[document.pk])
    )
    assert "Text neu gelesen: gelesen." in response.content.decode()
    document.extracted.refresh_from_db()
    assert document.extracted.status == Status.OK
    assert editor_client.post(reverse("documents_text_reextract", args=[999999])).status_code == 404


def test_reextract_needs_change_permission(client, staff, django_capture_on_commit_callbacks):
    document = make_document(django_capture_on_commit_callbacks, "a.txt", b"Text.", "A")
    client.force_login(staff)
    response = client.post(reverse("documents_text_reextract", args=[document.pk]))
    assert response.status_code in {302, 403}
    document.extracted.refresh_from_db()
    assert document.extracted.status == Status.OK

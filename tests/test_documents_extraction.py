"""Text extraction of uploaded documents: real files (generated in tests/documents_files.py),
hostile ones included, each ending with the status editors see; limits from the settings."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents import get_document_model

from documents import extraction
from documents.models import DocumentText, document_text
from tests import documents_files as files

Document = get_document_model()
Status = DocumentText.Status


def upload(
    django_capture_on_commit_callbacks, name: str, data: bytes, title: str = ""
) -> DocumentText:
    """Save a document like an upload does; the on-commit task reads it (immediate backend)."""
    with django_capture_on_commit_callbacks(execute=True):
        document = Document.objects.create(title=title or name, file=ContentFile(data, name=name))
    return DocumentText.objects.get(document=document)


@pytest.fixture
def read(db, django_capture_on_commit_callbacks):
    return lambda name, data: upload(django_capture_on_commit_callbacks, name, data)


def test_pdf_text_with_a_german_compound_is_read(read):
    record = read("hochwasser.pdf", files.text_pdf())
    assert record.status == Status.OK
    assert "Hochwasserschutzkonzept" in record.text.split()
    assert "Maßnahmen für die Ruhr" in record.text  # umlauts and ß survive
    assert record.pages == 2
    assert record.language == "de"
    assert record.characters == len(record.text)
    assert record.file_type == "pdf"
    assert len(record.sha256) == 64
    assert record.extracted_at is not None
    assert document_text(record.document) == record.text


def test_docx_paragraphs_and_table_cells_are_read(read):
    data = files.docx_bytes(
        ["Die Starkregenvorsorge ist mit dem Tiefbauamt abgestimmt."],
        table=[["Maßnahme", "Kosten"], ["Sandsäcke", "1.200 €"]],
    )
    record = read("checkliste.docx", data)
    assert record.status == Status.OK
    assert "Checkliste Starkregen" in record.text
    assert "Starkregenvorsorge" in record.text
    assert "Sandsäcke | 1.200 €" in record.text
    assert record.file_type == "docx"
    assert record.pages is None


def test_odt_and_ods_are_read(read):
    odt = read("vorlage.odt", files.odt_bytes(["Der Ausschuss berät die Klimaanpassung."]))
    assert odt.status == Status.OK
    assert "Ratsvorlage Klimaanpassung" in odt.text
    assert "Der Ausschuss berät die Klimaanpassung." in odt.text
    ods = read("kosten.ods", files.ods_bytes([["Posten", "Betrag"], ["Hitzeschutzplan", 4200]]))
    assert ods.status == Status.OK
    assert "Hitzeschutzplan" in ods.text
    assert "4200" in ods.text
    assert ods.file_type == "ods"


def test_text_files_utf8_and_windows_encoding(read):
    utf8 = read("notiz.txt", "Grüße aus Sundern – die Übergabe ist am Montag.".encode())
    assert utf8.text == "Grüße aus Sundern – die Übergabe ist am Montag."
    cp1252 = read("liste.csv", "Straße;Zuständig\nMühlenweg;Bauhof".encode("cp1252"))
    assert cp1252.status == Status.OK
    assert "Mühlenweg;Bauhof" in cp1252.text
    markdown = read(
        "anleitung.txt", b"# Anleitung\n\nDie **Telefonkette** startet bei der Leitung."
    )
    assert "Telefonkette" in markdown.text


def test_encrypted_pdf_is_reported_not_read(read):
    record = read("geheim.pdf", files.encrypted_pdf())
    assert record.status == Status.ENCRYPTED
    assert record.get_status_display() == "verschlüsselt"
    assert "Kennwort" in record.message
    assert record.text == ""
    assert document_text(record.document) == ""


def test_pdf_protected_only_against_changes_is_read(read):
    record = read("schreibgeschuetzt.pdf", files.owner_only_encrypted_pdf())
    assert record.status == Status.OK
    assert "Hochwasserschutzkonzept" in record.text


def test_scanned_pdf_without_text(read):
    record = read("scan.pdf", files.blank_pdf(3))
    assert record.status == Status.EMPTY
    assert record.get_status_display() == "kein Text lesbar"
    assert "eingescannte" in record.message
    assert record.pages == 3


@pytest.mark.parametrize(
    "data", [files.truncated_pdf(), files.malformed_pdf()], ids=["truncated", "malformed"]
)
def test_broken_pdf_is_damaged(read, data):
    record = read("kaputt.pdf", data)
    assert record.status == Status.DAMAGED
    assert record.message.startswith("Die PDF-Datei ist beschädigt")


@pytest.mark.parametrize(
    ("name", "archive", "entry"),
    [
        ("bombe.docx", files.docx_bytes(["Inhalt"]), "word/media/image1.bin"),
        ("bombe.odt", files.odt_bytes(["Inhalt"]), "Pictures/bild.bin"),
    ],
)
def test_zip_bomb_is_refused_before_parsing(read, name, archive, entry):
    data = files.with_bomb(archive, entry, 64 * 1024 * 1024)
    assert len(data) < 1024 * 1024  # small upload, 64 MB unpacked
    record = read(name, data)
    assert record.status == Status.TOO_LARGE
    assert "ZIP-Bombe" in record.message
    assert record.text == ""


def test_unpacked_size_limit_follows_the_byte_limit(read, settings):
    settings.DOCUMENT_TEXT_MAX_BYTES = 20_000  # unpacked limit: 4 × 20 KB
    data = files.odt_bytes(["Ein Absatz über die Straßenreinigung."] * 3000)
    assert len(data) < 20_000
    record = read("lang.odt", data)
    assert record.status == Status.TOO_LARGE
    assert "entpackt" in record.message


def test_empty_file(read):
    record = read("leer.pdf", b"")
    assert record.status == Status.EMPTY
    assert record.message == "Die Datei ist leer (0 Byte)."


def test_wrong_extension_is_read_by_content(read):
    pdf_as_docx = read("bericht.docx", files.text_pdf())
    assert pdf_as_docx.status == Status.OK
    assert "Hochwasserschutzkonzept" in pdf_as_docx.text
    assert "endet auf .docx" in pdf_as_docx.message
    assert pdf_as_docx.file_type == "pdf"
    text_as_pdf = read("notiz.pdf", b"Das ist gar keine PDF-Datei.")
    assert text_as_pdf.status == Status.DAMAGED
    assert "endet auf .pdf" in text_as_pdf.message


def test_unsupported_types(read):
    # A DOCX plus a workbook part is still a DOCX; a plain ZIP or RTF is not supported.
    xlsx_like = files.with_bomb(files.docx_bytes(["x"]), "xl/workbook.xml", 0)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("liste.txt", "Inhalt")
    record = read("archiv.zip", buffer.getvalue())
    assert record.status == Status.UNSUPPORTED
    assert record.get_status_display() == "Dateityp nicht unterstützt"
    assert "ZIP-Archiv" in record.message
    assert read("tabelle.docx", xlsx_like).status == Status.OK
    rtf = read("brief.rtf", b"{\\rtf1\\ansi Hallo}")
    assert rtf.status == Status.UNSUPPORTED


def test_more_pages_than_the_limit_keeps_the_first_pages(read, settings):
    settings.DOCUMENT_TEXT_MAX_PAGES = 500
    record = read("sammlung.pdf", files.many_pages_pdf(520))
    assert record.status == Status.TOO_MANY_PAGES
    assert record.pages == 520
    assert "nur die ersten 500" in record.message
    assert "Seite 500 der Sammlung" in record.text
    assert "Seite 501 " not in record.text
    # Text of the pages read is searchable.
    assert "Straßenreinigung" in document_text(record.document)


def test_character_limit_cuts_and_says_so(read, settings):
    settings.DOCUMENT_TEXT_MAX_CHARS = 1000
    record = read("sammlung.pdf", files.many_pages_pdf(100))
    assert record.status == Status.OK
    assert record.truncated is True
    assert record.characters <= 1000
    assert record.characters > 900
    assert "Nur die ersten 1.000 Zeichen" in record.message


def test_file_over_the_size_limit_is_not_read(read, settings):
    settings.DOCUMENT_TEXT_MAX_BYTES = 500
    record = read("gross.pdf", files.text_pdf())
    assert record.status == Status.TOO_LARGE
    assert "gelesen werden Dateien bis 500 Byte" in record.message


def test_timeout_stops_the_child(read, settings):
    settings.DOCUMENT_TEXT_TIMEOUT = 0.01  # shorter than starting Python at all
    record = read("hochwasser.pdf", files.text_pdf())
    assert record.status == Status.TIMEOUT
    assert record.get_status_display() == "Zeitlimit überschritten"
    assert "länger als 0,01 Sekunden" in record.message


def test_memory_limit_stops_the_child_not_the_server(read, settings):
    # 70 KB on disk, 70 MB once inflated (under pypdf's own 75 MB cap): the child's
    # RLIMIT_AS stops it; this process and its memory are untouched.
    settings.DOCUMENT_TEXT_MAX_MEMORY_MB = 100
    record = read("aufgeblasen.pdf", files.inflating_pdf(70))
    assert record.status == Status.TOO_LARGE
    assert "mehr als 100 MB Arbeitsspeicher" in record.message
    assert record.text == ""


def test_slow_hostile_pdf_is_stopped_by_the_timeout(read, settings):
    settings.DOCUMENT_TEXT_TIMEOUT = 1  # parsing 70 MB of content stream takes seconds
    record = read("langsam.pdf", files.inflating_pdf(70))
    assert record.status == Status.TIMEOUT
    assert "länger als 1 Sekunde und wurde abgebrochen" in record.message


def test_replacing_the_file_reads_again_title_change_does_not(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    record = upload(django_capture_on_commit_callbacks, "plan.pdf", files.text_pdf())
    document = record.document
    calls = []
    original = extraction.extract_isolated
    monkeypatch.setattr(
        extraction, "extract_isolated", lambda *a, **k: calls.append(a[1]) or original(*a, **k)
    )
    with django_capture_on_commit_callbacks(execute=True):
        document.title = "Neuer Titel"
        document.save()
    assert calls == []
    with django_capture_on_commit_callbacks(execute=True):
        document.file = ContentFile(
            files.docx_bytes(["Neue Fassung der Checkliste"]), name="plan.docx"
        )
        document.save()
    assert calls == ["plan.docx"]
    record.refresh_from_db()
    assert record.status == Status.OK
    assert "Neue Fassung der Checkliste" in record.text
    assert "Hochwasserschutzkonzept" not in record.text
    assert record.file_name == document.file.name


def test_same_bytes_under_a_new_name_are_not_read_again(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    record = upload(django_capture_on_commit_callbacks, "plan.pdf", files.text_pdf())
    with django_capture_on_commit_callbacks(execute=True):
        record.document.file = ContentFile(files.text_pdf(), name="plan-kopie.pdf")
        record.document.save()
    record.refresh_from_db()
    # A new name marks it waiting, and a waiting record is read; afterwards the same bytes
    # (same sha256) are not read again.
    assert record.status == Status.OK
    assert record.file_name == record.document.file.name
    monkeypatch.setattr(
        extraction, "extract_isolated", lambda *a, **k: pytest.fail("unchanged file read again")
    )
    from documents.text import update_document_text

    again = update_document_text(record.document)
    assert again.extracted_at == record.extracted_at


def test_missing_file_is_a_status(db, django_capture_on_commit_callbacks):
    record = upload(django_capture_on_commit_callbacks, "weg.pdf", files.text_pdf())
    document = record.document
    document.file.storage.delete(document.file.name)
    from documents.text import update_document_text

    record = update_document_text(document, force=True)
    assert record.status == Status.MISSING
    assert "nicht gefunden" in record.message


def test_command_missing_fills_gaps_and_is_idempotent(
    db, django_capture_on_commit_callbacks, capsys
):
    # Documents from a restore or an import have no text yet (raw saves schedule nothing).
    document = Document.objects.create(
        title="Alt", file=ContentFile(files.text_pdf(), name="alt.pdf")
    )
    assert not DocumentText.objects.filter(document=document).exists()
    call_command("kb_extract_documents", "--missing")
    assert "1 Dokumente gelesen (gelesen: 1)" in capsys.readouterr().out
    record = DocumentText.objects.get(document=document)
    assert "Hochwasserschutzkonzept" in record.text
    call_command("kb_extract_documents", "--missing")
    assert "0 Dokumente gelesen." in capsys.readouterr().out
    call_command("kb_extract_documents")
    assert "1 Dokumente gelesen (gelesen: 1)" in capsys.readouterr().out
    assert DocumentText.objects.count() == 1


def test_language_guess():
    assert (
        extraction.guess_language("Die Stadt und der Kreis haben das Konzept für die Ruhr") == "de"
    )
    assert (
        extraction.guess_language("The city and the county have agreed on this plan for the river")
        == "en"
    )
    assert extraction.guess_language("Hochwasserschutzkonzept") == ""


def test_clean_text_joins_hyphenated_words_and_drops_nul():
    assert extraction.clean_text("Hochwasser-\nschutzkonzept") == "Hochwasserschutzkonzept"
    assert extraction.clean_text("Arnsberg-\nSundern") == "Arnsberg-\nSundern"
    # Decomposed umlauts (as some PDFs give them) become the composed letter.
    assert extraction.clean_text("a\x00b  Bu\u0308rger") == "a b Bürger"
    assert "\x00" not in extraction.clean_text("\x00" * 5 + "Text")

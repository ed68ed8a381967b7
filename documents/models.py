"""The text of uploaded documents (PDF, office files, plain text), for the search."""

from __future__ import annotations

from django.db import models
from wagtail.documents import get_document_model_string

from . import extraction


class DocumentText(models.Model):
    """What was read from one Wagtail document: its text (cut at DOCUMENT_TEXT_MAX_CHARS), or
    why there is none. One row per document, replaced when the file changes (by sha256)."""

    class Status(models.TextChoices):
        PENDING = extraction.PENDING, "wartet"
        OK = extraction.OK, "gelesen"
        EMPTY = extraction.EMPTY, "kein Text lesbar"
        TOO_LARGE = extraction.TOO_LARGE, "zu groß"
        TOO_MANY_PAGES = extraction.TOO_MANY_PAGES, "zu viele Seiten"
        ENCRYPTED = extraction.ENCRYPTED, "verschlüsselt"
        UNSUPPORTED = extraction.UNSUPPORTED, "Dateityp nicht unterstützt"
        DAMAGED = extraction.DAMAGED, "beschädigt"
        TIMEOUT = extraction.TIMEOUT, "Zeitlimit überschritten"
        MISSING = extraction.MISSING, "Datei fehlt"

    class Language(models.TextChoices):
        UNKNOWN = "", "unbekannt"
        GERMAN = "de", "Deutsch"
        ENGLISH = "en", "Englisch"

    # Statuses whose text (possibly only a part of the file's) is worth indexing.
    SEARCHABLE = (Status.OK, Status.TOO_MANY_PAGES)

    document = models.OneToOneField(
        get_document_model_string(),
        on_delete=models.CASCADE,
        related_name="extracted",
        verbose_name="Dokument",
    )
    status = models.CharField(
        "Textstatus", max_length=20, choices=Status.choices, default=Status.PENDING
    )
    text = models.TextField("Text", blank=True)
    characters = models.PositiveIntegerField("Zeichen", default=0)
    pages = models.PositiveIntegerField("Seiten", null=True, blank=True)
    language = models.CharField(
        "Sprache", max_length=2, choices=Language.choices, blank=True, default=""
    )
    truncated = models.BooleanField(
        "gekürzt", default=False, help_text="Die Zeichengrenze wurde erreicht."
    )
    file_type = models.CharField(
        "Dateityp (Inhalt)", max_length=10, blank=True, help_text="pdf, docx, odt, ods, text …"
    )
    sha256 = models.CharField("SHA-256 der Datei", max_length=64, blank=True)
    # The stored file's name at extraction: a replaced file gets a new name, so a changed name
    # (cheap to compare on save) means "read again"; the hash decides whether it really changed.
    file_name = models.CharField("Dateiname", max_length=255, blank=True)
    extracted_at = models.DateTimeField("gelesen am", null=True, blank=True)
    message = models.TextField("Hinweis", blank=True)

    class Meta:
        verbose_name = "Text eines Dokuments"
        verbose_name_plural = "Texte der Dokumente"

    def __str__(self) -> str:
        return f"{self.document_id}: {self.get_status_display()}"

    @property
    def is_searchable(self) -> bool:
        return self.status in self.SEARCHABLE and bool(self.text)

    @property
    def file_type_label(self) -> str:
        return extraction.KIND_LABELS.get(self.file_type, self.file_type)

    @property
    def limit_hit(self) -> bool:
        """A limit cut the text or stopped the reading (shown highlighted to editors)."""
        return self.truncated or self.status in {
            self.Status.TOO_LARGE,
            self.Status.TOO_MANY_PAGES,
            self.Status.TIMEOUT,
        }


def document_text(document) -> str:
    """The searchable text of a Wagtail document, '' when none was read (yet).

    Use select_related("extracted") on document querysets to avoid one query per document."""
    try:
        record = document.extracted
    except DocumentText.DoesNotExist:
        return ""
    return record.text if record.status in DocumentText.SEARCHABLE else ""

"""Reading a Wagtail document's text into DocumentText (the Django side of documents.extraction).

The file is hashed (sha256, streamed) and only read again when the hash changed, or on request
(`force`, the management command). The reading itself happens in a child process with limits.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from . import extraction
from .models import DocumentText

logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024


def current_limits() -> extraction.Limits:
    return extraction.Limits(
        max_bytes=int(settings.DOCUMENT_TEXT_MAX_BYTES),
        max_pages=int(settings.DOCUMENT_TEXT_MAX_PAGES),
        max_chars=int(settings.DOCUMENT_TEXT_MAX_CHARS),
        timeout=float(settings.DOCUMENT_TEXT_TIMEOUT),
        max_memory_mb=int(settings.DOCUMENT_TEXT_MAX_MEMORY_MB),
    )


def file_sha256(document) -> str:
    digest = hashlib.sha256()
    with document.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextlib.contextmanager
def local_copy(document, max_bytes: int) -> Iterator[Path]:
    """A path the child process can open: the file itself on local storage, else (S3) a
    temporary copy of at most max_bytes + 1 bytes."""
    try:
        path = Path(document.file.path)
    except NotImplementedError:
        path = None
    if path is not None and path.is_file():
        yield path
        return
    suffix = Path(document.file.name).suffix
    with tempfile.NamedTemporaryFile(prefix="wissensnetz-doc-", suffix=suffix) as copy:
        with document.file.open("rb") as source:
            shutil.copyfileobj(_bounded(source, max_bytes + 1), copy, CHUNK)
        copy.flush()
        yield Path(copy.name)


class _bounded:
    def __init__(self, handle, limit: int) -> None:
        self.handle, self.left = handle, limit

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        size = self.left if size < 0 else min(size, self.left)
        data = self.handle.read(size)
        self.left -= len(data)
        return data


def mark_pending(document) -> DocumentText:
    """A new or replaced file: its old text no longer applies, the new one is awaited."""
    record, _created = DocumentText.objects.update_or_create(
        document=document,
        defaults={
            "status": DocumentText.Status.PENDING,
            "text": "",
            "characters": 0,
            "pages": None,
            "language": "",
            "truncated": False,
            "message": "Der Text wird gelesen.",
            "file_name": document.file.name,
        },
    )
    return record


def update_document_text(document, *, force: bool = False) -> DocumentText:
    """Read the document's text if its file changed (or `force`), store and return it."""
    record = DocumentText.objects.filter(document=document).first() or DocumentText(
        document=document
    )
    try:
        size = document.file.size
        sha256 = file_sha256(document)
    except (OSError, ValueError) as exc:
        logger.warning("Document %s: file not readable: %s", document.pk, exc)
        return _store(
            record,
            document,
            "",
            extraction.Result(
                extraction.MISSING,
                message="Die Datei wurde im Speicher nicht gefunden; bitte erneut hochladen.",
            ),
        )
    if (
        not force
        and record.pk
        and record.sha256 == sha256
        and record.status != record.Status.PENDING
    ):
        if record.file_name != document.file.name:
            record.file_name = document.file.name
            record.save(update_fields=["file_name"])
        return record
    limits = current_limits()
    if size > limits.max_bytes:
        result = extraction.too_large(size, limits)
    else:
        try:
            with local_copy(document, limits.max_bytes) as path:
                result = extraction.extract_isolated(path, document.filename, limits)
        except OSError as exc:
            logger.warning("Document %s: extraction failed: %s", document.pk, exc)
            result = extraction.Result(
                extraction.DAMAGED, message="Die Datei konnte nicht gelesen werden."
            )
    return _store(record, document, sha256, result)


def _store(record: DocumentText, document, sha256: str, result: extraction.Result) -> DocumentText:
    record.document = document
    record.status = result.status
    record.text = result.text
    record.characters = len(result.text)
    record.pages = result.pages
    record.language = result.language
    record.truncated = result.truncated
    record.file_type = result.kind[:10]
    record.message = result.message
    record.sha256 = sha256
    record.file_name = document.file.name
    record.extracted_at = timezone.now()
    record.save()
    return record

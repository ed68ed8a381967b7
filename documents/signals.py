"""Upload and replacement of a document's file schedule the reading of its text."""

from __future__ import annotations

import logging

from django.db import transaction

from .models import DocumentText

logger = logging.getLogger(__name__)


def document_saved(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    # raw: loaddata/kb_restore bring their DocumentText rows along (or kb_extract_documents
    # --missing fills the gaps); no extraction while fixtures load.
    if raw or not instance.file:
        return
    if (
        not created
        and DocumentText.objects.filter(
            document_id=instance.pk, file_name=instance.file.name
        ).exists()
    ):
        return  # title, tags or collection changed, not the file
    document_id = instance.pk
    # After the commit: the worker must see the document, and nothing here may fail the upload.
    transaction.on_commit(lambda: schedule_extraction(document_id), robust=True)


def schedule_extraction(document_id: int) -> None:
    from wagtail.documents import get_document_model

    from .tasks import extract_document_text_task
    from .text import mark_pending

    try:
        document = get_document_model().objects.filter(pk=document_id).first()
        if document is None:
            return
        mark_pending(document)
        extract_document_text_task.enqueue(document_id)
    except Exception:  # the upload succeeded; a failed scheduling is logged, never a 500
        logger.exception("Document %s: scheduling the text extraction failed", document_id)

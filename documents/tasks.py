"""Reading a document's text as a background task (immediate in development, the worker of
TASK_BACKEND=database in production), like search/tasks.py."""

from __future__ import annotations

from django_tasks import task


@task()
def extract_document_text_task(document_id: int, force: bool = False) -> str | None:
    from wagtail.documents import get_document_model

    from .text import update_document_text

    document = get_document_model().objects.filter(pk=document_id).first()
    if document is None:  # deleted before the worker got to it
        return None
    return update_document_text(document, force=force).status

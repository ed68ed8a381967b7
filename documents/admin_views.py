"""The documents admin with each document's text status (Wagtail's own views, extended)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column
from wagtail.documents import get_document_model
from wagtail.documents.views import documents as wagtail_views
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry

from .models import DocumentText
from .tasks import extract_document_text_task
from .text import mark_pending

# At most this many pages/objects are listed as "Verwendet auf" on the edit page.
USAGE_LIMIT = 20


def text_record(document) -> DocumentText | None:
    try:
        return document.extracted
    except DocumentText.DoesNotExist:
        return None


class TextStatusColumn(Column):
    """Status, characters and language of the document's text in one cell."""

    cell_template_name = "documents/text_status_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["record"] = text_record(instance)
        return context


class DocumentIndexView(wagtail_views.IndexView):
    """Wagtail's document listing plus the column "Text" (wagtail_hooks puts it in place)."""

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("extracted")

    @cached_property
    def columns(self):
        columns = list(super().columns)
        # After "Datei", before "Erstellt".
        columns.insert(3, TextStatusColumn("extracted", label="Text (Suche)", accessor="pk"))
        return columns


def usage_on_pages(document, user) -> tuple[list[dict], int]:
    """Where the document is used (Wagtail's reference index), pages first; with an edit link
    where the user may edit. Bounded to USAGE_LIMIT objects."""
    groups = ReferenceIndex.get_grouped_references_to(document)
    total = len(groups)
    rows = []
    for index, (source, references) in enumerate(groups):
        if index >= USAGE_LIMIT:
            break
        row = {"title": str(source), "url": "", "live": None, "fields": references}
        if isinstance(source, Page):
            row["live"] = source.live
            if source.permissions_for_user(user).can_edit():
                row["url"] = reverse("wagtailadmin_pages:edit", args=[source.pk])
        rows.append(row)
    rows.sort(key=lambda row: row["live"] is None)
    return rows, total


@require_POST
def reextract(request: HttpRequest, document_id: int) -> HttpResponse:
    """ "Text neu lesen": the same task as after an upload, forced (e.g. after a limit change)."""
    document = get_object_or_404(get_document_model(), pk=document_id)
    policy = policy_registry.get_by_type(get_document_model())
    if not policy.user_has_permission_for_instance(request.user, "change", document):
        raise PermissionDenied
    mark_pending(document)
    extract_document_text_task.enqueue(document.pk, force=True)
    record = text_record(
        get_document_model().objects.select_related("extracted").get(pk=document.pk)
    )
    if record and record.status != DocumentText.Status.PENDING:
        messages.success(request, f"Text neu gelesen: {record.get_status_display()}.")
    else:
        messages.success(request, "Der Text wird neu gelesen.")
    return redirect("wagtaildocs:edit", document.pk)

"""Read the text of Wagtail documents again: all (e.g. after changing a DOCUMENT_TEXT_* limit)
or, with --missing, only those without a result (after a restore or an import)."""

from __future__ import annotations

from collections import Counter

from django.core.management.base import BaseCommand
from wagtail.documents import get_document_model

from documents.models import DocumentText
from documents.text import update_document_text


class Command(BaseCommand):
    help = "Liest den Text der Dokumente (für die Suche) neu ein."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--missing",
            action="store_true",
            help="Nur Dokumente ohne gelesenen Text (neu, wartend oder nie gelesen).",
        )

    def handle(self, *args, missing: bool = False, **options) -> None:
        documents = get_document_model().objects.order_by("pk")
        if missing:
            done = DocumentText.objects.exclude(status=DocumentText.Status.PENDING).values(
                "document_id"
            )
            documents = documents.exclude(pk__in=done)
        counts: Counter[str] = Counter()
        labels = dict(DocumentText.Status.choices)
        for document in documents.iterator(chunk_size=100):
            # All: read again even when the file is unchanged (limits may have changed).
            record = update_document_text(document, force=not missing)
            counts[record.status] += 1
        total = sum(counts.values())
        summary = ", ".join(
            f"{labels[status]}: {count}" for status, count in sorted(counts.items())
        )
        self.stdout.write(f"{total} Dokumente gelesen" + (f" ({summary})" if summary else "") + ".")

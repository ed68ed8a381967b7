from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Dokumente"

    def ready(self) -> None:
        from django.db.models.signals import post_save
        from wagtail.documents import get_document_model

        from . import signals

        post_save.connect(
            signals.document_saved,
            sender=get_document_model(),
            dispatch_uid="documents.extract_text_on_save",
        )

from django.apps import AppConfig


class KbConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "kb"
    verbose_name = "Wissensbeiträge"

    def ready(self) -> None:
        from django.db.models.signals import pre_save
        from taggit.models import Tag

        from .tags import ensure_slug

        pre_save.connect(ensure_slug, sender=Tag, dispatch_uid="kb.tags.ensure_slug")

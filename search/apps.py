from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "Suche"

    def ready(self) -> None:
        from kb.bulk import register_bulk_hook

        from .indexing import deferred
        from .signal_handlers import register

        register()
        # A bulk import indexes its articles once, at its end.
        register_bulk_hook(deferred)

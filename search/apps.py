from django.apps import AppConfig


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "search"
    verbose_name = "Suche"

    def ready(self) -> None:
        from .signal_handlers import register

        register()

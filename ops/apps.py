from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations that need both content and search: backup/restore and the health check."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "ops"
    verbose_name = "Betrieb"

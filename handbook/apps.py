from django.apps import AppConfig


class HandbookConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "handbook"
    verbose_name = "Notfallhandbuch"

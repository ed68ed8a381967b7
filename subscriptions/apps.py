from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "subscriptions"
    verbose_name = "Abonnements"

    def ready(self) -> None:
        from . import signals

        signals.connect()

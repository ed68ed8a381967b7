from django.apps import AppConfig


class HomeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "home"
    verbose_name = "Startseite"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .sites import sync_default_site_after_migrate

        # The default Site follows WAGTAILADMIN_BASE_URL after every migrate (home/sites.py).
        post_migrate.connect(
            sync_default_site_after_migrate, sender=self, dispatch_uid="home.sites.sync"
        )

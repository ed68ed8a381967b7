from django.apps import AppConfig


class CooperationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cooperation"
    verbose_name = "Zusammenarbeit"

    def ready(self) -> None:
        from kb.signals import demo_loaded

        from . import demo, people_demo

        # Seed facts and demo groups first, then the demo expertise that refers to them.
        demo_loaded.connect(demo.on_demo_loaded, dispatch_uid="cooperation-demo")
        demo_loaded.connect(people_demo.on_demo_loaded, dispatch_uid="cooperation-people-demo")

"""The Redaktion groups and the Chefredaktion keep results, agreed actions and expertise
entries in the admin (Zusammenarbeit → Ergebnisse / Maßnahmen, Wissensnetz → Fachwissen); staff
record and update them on the site as working-group members (cooperation.permissions)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [("cooperation", "result"), ("cooperation", "action"), ("kb", "expertise")]
ACTIONS = ["add", "change", "delete"]


def _groups(apps):
    Group = apps.get_model("auth", "Group")
    return [
        group
        for group in Group.objects.all()
        if group.name == "Chefredaktion" or group.name.startswith("Redaktion ")
    ]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    found = []
    for app_label, model in MODELS:
        found += list(
            Permission.objects.filter(
                content_type__app_label=app_label,
                content_type__model=model,
                codename__in=[f"{action}_{model}" for action in ACTIONS],
            )
        )
    return found


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    permissions = _permissions(apps)
    for group in _groups(apps):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    permissions = _permissions(apps)
    for group in _groups(apps):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0002_calendar_token"),
        ("kb", "0009_people_expertise"),
        ("kb", "0003_editorial_groups_and_workflow"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

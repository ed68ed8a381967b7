"""The Chefredaktion edits the Notfallhandbuch setting (and so may build the handbook)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Chefredaktion"]
CODENAMES = ["change_handbooksettings"]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="handbook",
        content_type__model="handbooksettings",
        codename__in=CODENAMES,
    )


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("handbook", "0001_handbook_settings"),
        ("kb", "0003_editorial_groups_and_workflow"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

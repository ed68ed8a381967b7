"""Editors maintain the synonym groups: give the editorial groups the snippet permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Redaktion Arnsberg", "Redaktion Sundern", "Chefredaktion"]
CODENAMES = ["add_synonymgroup", "change_synonymgroup", "delete_synonymgroup"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="search", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_seed_synonyms"),
        ("kb", "0003_editorial_groups_and_workflow"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]

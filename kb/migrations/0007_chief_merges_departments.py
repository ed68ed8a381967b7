"""The Chefredaktion merges departments (admin → Wissensnetz → Fachbereiche → "Zusammenführen …").

Merging moves the articles and contact persons of the merged departments to the one that is kept
and deletes the others (`kb.departments`), so it needs the permission to delete departments,
which only the Chefredaktion gets; the Redaktion groups keep adding and changing them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Chefredaktion"]
CODENAMES = ["delete_department"]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="kb", content_type__model="department", codename__in=CODENAMES
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
    dependencies = [("kb", "0006_tag_slugs_and_permissions")]

    operations = [migrations.RunPython(grant, revoke)]

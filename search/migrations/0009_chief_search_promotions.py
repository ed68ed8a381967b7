"""The Chefredaktion manages Wagtail's promoted search results ("Hervorgehobene Suchergebnisse").

wagtail.contrib.search_promotions checks the model permissions of `SearchPromotion` (its menu
item under Einstellungen and every view: index, add, edit, delete); without them only
superusers could pin results, although the README promises it to the Chefredaktion.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Chefredaktion"]
CODENAMES = [
    "add_searchpromotion",
    "change_searchpromotion",
    "delete_searchpromotion",
    "view_searchpromotion",
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailsearchpromotions",
        content_type__model="searchpromotion",
        codename__in=CODENAMES,
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailsearchpromotions",
        content_type__model="searchpromotion",
        codename__in=CODENAMES,
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0008_law_abbreviations_and_word_variants"),
        ("kb", "0003_editorial_groups_and_workflow"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

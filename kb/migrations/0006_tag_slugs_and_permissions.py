"""Tags: every tag gets a usable slug, and the Chefredaktion manages tags in the admin.

- Tags whose name has no slug characters ("!!!", "§", "🔥") got an empty slug from taggit, so no
  tag page address could be built; they get "schlagwort", "schlagwort-2", … (or the slug of
  their name where it has one). New tags get one from `kb.tags.ensure_slug`.
- Chefredaktion: add, change (rename, merge) and delete tags (admin → Wissensnetz → Schlagwörter).

After this migration `manage.py rebuild_search_index` refreshes the tag slugs in the search index.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils.text import slugify

GROUPS = ["Chefredaktion"]
CODENAMES = ["add_tag", "change_tag", "delete_tag"]
FALLBACK_SLUG = "schlagwort"  # as kb.tags.FALLBACK_SLUG (migrations do not import app code)


def repair_slugs(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    taken = set(Tag.objects.exclude(slug="").values_list("slug", flat=True))
    for tag in Tag.objects.filter(slug="").order_by("pk"):
        base = (slugify(tag.name, allow_unicode=True) or FALLBACK_SLUG)[:90]
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        Tag.objects.filter(pk=tag.pk).update(slug=slug)


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="taggit", content_type__model="tag", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0005_article_newest_and_tag_article_indexes"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RunPython(repair_slugs, migrations.RunPython.noop),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]

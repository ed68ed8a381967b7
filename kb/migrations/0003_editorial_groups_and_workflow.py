"""Editorial groups, their permissions and the review workflow "Fachliche Freigabe".

- Mitarbeitende: read only (no admin access).
- Redaktion <Stadt>: create and edit articles anywhere in the tree (co-editing across cities is
  wanted), submit for review, manage images, documents and contact snippets. No publish right.
- Chefredaktion: everything the editors may, plus approve and publish.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page"]
CHIEF_PAGE_PERMISSIONS = [*EDITOR_PAGE_PERMISSIONS, "publish_page", "unlock_page"]
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add_image", "change_image", "choose_image"]),
    ("wagtaildocs", "document", ["add_document", "change_document", "choose_document"]),
]
SNIPPET_PERMISSIONS = [
    ("kb", "contactperson", ["add_contactperson", "change_contactperson"]),
    ("kb", "department", ["add_department", "change_department"]),
]
CHIEF_EXTRA_SNIPPET_PERMISSIONS = [("kb", "city", ["add_city", "change_city"])]


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename}
    )
    return permission


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations ran; create them now, with their
    # proper names, so that the groups below can refer to them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Collection = apps.get_model("wagtailcore.Collection")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore.GroupCollectionPermission")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore.GroupApprovalTask")
    ContentType = apps.get_model("contenttypes.ContentType")

    home = Page.objects.get(depth=2, slug="home")
    root_collection = Collection.objects.get(depth=1)
    access_admin = _permission(apps, "wagtailadmin", "admin", "access_admin")

    Group.objects.get_or_create(name="Mitarbeitende")

    def editorial_group(name, page_permissions, snippet_permissions):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(access_admin)
        for codename in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=home,
                permission=_permission(apps, "wagtailcore", "page", codename),
            )
        for app_label, model, codenames in COLLECTION_PERMISSIONS:
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(apps, app_label, model, codename),
                )
        for app_label, model, codenames in snippet_permissions:
            for codename in codenames:
                group.permissions.add(_permission(apps, app_label, model, codename))
        return group

    for city_name in ("Arnsberg", "Sundern"):
        editorial_group(f"Redaktion {city_name}", EDITOR_PAGE_PERMISSIONS, SNIPPET_PERMISSIONS)
    chief = editorial_group(
        "Chefredaktion",
        CHIEF_PAGE_PERMISSIONS,
        [*SNIPPET_PERMISSIONS, *CHIEF_EXTRA_SNIPPET_PERMISSIONS],
    )

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task, _ = GroupApprovalTask.objects.get_or_create(
        name="Freigabe durch die Chefredaktion",
        defaults={"content_type": task_type, "active": True},
    )
    task.groups.set([chief])
    workflow, created = Workflow.objects.get_or_create(
        name="Fachliche Freigabe", defaults={"active": True}
    )
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=home, defaults={"workflow": workflow})

    # Wagtail's generic starter groups and workflow would sit beside ours and confuse editors.
    Group.objects.filter(name__in=["Moderators", "Editors"]).delete()
    for default in Workflow.objects.filter(name="Moderators approval"):
        WorkflowPage.objects.filter(workflow=default).delete()
        default.delete()
    GroupApprovalTask.objects.filter(name="Moderators approval").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0002_seed_cities"),
        ("home", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]

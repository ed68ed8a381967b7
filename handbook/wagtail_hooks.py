"""Admin: "Notfallhandbuch erstellen" for the Chefredaktion (who may edit the handbook setting)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_handbook_admin_urls():
    return [path("notfallhandbuch/", views.admin_build, name="handbook_admin_build")]


class HandbookMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.BUILD_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_handbook_menu_item():
    return HandbookMenuItem(
        "Notfallhandbuch erstellen",
        reverse("handbook_admin_build"),
        icon_name="download",
        order=9000,
    )

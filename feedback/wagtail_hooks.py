"""Admin integration of readers' feedback: the "Rückmeldungen" menu and views, the report
"Hilfreiche Beiträge" under Berichte, and the dashboard panel "Offene Meldungen"."""

from __future__ import annotations

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views, dashboard, reports
from .access import may_see_reports


@hooks.register("register_admin_urls")
def register_feedback_urls():
    return [*admin_views.urlpatterns(), *reports.urlpatterns()]


class FeedbackMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_reports(request.user)


@hooks.register("register_admin_menu_item")
def register_feedback_menu_item():
    return FeedbackMenuItem(
        "Rückmeldungen",
        reverse("feedback_admin:index"),
        name="rueckmeldungen",
        icon_name="warning",
        order=350,
    )


@hooks.register("register_reports_menu_item")
def register_helpfulness_report_menu_item():
    return reports.helpfulness_menu_item()


hooks.register("construct_homepage_panels", dashboard.construct_homepage_panels)

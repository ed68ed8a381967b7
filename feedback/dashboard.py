"""Dashboard panel "Offene Meldungen": the newest open reports the user may close."""

from __future__ import annotations

from wagtail.admin.ui.components import Component

from .access import may_see_reports, reports_for_user
from .models import Report
from .notifications import display_name

SHOWN = 5


class OpenReportsPanel(Component):
    name = "feedback_open_reports"
    order = 180
    template_name = "feedback/admin/dashboard_panel.html"

    def __init__(self, reports: list[Report], total: int):
        self.reports, self.total = reports, total

    def get_context_data(self, parent_context):
        return {"reports": self.reports, "total": self.total}


def construct_homepage_panels(request, panels: list) -> None:
    user = request.user
    if not may_see_reports(user):
        return
    open_reports = reports_for_user(user).filter(status=Report.Status.OPEN)
    reports = list(
        open_reports.select_related("article", "reporter").order_by("-created_at")[:SHOWN]
    )
    if not reports:
        return
    for report in reports:
        report.reporter_name = display_name(report.reporter)
    panels.append(OpenReportsPanel(reports, open_reports.count()))

"""Admin views "Rückmeldungen": the open (or closed) reports a user may see, and closing one
with a reply that is mailed to the reporter. Who sees what: feedback.access.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import include, path

from .access import may_see_reports, reports_for_user
from .closing import close_report
from .forms import CloseReportForm
from .models import Report
from .notifications import display_name

PER_PAGE = 50
MAX_PK = 2**63 - 1
STATUS_FILTERS = {
    "open": ("Offen", Report.Status.OPEN),
    "closed": ("Erledigt", Report.Status.CLOSED),
    "all": ("Alle", None),
}


def _reports(request: HttpRequest):
    if not may_see_reports(request.user):
        raise PermissionDenied
    return reports_for_user(request.user).select_related("article", "reporter", "closed_by")


def index(request: HttpRequest) -> HttpResponse:
    reports = _reports(request)
    status = request.GET.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    wanted = STATUS_FILTERS[status][1]
    if wanted:
        reports = reports.filter(status=wanted)
    page = Paginator(reports.order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("p")
    )
    for report in page.object_list:
        report.reporter_name = display_name(report.reporter)
    return TemplateResponse(
        request,
        "feedback/admin/index.html",
        {
            "reports": page,
            "status": status,
            "filters": [(key, label) for key, (label, _) in STATUS_FILTERS.items()],
        },
    )


def close(request: HttpRequest, pk: int) -> HttpResponse:
    report = _reports(request).filter(pk=pk).first() if pk <= MAX_PK else None
    if report is None:
        raise Http404
    form = CloseReportForm(request.POST or None)
    if request.method == "POST" and report.is_open and form.is_valid():
        result = close_report(report, request.user, form.cleaned_data["reply"])
        if not result.closed:
            messages.warning(request, result.message)
            return redirect("feedback_admin:close", report.pk)
        (messages.success if result.mailed else messages.warning)(request, result.message)
        return redirect("feedback_admin:index")
    return TemplateResponse(
        request,
        "feedback/admin/close.html",
        {
            "report": report,
            "form": form,
            "reporter_name": display_name(report.reporter),
            "closer_name": display_name(report.closed_by) if report.closed_by_id else "",
        },
    )


def urlpatterns() -> list:
    urls = [
        path("", index, name="index"),
        path("<int:pk>/", close, name="close"),
    ]
    return [path("rueckmeldungen/", include((urls, "feedback_admin")))]

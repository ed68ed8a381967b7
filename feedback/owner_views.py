"""The reading side's "Meldungen zu meinen Beiträgen": owners and deputies see the reports of
their articles and close them with a reply, without needing the admin (a member of
Mitarbeitende may own an article). Editors and the Chefredaktion see here what they see in
the admin's "Rückmeldungen". The links in the feedback mails lead here, so they work for
every recipient.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from .access import closable_reports
from .closing import close_report
from .forms import CloseReportForm
from .models import Report
from .notifications import display_name

PER_PAGE = 20
MAX_PK = 2**63 - 1


def _reports(request: HttpRequest):
    return closable_reports(request.user).select_related("article", "reporter", "closed_by")


@require_http_methods(["GET", "HEAD"])
def report_list(request: HttpRequest) -> HttpResponse:
    show_closed = request.GET.get("status") == "erledigt"
    reports = _reports(request).filter(
        status=Report.Status.CLOSED if show_closed else Report.Status.OPEN
    )
    page = Paginator(reports.order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    for report in page.object_list:
        report.reporter_name = display_name(report.reporter)
    return TemplateResponse(
        request, "feedback/owner_reports.html", {"reports": page, "show_closed": show_closed}
    )


@require_http_methods(["GET", "HEAD", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _reports(request).filter(pk=pk).first() if pk <= MAX_PK else None
    if report is None:
        raise Http404
    form = CloseReportForm(request.POST or None)
    if request.method == "POST":
        if not report.is_open:
            messages.warning(request, "Diese Meldung wurde inzwischen schon erledigt.")
            return redirect("feedback:report_detail", report.pk)
        if form.is_valid():
            result = close_report(report, request.user, form.cleaned_data["reply"])
            if not result.closed:
                messages.warning(request, result.message)
                return redirect("feedback:report_detail", report.pk)
            (messages.success if result.mailed else messages.warning)(request, result.message)
            return redirect("feedback:reports")
    return TemplateResponse(
        request,
        "feedback/owner_report.html",
        {
            "report": report,
            "form": form,
            "reporter_name": display_name(report.reporter),
            "closer_name": display_name(report.closed_by) if report.closed_by_id else "",
        },
        status=400 if form.is_bound and form.errors else 200,
    )

"""Site views of a working group: recording a result ("Ergebnis festhalten")."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from kb.listings import exclude_restricted

from .models import WorkingGroupPage
from .permissions import can_record
from .result_forms import ResultForm
from .signals import result_recorded


def _group_or_404(request: HttpRequest, group_id: int) -> WorkingGroupPage:
    group = exclude_restricted(WorkingGroupPage.objects.live(), request).filter(pk=group_id).first()
    if group is None:
        raise Http404("Diese Arbeitsgruppe gibt es nicht.")
    return group


@require_http_methods(["GET", "POST"])
def result_create(request: HttpRequest, group_id: int) -> HttpResponse:
    """The form on its own page (also where a form with errors is shown again); saving
    redirects to the working group's page."""
    group = _group_or_404(request, group_id)
    if not can_record(request.user, group):
        raise PermissionDenied(
            "Nur Mitglieder der Arbeitsgruppe und die Redaktion können hier Ergebnisse festhalten."
        )
    form = ResultForm(request.POST or None, group=group, request=request)
    if request.method == "POST" and form.is_valid():
        result = form.save(commit=False)
        result.created_by = request.user
        result.save()
        form.save_m2m()
        result_recorded.send(sender=type(result), result=result, actor=request.user)
        messages.success(request, f"Gespeichert: Ergebnis „{result.title}“.")
        return redirect(f"{group.get_url(request)}#ergebnisse")
    return TemplateResponse(
        request,
        "cooperation/result_form.html",
        {"group": group, "form": form},
        status=400 if request.method == "POST" else 200,
    )

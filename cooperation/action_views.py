"""Site views of agreed actions: the tracker (with CSV and iCal), an action's page with its
history and "Stand aktualisieren", and agreeing a new action for a working group.

Reading is for all staff (an action is as visible as its working group's page); updating is for
the group's members and the editors (cooperation.permissions). Every change is a POST form with
redirect, confirmed by a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kb.collation import german_sorted

from .action_forms import ActionCreateForm, ActionUpdateForm
from .actions import create_action, update_action, visible_actions, visible_groups, with_list_data
from .calendar import (
    calendar_bytes,
    new_calendar_token,
    revoke_calendar_token,
    user_for_calendar_token,
)
from .models import ActionStatus, CalendarToken, GroupStatus, MeetingPage
from .permissions import can_record, can_update_action, group_ids_of, is_editor
from .tracker import PAGE_SIZE, csv_text, status_counts, tracker_actions, tracker_form

CALENDAR_TOKEN_SESSION_KEY = "cooperation_new_calendar_token"
MAX_ID = 2**31 - 1


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@require_GET
def tracker(request: HttpRequest) -> HttpResponse:
    """Maßnahmen: every agreed action the reader may see, filtered, with counts per status."""
    form, chosen = tracker_form(request)
    page = Paginator(tracker_actions(request, chosen), PAGE_SIZE).get_page(request.GET.get("page"))
    query = _query_without_page(request)
    token = CalendarToken.objects.filter(user=request.user).only("created").first()
    return render(
        request,
        "cooperation/action_tracker.html",
        {
            "form": form,
            "chosen": chosen,
            "counts": status_counts(request, chosen),
            "actions": page.object_list,
            "page_obj": page,
            "today": timezone.localdate(),
            "csv_url": reverse("cooperation:tracker_csv") + (f"?{query}" if query else ""),
            "calendar_active": token is not None,
            "calendar_created": token.created if token else None,
            "new_calendar_url": _pop_new_calendar_url(request),
            "recordable_groups": _recordable_groups(request),
        },
    )


def _recordable_groups(request: HttpRequest) -> list:
    """Active working groups in which the reader may agree actions (editors: all)."""
    groups = visible_groups(request).filter(status=GroupStatus.ACTIVE)
    if not is_editor(request.user):
        groups = groups.filter(pk__in=group_ids_of(request.user))
    return german_sorted(groups.only("pk", "title"), key=lambda group: group.title)


def _pop_new_calendar_url(request: HttpRequest) -> str:
    token = request.session.pop(CALENDAR_TOKEN_SESSION_KEY, None)
    if not token:
        return ""
    return request.build_absolute_uri(reverse("cooperation:calendar", args=[token]))


@require_GET
def tracker_csv(request: HttpRequest) -> HttpResponse:
    """The tracker's filtered list (all pages) for a spreadsheet."""
    _form, chosen = tracker_form(request)
    actions = list(tracker_actions(request, chosen))
    text = csv_text(
        actions,
        lambda action: request.build_absolute_uri(
            reverse("cooperation:action_detail", args=[action.pk])
        ),
    )
    # utf-8-sig: the BOM makes Excel read the umlauts as UTF-8.
    response = HttpResponse(text.encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="massnahmen-{stamp}.csv"'
    return response


@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if pk > MAX_ID:
        raise Http404("Unbekannte Maßnahme")
    action = get_object_or_404(
        with_list_data(visible_actions(request)).select_related("created_by"), pk=pk
    )
    allowed = can_update_action(request.user, action)
    form = None
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        form = ActionUpdateForm(request.POST, action=action)
        if form.is_valid():
            before = action.get_status_display()
            status = form.cleaned_data["status"]
            update = update_action(
                action, request.user, status=status, text=form.cleaned_data["text"]
            )
            if update is not None and update.status_to:
                messages.success(
                    request, f"Gespeichert: Status „{before}“ → „{ActionStatus(status).label}“."
                )
            else:
                messages.success(request, "Gespeichert: Ihre Notiz steht im Verlauf.")
            return redirect(reverse("cooperation:action_detail", args=[action.pk]) + "#verlauf")
    elif allowed:
        form = ActionUpdateForm(action=action)
    history = list(action.updates.select_related("author").order_by("created", "pk"))
    return render(
        request,
        "cooperation/action_detail.html",
        {
            "action": action,
            "history": history,
            "form": form,
            "can_update": allowed,
            "today": timezone.localdate(),
            "meeting": action.meeting if action.meeting_id and action.meeting.live else None,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


def _page_id(value: str | None) -> int | None:
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 10 or int(value) > MAX_ID:
        return None
    return int(value)


@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest) -> HttpResponse:
    """Eine Maßnahme vereinbaren: ?group=<working group page id>&meeting=<Städtetag page id>."""
    group_id = _page_id(request.GET.get("group"))
    if group_id is None and "group" not in request.GET:
        # Without a group: the tracker lists the groups one may agree actions for.
        return redirect(reverse("cooperation:tracker") + "#neu")
    if group_id is None:
        raise Http404("Unbekannte Arbeitsgruppe")
    group = get_object_or_404(visible_groups(request), pk=group_id)
    if not can_record(request.user, group):
        raise PermissionDenied
    meeting_id = _page_id(request.GET.get("meeting"))
    meeting = MeetingPage.objects.live().filter(pk=meeting_id).first() if meeting_id else None
    if request.method == "POST":
        form = ActionCreateForm(request.POST, group=group)
        if form.is_valid():
            data = form.cleaned_data
            action = create_action(
                group=group,
                title=data["title"],
                user=request.user,
                description=data["description"],
                meeting=data["meeting"],
                responsible=data["responsible"],
                cities=data["cities"],
                due_date=data["due_date"],
            )
            messages.success(request, f"Gespeichert: Maßnahme „{action.title}“ vereinbart.")
            return redirect("cooperation:action_detail", pk=action.pk)
    else:
        form = ActionCreateForm(group=group, initial={"meeting": meeting} if meeting else None)
    return render(
        request,
        "cooperation/action_form.html",
        {"form": form, "group": group, "meeting": meeting},
        status=400 if form.is_bound else 200,
    )


@require_POST
def calendar_token(request: HttpRequest) -> HttpResponse:
    """Create (or renew) the secret calendar address, or revoke it."""
    if request.POST.get("action") == "revoke":
        revoke_calendar_token(request.user)
        messages.success(request, "Kalender-Adresse gesperrt. Kalender erhalten nichts mehr.")
    else:
        request.session[CALENDAR_TOKEN_SESSION_KEY] = new_calendar_token(request.user)
        messages.success(
            request,
            "Neue Kalender-Adresse erstellt. Sie wird nur jetzt angezeigt; eine frühere gilt "
            "nicht mehr.",
        )
    return redirect(reverse("cooperation:tracker") + "#kalender")


@login_not_required  # the secret token is the authorisation: calendar programs have no session
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = user_for_calendar_token(token)
    if user is None:
        raise Http404("Unbekannte Kalender-Adresse")
    response = HttpResponse(calendar_bytes(user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="massnahmen.ics"'
    # The address is a secret: no shared cache keeps a copy.
    response["Cache-Control"] = "private, no-store"
    return response

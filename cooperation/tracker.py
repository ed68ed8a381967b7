"""The action tracker across all working groups: its filters, counts per status and CSV export.

Filters come from the query string (links and bookmarks) and are validated by a Django form: a
value that names no group, city, status or person is ignored with a German note, never an error
page. The counts per status are those of the other filters, so each one says what choosing that
status would show.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Case, Count, F, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils import timezone

from kb.collation import by_name, german_sorted
from kb.models import City

from .actions import person_label, visible_actions, visible_groups, with_list_data
from .models import OPEN_STATUSES, Action, ActionStatus

PAGE_SIZE = 25
# Formula characters a spreadsheet would evaluate at the start of a cell (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class TrackerFilterForm(forms.Form):
    group = forms.TypedChoiceField(label="Arbeitsgruppe", coerce=int, required=False)
    city = forms.ChoiceField(label="Stadt", required=False)
    status = forms.ChoiceField(label="Status", required=False)
    responsible = forms.TypedChoiceField(label="Verantwortlich", coerce=int, required=False)
    overdue = forms.BooleanField(label="nur überfällige", required=False)

    def __init__(self, data, *, groups, cities, people, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["group"].choices = [("", "alle Arbeitsgruppen")] + [
            (group.pk, group.title) for group in groups
        ]
        self.fields["city"].choices = [("", "alle Städte")] + [
            (city.slug, city.name) for city in cities
        ]
        self.fields["status"].choices = [("", "alle")] + list(ActionStatus.choices)
        self.fields["responsible"].choices = [("", "alle Personen")] + [
            (user.pk, person_label(user)) for user in people
        ]


@dataclass
class TrackerFilter:
    """The tracker's validated filters; what was ignored, for the page to say so."""

    group: int | None = None
    city: City | None = None
    status: str = ""
    responsible: int | None = None
    overdue: bool = False
    ignored: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.group or self.city or self.status or self.responsible or self.overdue)


def tracker_form(request: HttpRequest) -> tuple[TrackerFilterForm, TrackerFilter]:
    """The filter form (choices: what the reader may see) and the filters it accepted."""
    groups = german_sorted(visible_groups(request).only("pk", "title"), key=lambda g: g.title)
    cities = by_name(City.objects.all())
    User = get_user_model()
    responsible_ids = visible_actions(request).exclude(responsible=None).values("responsible")
    people = german_sorted(
        # The reader too, so that "Meine Maßnahmen" is a valid filter even with none yet.
        User.objects.filter(Q(pk__in=responsible_ids) | Q(pk=request.user.pk)).only(
            "pk", "username", "first_name", "last_name"
        ),
        key=person_label,
    )
    # Only the tracker's own parameters: ?page= and anything else stay out of validation.
    data = {name: request.GET.get(name, "")[:200] for name in TrackerFilterForm.base_fields}
    form = TrackerFilterForm(data, groups=groups, cities=cities, people=people)
    form.is_valid()
    cleaned = form.cleaned_data
    chosen = TrackerFilter(
        group=cleaned.get("group") or None,
        city=next((c for c in cities if c.slug == cleaned.get("city")), None),
        status=cleaned.get("status") or "",
        responsible=cleaned.get("responsible") or None,
        overdue=bool(cleaned.get("overdue")),
        ignored=[str(form.fields[name].label) for name in form.errors],
    )
    return form, chosen


def filtered(
    queryset: QuerySet[Action], chosen: TrackerFilter, *, with_status: bool = True
) -> QuerySet[Action]:
    if chosen.group:
        queryset = queryset.filter(group_id=chosen.group)
    if chosen.city:
        queryset = queryset.filter(cities=chosen.city)
    if chosen.responsible:
        queryset = queryset.filter(responsible_id=chosen.responsible)
    if chosen.overdue:
        queryset = queryset.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
    if with_status and chosen.status:
        queryset = queryset.filter(status=chosen.status)
    return queryset


def status_counts(request: HttpRequest, chosen: TrackerFilter) -> list[dict]:
    """Per status (in the order of ActionStatus): value, label, number, selected."""
    counts = dict(
        filtered(visible_actions(request), chosen, with_status=False)
        .order_by()
        .values("status")
        .annotate(n=Count("pk", distinct=True))
        .values_list("status", "n")
    )
    return [
        {
            "value": value,
            "label": label,
            "count": counts.get(value, 0),
            "selected": value == chosen.status,
        }
        for value, label in ActionStatus.choices
    ]


def tracker_actions(request: HttpRequest, chosen: TrackerFilter) -> QuerySet[Action]:
    """The filtered actions in tracker order: what is still to do first, each part by due date
    (soonest first, those without a date last)."""
    still_open = Case(When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1))
    return with_list_data(filtered(visible_actions(request), chosen)).order_by(
        still_open, F("due_date").asc(nulls_last=True), "pk"
    )


# --- CSV --------------------------------------------------------------------------------------

CSV_HEADER = [
    "Maßnahme",
    "Arbeitsgruppe",
    "Städtetag",
    "Verantwortlich",
    "Beteiligte Städte",
    "Fällig am",
    "Überfällig",
    "Status",
    "Beschreibung",
    "Adresse",
]


def _cell(value: str) -> str:
    # A cell starting like a formula is text, not a formula, when opened in a spreadsheet.
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_text(actions: list[Action], detail_url) -> str:
    """The actions as CSV for German Excel: ';' between fields, UTF-8 with BOM (added by the
    caller's encoding), a German header row. `detail_url(action)` gives each action's address."""
    today = timezone.localdate()
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for action in actions:
        meeting = action.meeting.title if action.meeting_id and action.meeting.live else ""
        writer.writerow(
            [
                _cell(action.title),
                _cell(action.group.title),
                _cell(meeting),
                _cell(person_label(action.responsible)) if action.responsible_id else "",
                ", ".join(city.name for city in by_name(action.cities.all())),
                action.due_date.strftime("%d.%m.%Y") if action.due_date else "",
                "ja" if action.is_overdue(today) else "nein",
                action.get_status_display(),
                _cell(action.description),
                detail_url(action),
            ]
        )
    return out.getvalue()

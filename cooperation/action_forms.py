"""Site forms of agreed actions: agreeing a new one, and "Stand aktualisieren"."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from kb.collation import by_name
from kb.models import City

from .actions import person_label
from .models import Action, ActionStatus, MeetingPage


class PersonChoiceField(forms.ModelChoiceField):
    """People by name as the site shows them (login names stay out of staff pages)."""

    def label_from_instance(self, obj) -> str:
        return person_label(obj)


class ActionCreateForm(forms.ModelForm):
    """Agree an action of one working group (the group comes from the address)."""

    responsible = PersonChoiceField(
        label="Verantwortlich",
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label="– noch offen –",
    )
    cities = forms.ModelMultipleChoiceField(
        label="Beteiligte Städte",
        queryset=City.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Action
        fields = ["title", "description", "meeting", "responsible", "cities", "due_date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        help_texts = {
            "due_date": "Bis wann soll die Maßnahme umgesetzt sein?",
        }

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = MeetingPage.objects.live().order_by("-year", "-date")
        self.fields["meeting"].empty_label = "– zwischen den Städtetagen –"
        self.fields["meeting"].label_from_instance = lambda page: page.title
        # Staff accounts (every one is in a group: Mitarbeitende, Redaktion …); technical
        # accounts without a group, such as the installation's superuser, are no one to ask.
        self.fields["responsible"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, groups__isnull=False)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["cities"].queryset = City.objects.all()
        cities = by_name(City.objects.all())
        self.fields["cities"].choices = [(city.pk, city.name) for city in cities]
        if group is not None and not self.is_bound and not self.initial.get("cities"):
            self.initial["cities"] = [city.pk for city in group.cities.all()]
        self.fields["due_date"].input_formats = ["%Y-%m-%d", "%d.%m.%Y"]


class ActionUpdateForm(forms.Form):
    """Stand aktualisieren: a new status and/or a progress note."""

    status = forms.ChoiceField(label="Status", choices=ActionStatus.choices)
    text = forms.CharField(
        label="Notiz zum Stand",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Was ist passiert, was fehlt noch? "
        "Erscheint mit Datum und Ihrem Namen im Verlauf.",
    )

    def __init__(self, *args, action: Action, **kwargs):
        kwargs.setdefault("initial", {"status": action.status})
        super().__init__(*args, **kwargs)
        self.action = action

    def clean(self):
        cleaned = super().clean()
        status, text = cleaned.get("status"), (cleaned.get("text") or "").strip()
        if status and status == self.action.status and not text:
            raise forms.ValidationError(
                "Bitte ändern Sie den Status oder schreiben Sie eine Notiz – sonst gibt es nichts "
                "zu speichern."
            )
        return cleaned


__all__ = ["ActionCreateForm", "ActionUpdateForm", "person_label"]

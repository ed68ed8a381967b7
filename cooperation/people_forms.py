"""Forms of "Meine Angaben": a person corrects their own work data and expertise entries."""

from __future__ import annotations

from django import forms
from django.db.models import Q

from kb.collation import by_name
from kb.models import City, ContactPerson, Department, Expertise, TopicPage


class ProfileForm(forms.ModelForm):
    """Role, department and phone; name and e-mail come from the account (the Redaktion)."""

    class Meta:
        model = ContactPerson
        fields = ["role", "department", "phone"]
        labels = {
            "role": "Funktion",
            "department": "Fachbereich",
            "phone": "Dienstliche Telefonnummer",
        }
        help_texts = {
            "role": "Z. B. „Klimaschutzmanagerin“ oder „Sachbearbeitung Fördermittel“.",
            "phone": "Nur die dienstliche Nummer, z. B. 02931 123-456.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.instance
        departments = Department.objects.select_related("city")
        if person.city_id:
            # The departments of the person's city (and those of no city); the current one
            # stays choosable.
            departments = departments.filter(
                Q(city_id=person.city_id) | Q(city__isnull=True) | Q(pk=person.department_id)
            )
        field = self.fields["department"]
        field.queryset = departments.order_by("name")
        field.label_from_instance = lambda department: department.name
        field.empty_label = "– keiner –"

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        allowed = set("0123456789 +-/()")
        if phone and not set(phone) <= allowed:
            raise forms.ValidationError("Bitte nur Ziffern, Leerzeichen und + - / ( ) verwenden.")
        return phone


class ExpertiseForm(forms.ModelForm):
    """One expertise entry of the person: topic area, city (blank: their own), what exactly."""

    class Meta:
        model = Expertise
        fields = ["topic", "city", "note"]
        labels = {"topic": "Themenfeld", "city": "Für die Stadt", "note": "Worin genau"}

    def __init__(self, *args, person: ContactPerson, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.instance.person = person
        topic = self.fields["topic"]
        topic.queryset = TopicPage.objects.live().order_by("path")
        topic.label_from_instance = lambda page: page.title
        topic.empty_label = "– bitte wählen –"
        city = self.fields["city"]
        city.queryset = City.objects.order_by("name")
        city.empty_label = (
            f"Meine Stadt ({person.city.name})" if person.city_id else "Keine bestimmte Stadt"
        )
        city.help_text = "Leer lassen: die eigene Stadt."
        self.fields[
            "note"
        ].help_text = "Z. B. „Förderanträge Photovoltaik“ (höchstens 300 Zeichen)."
        # German alphabetical order of the cities, as everywhere on the site.
        city.choices = [("", city.empty_label)] + [
            (c.pk, c.name) for c in by_name(City.objects.all())
        ]

    def clean(self):
        cleaned = super().clean()
        topic, city = cleaned.get("topic"), cleaned.get("city")
        if topic is None:
            return cleaned
        # The same topic for the same city once (the database constraint does not catch a
        # blank city, which counts as the person's own).
        own = self.person.city_id
        target_city = city.pk if city else own
        others = Expertise.objects.filter(person=self.person, topic=topic).exclude(
            pk=self.instance.pk
        )
        for other in others.only("city_id"):
            other_city = other.city_id if other.city_id is not None else own
            if other_city == target_city:
                raise forms.ValidationError(
                    "Für dieses Themenfeld und diese Stadt gibt es schon einen Eintrag – "
                    "bitte ändern Sie diesen."
                )
        return cleaned

    def save(self, commit: bool = True) -> Expertise:
        entry = super().save(commit=False)
        entry.person = self.person
        if commit:
            entry.save()
        return entry

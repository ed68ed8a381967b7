"""The editors' forms in the admin: the article form and the contact person form.

- A new article has the cities of the editor's groups preselected ("Redaktion Arnsberg" ->
  Arnsberg; the group name after "Redaktion " is a City's name, so a new city needs no code).
- A new article's body starts with the section headings of BODY_TEMPLATE; editors write under
  them and delete the ones they do not need. Existing articles are never touched.
- Contact persons are created with their department chosen from a select of departments, each
  with its city (`Department.__str__`: "Fachbereich Umwelt und Klima (Arnsberg)").

Imported by kb.models (as the models' `base_form_class`), so this module does not import the
models at load time.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from wagtail.admin.forms import WagtailAdminModelForm, WagtailAdminPageForm

EDITORIAL_GROUP_PREFIX = "Redaktion "

# The sections a new article's body is offered with (heading blocks of kb.blocks.HeadingBlock).
BODY_TEMPLATE = (
    "Ausgangslage",
    "Vorgehen",
    "Ergebnis",
    "Lessons learned",
    "Kosten/Aufwand",
    "Ansprechpersonen",
)
BODY_HELP_TEXT = (
    "Ein neuer Beitrag beginnt mit den Abschnitten " + ", ".join(BODY_TEMPLATE[:-1]) + " und "
    f"{BODY_TEMPLATE[-1]}. Schreiben Sie Ihre Absätze unter die Überschriften; Überschriften, "
    "die Sie nicht brauchen, löschen Sie einfach."
)
CITIES_HELP_TEXT = "Bei einem neuen Beitrag ist die Stadt Ihrer Redaktion schon ausgewählt."


def editor_cities(user: AbstractBaseUser | AnonymousUser | None) -> list:
    """The cities whose editorial group ("Redaktion <City>") the user belongs to."""
    from .models import City

    if user is None or not user.is_authenticated:
        return []
    names = [
        name.removeprefix(EDITORIAL_GROUP_PREFIX).strip()
        for name in user.groups.values_list("name", flat=True)
        if name.startswith(EDITORIAL_GROUP_PREFIX)
    ]
    return list(City.objects.filter(name__in=names)) if names else []


def body_template(block):
    """The StreamField value of a new article's body: one H2 heading per section."""
    return block.to_python(
        [{"type": "heading", "value": {"text": text, "level": "h2"}} for text in BODY_TEMPLATE]
    )


class ArticlePageForm(WagtailAdminPageForm):
    """The form of kb.models.ArticlePage in the page editor."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self._prefill_new_article()
        # "Wesentliche Änderung" is a decision per publication: every edit starts unticked,
        # even when the revision it continues had it ticked.
        if "notify_subscribers" in self.fields:
            self.initial["notify_subscribers"] = False
        for name in ("responsible", "deputy"):
            if name in self.fields:
                _people_choices(self.fields[name], getattr(self.instance, f"{name}_id", None))

    def _prefill_new_article(self) -> None:
        if "cities" in self.fields and not self.initial.get("cities"):
            cities = editor_cities(self.for_user)
            if cities:
                self.initial["cities"] = cities
        if "body" in self.fields and not self.initial.get("body"):
            self.initial["body"] = body_template(self.fields["body"].block)
        if "responsible" in self.fields and not self.initial.get("responsible") and self.for_user:
            self.initial["responsible"] = self.for_user.pk


class ContactPersonForm(WagtailAdminModelForm):
    """The form of kb.models.ContactPerson (snippet editor and the chooser's "create" tab)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        department = self.fields.get("department")
        if department is not None and hasattr(department, "queryset"):
            # Each department is named with its city: one query, not one per department.
            department.queryset = department.queryset.select_related("city")


def _person_label(user) -> str:
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()


def _people_choices(field, current_id: int | None) -> None:
    """Owner and deputy: active accounts by name as the article shows them ("Ronja Redaktion
    (redaktion.arnsberg)"), not bare login names. A deactivated current owner stays choosable,
    so the article can still be saved until someone takes over."""
    from django.db.models import Q

    field.queryset = field.queryset.filter(Q(is_active=True) | Q(pk=current_id)).order_by(
        "first_name", "last_name", "username"
    )
    field.label_from_instance = _person_label

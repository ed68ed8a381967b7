"""A chooser for a many-to-many field of snippets: the article's contact persons.

Wagtail's choosers pick one object (ForeignKey); its MultipleChooserPanel needs an inline
through model. The article's `contacts` stay a plain ParentalManyToManyField (the search, the
listings, the import and the export read it), and this widget gives it Wagtail's snippet
chooser: a list of the chosen contacts, each removable, and a button that opens the chooser
modal (search, several at once, and its "create" tab for a new contact person).

The form data stay what a multiple select posts (`contacts=<id>` per contact), one hidden input
per chosen contact. The behaviour is the Stimulus controller `kb-multiple-chooser` in
static/js/admin/multiple_chooser.js, registered on Wagtail's own Stimulus application.
"""

from __future__ import annotations

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from wagtail.admin.telepath import JSContext
from wagtail.snippets.widgets import AdminSnippetChooser

from .collation import german_sort_key


class MultipleSnippetChooser(forms.Widget):
    template_name = "kb/admin/widgets/multiple_snippet_chooser.html"
    allow_multiple_selected = True

    def __init__(self, model, *, choose_label: str, empty_label: str, attrs=None):
        super().__init__(attrs)
        self.model = model
        self.choose_label = choose_label
        self.empty_label = empty_label

    def _render(self, template_name, context, renderer=None):
        # The project's template engine (the template lives in templates/, which Django's form
        # renderer does not search).
        return mark_safe(render_to_string(template_name, context))

    def _chooser_definition(self) -> tuple[str, forms.Media]:
        # The chooser modal as Wagtail's MultipleChooserPanel opens it: the snippet chooser
        # widget, packed for telepath (its modal URL, its scripts).
        js_context = JSContext()
        definition = js_context.pack(AdminSnippetChooser(self.model))
        return definition, js_context.media

    @property
    def media(self):
        return self._chooser_definition()[1] + forms.Media(js=["js/admin/multiple_chooser.js"])

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        return getter(name) if getter else data.get(name)

    def value_omitted_from_data(self, data, files, name):
        # As for a multiple select: an empty choice posts nothing.
        return False

    def format_value(self, value):
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        return [str(v) for v in value if v not in (None, "")]

    def chosen(self, ids: list[str]) -> list:
        pks = [int(pk) for pk in ids if pk.isdigit()]
        objects = self.model._default_manager.filter(pk__in=pks)
        if hasattr(self.model, "city"):
            objects = objects.select_related("city")
        return sorted(objects, key=lambda obj: german_sort_key(str(obj)))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        definition, _media = self._chooser_definition()
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context.update(
            chosen=self.chosen(context["widget"]["value"]),
            chooser_definition=definition,
            chooser_definition_id=f"{widget_id}-chooser-definition",
            widget_id=widget_id,
            choose_label=self.choose_label,
            empty_label=self.empty_label,
        )
        return context

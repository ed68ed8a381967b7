"""The admin's list and editor of agreed actions (Zusammenarbeit → Maßnahmen).

Editing in the admin is the same as on the site where it matters: a status change is written
into the action's history (with the editor as author), and a new due date starts the reminders
afresh (cooperation.actions.record_admin_edit).
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.snippets import CreateView, EditView, SnippetViewSet

from .actions import person_label, record_admin_edit
from .models import Action, MeetingPage
from .signals import action_changed


def _person_label(user) -> str:
    full = user.get_full_name().strip()
    return f"{full} ({user.get_username()})" if full else user.get_username()


class ActionAdminForm(WagtailAdminModelForm):
    """Responsible: active accounts by full name (a deactivated current one stays choosable, so
    the action can still be saved until someone takes over)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("responsible")
        if field is not None and hasattr(field, "queryset"):
            current = self.instance.responsible_id if self.instance.pk else None
            field.queryset = field.queryset.filter(Q(is_active=True) | Q(pk=current)).order_by(
                "first_name", "last_name", "username"
            )
            field.label_from_instance = _person_label
        meeting = self.fields.get("meeting")
        if meeting is not None and hasattr(meeting, "queryset"):
            meeting.queryset = MeetingPage.objects.order_by("-year", "-date")


class ActionEditView(EditView):
    def save_instance(self):
        # The form has already written the new values into self.object: the old ones are read
        # from the database, in the same transaction as the save.
        before = Action.objects.filter(pk=self.object.pk).values("status", "due_date").first() or {}
        instance = super().save_instance()
        record_admin_edit(
            instance,
            self.request.user,
            status_before=before.get("status", instance.status),
            due_before=before.get("due_date", instance.due_date),
        )
        return instance


class ActionCreateView(CreateView):
    def save_instance(self):
        instance = super().save_instance()
        if instance.created_by_id is None:
            type(instance).objects.filter(pk=instance.pk).update(created_by=self.request.user)
            instance.created_by = self.request.user
        action_changed.send(
            sender=Action, action=instance, update=None, actor=self.request.user, created=True
        )
        return instance


class ActionViewSet(SnippetViewSet):
    model = Action
    icon = "tasks"
    menu_label = "Maßnahmen"
    add_view_class = ActionCreateView
    edit_view_class = ActionEditView
    list_display = [
        "title",
        "group",
        # By name, as on the site (the login name only where no name is set).
        Column(
            "responsible",
            label="Verantwortlich",
            accessor=lambda action: person_label(action.responsible) if action.responsible else "",
        ),
        "due_date",
        "status",
    ]
    list_filter = {"status": ["exact"], "group": ["exact"], "due_date": ["lte", "gte"]}
    list_per_page = 50
    search_fields = ["title", "description"]
    search_backend_name = None  # Action is not in a search index: the database searches
    ordering = ["due_date", "pk"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("description"),
            FieldPanel("group"),
            FieldPanel("meeting"),
            FieldPanel("responsible"),
            FieldPanel("cities", widget=forms.CheckboxSelectMultiple),
            FieldPanel("due_date"),
            FieldPanel(
                "status",
                help_text="Eine Statusänderung erscheint mit Ihrem Namen im Verlauf der Maßnahme.",
            ),
        ],
        base_form_class=ActionAdminForm,
    )

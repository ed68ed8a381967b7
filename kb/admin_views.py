"""Admin views of the editors' day that extend Wagtail's own (registered in kb.wagtail_hooks).

- ContactPersonChooserViewSet: the contact person chooser gets a "create" tab (Wagtail shows it
  to users who may add contact persons: the Redaktion groups and the Chefredaktion).
- DepartmentChooserViewSet: departments are named with their city (`Department.__str__`),
  read in the same query.
- ArticlePageViewSet: after the Chefredaktion approves an article or requests changes (from the
  dashboard's "Wartet auf Ihre Freigabe" or from the page editor), a confirmation says what
  happened. Wagtail itself says nothing after a dashboard action and only "Seite … wurde
  aktualisiert" in the editor.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse
from wagtail.admin import messages
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, TaskState
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet

from .admin_forms import ContactPersonForm
from .models import ArticlePage, ContactPerson

CONFIRMED_ACTIONS = ("approve", "reject")


class ContactPersonCreationForm(ContactPersonForm):
    """The chooser's "create" tab: plain selects, no chooser inside the chooser's modal."""

    class Meta:
        model = ContactPerson
        fields = ["name", "role", "city", "department", "email", "phone"]
        widgets = {"city": forms.Select, "department": forms.Select}


class ContactsWithCityMixin:
    def get_object_list(self):
        # Each contact person is listed with their city (ContactPerson.__str__): one query.
        return super().get_object_list().select_related("city")


class DepartmentsWithCityMixin:
    def get_object_list(self):
        # Each department is listed with its city (Department.__str__): one query.
        return super().get_object_list().select_related("city")


class ContactPersonChooseView(ContactsWithCityMixin, ChooseView):
    pass


class ContactPersonChooseResultsView(ContactsWithCityMixin, ChooseResultsView):
    pass


class DepartmentChooseView(DepartmentsWithCityMixin, ChooseView):
    pass


class DepartmentChooseResultsView(DepartmentsWithCityMixin, ChooseResultsView):
    pass


class DepartmentChooserViewSet(SnippetChooserViewSet):
    """The department chooser (article form), each department listed with its city."""

    choose_view_class = DepartmentChooseView
    choose_results_view_class = DepartmentChooseResultsView


class ContactPersonChooserViewSet(SnippetChooserViewSet):
    choose_view_class = ContactPersonChooseView
    choose_results_view_class = ContactPersonChooseResultsView
    creation_form_class = ContactPersonCreationForm
    create_action_label = "Ansprechperson anlegen"
    creation_tab_label = "Neue Ansprechperson"


def confirm_workflow_action(request, page: Page, action: str) -> None:
    """The success message after a review action on `page` (an approval or a request for
    changes), worded by what the action led to."""
    page = Page.objects.get(pk=page.pk).specific_deferred
    title = page.get_admin_display_title()
    edit_button = messages.button(
        reverse("wagtailadmin_pages:edit", args=[page.pk]), "Bearbeiten", new_window=False
    )
    if action == "reject":
        messages.success(
            request,
            f"Für „{title}“ sind Änderungen erbeten; die einreichende Person wird benachrichtigt.",
            buttons=[edit_button],
        )
        return
    next_task = page.current_workflow_task
    if next_task is not None:
        message = f"„{title}“ ist freigegeben; nächster Schritt: „{next_task.name}“."
    elif page.live and not page.has_unpublished_changes:
        message = f"„{title}“ ist freigegeben und veröffentlicht."
    else:  # approved for a scheduled publication
        message = f"„{title}“ ist freigegeben; die Veröffentlichung ist geplant."
    buttons = [edit_button]
    if page.live and (url := page.get_url(request)):
        buttons.insert(0, messages.button(url, "Ansehen", new_window=False))
    messages.success(request, message, buttons=buttons)


class ArticleWorkflowActionView(WorkflowActionView):
    """Approve / request changes from the dashboard (with or without the comment modal)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if self.action_name in CONFIRMED_ACTIONS:
            task_state = TaskState.objects.get(pk=self.task_state.pk)
            # Not done when the comment form came back with errors.
            if task_state.status != TaskState.STATUS_IN_PROGRESS:
                confirm_workflow_action(request, self.object, self.action_name)
        return response


class ArticleEditView(EditView):
    """Approve / request changes from the page editor's action menu."""

    def add_save_confirmation_message(self):
        if self.action_name == "perform_workflow_action" and (
            self.workflow_action in CONFIRMED_ACTIONS
        ):
            confirm_workflow_action(self.request, self.page, self.workflow_action)
        else:
            super().add_save_confirmation_message()


class ArticlePageViewSet(PageViewSet):
    model = ArticlePage
    # Only the views routed by the article's id or type; the topic pages' listing of their
    # articles (the explorer) stays Wagtail's default.
    parent_models: list = []
    workflow_action_view_class = ArticleWorkflowActionView
    edit_view_class = ArticleEditView

"""Admin: merging departments (Wissensnetz → Fachbereiche → "Zusammenführen …").

The view is Wagtail's form template with a form of two fields: the departments to merge and the
one to keep; `kb.departments.merge_departments` does the work. Only users who may change and
delete departments (the Chefredaktion) see the button and may open the view.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, When
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.generic import FormView
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.views.snippets import IndexView

from .collation import by_name
from .departments import merge_departments
from .models import Department


def can_merge_departments(user) -> bool:
    """Merging changes departments and deletes some: both permissions (the Chefredaktion)."""
    return user.has_perm("kb.change_department") and user.has_perm("kb.delete_department")


def _departments():
    """Every department with its number of articles and contact persons, sorted the German
    way (as every list of names)."""
    order = [department.pk for department in by_name(Department.objects.only("pk", "name"))]
    return (
        Department.objects.select_related("city")
        .annotate(
            article_count=Count("articles", distinct=True),
            contact_count=Count("contacts", distinct=True),
        )
        .order_by(Case(*(When(pk=pk, then=i) for i, pk in enumerate(order)), default=len(order)))
    )


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return department_label(obj)


class DepartmentMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return department_label(obj)


def department_label(department: Department) -> str:
    city = f" ({department.city})" if department.city_id else ""
    articles = getattr(department, "article_count", None)
    if articles is None:
        return f"{department.name}{city}"
    contacts = department.contact_count
    return (
        f"{department.name}{city} – {articles} {'Beitrag' if articles == 1 else 'Beiträge'}, "
        f"{contacts} {'Ansprechperson' if contacts == 1 else 'Ansprechpersonen'}"
    )


class DepartmentMergeForm(forms.Form):
    sources = DepartmentMultipleChoiceField(
        label="Diese Fachbereiche zusammenführen",
        queryset=Department.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Ihre Beiträge und Ansprechpersonen erhalten den Fachbereich, der erhalten "
        "bleibt; danach werden sie gelöscht.",
    )
    target = DepartmentChoiceField(
        label="In diesen Fachbereich (bleibt erhalten)",
        queryset=Department.objects.none(),
        empty_label="Fachbereich wählen …",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = _departments()
        self.fields["sources"].queryset = departments
        self.fields["target"].queryset = departments

    def clean(self):
        cleaned = super().clean()
        target, sources = cleaned.get("target"), cleaned.get("sources")
        if target is not None and sources is not None and target in sources:
            self.add_error(
                "target",
                "Der Fachbereich, der erhalten bleibt, kann nicht zugleich in einen anderen "
                "zusammengeführt werden.",
            )
        return cleaned


class DepartmentMergeView(WagtailAdminTemplateMixin, FormView):
    """Merges departments into one: their articles and contact persons move, they are deleted."""

    template_name = "wagtailadmin/generic/form.html"
    form_class = DepartmentMergeForm
    header_icon = "group"
    page_title = "Fachbereiche zusammenführen"
    viewset = None  # set by DepartmentMergeMixin

    def dispatch(self, request, *args, **kwargs):
        if not can_merge_departments(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.viewset.get_url_name("list")), "label": "Fachbereiche"},
            {"url": "", "label": "Zusammenführen"},
        ]

    def get_initial(self):
        source = self.request.GET.get("source", "")
        return {"sources": [source]} if source.isdigit() else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            submit_button_label="Zusammenführen",
            submit_button_active_label="Wird zusammengeführt …",
            **kwargs,
        )

    def form_valid(self, form):
        result = merge_departments(
            form.cleaned_data["target"], form.cleaned_data["sources"], user=self.request.user
        )
        merged = ", ".join(f"„{name}“" for name in result.merged)
        articles, contacts = len(result.article_ids), len(result.contact_ids)
        messages.success(
            self.request,
            f"{merged} {'wurde' if len(result.merged) == 1 else 'wurden'} in "
            f"„{result.target.name}“ zusammengeführt ({articles} "
            f"{'Beitrag' if articles == 1 else 'Beiträge'}, {contacts} "
            f"{'Ansprechperson' if contacts == 1 else 'Ansprechpersonen'}).",
        )
        return redirect(self.viewset.get_url_name("list"))


class DepartmentIndexView(IndexView):
    merge_url_name = None  # set by DepartmentMergeMixin

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if can_merge_departments(self.request.user):
            buttons.append(
                MenuItem(
                    "Zusammenführen …",
                    url=f"{reverse(self.merge_url_name)}?source={instance.pk}",
                    icon_name="resubmit",
                    priority=25,
                )
            )
        return buttons


class DepartmentMergeMixin:
    """For the departments' SnippetViewSet: the merge view and its button in the listing."""

    index_view_class = DepartmentIndexView

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(merge_url_name=self.get_url_name("merge"), **kwargs)

    def get_urlpatterns(self):
        merge = DepartmentMergeView.as_view(viewset=self)
        return [*super().get_urlpatterns(), path("merge/", merge, name="merge")]

"""Admin registration of the knowledge snippets (cities, departments, contact persons, tags)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import FormView
from taggit.models import Tag
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from . import dashboard, reports, review_views, reviews
from .admin_views import (
    ArticlePageViewSet,
    ContactPersonChooserViewSet,
    DepartmentChooserViewSet,
)
from .department_admin import DepartmentMergeMixin
from .departments import register_log_actions
from .models import ArticlePage, City, ContactPerson, Department, Expertise
from .tags import merge_tags


class CityViewSet(SnippetViewSet):
    model = City
    icon = "site"
    menu_label = "Städte"
    list_display = ["name", "slug", "email_domain"]
    search_fields = ["name"]


class DepartmentViewSet(DepartmentMergeMixin, SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = "Fachbereiche"
    list_display = ["name", "city"]
    list_filter = ["city"]
    search_fields = ["name"]
    # The chooser (article form: "Zuständiger Fachbereich"), departments with their city.
    chooser_viewset_class = DepartmentChooserViewSet


class ContactPersonViewSet(SnippetViewSet):
    model = ContactPerson
    icon = "user"
    menu_label = "Ansprechpersonen"
    list_display = ["name", "role", "city", "department", "email"]
    list_filter = ["city"]
    # The chooser (article form: "Ansprechpersonen") with a tab to create a contact person.
    chooser_viewset_class = ContactPersonChooserViewSet

    def get_queryset(self, request):
        # The listing names city and department (with its city): no queries per row.
        return ContactPerson.objects.select_related("city", "department__city")


class TagForm(WagtailAdminModelForm):
    """Rename a tag; an empty slug is derived from the name (`kb.tags.ensure_slug`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "Name"
        self.fields["slug"].label = "Kurzname in der Adresse"
        self.fields["slug"].required = False
        self.fields["slug"].help_text = (
            "Teil der Adresse der Schlagwortseite (/tags/…/). Leer lassen: wird aus dem Namen "
            "gebildet."
        )


class TagMergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label="Zusammenführen mit",
        queryset=Tag.objects.none(),
        help_text="Alle Beiträge (und Bilder, Dokumente) erhalten dieses Schlagwort; das "
        "bisherige Schlagwort wird gelöscht.",
    )

    def __init__(self, *args, source: Tag, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = Tag.objects.exclude(pk=source.pk).order_by("name")


class TagMergeView(WagtailAdminTemplateMixin, FormView):
    """Moves every item of one tag to another and deletes the first one."""

    template_name = "wagtailadmin/generic/form.html"
    form_class = TagMergeForm
    header_icon = "tag"
    viewset = None  # set by TagViewSet

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not (user.has_perm("taggit.change_tag") and user.has_perm("taggit.delete_tag")):
            raise PermissionDenied
        self.source = get_object_or_404(Tag, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return "Schlagwort zusammenführen"

    def get_page_subtitle(self):
        return f"„{self.source.name}“ zusammenführen"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.viewset.get_url_name("list")), "label": "Schlagwörter"},
            {"url": "", "label": f"„{self.source.name}“ zusammenführen"},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "source": self.source}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=self.request.path,
            submit_button_label="Zusammenführen",
            submit_button_active_label="Wird zusammengeführt …",
            **kwargs,
        )

    def form_valid(self, form):
        target = form.cleaned_data["target"]
        name = self.source.name
        moved = merge_tags(self.source, target)
        messages.success(
            self.request,
            f"„{name}“ wurde mit „{target.name}“ zusammengeführt ({len(moved)} Beiträge).",
        )
        return redirect(self.viewset.get_url_name("list"))


class TagIndexView(IndexView):
    merge_url_name = None  # set by TagViewSet

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        user = self.request.user
        if user.has_perm("taggit.change_tag") and user.has_perm("taggit.delete_tag"):
            buttons.append(
                MenuItem(
                    "Zusammenführen …",
                    url=reverse(self.merge_url_name, args=[instance.pk]),
                    icon_name="resubmit",
                    priority=25,
                )
            )
        return buttons


class TagViewSet(SnippetViewSet):
    """taggit's tags as a snippet (Wagtail: "Managing tags as snippets"): rename, merge,
    delete. Slugs are kept on rename unless changed here."""

    model = Tag
    icon = "tag"
    menu_label = "Schlagwörter"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]
    index_view_class = TagIndexView
    edit_handler = ObjectList([FieldPanel("name"), FieldPanel("slug")], base_form_class=TagForm)

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(merge_url_name=self.get_url_name("merge"), **kwargs)

    def get_urlpatterns(self):
        merge = TagMergeView.as_view(viewset=self)
        return [*super().get_urlpatterns(), path("merge/<int:pk>/", merge, name="merge")]


class KnowledgeViewSetGroup(SnippetViewSetGroup):
    items = (CityViewSet, DepartmentViewSet, ContactPersonViewSet, TagViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Wissensnetz"
    menu_name = "wissensnetz"


register_snippet(KnowledgeViewSetGroup)


# Departments: merging duplicates (kb.departments), logged in Wagtail's audit log.
hooks.register("register_log_actions", register_log_actions)


# "Inhalt ist aktuell" (kb.reviews): audit-log label, admin view and its buttons.
hooks.register("register_log_actions", reviews.register_log_actions)


@hooks.register("register_admin_urls")
def register_review_confirm_url():
    return [
        path(
            "pruefung/<int:page_id>/bestaetigen/",
            review_views.admin_confirm,
            name="kb_review_admin_confirm",
        )
    ]


class ReviewConfirmButton(PageMenuItem):
    label = "Inhalt ist aktuell"
    icon_name = "circle-check"
    url_name = "kb_review_admin_confirm"

    def is_shown(self, user):
        page = self.page
        if not page.live or page.specific_class is not ArticlePage:
            return False
        if page.permissions_for_user(user).can_edit():
            return True
        return reviews.can_confirm(page.specific_deferred, user)


@hooks.register("register_page_header_buttons")
def review_confirm_header_button(page, user, view_name, next_url=None):
    yield ReviewConfirmButton(page=page, next_url=next_url, priority=66)


@hooks.register("register_page_listing_more_buttons")
def review_confirm_listing_button(page, user, next_url=None):
    yield ReviewConfirmButton(page=page, next_url=next_url, priority=55)


# Report "Prüfstand" (kb.reports) in place of Wagtail's "Alternde Seiten".
@hooks.register("register_admin_urls")
def register_review_report_urls():
    return reports.urlpatterns()


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return reports.review_report_menu_item()


@hooks.register("construct_reports_menu")
def remove_aging_pages_report(request, menu_items):
    reports.without_aging_pages(menu_items)


# The editors' dashboard panels (kb/dashboard.py).
hooks.register("construct_homepage_panels", dashboard.construct_homepage_panels)


# Article views with a confirmation after a review action (kb/admin_views.py).
@hooks.register("register_admin_viewset")
def register_article_page_viewset():
    return ArticlePageViewSet("kb_article_pages")


@hooks.register("insert_global_admin_css")
def report_tables_css() -> str:
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("css/admin/reports.css"))


# "Fachwissen" (kb.models.Expertise, "Wer weiß was?"): the Redaktion corrects or removes entries
# people keep under "Meine Angaben". In the "Wissensnetz" snippet group: the group is built when
# registered above, so the entry joins its submenu through the group's submenu hook.
KnowledgeViewSetGroup.submenu_hook = "register_wissensnetz_snippet_menu_item"


class ExpertiseViewSet(SnippetViewSet):
    model = Expertise
    icon = "user"
    menu_label = "Fachwissen"
    menu_hook = KnowledgeViewSetGroup.submenu_hook
    menu_order = 5
    list_display = ["person", "topic", "city", "note", "confirmed_on"]
    list_filter = ["city", "topic"]
    search_fields = ["note"]
    ordering = ["person__name", "pk"]

    def get_queryset(self, request):
        return Expertise.objects.select_related("person__city", "topic", "city")


register_snippet(ExpertiseViewSet)

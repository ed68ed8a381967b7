"""Admin: synonym groups (snippet) and the search analytics report."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SynonymGroup
from .reports import SearchReportView, can_view_search_report


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "list-ul"
    menu_label = "Synonyme"
    menu_name = "synonyme"
    menu_order = 300
    # Under "Einstellungen", next to Wagtail's "Beworbene Suchergebnisse". The menu item is only
    # shown to users with a permission on synonym groups (superusers, or groups granted one).
    add_to_admin_menu = False
    add_to_settings_menu = True
    list_display = ["__str__", "note"]
    search_fields = ["terms", "note"]


register_snippet(SynonymGroupViewSet)


@hooks.register("register_admin_urls")
def register_search_report_urls():
    urls = [
        path("", SearchReportView.as_view(), name="index"),
        path("ergebnisse/", SearchReportView.as_view(results_only=True), name="results"),
    ]
    return [path("suchanalyse/", include((urls, "suchanalyse")))]


class SearchReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_search_report(request.user)


@hooks.register("register_reports_menu_item")
def register_search_report_menu_item():
    return SearchReportMenuItem(
        "Suchanalyse",
        reverse("suchanalyse:index"),
        name="suchanalyse",
        icon_name="search",
        order=1250,
    )

"""Admin: synonym groups (snippet) and the search analytics report."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SynonymGroup


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "list-ul"
    menu_label = "Synonyme"
    menu_order = 300
    add_to_admin_menu = False
    list_display = ["__str__", "note"]
    search_fields = ["terms", "note"]


register_snippet(SynonymGroupViewSet)

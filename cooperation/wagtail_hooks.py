"""Admin menu "Zusammenarbeit": results and agreed actions (the pages are in the page tree)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .action_admin import ActionViewSet
from .models import Result


class ResultViewSet(SnippetViewSet):
    model = Result
    icon = "doc-full"
    menu_label = "Ergebnisse"
    list_display = ["title", "group", "meeting", "created"]
    list_filter = ["group", "meeting"]
    search_fields = ["title", "text"]
    ordering = ["-created", "-pk"]


class CooperationViewSetGroup(SnippetViewSetGroup):
    items = (ResultViewSet, ActionViewSet)
    menu_icon = "group"
    menu_label = "Zusammenarbeit"
    menu_name = "zusammenarbeit"


register_snippet(CooperationViewSetGroup)

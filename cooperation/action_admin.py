"""The admin's list and editor of agreed actions (Zusammenarbeit → Maßnahmen)."""

from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Action


class ActionViewSet(SnippetViewSet):
    model = Action
    icon = "tasks"
    menu_label = "Maßnahmen"

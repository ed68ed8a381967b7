"""Admin registration of the knowledge snippets (cities, departments, contact persons)."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import City, ContactPerson, Department


class CityViewSet(SnippetViewSet):
    model = City
    icon = "site"
    menu_label = "Städte"
    list_display = ["name", "slug", "email_domain"]
    search_fields = ["name"]


class DepartmentViewSet(SnippetViewSet):
    model = Department
    icon = "group"
    menu_label = "Fachbereiche"
    list_display = ["name", "city"]
    list_filter = ["city"]
    search_fields = ["name"]


class ContactPersonViewSet(SnippetViewSet):
    model = ContactPerson
    icon = "user"
    menu_label = "Ansprechpersonen"
    list_display = ["name", "role", "city", "department", "email"]
    list_filter = ["city"]


class KnowledgeViewSetGroup(SnippetViewSetGroup):
    items = (CityViewSet, DepartmentViewSet, ContactPersonViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Wissensnetz"
    menu_name = "wissensnetz"


register_snippet(KnowledgeViewSetGroup)

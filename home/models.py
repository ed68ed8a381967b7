from __future__ import annotations

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The site root: search box, topic tiles and what is new in each city."""

    intro = RichTextField("Einleitung", blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["kb.TopicPage"]
    max_count = 1

    class Meta:
        verbose_name = "Startseite"

    def get_context(self, request, *args, **kwargs):
        from kb.listings import home_context

        context = super().get_context(request, *args, **kwargs)
        context.update(home_context(self, request))
        return context

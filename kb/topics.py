"""Topic areas (Themenfelder): the nine shared ones and any an import brings along."""

from __future__ import annotations

from django.utils.text import slugify
from wagtail.models import Page

from .models import TopicPage

DEFAULT_TOPICS = [
    "Kommunalverwaltung & Daseinsvorsorge",
    "Klimaneutralität & Energieversorgung",
    "Klimafolgenanpassung & Resilienz",
    "Migration & Integration",
    "Krisenmanagement",
    "Smart City",
    "Schule & Kita",
    "Jugendarbeit",
    "Stadtplanung",
]
_TRANSLITERATION = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)


def german_slug(text: str) -> str:
    """URL slug that keeps German readable (Klimaneutralität -> klimaneutralitaet)."""
    return slugify(text.translate(_TRANSLITERATION))[:200] or "thema"


def home_page() -> Page:
    """The page topic areas live under (the site's home page), found through TopicPage's
    allowed parent type so that content does not import the home app."""
    (parent_model,) = TopicPage.allowed_parent_page_models()
    return parent_model.objects.get()


def find_topic(name: str) -> TopicPage | None:
    return TopicPage.objects.filter(title__iexact=name.strip()).order_by("path").first()


def ensure_topic(name: str) -> TopicPage:
    """The topic page with this display name, created (published) under the home page if missing."""
    topic = find_topic(name)
    if topic:
        return topic
    home = home_page()
    slug = german_slug(name)
    existing = set(home.get_children().values_list("slug", flat=True))
    candidate, number = slug, 2
    while candidate in existing:
        candidate, number = f"{slug}-{number}", number + 1
    topic = TopicPage(title=name.strip(), slug=candidate, live=False)
    home.add_child(instance=topic)
    topic.save_revision().publish()
    return TopicPage.objects.get(pk=topic.pk)


def ensure_default_topics() -> list[TopicPage]:
    return [ensure_topic(name) for name in DEFAULT_TOPICS]

"""Wagtail's promoted results ("Hervorgehobene Suchergebnisse") are the Chefredaktion's, not
only the superuser's: menu item, creating a promotion in the admin, and staff see it first."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from wagtail.contrib.search_promotions.models import SearchPromotion

from kb.models import ArticlePage

pytestmark = pytest.mark.django_db

MENU_LABEL = "Hervorgehobene Suchergebnisse"
PINNED = "demo-staedtetag-2023-sundern"


def promotion_form(query: str, page: ArticlePage) -> dict:
    """The add form as Wagtail's admin posts it: the query and one promoted page."""
    return {
        "query_string": query,
        "editors_picks-TOTAL_FORMS": 1,
        "editors_picks-INITIAL_FORMS": 0,
        "editors_picks-MAX_NUM_FORMS": 1000,
        "editors_picks-0-DELETE": "",
        "editors_picks-0-ORDER": 0,
        "editors_picks-0-page": page.pk,
        "editors_picks-0-description": "Das Ergebnis des ersten Städtetags",
    }


def promoted_section(html: str) -> str:
    match = re.search(r'<section class="promoted".*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_chief_promotes_a_result_that_staff_see_first(client, chief, staff, demo_articles):
    pinned = ArticlePage.objects.get(slug=PINNED)
    client.force_login(chief)
    assert MENU_LABEL in client.get(reverse("wagtailadmin_home")).content.decode()
    assert client.get(reverse("wagtailsearchpromotions:index")).status_code == 200
    assert client.get(reverse("wagtailsearchpromotions:add")).status_code == 200

    response = client.post(reverse("wagtailsearchpromotions:add"), promotion_form("Hitze", pinned))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailsearchpromotions:index")
    assert SearchPromotion.objects.get().page_id == pinned.pk

    client.force_login(staff)
    html = client.get("/suche/", {"q": "Hitze"}).content.decode()
    promoted = promoted_section(html)
    assert "Empfohlen von der Redaktion" in promoted
    assert pinned.title in promoted


def test_redaktion_does_not_manage_promoted_results(client, editor, demo_articles):
    client.force_login(editor)
    assert MENU_LABEL not in client.get(reverse("wagtailadmin_home")).content.decode()
    pinned = ArticlePage.objects.get(slug=PINNED)
    response = client.post(reverse("wagtailsearchpromotions:add"), promotion_form("Hitze", pinned))
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    assert not SearchPromotion.objects.exists()
